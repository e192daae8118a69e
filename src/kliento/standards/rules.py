"""Checks shared by the standards services: each raises ValidationError keyed by field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kliento.core import dates
from kliento.core.channels import Channel
from kliento.core.roles import ROLE_LABELS
from kliento.standards.models import Kind, Standard

MAX_SCRIPTS = 30


def clean_text(value: str) -> str:
    return (value or "").strip()


def check_standard(
    *,
    kind: str,
    title: str,
    owner: Any,
    review_on: dt.date | None,
    roles: Sequence[str],
    channels: Sequence[str],
    exclude_id: int | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Choose one of the book's sections.")]
    if not title:
        errors["title"] = [_("Give the standard a title.")]
    elif len(title) > 200:
        errors["title"] = [_("Keep the title within 200 characters.")]
    elif (
        Standard.objects.filter(kind=kind, title__iexact=title).exclude(pk=exclude_id or 0).exists()
    ):
        errors["title"] = [_("This section already has a standard with this title.")]
    if owner is None or not getattr(owner, "is_active", False):
        errors["owner"] = [_("Choose an active employee as the owner.")]
    if review_on is None:
        errors["review_on"] = [_("Set the date by which the standard must be reviewed.")]
    else:
        try:
            dates.check_day(review_on)
        except ValidationError as exc:
            errors["review_on"] = exc.messages
    unknown_roles = set(roles) - set(ROLE_LABELS)
    if unknown_roles:
        errors["roles"] = [
            _("Unknown roles: %(roles)s.") % {"roles": ", ".join(sorted(unknown_roles))}
        ]
    unknown_channels = set(channels) - set(Channel.values)
    if unknown_channels:
        errors["channels"] = [
            _("Unknown channels: %(channels)s.") % {"channels": ", ".join(sorted(unknown_channels))}
        ]
    if errors:
        raise ValidationError(errors)


def check_body(body: str, scripts: Sequence[tuple[str, str]]) -> None:
    errors: dict[str, list[str]] = {}
    if not body:
        errors["body"] = [_("Write the text of the standard.")]
    elif len(body) > 30_000:
        errors["body"] = [_("Keep the text within 30,000 characters.")]
    if len(scripts) > MAX_SCRIPTS:
        errors["scripts"] = [_("At most %(n)d scripts per standard.") % {"n": MAX_SCRIPTS}]
    for title, text in scripts:
        if not title.strip() or not text.strip():
            errors["scripts"] = [_("Every script needs a title and a text.")]
            break
        if len(title) > 200 or len(text) > 5_000:
            errors["scripts"] = [_("A script's title is at most 200 characters, its text 5,000.")]
            break
    if errors:
        raise ValidationError(errors)
