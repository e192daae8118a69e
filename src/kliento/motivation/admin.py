"""Configuration of schemes, their KPIs and rules in the admin site (statements are kept by
the app's own pages: an approved statement is never edited)."""

from django.contrib import admin

from kliento.motivation.models import Kpi, Rule, Scheme


class KpiInline(admin.TabularInline):
    model = Kpi
    extra = 0


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "employee", "period", "base_bonus", "currency", "is_active")
    inlines = [KpiInline, RuleInline]
