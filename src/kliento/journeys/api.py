"""The journeys API: journeys and their stages, moves of clients, rules, board figures and
baselines. Mounted at /api/v1 (see docs/api.md)."""

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import AuthorizationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from kliento.clients import selectors as clients
from kliento.core.api_auth import needs
from kliento.core.api_types import MAX_ID, Id
from kliento.journeys import rules, services, stats
from kliento.journeys.models import Baseline, Journey, MoveRule, Stage, StageMove

router = Router(tags=["journeys"])

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
VIEW = rules.VIEW
MANAGE = rules.MANAGE


class Message(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 422: Any}


class StageOut(Schema):
    id: int
    journey_id: int
    position: int
    name: str
    goal: str
    rules: str = Field(description="Markdown.")
    target_days: int | None
    entry_criteria: str
    exit_criteria: str
    is_exit: bool
    owner_id: int


class JourneyOut(Schema):
    id: int
    name: str
    description: str
    is_active: bool
    stages: list[StageOut]

    @staticmethod
    def resolve_stages(obj: Journey) -> list[Stage]:
        return list(obj.stages.order_by("position"))


class StageFields(Schema):
    name: str = Field(max_length=120)
    goal: str = Field("", max_length=2_000)
    rules: str = Field("", max_length=20_000, description="Markdown.")
    target_days: int | None = Field(None, ge=1, le=3650)
    entry_criteria: str = Field("", max_length=2_000)
    exit_criteria: str = Field("", max_length=2_000)
    is_exit: bool = False


class StageIn(StageFields):
    owner_id: Id | None = Field(None, description="The stage's one owner (required).")
    owner_ids: list[Id] | None = Field(
        None, description="Refused unless it names exactly one person (use owner_id)."
    )


class StagePatch(Schema):
    name: str | None = Field(None, max_length=120)
    goal: str | None = Field(None, max_length=2_000)
    rules: str | None = Field(None, max_length=20_000)
    target_days: int | None = Field(None, ge=1, le=3650)
    entry_criteria: str | None = Field(None, max_length=2_000)
    exit_criteria: str | None = Field(None, max_length=2_000)
    owner_id: Id | None = None
    owner_ids: list[Id] | None = None


class JourneyIn(Schema):
    name: str = Field(max_length=120)
    description: str = Field("", max_length=5_000)
    stages: list[StageIn] = Field(description="In order; at least one off the exit path.")


class MoveIn(Schema):
    to_stage_id: Id
    journey_id: Id | None = Field(None, description="If given, the stage must be of it.")
    force: bool = Field(False, description="Allow a move off the journey's order.")
    reason: str = Field("", max_length=500, description="Required with force.")


class MoveOut(Schema):
    id: int
    client_id: int
    journey_id: int
    from_stage_id: int | None
    to_stage_id: int
    moved_at: dt.datetime
    actor_id: int | None
    rule_id: int | None
    reason: str
    forced: bool


class RuleIn(Schema):
    name: str = Field(max_length=120)
    condition: str = Field(description="purchases, inactive or left.")
    threshold: int = Field(1, ge=0, le=100_000)
    from_stage_ids: list[Id] = Field(default_factory=list)
    include_unplaced: bool = False
    to_stage_id: Id
    position: int = Field(1, ge=1, le=1000)
    is_active: bool = True


class RuleOut(Schema):
    id: int
    journey_id: int
    name: str
    condition: str
    threshold: int
    from_stage_ids: list[int]
    include_unplaced: bool
    to_stage_id: int
    position: int
    is_active: bool

    @staticmethod
    def resolve_from_stage_ids(obj: MoveRule) -> list[int]:
        return sorted(obj.from_stages.values_list("pk", flat=True))


class StageStatsOut(Schema):
    stage_id: int
    name: str
    count: int
    average_days: float | None
    median_days: float | None
    target_days: int | None
    over_target: int
    over_target_share: float | None


class ConversionOut(Schema):
    from_stage_id: int
    to_stage_id: int
    entered: int
    moved_on: int
    rate: float | None


class StatsOut(Schema):
    stages: list[StageStatsOut]
    conversion: list[ConversionOut]
    period_start: dt.datetime
    period_end: dt.datetime


