"""Helpers of the motivation tests: a month in the past, records the KPI sources read, schemes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kliento.core import roles
from kliento.core.models import OrgUnit, StaffProfile
from kliento.desk.models import Case
from kliento.motivation.models import Period, Scheme
from kliento.motivation.services import schemes
from kliento.surveys.models import FollowUp, Response, Survey
from kliento.surveys.services import definitions
from tests.desk_support import new_case
from tests.factories import ClientFactory, UserFactory

# A whole month before "today" in every test run: the 15th of last month is inside it.
TODAY = timezone.localdate()
MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
MONTH_END = TODAY.replace(day=1) - dt.timedelta(days=1)


def at(day: int, hour: int = 12, month: dt.date = MONTH) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(month.replace(day=day), dt.time(hour)))


OUTSIDE = at(10, month=(MONTH - dt.timedelta(days=1)).replace(day=1))


def staff(username: str, role: str, unit: OrgUnit | None) -> Any:
    user = UserFactory(username=username, role=role, first_name=username.title())
    StaffProfile.objects.update_or_create(user=user, defaults={"unit": unit})
    return user


def org() -> dict[str, Any]:
    """A head of service over two teams, an agent in each, an administrator."""
    service = OrgUnit.objects.create(name="Service", kind=OrgUnit.Kind.DEPARTMENT)
    front = OrgUnit.objects.create(name="Front", kind=OrgUnit.Kind.TEAM, parent=service)
    other = OrgUnit.objects.create(name="Elsewhere", kind=OrgUnit.Kind.TEAM)
    return {
        "head": staff("head", roles.MANAGER, service),
        "agent": staff("anna", roles.AGENT, front),
        "peer": staff("piotr", roles.AGENT, front),
        "stranger_boss": staff("boss", roles.MANAGER, other),
        "admin": staff("root", roles.ADMINISTRATOR, None),
    }


def survey(kind: str) -> Survey:
    return definitions.create_survey(
        actor=None,
        spec=definitions.SurveySpec(
            name=f"{kind} survey",
            kind=kind,
            questions=[definitions.QuestionSpec(kind="scale", texts={"en": "Score?"})],
        ),
    )


def answer(
    kind_survey: Survey, score: int, when: dt.datetime, *, agent: Any = None, client: Any = None
) -> Response:
    return Response.objects.create(
        survey=kind_survey,
        score=score,
        channel="email",
        submitted_at=when,
        agent=agent,
        client=client or ClientFactory(),
    )


def follow_up(owner: Any, due: dt.datetime, closed: dt.datetime | None) -> FollowUp:
    return FollowUp.objects.create(
        response=answer(survey_cached("csat"), 2, due),
        owner=owner,
        reason=FollowUp.Reason.AGENT,
        due_at=due,
        created_at=due - dt.timedelta(days=2),
        closed_at=closed,
        status=FollowUp.Status.CLOSED if closed else FollowUp.Status.OPEN,
    )


_surveys: dict[str, Survey] = {}


def survey_cached(kind: str) -> Survey:
    found = Survey.objects.filter(kind=kind).first()
    return found or survey(kind)


def case(
    agent: Any, created: dt.datetime, due_minutes: int | None, answered_minutes: int | None
) -> Case:
    made = new_case()
    Case.objects.filter(pk=made.pk).update(
        assignee=agent,
        created_at=created,
        first_response_due_at=created + dt.timedelta(minutes=due_minutes)
        if due_minutes is not None
        else None,
        first_response_at=created + dt.timedelta(minutes=answered_minutes)
        if answered_minutes is not None
        else None,
    )
    return made


def scheme(by: Any, *, role: str = roles.AGENT, employee: Any = None, **fields: Any) -> Scheme:
    return schemes.create_scheme(
        actor=by,
        name=fields.pop("name", "Agents"),
        period=fields.pop("period", Period.MONTH),
        base_bonus=fields.pop("base_bonus", Decimal("1000.00")),
        currency=fields.pop("currency", "EUR"),
        role="" if employee is not None else role,
        employee_id=employee.pk if employee is not None else None,
        **fields,
    )
