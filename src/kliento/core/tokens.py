"""Issuing and revoking personal API tokens; each change is audited in its own transaction.

A token issued for someone by another person (an administrator at the command line) is also
notified to its owner: a token acts as them, so they must learn of it and can revoke it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import audit, notifications
from kliento.core.models import ApiToken, Notification
from kliento.core.types import Actor

if TYPE_CHECKING:
    from django.contrib.auth.models import User

NAME_MAX = ApiToken.NAME_MAX_LENGTH


def _audit(*, actor: Actor, action: str, token: ApiToken) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=token,
        data={"owner": token.user.get_username(), "name": token.name, "prefix": token.prefix},
    )


@transaction.atomic
def issue_token(*, actor: Actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it with the raw value, which is never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the tool that will use it.")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("Use at most %(max)d characters.") % {"max": NAME_MAX}})
    if "\x00" in name or not name.isprintable():
        raise ValidationError({"name": _("Use printable characters only.")})
    token, raw = ApiToken.issue(user=user, name=name)
    _audit(actor=actor, action="api_token.issued", token=token)
    if actor is None or getattr(actor, "pk", None) != user.pk:
        notifications.notify(
            recipients=[user],
            kind="api_token.issued",
            target_url=reverse("api_tokens"),
            params={"name": token.name, "prefix": token.prefix, "actor": _display_name(actor)},
            actor=actor,
        )
    return token, raw


def _display_name(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return user.get_full_name() or user.get_username()


def describe_token_issued(notification: Notification) -> str:
    """The "api_token.issued" notification's text, in the active language."""
    params = notification.params
    values = {
        "name": params.get("name", ""),
        "prefix": params.get("prefix", ""),
        "actor": params.get("actor", ""),
    }
    if values["actor"]:
        text = _("%(actor)s issued the API token “%(name)s” (%(prefix)s…) that acts as you.")
    else:
        text = _("The API token “%(name)s” (%(prefix)s…) that acts as you was issued.")
    return " ".join(
        [text % values, _("If you did not ask for it, revoke it on your API tokens page.")]
    )


@transaction.atomic
def revoke_token(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke a token at once; revoking twice changes nothing and is not audited twice."""
    locked = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    _audit(actor=actor, action="api_token.revoked", token=locked)
    return locked
