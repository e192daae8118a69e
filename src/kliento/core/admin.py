from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kliento.core import audit, lockout, two_factor
from kliento.core.models import ApiToken, AuditEntry, OrgUnit, RoleSecurityPolicy, StaffProfile


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


@admin.register(RoleSecurityPolicy)
class RoleSecurityPolicyAdmin(admin.ModelAdmin):
    list_display = ["role_name", "require_two_factor"]
    list_editable = ["require_two_factor"]

    def has_delete_permission(
        self, request: HttpRequest, obj: RoleSecurityPolicy | None = None
    ) -> bool:
        # Unticking the box is the way to drop a requirement, and it is audited.
        return False

    @admin.display(description=_("role"), ordering="role")
    def role_name(self, obj: RoleSecurityPolicy) -> str:
        return str(obj)

    def save_model(
        self, request: HttpRequest, obj: RoleSecurityPolicy, form: ModelForm[Any], change: bool
    ) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(
                actor=request.user,  # type: ignore[arg-type]
                action="security_policy.changed",
                target=obj,
                data={"role": obj.role, "require_two_factor": obj.require_two_factor},
            )


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
    actions = ["unlock_login", "reset_two_factor"]

    @admin.action(description=_("Unlock login after failed attempts"), permissions=["change"])
    def unlock_login(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for user in queryset:
            lockout.unlock(actor=request.user, user=user)  # type: ignore[arg-type]
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(count)d login unlocked.", "%(count)d logins unlocked.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Reset two-factor authentication (lost phone)"), permissions=["change"]
    )
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for user in queryset:
            two_factor.disable(actor=request.user, user=user)  # type: ignore[arg-type]
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication reset for %(count)d person.",
                "Two-factor authentication reset for %(count)d people.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


admin.site.site_header = _("Kliento settings")
admin.site.site_title = _("Kliento settings")
admin.site.index_title = _("Configuration")
