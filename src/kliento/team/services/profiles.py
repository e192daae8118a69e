"""Ideal-employee profiles and their competencies."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kliento.core import audit
from kliento.core.roles import ROLE_LABELS
from kliento.team.models import AssessedBy, Competency, Group, IdealProfile

PROFILE_SAVED = "team.profile_saved"


@transaction.atomic
def save_profile(*, actor: Any, role: str, summary: str) -> IdealProfile:
    if role not in ROLE_LABELS:
        raise ValidationError({"role": [_("There is no such role.")]})
    profile, _created = IdealProfile.objects.update_or_create(
        role=role, defaults={"summary": summary.strip()}
    )
    audit.record(actor=actor, action=PROFILE_SAVED, target=profile, data={"role": role})
    return profile


@transaction.atomic
def save_competency(
    *,
    actor: Any,
    profile: IdealProfile,
    name: str,
    group: str,
    is_attitude: bool,
    description: str,
    assessed_by: str,
    assessment: str,
    position: int = 0,
    competency: Competency | None = None,
) -> Competency:
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = [_("Name the competency.")]
    if group not in Group.values:
        errors["group"] = [_("Choose must-have, can be learned or nice to have.")]
    if assessed_by not in AssessedBy.values:
        errors["assessed_by"] = [_("Choose how the competency is assessed.")]
    taken = profile.competencies.filter(name__iexact=name)
    if competency is not None:
        taken = taken.exclude(pk=competency.pk)
    if name and taken.exists():
        errors["name"] = [_("This profile already has a competency of this name.")]
    if errors:
        raise ValidationError(errors)
    target = competency or Competency(profile=profile)
    for field, value in {
        "name": name,
        "group": group,
        "is_attitude": is_attitude,
        "description": description.strip(),
        "assessed_by": assessed_by,
        "assessment": assessment.strip(),
        "position": position,
    }.items():
        setattr(target, field, value)
    target.save()
    audit.record(
        actor=actor, action=PROFILE_SAVED, target=profile, data={"competency": target.name}
    )
    return target
