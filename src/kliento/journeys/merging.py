"""Merging clients: a client is at one stage per journey, so before the merge moves the rows
of the duplicates to the survivor, the duplicates' places on the survivor's journeys go. The
survivor keeps its stage; a journey only a duplicate was on comes over with the first
duplicate's place; the move histories all come over (the generic move re-points them)."""

from __future__ import annotations

from kliento.journeys.models import ClientStage


def reconcile(kept_id: int, duplicate_ids: list[int]) -> None:
    taken = set(ClientStage.objects.filter(client_id=kept_id).values_list("journey_id", flat=True))
    drop = []
    for place in ClientStage.objects.filter(client_id__in=duplicate_ids).order_by(
        "client_id", "id"
    ):
        if place.journey_id in taken:
            drop.append(place.pk)
        else:
            taken.add(place.journey_id)
    ClientStage.objects.filter(pk__in=drop).delete()
