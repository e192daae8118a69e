from django.contrib import admin

from kliento.clients.models import Segment, Tag


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