class StatsQuery(Schema):
    days: int = Field(90, ge=1, le=3650, description="Conversion over the last N days.")


class BaselineIn(Schema):
    name: str = Field(max_length=120)


class BaselineOut(Schema):
    id: int
    journey_id: int
    name: str
    taken_at: dt.datetime
    total: int
    average_lifetime_days: float | None
    figures: dict[str, Any]


class ComparedOut(Schema):
    name: str
    then_count: int
    now_count: int
    then_share: float | None
    now_share: float | None
    then_days: float | None
    now_days: float | None
    change: int


class ComparisonOut(Schema):
    baseline: BaselineOut
    then_total: int
    now_total: int
    then_lifetime: float | None
    now_lifetime: float | None
    stages: list[ComparedOut]


def _owner(payload: StageIn | StagePatch) -> Any:
    if payload.owner_ids is not None:
        if payload.owner_id is not None:
            return [payload.owner_id, *payload.owner_ids]
        return list(payload.owner_ids)
    return payload.owner_id


def _denied(exc: PermissionDenied) -> AuthorizationError:
    return AuthorizationError(message=str(exc) or "Permission denied.")


@router.get(
    "/journeys",
    response={200: list[JourneyOut], **ERRORS},
    summary="Journeys with their stages",
    **needs(VIEW),
)
def list_journeys(request: Any) -> Any:
    return Journey.objects.prefetch_related("stages").order_by("name")


@router.post(
    "/journeys",
    response={201: JourneyOut, **ERRORS},
    summary="Create a journey with its stages (managers)",
    **needs(VIEW, MANAGE),
)
def create_journey(request: Any, payload: JourneyIn) -> Status[Journey]:
    specs = [
        services.StageSpec(owner=_owner(s), **s.dict(exclude={"owner_id", "owner_ids"}))
        for s in payload.stages
    ]
    journey = services.create_journey(
        actor=request.user, name=payload.name, description=payload.description, stages=specs
    )
    return Status(201, journey)


@router.get(
    "/journeys/{journey_id}",
    response={200: JourneyOut, **ERRORS},
    summary="One journey with its stages",
    **needs(VIEW),
)
def get_journey(request: Any, journey_id: PathId) -> Journey:
    return get_object_or_404(Journey, pk=journey_id)


@router.post(
    "/journeys/{journey_id}/stages",
    response={201: StageOut, **ERRORS},
    summary="Add a stage at the end of the journey (managers); exactly one owner",
    **needs(VIEW, MANAGE),
)
def add_stage(request: Any, journey_id: PathId, payload: StageIn) -> Status[Stage]:
    journey = get_object_or_404(Journey, pk=journey_id)
    stage = services.save_stage(
        actor=request.user,
        journey=journey,
        owner=_owner(payload),
        **payload.dict(exclude={"owner_id", "owner_ids"}),
    )
    return Status(201, stage)


@router.patch(
    "/stages/{stage_id}",
    response={200: StageOut, **ERRORS},
    summary="Change a stage (managers); a new owner is notified",
    **needs(VIEW, MANAGE),
)
def change_stage(request: Any, stage_id: PathId, payload: StagePatch) -> Stage:
    stage = get_object_or_404(Stage.objects.select_related("journey"), pk=stage_id)
    fields = payload.dict(exclude_unset=True, exclude={"owner_id", "owner_ids"})
    given = payload.model_fields_set & {"owner_id", "owner_ids"}
    owner = _owner(payload) if given else stage.owner
    return services.save_stage(
        actor=request.user, journey=stage.journey, stage=stage, owner=owner, **fields
    )


@router.get(
    "/journeys/{journey_id}/stats",
    response={200: StatsOut, **ERRORS},
    summary="Board figures per stage and conversion between consecutive stages",
    **needs(VIEW),
)
def journey_stats(request: Any, journey_id: PathId, query: Query[StatsQuery]) -> dict[str, Any]:
    journey = get_object_or_404(Journey, pk=journey_id)
    now = timezone.now()
    start = now - dt.timedelta(days=query.days)
    return {
        "stages": [
            {
                "stage_id": f.stage.pk,
                "name": f.stage.name,
                "count": f.count,
                "average_days": f.average_days,
                "median_days": f.median_days,
                "target_days": f.stage.target_days,
                "over_target": f.over_target,
                "over_target_share": f.over_target_share,
            }
            for f in stats.stage_figures(journey, now=now)
        ],
        "conversion": [
            {
                "from_stage_id": c.from_stage.pk,
                "to_stage_id": c.to_stage.pk,
                "entered": c.entered,
                "moved_on": c.moved_on,
                "rate": c.rate,
            }
            for c in stats.conversion(journey, start=start, end=now)
        ],
        "period_start": start,
        "period_end": now,
    }


