"""The touchpoint rules: one place the forms, the API and the services ask.

Each check raises Django's ValidationError keyed by the field it concerns.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kliento.core.channels import Channel
from kliento.touchpoints.models import (
    CATEGORIES_OF_KIND,
    Impression,
    Kind,
    QualityParameter,
    Touchpoint,
)

NAME_MAX = 120
OCCURS_MAX = 200
PARTICIPANTS_MAX = 300
KPI_MAX = 300
REGULATION_MAX = 20_000
IMPRESSION_TEXT_MAX = 2_000
SOURCE_REF_MAX = 100
PARAMETER_NAME_MAX = 200
MEASUREMENT_MAX = 500
TARGET_MAX = 200

VIEW = "touchpoints.view_touchpoint"
EDIT_REGISTRY = "touchpoints.change_touchpoint"
# Who may own a touchpoint: staff who work with clients (auditors read, they own nothing).
OWN = "touchpoints.add_impression"

# Control characters other than tab and line feed: never meant in a text, and NUL is refused by
# PostgreSQL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Text as stored: line ends normalised, control characters dropped, blanks trimmed."""
    return _CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n")).strip()


def _too_long(errors: dict[str, Any], field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors[field] = _("At most %(max)d characters.") % {"max": limit}


def _others[M: models.Model](found: QuerySet[M], exclude_pk: int | None) -> QuerySet[M]:
    return found if exclude_pk is None else found.exclude(pk=exclude_pk)


def check_owner(owner: Any) -> None:
    if owner is None:
        raise ValidationError(
            {"owner": _("Choose the one person who owns this touchpoint.")}, code="required"
        )
    if not owner.is_active or not owner.has_perm(OWN):
        raise ValidationError(
            {"owner": _("This person cannot own a touchpoint (they do not work with clients).")},
            code="invalid_owner",
        )


def check_touchpoint(
    *,
    name: str,
    kind: str,
    category: str,
    channel: str,
    occurs_when: str,
    participants: str,
    kpi: str,
    regulation: str,
    owner: Any,
    exclude_pk: int | None = None,
) -> None:
    errors: dict[str, Any] = {}
    if not name:
        errors["name"] = _("Give the touchpoint a name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("At most %(max)d characters.") % {"max": NAME_MAX}
    elif _others(Touchpoint.objects.filter(name__iexact=name), exclude_pk).exists():
        errors["name"] = _("There is already a touchpoint with this name.")
    if kind not in Kind.values:
        errors["kind"] = _("Choose a business or an employee touchpoint.")
    elif category not in CATEGORIES_OF_KIND[kind]:
        errors["category"] = _("Choose one of the categories of a %(kind)s touchpoint.") % {
            "kind": Kind(kind).label.lower()
        }
    if channel and channel not in Channel.values:
        errors["channel"] = _("Choose one of the channels.")
    _too_long(errors, "occurs_when", occurs_when, OCCURS_MAX)
    _too_long(errors, "participants", participants, PARTICIPANTS_MAX)
    _too_long(errors, "kpi", kpi, KPI_MAX)
    _too_long(errors, "regulation", regulation, REGULATION_MAX)
    try:
        check_owner(owner)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


def check_parameter(
    *, touchpoint: Touchpoint, name: str, measurement: str, target: str, exclude_pk: int | None
) -> None:
    errors: dict[str, Any] = {}
    if not name:
        errors["name"] = _("Name the parameter.")
    elif len(name) > PARAMETER_NAME_MAX:
        errors["name"] = _("At most %(max)d characters.") % {"max": PARAMETER_NAME_MAX}
    elif _others(
        QualityParameter.objects.filter(touchpoint=touchpoint, name__iexact=name), exclude_pk
    ).exists():
        errors["name"] = _("This touchpoint already has a parameter with this name.")
    if not measurement:
        errors["measurement"] = _("Say how it is measured.")
    _too_long(errors, "measurement", measurement, MEASUREMENT_MAX)
    if not target:
        errors["target"] = _("Give the target.")
    _too_long(errors, "target", target, TARGET_MAX)
    if errors:
        raise ValidationError(errors)


def check_impression(*, sentiment: str, text: str, source: str, source_ref: str) -> None:
    errors: dict[str, Any] = {}
    if sentiment not in Impression.Sentiment.values:
        errors["sentiment"] = _("Choose positive, neutral or negative.")
    _too_long(errors, "text", text, IMPRESSION_TEXT_MAX)
    if source not in Impression.Source.values:
        errors["source"] = _("Choose where the impression comes from.")
    _too_long(errors, "source_ref", source_ref, SOURCE_REF_MAX)
    if errors:
        raise ValidationError(errors)


def may_edit_registry(user: Any) -> bool:
    return user is None or bool(user.has_perm(EDIT_REGISTRY))


def may_edit_regulation(user: Any, touchpoint: Touchpoint) -> bool:
    """The touchpoint's owner, or whoever edits the registry (a manager, an administrator),
    writes its regulation and quality parameters. None is the system (the demo loader)."""
    if user is None:
        return True
    return bool(
        (user.pk == touchpoint.owner_id and user.has_perm(VIEW)) or user.has_perm(EDIT_REGISTRY)
    )
