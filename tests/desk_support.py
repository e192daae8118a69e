"""Shared helpers of the service desk tests: teams, agents in them, cases."""

from __future__ import annotations

from kliento.core import roles
from kliento.core.channels import Channel
from kliento.core.models import OrgUnit, StaffProfile
from kliento.desk import services
from kliento.desk.models import Case, Message
from tests.factories import ClientFactory, UserFactory


def team(name: str = "Support") -> OrgUnit:
    return OrgUnit.objects.create(name=name, kind=OrgUnit.Kind.TEAM)


def member(team_unit: OrgUnit | None, username: str, role: str = roles.AGENT):
    user = UserFactory(username=username, role=role)
    StaffProfile.objects.update_or_create(user=user, defaults={"unit": team_unit})
    return user


def new_case(
    *,
    actor=None,
    client=None,
    subject: str = "Where is my order?",
    channel: str = Channel.EMAIL,
    body: str = "Hello, my order has not arrived.",
    **fields,
) -> Case:
    return services.open_case(
        actor=actor,
        draft=services.CaseDraft(
            subject=subject, client=client or ClientFactory(), channel=channel, **fields
        ),
        message=services.MessageDraft(direction=Message.Direction.INBOUND, body_text=body)
        if body
        else None,
    )
