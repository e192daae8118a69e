"""The situation catalogue, match rules and feeds: pages for those who manage them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.mentions import selectors
from kliento.mentions.forms import FeedForm, RuleForm, SituationForm
from kliento.mentions.models import Feed, Situation
from kliento.mentions.services import catalogue

VIEW_SITUATIONS = "mentions.view_situation"
MANAGE = "mentions.manage_information_field"


def _errors_to(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _fresh[M: (Feed, Situation)](obj: M | None) -> M | None:
    # The form wrote the posted values onto its instance: the service compares with the row.
    return type(obj).objects.get(pk=obj.pk) if obj is not None else None


@require(VIEW_SITUATIONS)
def situations(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "mentions/situations.html",
        {"situations": selectors.situations(), "may_manage": request.user.has_perm(MANAGE)},
    )


@require(VIEW_SITUATIONS, MANAGE)
def situation_edit(
    request: AuthenticatedHttpRequest, situation_id: int | None = None
) -> HttpResponse:
    situation = get_object_or_404(Situation, pk=situation_id) if situation_id else None
    form = SituationForm(request.POST or None, instance=situation)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = catalogue.save_situation(
                actor=request.user, data=data, situation=_fresh(situation)
            )
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            messages.success(request, _("Situation saved."))
            return HttpResponseRedirect(reverse("mentions:situation_edit", args=[saved.pk]))
    return render(
        request,
        "mentions/situation_form.html",
        {
            "form": form,
            "situation": situation,
            "rule_form": RuleForm() if situation else None,
            "rules": situation.rules.all() if situation else [],
        },
        status=400 if form.errors else 200,
    )


@require_POST
@require(VIEW_SITUATIONS, MANAGE)
def rule_new(request: AuthenticatedHttpRequest, situation_id: int) -> HttpResponse:
    situation = get_object_or_404(Situation, pk=situation_id)
    form = RuleForm(request.POST)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            catalogue.save_rule(actor=request.user, data={**data, "situation": situation})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Rule added."))
    else:
        messages.error(request, _("Check the rule: %(errors)s") % {"errors": form.errors.as_text()})
    return HttpResponseRedirect(reverse("mentions:situation_edit", args=[situation.pk]))


@require(MANAGE)
def feeds(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "mentions/feeds.html", {"feeds": selectors.feeds()})


@require(MANAGE)
def feed_edit(request: AuthenticatedHttpRequest, feed_id: int | None = None) -> HttpResponse:
    feed = get_object_or_404(Feed, pk=feed_id) if feed_id else None
    form = FeedForm(request.POST or None, instance=feed)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            catalogue.save_feed(actor=request.user, data=data, feed=_fresh(feed))
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            messages.success(request, _("Feed saved."))
            return HttpResponseRedirect(reverse("mentions:feeds"))
    return render(
        request,
        "mentions/feed_form.html",
        {"form": form, "feed": feed},
        status=400 if form.errors else 200,
    )
