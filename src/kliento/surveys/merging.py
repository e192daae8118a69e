"""When duplicate clients are merged: the survey rows that allow one per client are reconciled
first, so the generic move can re-point the rest without a conflict."""

from __future__ import annotations

from django.db.models import Max

from kliento.surveys.models import Invitation, LastAsked


def merge_last_asked(kept_id: int, duplicate_ids: list[int]) -> None:
    """The kept client was last asked when any of them was (the quiet period holds for the
    person, whichever card the invitation went to)."""
    ids = [kept_id, *duplicate_ids]
    latest = LastAsked.objects.filter(client_id__in=ids).aggregate(at=Max("asked_at"))["at"]
    LastAsked.objects.filter(client_id__in=duplicate_ids).delete()
    if latest is not None:
        LastAsked.objects.update_or_create(client_id=kept_id, defaults={"asked_at": latest})


def merge_invitations(kept_id: int, duplicate_ids: list[int]) -> None:
    """A duplicate's invitation for the same event as one of the kept client's keeps its
    answer; its reference is marked so the two no longer collide."""
    kept = set(
        Invitation.objects.filter(client_id=kept_id).values_list(
            "survey_id", "source", "source_ref"
        )
    )
    for invitation in Invitation.objects.filter(client_id__in=duplicate_ids):
        key = (invitation.survey_id, invitation.source, invitation.source_ref)
        if key in kept:
            ref = f"{invitation.source_ref}~{invitation.client_id}"[-64:]
            Invitation.objects.filter(pk=invitation.pk).update(source_ref=ref)
        else:
            kept.add(key)
