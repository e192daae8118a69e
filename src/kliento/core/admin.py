"""The settings (Django's admin): Kliento's models, users with their roles in words, and the
app's own 403 page for a logged-in user who may not open the settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ManyToManyField, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kliento.core import audit, lockout, two_factor
from kliento.core.models import ApiToken, AuditEntry, OrgUnit, RoleSecurityPolicy, StaffProfile
from kliento.core.roles import ROLE_LABELS


def group_label(group: Group) -> str:
    """A role's name in the reader's language ("Stage owner"), other groups as named."""
    label = ROLE_LABELS.get(group.name)
    return str(label) if label is not None else group.name


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

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name == "groups":
            field.label_from_instance = group_label  # type: ignore[method-assign,assignment]
        return field


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    list_display = ["name", "role"]

    @admin.display(description=_("role"))
    def role(self, group: Group) -> str:
        return group_label(group)


_admin_login = admin.site.login


def _login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """Someone logged in without access to the settings gets the app's "no access" page, and
    someone not logged in the app's login page, not the admin's own login form."""
    if request.user.is_authenticated and not admin.site.has_permission(request):
        raise PermissionDenied
    if not request.user.is_authenticated:
        return redirect_to_login(request.GET.get("next") or request.get_full_path())
    return _admin_login(request, extra_context)


admin.site.login = _login  # type: ignore[method-assign]


admin.site.site_header = _("Kliento settings")
admin.site.site_title = _("Kliento settings")
admin.site.index_title = _("Configuration")


def _name_task_results() -> None:
    """The background-task app's names, in Kliento's catalogs so the settings read them in the
    user's language ("Task Results" otherwise stays English)."""
    from django.apps import apps

    if not apps.is_installed("django_tasks_db"):
        return
    config = apps.get_app_config("django_tasks_database")
    config.verbose_name = _("Background tasks")
    for model in config.get_models():
        model._meta.verbose_name = _("task result")
        model._meta.verbose_name_plural = _("task results")


_name_task_results()