@router.get(
    "/clients/{client_id}/journey-moves",
    response={200: list[MoveOut], **ERRORS},
    summary="A client's moves on the journeys, newest first",
    **needs("clients.view_client", VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def list_moves(request: Any, client_id: PathId) -> Any:
    if client_id not in clients.client_labels([client_id]):
        raise Http404
    return StageMove.objects.filter(client_id=client_id).order_by("-moved_at", "-id")


@router.post(
    "/clients/{client_id}/journey-moves",
    response={201: MoveOut, **ERRORS},
    summary="Move a client to a stage (the next one or an exit stage, else force with a reason)",
    **needs("clients.view_client", VIEW, rules.MOVE),
)
def move_client(request: Any, client_id: PathId, payload: MoveIn) -> Status[StageMove]:
    try:
        move = services.move_client(
            actor=request.user,
            client_id=client_id,
            to_stage=payload.to_stage_id,
            journey=payload.journey_id,
            force=payload.force,
            reason=payload.reason,
        )
    except PermissionDenied as exc:
        raise _denied(exc) from None
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "to_stage" in exc.error_dict:
            exc.error_dict["to_stage_id"] = exc.error_dict.pop("to_stage")
        raise exc from None
    return Status(201, move)


@router.get(
    "/journeys/{journey_id}/rules",
    response={200: list[RuleOut], **ERRORS},
    summary="The journey's move rules, in order",
    **needs(VIEW),
)
def list_rules(request: Any, journey_id: PathId) -> Any:
    get_object_or_404(Journey, pk=journey_id)
    return MoveRule.objects.filter(journey_id=journey_id).prefetch_related("from_stages")


@router.post(
    "/journeys/{journey_id}/rules",
    response={201: RuleOut, **ERRORS},
    summary="Add a move rule (managers)",
    **needs(VIEW, MANAGE),
)
def add_rule(request: Any, journey_id: PathId, payload: RuleIn) -> Status[MoveRule]:
    journey = get_object_or_404(Journey, pk=journey_id)
    data = payload.dict()
    try:
        rule = services.save_rule(
            actor=request.user,
            journey=journey,
            from_stages=data.pop("from_stage_ids"),
            to_stage=data.pop("to_stage_id"),
            **data,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            renamed = {"from_stages": "from_stage_ids", "to_stage": "to_stage_id"}
            exc.error_dict = {renamed.get(k, k): v for k, v in exc.error_dict.items()}
        raise exc from None
    return Status(201, rule)


@router.get(
    "/journeys/{journey_id}/baselines",
    response={200: list[BaselineOut], **ERRORS},
    summary="The journey's saved baselines, newest first",
    **needs(VIEW),
)
def list_baselines(request: Any, journey_id: PathId) -> Any:
    get_object_or_404(Journey, pk=journey_id)
    return Baseline.objects.filter(journey_id=journey_id)


@router.post(
    "/journeys/{journey_id}/baselines",
    response={201: BaselineOut, **ERRORS},
    summary="Freeze the present distribution under a name (managers)",
    **needs(VIEW, MANAGE),
)
def take_baseline(request: Any, journey_id: PathId, payload: BaselineIn) -> Status[Baseline]:
    journey = get_object_or_404(Journey, pk=journey_id)
    return Status(
        201, services.take_baseline(actor=request.user, journey=journey, name=payload.name)
    )


@router.get(
    "/baselines/{baseline_id}/comparison",
    response={200: ComparisonOut, **ERRORS},
    summary="The present next to a saved baseline, stage by stage",
    **needs(VIEW),
)
def compare_baseline(request: Any, baseline_id: PathId) -> Any:
    baseline = get_object_or_404(Baseline.objects.select_related("journey"), pk=baseline_id)
    return stats.compare(baseline)
