"""The client list's saved views and a user's chosen columns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kliento.clients.models import ListLayout, SavedView
from kliento.clients.selectors.listing import clean_columns

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SHARE_PERMISSION = "clients.share_savedview"
MAX_QUERY = SavedView._meta.get_field("query").max_length or 1000


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the view a name.")}, code="required")
    return name


def _taken() -> ValidationError:
    return ValidationError({"name": _("You already have a view with this name.")}, code="taken")


@transaction.atomic
def save_view(
    *, owner: User, name: str, query: str, columns: Iterable[str], shared: bool = False
) -> SavedView:
    """Save the list's filters, sort and columns under a name; sharing it with everyone needs
    `clients.share_savedview` (managers, administrators)."""
    if shared and not owner.has_perm(SHARE_PERMISSION):
        raise PermissionDenied
    if len(query) > MAX_QUERY:
        raise ValidationError({"query": _("These filters are too long to save.")}, code="long")
    view = SavedView(
        owner=owner,
        name=_check_name(name),
        query=query,
        columns=clean_columns(columns),
        shared=shared,
    )
    if SavedView.objects.filter(owner=owner, name=view.name).exists():
        raise _taken()
    try:
        with transaction.atomic():
            view.save()
    except IntegrityError:  # the same name saved meanwhile (a double click)
        raise _taken() from None
    return view


@transaction.atomic
def rename_view(*, actor: User, view: SavedView, name: str) -> SavedView:
    locked = SavedView.objects.select_for_update().get(pk=view.pk)
    if locked.owner_id != actor.pk:
        raise PermissionDenied
    locked.name = _check_name(name)
    if SavedView.objects.filter(owner=actor, name=locked.name).exclude(pk=locked.pk).exists():
        raise _taken()
    locked.save(update_fields=["name"])
    return locked


@transaction.atomic
def delete_view(*, actor: User, view: SavedView) -> None:
    if view.owner_id != actor.pk:
        raise PermissionDenied
    SavedView.objects.filter(pk=view.pk, owner=actor).delete()


@transaction.atomic
def set_list_columns(*, user: User, columns: Iterable[str]) -> list[str]:
    """Store the user's columns (unknown keys dropped); returns what was stored."""
    chosen = clean_columns(columns)
    ListLayout.objects.update_or_create(user=user, defaults={"columns": chosen})
    return chosen
