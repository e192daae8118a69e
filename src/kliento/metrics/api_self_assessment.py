"""The self-assessment API: a round's gap report, and staff's ratings."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Path, Router, Schema
from ninja.errors import ValidationError as RequestInvalid
from pydantic import StrictInt

from kliento.core.api_auth import needs
from kliento.core.api_errors import error_items
from kliento.core.api_types import MAX_ID
from kliento.metrics import self_assessment
from kliento.metrics.models import SelfAssessmentRound

router = Router(tags=["metrics"])
RoundId = Annotated[int, Path(ge=1, le=MAX_ID)]
ERRORS: dict[int, Any] = {401: Any, 403: Any, 404: Any, 422: Any}


class RatingsIn(Schema):
    speed: StrictInt | None = Field(None, description="On the client survey's scale.")
    politeness: StrictInt | None = None
    competence: StrictInt | None = None
    overall: StrictInt | None = None


def _round(pk: int) -> SelfAssessmentRound:
    found = SelfAssessmentRound.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("No such round.")
    return found


@router.get(
    "/metrics/self-assessment/{round_id}",
    response={200: dict[str, Any], **ERRORS},
    summary="Self-assessment gap: staff belief vs. client answers per area and team",
    **needs("metrics.view_client_metrics"),
)
def gap(request: Any, round_id: RoundId) -> dict[str, Any]:
    report = self_assessment.gap_report(_round(round_id))
    return {
        "round": report.round.pk,
        "name": report.round.name,
        "survey": report.round.survey_id,
        "from": report.round.start.isoformat(),
        "to": report.round.end.isoformat(),
        "scale": list(report.scale) if report.scale else None,
        "rows": [asdict(row) for row in report.rows],
    }


@router.post(
    "/metrics/self-assessment/{round_id}/ratings",
    response={200: dict[str, Any], **ERRORS},
    summary="Record how I believe clients rate each area (replaces my earlier ratings)",
    **needs("metrics.rate_self_assessment"),
)
def rate(request: Any, round_id: RoundId, payload: RatingsIn) -> dict[str, Any]:
    assessment = _round(round_id)
    profile = getattr(request.user, "staff_profile", None)
    try:
        kept = self_assessment.rate(
            actor=request.user,
            assessment=assessment,
            scores=payload.model_dump(),
            team_id=getattr(profile, "unit_id", None),
        )
    except ValidationError as exc:
        raise RequestInvalid(error_items(exc, ("body", "payload"))) from None
    return {"saved": kept}
