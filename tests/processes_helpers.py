"""Process definitions and runs for tests, made through the services where behaviour matters."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from kliento.core import roles
from kliento.processes import services
from kliento.processes.models import ProcessDefinition, ProcessRun, RunStep
from kliento.processes.rules import StepSpec


def spec(title: str, role: str = roles.AGENT, days: int = 2, control: bool = False) -> StepSpec:
    return StepSpec(
        title=title,
        result=f"{title} result",
        role=role,
        duration_days=days,
        control_point=control,
        review_days=1,
    )


def make_definition(
    *, name: str = "Onboarding", steps: list[StepSpec] | None = None, actor: Any = None
) -> ProcessDefinition:
    return services.create_definition(
        actor=actor,
        name=name,
        description="",
        steps=steps
        or [
            spec("Meeting"),
            spec("Contract", role=roles.STAGE_OWNER, control=True),
            spec("Kick-off"),
        ],
    )


def walk_step(*, client: Any, user: Any) -> RunStep:
    own = [r for r in roles.roles_of(user) if r in roles.ROLE_LABELS]
    definition = make_definition(
        name=f"Walk run {user.pk}", steps=[spec("Walk step", role=own[0] if own else roles.AGENT)]
    )
    assert definition.current is not None
    run = ProcessRun.objects.create(version=definition.current, client=client, owner=user)
    template = definition.current.steps.get()
    now = timezone.now()
    step = RunStep(
        run=run,
        template=template,
        position=1,
        state=RunStep.State.OPEN,
        opened_at=now,
        due_at=now + timezone.timedelta(days=1),
        attachment_name="walk.pdf",
    )
    step.attachment.save("walk.pdf", ContentFile(b"%PDF-1.4"), save=False)
    step.save()
    return step
