"""What other records refer to: choosable managers, ids in a payload, client names, key clients."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kliento.clients.models import Client, Segment, Tag


def staff() -> QuerySet[Any]:
    """Who can be a client's account manager: active users who hold a role."""
    return get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct()


def segments() -> QuerySet[Segment]:
    return Segment.objects.order_by("name")


def tags() -> QuerySet[Tag]:
    return Tag.objects.order_by("name")


@dataclass(frozen=True)
class ClientLabel:
    pk: int
    name: str
    is_key: bool


def client_labels(ids: Iterable[int]) -> dict[int, ClientLabel]:
    """Names and key flags of some clients, by id, for analyses that list them."""
    return {
        pk: ClientLabel(pk, name, is_key)
        for pk, name, is_key in Client.objects.filter(pk__in=list(ids)).values_list(
            "pk", "name", "is_key"
        )
    }


def key_clients(*, limit: int) -> tuple[list[Client], int]:
    """The clients flagged as key clients, by name (at most `limit`), and how many there are."""
    flagged = Client.objects.filter(is_key=True)
    return list(flagged.order_by("name", "id")[:limit]), flagged.count()


def _unknown(pk: int) -> ValidationError:
    return ValidationError(
        _("There is nothing with id %(id)s to refer to."), code="unknown_id", params={"id": pk}
    )


def resolve_references(ids: Mapping[str, Any]) -> dict[str, Any]:
    """The objects that ids refer to, by field (company, account_manager, segment, tags).

    Only the fields given are resolved; None stays None (no company, no segment...). Every
    unknown id is reported, by field, before anything is written. Whether a found client may be
    the company is the rules' to say, so any client is found here.
    """
    sources: dict[str, QuerySet[Any]] = {
        "company": Client.objects.all(),
        "account_manager": staff(),
        "segment": Segment.objects.all(),
    }
    found: dict[str, Any] = {}
    errors: dict[str, list[ValidationError]] = {}
    for field, queryset in sources.items():
        if field not in ids:
            continue
        pk = ids[field]
        found[field] = None if pk is None else queryset.filter(pk=pk).first()
        if pk is not None and found[field] is None:
            errors[field] = [_unknown(pk)]
    if ids.get("tags") is not None:
        wanted = set(ids["tags"])
        tags = list(Tag.objects.filter(pk__in=wanted))
        missing = sorted(wanted - {t.pk for t in tags})
        if missing:
            errors["tags"] = [
                ValidationError(
                    _("Unknown tag ids: %(ids)s."),
                    code="unknown_id",
                    params={"ids": ", ".join(map(str, missing))},
                )
            ]
        found["tags"] = tags
    if errors:
        raise ValidationError(errors)
    return found
