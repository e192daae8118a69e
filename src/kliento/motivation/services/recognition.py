"""Thanking a colleague, and reacting on the recognition feed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kliento.core.notifications import notify
from kliento.motivation.models import THANKS_MAX, Emoji, ItemKind, Reaction, Thanks
from kliento.motivation.selectors import recognition

THANKED = "motivation.thanked"


@transaction.atomic
def thank(*, actor: Any, recipient_id: int, message: str) -> Thanks:
    errors: dict[str, list[str]] = {}
    message = (message or "").replace("\x00", "").strip()
    recipient = get_user_model().objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None:
        errors["recipient_id"] = [_("Choose an active colleague.")]
    elif recipient.pk == actor.pk:
        errors["recipient_id"] = [_("Thank a colleague, not yourself.")]
    if not message:
        errors["message"] = [_("Say what you are thanking them for.")]
    elif len(message) > THANKS_MAX:
        errors["message"] = [_("Keep this within %(max)s characters.") % {"max": THANKS_MAX}]
    if errors or recipient is None:
        raise ValidationError(errors)
    thanks = Thanks.objects.create(sender=actor, recipient=recipient, message=message)
    notify(
        recipients=[recipient],
        kind=THANKED,
        target_url=reverse("motivation:recognition"),
        params={"sender": actor.get_full_name() or actor.get_username()},
        actor=actor,
    )
    return thanks


def toggle_reaction(*, actor: Any, item_kind: str, item_id: int, emoji: str) -> bool:
    """Add the reaction, or take it back if the actor had it; True when it is on afterwards.
    Two presses racing each other meet the unique constraint: the loser finds the winner's
    reaction and leaves it on."""
    errors: dict[str, list[str]] = {}
    if item_kind not in ItemKind.values:
        errors["item_kind"] = [_("Choose praise, exemplary or thanks.")]
    if emoji not in Emoji.values:
        errors["emoji"] = [_("Choose applause, heart or star.")]
    if not errors and not recognition.item_exists(item_kind, item_id):
        errors["item_id"] = [_("There is no such item on the recognition feed.")]
    if errors:
        raise ValidationError(errors)
    key = {"item_kind": item_kind, "item_id": item_id, "user": actor, "emoji": emoji}
    with transaction.atomic():
        deleted, _rows = Reaction.objects.filter(**key).delete()
        if deleted:
            return False
    try:
        with transaction.atomic():
            Reaction.objects.create(**key)
    except IntegrityError:
        pass
    return True
