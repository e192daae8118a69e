"""The motivation API: KPI sources and values, schemes with their KPIs and rules, statements
(read for those entitled, drafted, reviewed, approved and adjusted by the employee's manager),
the recognition feed, thanks and reactions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import StrictStr

from kliento.core.api_auth import needs
from kliento.core.api_types import MAX_ID, Id, QueryId
from kliento.motivation import access, periods, selectors
from kliento.motivation.models import Kpi, Rule, Scheme, Statement
from kliento.motivation.registry import kpi_sources
from kliento.motivation.services import recognition, schemes, statements

router = Router(tags=["motivation"])
VIEW = "motivation.view_statement"
StatementId = Annotated[int, Path(ge=1, le=MAX_ID, description="Statement id.")]
SchemeId = Annotated[int, Path(ge=1, le=MAX_ID, description="Scheme id.")]
Money = Annotated[Decimal, Field(ge=0, le=Decimal("999999999999.99"), decimal_places=2)]
Signed = Annotated[
    Decimal, Field(ge=Decimal("-999999999999.99"), le=Decimal("999999999999.99"), decimal_places=2)
]
Figure = Annotated[Decimal, Field(ge=-1_000_000, le=1_000_000, decimal_places=2)]


class Message(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 422: Any}


class SourceOut(Schema):
    key: str
    label: str
    unit: str
    direction: str


class KpiValueOut(Schema):
    kpi_id: int
    source: str
    label: str
    unit: str
    value: Decimal | None
    n: int
    link: str
    target: Decimal
    threshold: Decimal
    weight: int
    attainment: Decimal | None


class KpisOut(Schema):
    employee_id: int
    scheme: str | None
    kpis: list[KpiValueOut]


class KpiIn(Schema):
    source: StrictStr = Field(max_length=40)
    target: Figure
    threshold: Figure
    weight: int = Field(1, ge=1, le=100)


class KpiOut(Schema):
    id: int
    source: str
    target: Decimal
    threshold: Decimal
    weight: int


class BonusRuleIn(Schema):
    name: StrictStr = Field(max_length=200)
    kind: StrictStr = Field(description="percent, amount or per_breach.", max_length=12)
    kpi_id: Id | None = None
    comparison: StrictStr = Field("", description="gte or lte.", max_length=3)
    value: Figure | None = None
    percent: Annotated[Decimal, Field(ge=-100, le=100, decimal_places=2)] | None = None
    amount: Signed | None = None
    cap: Money | None = None


class BonusRuleOut(Schema):
    id: int
    name: str
    kind: str
    kpi_id: int | None
    comparison: str
    value: Decimal | None
    percent: Decimal | None
    amount: Decimal | None
    cap: Decimal | None


class SchemeIn(Schema):
    name: StrictStr = Field(max_length=200)
    period: StrictStr = Field(description="month or quarter.", max_length=10)
    base_bonus: Money
    currency: StrictStr = Field(max_length=3)
    role: StrictStr = Field("", max_length=30)
    employee_id: Id | None = None
    max_bonus: Money | None = None
    max_penalty: Money | None = None


class SchemeOut(Schema):
    id: int
    name: str
    role: str
    employee_id: int | None
    period: str
    base_bonus: Decimal
    currency: str
    max_bonus: Decimal | None
    max_penalty: Decimal | None
    kpis: list[KpiOut]
    rules: list[BonusRuleOut]


class LineOut(Schema):
    kind: str
    label: str
    source: str
    value: Decimal | None
    unit: str
    n: int | None
    target: Decimal | None
    threshold: Decimal | None
    weight: int | None
    rule_text: str
    amount: Decimal
    records: list[dict[str, Any]]
    reason: str


class StatementOut(Schema):
    id: int
    employee_id: int
    scheme_name: str
    period_start: dt.date
    period_end: dt.date
    status: str
    base_bonus: Decimal
    currency: str
    total: Decimal
    kpi_index: Decimal | None
    approved_at: dt.datetime | None


class StatementDetail(StatementOut):
    lines: list[LineOut]


class GenerateIn(Schema):
    employee_id: Id
    period: StrictStr = Field(description="The month, YYYY-MM.", examples=["2026-03"], max_length=7)


class AdjustIn(Schema):
    amount: Signed
    reason: StrictStr = Field(max_length=2_000)


class ThanksIn(Schema):
    recipient_id: Id
    message: StrictStr = Field(max_length=500)


class ReactionIn(Schema):
    item_kind: StrictStr = Field(description="praise, exemplary or thanks.", max_length=10)
    item_id: Id
    emoji: StrictStr = Field(description="applause, heart or star.", max_length=10)


class ReactionOut(Schema):
    on: bool


class FeedItemOut(Schema):
    kind: str
    id: int
    when: dt.datetime
    employee_id: int | None
    employee: str
    title: str
    text: str
    by: str
    reactions: dict[str, int]
    mine: list[str]


def _scheme_out(scheme: Scheme) -> dict[str, Any]:
    return {
        **{f: getattr(scheme, f) for f in ("id", "name", "role", "employee_id", "period")},
        **{f: getattr(scheme, f) for f in ("base_bonus", "currency", "max_bonus", "max_penalty")},
        "kpis": list(scheme.kpis.all()),
        "rules": list(scheme.rules.all()),
    }


def _statement(request: Any, statement_id: int) -> Statement:
    found = selectors.statement_for(request.user, statement_id)
    if found is None:
        raise Http404
    return found


STATEMENT_FIELDS = tuple(StatementOut.model_fields)
LINE_FIELDS = tuple(LineOut.model_fields)


def _detail_out(statement: Statement) -> dict[str, Any]:
    statement.refresh_from_db()
    out = {f: getattr(statement, f) for f in STATEMENT_FIELDS}
    out["lines"] = [{f: getattr(line, f) for f in LINE_FIELDS} for line in statement.lines.all()]
    return out


@router.get(
    "/motivation/kpi-sources",
    response={200: list[SourceOut], **ERRORS},
    summary="KPI sources",
    **needs(VIEW),
)
def list_sources(request: Any) -> list[dict[str, Any]]:
    return [
        {"key": s.key, "label": str(s.label), "unit": s.unit, "direction": s.direction}
        for s in kpi_sources
    ]


@router.get(
    "/motivation/kpis",
    response={200: KpisOut, **ERRORS},
    summary="An employee's KPIs in the period containing a day (default: own, today)",
    **needs(VIEW),
)
def kpis(
    request: Any,
    employee_id: Annotated[QueryId | None, Query()] = None,
    day: Annotated[dt.date | None, Query()] = None,
) -> dict[str, Any]:
    who = employee_id or request.user.pk
    if not access.may_see_employee(request.user, who):
        raise Http404
    employee = get_user_model().objects.filter(pk=who).first()
    if employee is None:
        raise Http404
    scheme, rows = selectors.kpis_now(employee, day or timezone.localdate())
    return {
        "employee_id": who,
        "scheme": scheme.name if scheme else None,
        "kpis": [
            {
                "kpi_id": r.kpi.pk,
                "source": r.source.key,
                "label": str(r.source.label),
                "unit": r.source.unit,
                "value": r.value.value,
                "n": r.value.n,
                "link": r.value.link,
                "target": r.kpi.target,
                "threshold": r.kpi.threshold,
                "weight": r.kpi.weight,
                "attainment": r.attainment,
            }
            for r in rows
        ],
    }


@router.get(
    "/motivation/schemes",
    response={200: list[SchemeOut], **ERRORS},
    summary="Schemes with their KPIs and rules",
    **needs(VIEW),
)
def list_schemes(request: Any) -> list[dict[str, Any]]:
    found = Scheme.objects.prefetch_related("kpis", "rules")
    return [_scheme_out(s) for s in found]


@router.post(
    "/motivation/schemes",
    response={201: SchemeOut, **ERRORS},
    summary="Define a scheme",
    **needs(VIEW, access.MANAGE),
)
def create_scheme(request: Any, payload: SchemeIn) -> Status[dict[str, Any]]:
    scheme = schemes.create_scheme(actor=request.user, **payload.dict())
    return Status(201, _scheme_out(scheme))


def _scheme(scheme_id: int) -> Scheme:
    found = Scheme.objects.filter(pk=scheme_id).first()
    if found is None:
        raise Http404
    return found


class SchemeUpdateIn(SchemeIn):
    is_active: bool = True


KpiId = Annotated[int, Path(ge=1, le=MAX_ID, description="KPI id.")]
BonusRuleId = Annotated[int, Path(ge=1, le=MAX_ID, description="Bonus or penalty rule id.")]


@router.put(
    "/motivation/schemes/{scheme_id}",
    response={200: SchemeOut, **ERRORS},
    summary="Change a scheme (approved statements keep their figures)",
    **needs(VIEW, access.MANAGE),
)
def update_scheme(request: Any, scheme_id: SchemeId, payload: SchemeUpdateIn) -> dict[str, Any]:
    found = schemes.update_scheme(actor=request.user, scheme=_scheme(scheme_id), **payload.dict())
    return _scheme_out(found)


def _kpi(kpi_id: int) -> Kpi:
    found = Kpi.objects.filter(pk=kpi_id).first()
    if found is None:
        raise Http404
    return found


def _rule(rule_id: int) -> Rule:
    found = Rule.objects.filter(pk=rule_id).first()
    if found is None:
        raise Http404
    return found


@router.put(
    "/motivation/kpis/{kpi_id}",
    response={200: KpiOut, **ERRORS},
    summary="Change a KPI of a scheme",
    **needs(VIEW, access.MANAGE),
)
def update_kpi(request: Any, kpi_id: KpiId, payload: KpiIn) -> Kpi:
    return schemes.update_kpi(actor=request.user, kpi=_kpi(kpi_id), **payload.dict())


@router.delete(
    "/motivation/kpis/{kpi_id}",
    response={204: None, **ERRORS},
    summary="Remove a KPI and the rules that read it",
    **needs(VIEW, access.MANAGE),
)
def remove_kpi(request: Any, kpi_id: KpiId) -> Status[None]:
    schemes.remove_kpi(actor=request.user, kpi=_kpi(kpi_id))
    return Status(204, None)


@router.put(
    "/motivation/rules/{bonus_rule_id}",
    response={200: BonusRuleOut, **ERRORS},
    summary="Change a bonus or penalty rule",
    **needs(VIEW, access.MANAGE),
)
def update_rule(request: Any, bonus_rule_id: BonusRuleId, payload: BonusRuleIn) -> Rule:
    return schemes.update_rule(actor=request.user, rule=_rule(bonus_rule_id), **payload.dict())


@router.delete(
    "/motivation/rules/{bonus_rule_id}",
    response={204: None, **ERRORS},
    summary="Remove a bonus or penalty rule",
    **needs(VIEW, access.MANAGE),
)
def remove_rule(request: Any, bonus_rule_id: BonusRuleId) -> Status[None]:
    schemes.remove_rule(actor=request.user, rule=_rule(bonus_rule_id))
    return Status(204, None)


@router.post(
    "/motivation/schemes/{scheme_id}/kpis",
    response={201: KpiOut, **ERRORS},
    summary="Add a KPI to a scheme",
    **needs(VIEW, access.MANAGE),
)
def add_kpi(request: Any, scheme_id: SchemeId, payload: KpiIn) -> Status[Any]:
    return Status(
        201, schemes.add_kpi(actor=request.user, scheme=_scheme(scheme_id), **payload.dict())
    )


@router.post(
    "/motivation/schemes/{scheme_id}/rules",
    response={201: BonusRuleOut, **ERRORS},
    summary="Add a bonus or penalty rule",
    **needs(VIEW, access.MANAGE),
)
def add_rule(request: Any, scheme_id: SchemeId, payload: BonusRuleIn) -> Status[Any]:
    return Status(
        201, schemes.add_rule(actor=request.user, scheme=_scheme(scheme_id), **payload.dict())
    )


@router.get(
    "/motivation/statements",
    response={200: list[StatementOut], **ERRORS},
    summary="Statements the caller may see",
    **needs(VIEW),
)
def list_statements(request: Any, employee_id: Annotated[QueryId | None, Query()] = None) -> Any:
    found = selectors.visible_statements(request.user)
    if employee_id is not None:
        found = found.filter(employee_id=employee_id)
    return list(found[:500])


@router.get(
    "/motivation/statements/{statement_id}",
    response={200: StatementDetail, **ERRORS},
    summary="A statement with its lines",
    **needs(VIEW),
)
def get_statement(request: Any, statement_id: StatementId) -> dict[str, Any]:
    return _detail_out(_statement(request, statement_id))


@router.post(
    "/motivation/statements",
    response={201: StatementDetail, **ERRORS},
    summary="Draft (or redraft) an employee's statement of a month",
    **needs(VIEW, access.REVIEW),
)
def generate(request: Any, payload: GenerateIn) -> Status[dict[str, Any]]:
    if not access.may_review(request.user, payload.employee_id):
        raise ValidationError({"employee_id": [_("You may draft statements of your team only.")]})
    day = periods.parse_month(payload.period)
    found = statements.generate(actor=request.user, employee_id=payload.employee_id, day=day)
    return Status(201, _detail_out(found))


@router.post(
    "/motivation/statements/{statement_id}/review",
    response={200: StatementDetail, **ERRORS},
    summary="Mark a draft as reviewed",
    **needs(VIEW, access.REVIEW),
)
def review(request: Any, statement_id: StatementId) -> dict[str, Any]:
    return _detail_out(
        statements.review(actor=request.user, statement=_statement(request, statement_id))
    )


@router.post(
    "/motivation/statements/{statement_id}/approve",
    response={200: StatementDetail, **ERRORS},
    summary="Approve (freeze) a reviewed statement",
    **needs(VIEW, access.REVIEW),
)
def approve(request: Any, statement_id: StatementId) -> dict[str, Any]:
    return _detail_out(
        statements.approve(actor=request.user, statement=_statement(request, statement_id))
    )


@router.post(
    "/motivation/statements/{statement_id}/adjustments",
    response={201: StatementDetail, **ERRORS},
    summary="Adjust an approved statement (a new line with a reason)",
    **needs(VIEW, access.REVIEW),
)
def adjust(request: Any, statement_id: StatementId, payload: AdjustIn) -> Status[dict[str, Any]]:
    found = _statement(request, statement_id)
    statements.adjust(
        actor=request.user, statement=found, amount=payload.amount, reason=payload.reason
    )
    return Status(201, _detail_out(found))


@router.get(
    "/motivation/recognition",
    response={200: list[FeedItemOut], **ERRORS},
    summary="The recognition feed (or one employee's)",
    **needs(VIEW),
)
def feed(
    request: Any, employee_id: Annotated[QueryId | None, Query()] = None
) -> list[dict[str, Any]]:
    items = (
        selectors.recognition_for(employee_id, request.user)
        if employee_id is not None
        else selectors.recognition_feed(request.user)
    )
    return [{**item.__dict__, "mine": sorted(item.mine)} for item in items]


@router.post(
    "/motivation/thanks",
    response={201: FeedItemOut, **ERRORS},
    summary="Thank a colleague",
    **needs(VIEW, access.THANK),
)
def thank(request: Any, payload: ThanksIn) -> Status[dict[str, Any]]:
    made = recognition.thank(
        actor=request.user, recipient_id=payload.recipient_id, message=payload.message
    )
    item = next(
        i
        for i in selectors.recognition_for(made.recipient_id, request.user)
        if i.kind == "thanks" and i.id == made.pk
    )
    return Status(201, {**item.__dict__, "mine": sorted(item.mine)})


@router.post(
    "/motivation/reactions",
    response={200: ReactionOut, **ERRORS},
    summary="Toggle a reaction on a feed item",
    **needs(VIEW, access.THANK),
)
def react(request: Any, payload: ReactionIn) -> dict[str, bool]:
    return {"on": recognition.toggle_reaction(actor=request.user, **payload.dict())}
