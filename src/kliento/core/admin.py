from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kliento.core.models import ApiToken, AuditEntry, OrgUnit, StaffProfile


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "position"]
    list_select_related = ["user", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "actor", "action", "target_repr"]
    list_filter = ["action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    extra = 0
    max_num = 1


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class StaffUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]


admin.site.site_header = _("Kliento settings")
admin.site.site_title = _("Kliento settings")
admin.site.index_title = _("Configuration")
