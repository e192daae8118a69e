"""The journey's pages: the board, one stage's column (htmx pages), moving a client (board and
card), the stage owner's view and the baselines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.clients import selectors as clients
from kliento.clients.registry import TIMELINE_CHANGED
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest, HtmxHttpRequest
from kliento.journeys import rules, services, stats
from kliento.journeys.forms import BaselineForm, MoveForm
from kliento.journeys.models import Baseline, ClientStage, Journey, Stage
from kliento.journeys.panels import panel_context

PERIODS = (30, 90, 365)
PER_COLUMN = 20


@require(rules.VIEW)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    journeys = list(Journey.objects.order_by("name"))
    if len(journeys) == 1 and not rules.may_manage(request.user):
        return redirect("journeys:board", journeys[0].pk)
    return render(request, "journeys/index.html", {"journeys": journeys})


def _period(request: AuthenticatedHttpRequest) -> int:
    try:
        days = int(request.GET.get("days", "90"))
    except ValueError:
        days = 90
    return days if days in PERIODS else 90


@require(rules.VIEW)
def board(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    journey = get_object_or_404(Journey, pk=pk)
    now = timezone.now()
    days = _period(request)
    figures = stats.stage_figures(journey, now=now)
    stages = [f.stage for f in figures]
    columns = [
        (f, _column_rows(request, stats.column(f.stage, per_page=PER_COLUMN), stages))
        for f in figures
    ]
    return render(
        request,
        "journeys/board.html",
        {
            "journey": journey,
            "columns": columns,
            "conversion": stats.conversion(journey, start=now - dt.timedelta(days=days), end=now),
            "days": days,
            "periods": PERIODS,
            "may_manage": rules.may_manage(request.user),
        },
    )


def _column_rows(
    request: AuthenticatedHttpRequest, page: stats.ColumnPage, stages: list[Stage]
) -> dict[str, Any]:
    """A column page; each card this user may move gets a button to the next stage (other
    moves: drag and drop, or the client's card)."""
    user = request.user
    may_move_any = user.has_perm(rules.MOVE)
    manages = rules.may_manage(user)
    owns = page.stage.owner_id == user.pk
    handled = (
        set()
        if manages or owns or not may_move_any
        else clients.handled_by(user.pk, [p.client_id for p, _name in page.rows])
    )
    path = rules.main_path(stages)
    ids = [s.pk for s in path]
    at = ids.index(page.stage.pk) if page.stage.pk in ids else -1
    following = path[at + 1] if 0 <= at < len(path) - 1 else None
    now = timezone.now()
    cards = []
    for place, name in page.rows:
        in_stage = now - place.entered_at
        cards.append(
            {
                "place": place,
                "name": name,
                "days": in_stage.days,
                "late": page.stage.target_days is not None
                and in_stage > dt.timedelta(days=page.stage.target_days),
                "movable": may_move_any and (manages or owns or place.client_id in handled),
            }
        )
    return {"page": page, "cards": cards, "next": following}


@require(rules.VIEW)
def column(request: HtmxHttpRequest, stage_id: int) -> HttpResponse:
    stage = get_object_or_404(Stage, pk=stage_id)
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page = 1
    stages = list(Stage.objects.filter(journey_id=stage.journey_id).order_by("position"))
    data = _column_rows(request, stats.column(stage, page=page, per_page=PER_COLUMN), stages)
    context = {"col": data, "stage": stage, "back": request.GET.get("back", "")}
    return render(request, "journeys/board.html#column_cards", context)


def _back(request: AuthenticatedHttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_POST
@require(rules.VIEW, rules.MOVE)
def move(request: HtmxHttpRequest, client_id: int) -> HttpResponse:
    """Move a client: from a card on the board (`prefix` c<client>) or the card's panel
    (`prefix` j<journey>). Errors go back beside the field (panel) or as a message (board)."""
    if client_id not in clients.client_labels([client_id]):
        raise Http404
    prefix = request.POST.get("prefix", "")
    if prefix.startswith("j"):
        journey = get_object_or_404(Journey, pk=prefix[1:] if prefix[1:].isdigit() else 0)
    else:
        journey = None
    stage_ids = Stage.objects.filter(journey=journey) if journey else Stage.objects.all()
    form = MoveForm(request.POST, stages=list(stage_ids), prefix=prefix or None)
    card = request.POST.get("panel") == "card"
    moved = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.move_client(
                actor=request.user,
                client_id=client_id,
                to_stage=data["to_stage"],
                force=data["force"],
                reason=data["reason"],
                journey=journey,
            )
            moved = True
        except ValidationError as exc:
            form.apply(exc)
    if card and request.htmx:
        response = render(
            request,
            "journeys/panel.html#journeys",
            panel_context(request.user, client_id, None if moved else form),
        )
        if moved:
            response["HX-Trigger"] = TIMELINE_CHANGED
        return response
    place = ClientStage.objects.filter(client_id=client_id).first()
    fallback = (
        reverse("journeys:board", args=[place.journey_id])
        if place
        else reverse("clients:detail", args=[client_id])
    )
    if moved:
        messages.success(request, _("Client moved."))
    else:
        errors = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(errors) or _("The client was not moved."))
    return HttpResponseRedirect(_back(request, fallback))


@require(rules.VIEW)
def my_stage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The stage owner's own view: their stages' figures, who is past the target (stuck: past
    twice the target)."""
    now = timezone.now()
    owned = list(
        Stage.objects.filter(owner=request.user)
        .select_related("journey")
        .order_by("journey__name", "position")
    )
    blocks = []
    for stage in owned:
        figures = next(
            f for f in stats.stage_figures(stage.journey, now=now) if f.stage.pk == stage.pk
        )
        late = list(stats.over_target(stage, now=now))
        names = clients.client_labels([p.client_id for p in late])
        rows = [
            {
                "place": p,
                "name": names[p.client_id].name,
                "days": (now - p.entered_at).days,
                "stuck": stage.target_days is not None
                and (now - p.entered_at).days >= 2 * stage.target_days,
            }
            for p in late
            if p.client_id in names
        ]
        blocks.append({"stage": stage, "figures": figures, "late": rows})
    return render(request, "journeys/my_stage.html", {"blocks": blocks})


@require(rules.VIEW, writes=[rules.MANAGE])
def baselines(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    journey = get_object_or_404(Journey, pk=pk)
    form = BaselineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            baseline = services.take_baseline(
                actor=request.user, journey=journey, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Baseline saved."))
            return redirect(f"{reverse('journeys:baselines', args=[pk])}?baseline={baseline.pk}")
    saved = list(Baseline.objects.filter(journey=journey))
    chosen = None
    wanted = request.GET.get("baseline", "")
    if wanted.isdigit():
        chosen = next((b for b in saved if b.pk == int(wanted)), None)
    if chosen is None and saved:
        chosen = saved[0]
    return render(
        request,
        "journeys/baselines.html",
        {
            "journey": journey,
            "form": form,
            "saved": saved,
            "comparison": stats.compare(chosen) if chosen else None,
            "may_manage": rules.may_manage(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )
