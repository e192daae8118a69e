"""Self-assessment rounds: opening one, staff rating the service, and the gap report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.core.forms import DateInput, StyledForm
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.metrics import self_assessment
from kliento.metrics.models import AREAS, SelfAssessmentRound
from kliento.surveys import selectors as surveys

RATE = "metrics.rate_self_assessment"
MANAGE = "metrics.manage_self_assessment"
VIEW = "metrics.view_client_metrics"


class RoundForm(StyledForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    survey = forms.TypedChoiceField(label=gettext_lazy("Client survey"), coerce=int)
    start = forms.DateField(label=gettext_lazy("Client answers from"), widget=DateInput())
    end = forms.DateField(label=gettext_lazy("Client answers to"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["survey"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(s.pk, s.name) for s in surveys.client_surveys_with_areas()]


class RatingForm(StyledForm):
    def __init__(self, *args: Any, scale: tuple[int, int] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        low, high = scale or (0, 0)
        for key, label in AREAS:
            self.fields[key] = forms.TypedChoiceField(
                label=label,
                choices=[("", "—"), *((i, str(i)) for i in range(low, high + 1))],
                coerce=int,
                empty_value=None,
                required=False,
            )


def _apply(form: forms.Form, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(None if name == "__all__" or name not in form.fields else name, errors)


@require(RATE, writes=[MANAGE])
def rounds_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = self_assessment.open_round(
                actor=request.user,
                name=form.cleaned_data["name"],
                survey_id=form.cleaned_data["survey"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            return redirect("metrics:self_assessment", pk=made.pk)
    rounds = SelfAssessmentRound.objects.select_related("survey")[:100]
    return render(request, "metrics/self_assessment_rounds.html", {"form": form, "rounds": rounds})


def _team_of(user: Any) -> int | None:
    profile = getattr(user, "staff_profile", None)
    return getattr(profile, "unit_id", None)


@require(RATE)
def round_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = SelfAssessmentRound.objects.filter(pk=pk).select_related("survey").first()
    if assessment is None:
        raise Http404
    scale = surveys.survey_scale(assessment.survey_id)
    mine = dict(assessment.ratings.filter(rater=request.user).values_list("area", "score"))
    form = RatingForm(request.POST or None, scale=scale, initial=mine)
    if request.method == "POST" and form.is_valid():
        try:
            self_assessment.rate(
                actor=request.user,
                assessment=assessment,
                scores={key: form.cleaned_data.get(key) for key, _label in AREAS},
                team_id=_team_of(request.user),
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Your ratings are saved."))
            return redirect("metrics:self_assessment", pk=assessment.pk)
    report = self_assessment.gap_report(assessment) if request.user.has_perm(VIEW) else None
    labels = dict(AREAS)
    return render(
        request,
        "metrics/self_assessment.html",
        {
            "assessment": assessment,
            "form": form,
            "report": report,
            "labels": labels,
            "rows": [(labels[r.area], r) for r in report.rows] if report else [],
        },
    )
