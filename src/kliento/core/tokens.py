"""Issuing and revoking personal API tokens; each change is audited in its own transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import audit
from kliento.core.models import ApiToken
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
    return token, raw


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
