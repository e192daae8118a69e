"""The data scale_out.py works on, and its invariants, read from the database afterwards."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
from dataclasses import dataclass, field
from typing import Any

API_PREFIX = "Scale-out API case "
ESCALATION_PREFIX = "Scale-out escalation case "

Check = tuple[str, str]


@dataclass
class Setup:
    started: dt.datetime
    token: str
    api_body: dict[str, Any] | None
    api_prefix: str = API_PREFIX
    api_sent: int = 0
    mail_count: int = 0
    escalation: str = ""  # the module found, or empty
    escalation_cases: list[int] = field(default_factory=list)
    start_level: int = 0
    levels: int = 0


def mail_command() -> list[str] | None:
    from bench_desk_smtp import mail_command as found

    return found()


def _escalation_module() -> str:
    for name in ("kliento.desk.escalation", "kliento.desk.sla.escalation"):
        try:
            if importlib.util.find_spec(name):
                return name
        except ModuleNotFoundError:
            continue
    return ""


def prepare(cases: int) -> Setup:
    from bench_desk_api import _schema_body
    from django.contrib.auth import get_user_model
    from django.test import Client as HttpClient
    from django.utils import timezone

    from kliento.clients.models import Client
    from kliento.core.tokens import issue_token
    from kliento.desk import services
    from kliento.policy import selectors as policy

    manager = get_user_model().objects.get(username="marta")
    _token, raw = issue_token(actor=None, user=manager, name="scale-out check")
    client_ids = list(Client.objects.order_by("pk").values_list("pk", flat=True)[:50])
    http = HttpClient(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = http.get("/api/v1/openapi.json")
    spec = response.json() if response.status_code == 200 else {}
    setup = Setup(started=timezone.now(), token=raw, api_body=_schema_body(client_ids[0], 0, spec))
    setup.mail_count = cases
    setup.escalation = _escalation_module()
    # Cases opened on a procedure with an escalation list, nobody on them, long enough ago for
    # every level to be due: the schedulers and workers escalate them during the run.
    procedures = [
        p
        for p in policy.procedures_for()
        if (found := policy.escalation_list(p.id)) and found.levels
    ]
    if not procedures:
        return setup
    procedure = procedures[0]
    steps = policy.escalation_list(procedure.id).levels  # type: ignore[union-attr]
    setup.levels = len(steps)
    # A case starts at the levels due at once (after 0 minutes); no step is recorded for them.
    setup.start_level = max((s.level for s in steps if s.after_minutes <= 0), default=0)
    # Opened long enough ago for every level to be due now.
    last = max(s.after_minutes for s in steps)
    opened = timezone.now() - dt.timedelta(minutes=last + 60)
    for n in range(cases):
        case = services.open_case(
            actor=None,
            draft=services.CaseDraft(
                subject=f"{ESCALATION_PREFIX}{n}",
                client=Client(pk=client_ids[n % len(client_ids)]),
                channel="email",
                procedure_id=procedure.id,
            ),
            message=services.MessageDraft(
                direction="in", body_text=f"Still waiting {n}.", created_at=opened
            ),
        )
        setup.escalation_cases.append(case.pk)
    return setup


def verify(setup: Setup) -> list[Check]:
    from django.db import connection

    connection.close()  # the processes may have outlived this connection's server session
    return [
        *_periodic_jobs(setup),
        *_tasks_once(setup),
        *_escalations(setup),
        *_mail(setup),
        *_api(setup),
    ]


def _periodic_jobs(setup: Setup) -> list[Check]:
    from django_tasks_db.models import DBTaskResult

    from kliento.core.schedule import periodic_jobs

    checks: list[Check] = []
    for job in periodic_jobs:
        path = job.task.module_path
        times = sorted(
            DBTaskResult.objects.filter(task_path=path, enqueued_at__gte=setup.started).values_list(
                "enqueued_at", flat=True
            )
        )
        gaps = [b - a for a, b in itertools.pairwise(times)]
        # One claim per period: two runs closer than the period (less a second of clock
        # granularity) mean both schedulers enqueued it.
        too_close = [g for g in gaps if g < job.every - dt.timedelta(seconds=1)]
        if too_close:
            checks.append(
                (
                    "FAIL",
                    f"periodic job {job.key}: enqueued twice within a period ({len(too_close)}x)",
                )
            )
    runs = DBTaskResult.objects.filter(enqueued_at__gte=setup.started).count()
    if not checks:
        checks.append(
            (
                "ok",
                f"periodic jobs: each enqueued at most once per period ({len(periodic_jobs)} jobs, "
                f"{runs} task runs)",
            )
        )
    return checks


def _tasks_once(setup: Setup) -> list[Check]:
    from django_tasks_db.models import DBTaskResult

    results = DBTaskResult.objects.filter(enqueued_at__gte=setup.started)
    twice = [r.pk for r in results.only("worker_ids") if len(r.worker_ids or []) > 1]
    failed = results.filter(status="FAILED").count()
    checks: list[Check] = [
        ("FAIL" if twice else "ok", f"tasks: {len(twice)} of {results.count()} ran on two workers")
    ]
    if failed:
        checks.append(("WARN", f"tasks: {failed} failed (see the workers' logs)"))
    return checks


def _escalations(setup: Setup) -> list[Check]:
    from django.db.models import Count

    from kliento.desk.models import Case, CaseEvent

    if not setup.escalation:
        return [("SKIPPED", "escalation: no escalation module in kliento.desk (not merged)")]
    if not setup.escalation_cases:
        return [("SKIPPED", "escalation: no policy procedure with an escalation list in the demo")]
    events = CaseEvent.objects.filter(
        kind=CaseEvent.Kind.ESCALATED, case_id__in=setup.escalation_cases
    )
    # The same step twice: two history lines of one case with the same data (level, target).
    doubled = events.values("case_id", "data").annotate(n=Count("pk")).filter(n__gt=1).count()
    beyond = Case.objects.filter(
        pk__in=setup.escalation_cases, escalation_level__gt=setup.levels
    ).count()
    per_case = dict(
        events.values_list("case_id").annotate(n=Count("pk")).values_list("case_id", "n")
    )
    mismatched = sum(
        1
        for pk, level in Case.objects.filter(pk__in=setup.escalation_cases).values_list(
            "pk", "escalation_level"
        )
        if per_case.get(pk, 0) != level - setup.start_level
    )
    checks: list[Check] = [
        (
            "FAIL" if doubled else "ok",
            f"escalation: {doubled} steps recorded twice, {events.count()} steps on "
            f"{len(setup.escalation_cases)} cases",
        ),
        (
            "FAIL" if beyond else "ok",
            f"escalation: {beyond} cases past the list's {setup.levels} levels",
        ),
        (
            "FAIL" if mismatched else "ok",
            f"escalation: {mismatched} cases whose level differs from their escalation history",
        ),
    ]
    if not events.exists():
        checks.append(
            ("WARN", "escalation: nothing escalated during the run (are the levels due within it?)")
        )
    return checks


def _mail(setup: Setup) -> list[Check]:
    from django.db.models import Count

    from kliento.desk.models import Message

    if not mail_command():
        return []  # said when driving
    ids = [f"<scale-out-{n}@scale.example>" for n in range(setup.mail_count)]
    ids += [i.strip("<>") for i in ids]
    stored = Message.objects.filter(external_id__in=ids)
    per_id = dict(
        stored.values_list("external_id").annotate(n=Count("pk")).values_list("external_id", "n")
    )
    twice = sum(1 for n in per_id.values() if n > 1)
    missing = setup.mail_count - len(per_id)
    return [
        (
            "FAIL" if twice else "ok",
            f"mail: {twice} of {setup.mail_count} messages stored twice (each was sent to both "
            f"servers)",
        ),
        ("FAIL" if missing else "ok", f"mail: {missing} messages not stored"),
    ]


def _api(setup: Setup) -> list[Check]:
    from django.db.models import Count

    from kliento.desk.models import Case

    if not setup.api_body:
        return []
    made = Case.objects.filter(subject__startswith=API_PREFIX)
    doubled = made.values("subject").annotate(n=Count("pk")).filter(n__gt=1).count()
    return [
        ("FAIL" if doubled else "ok", f"API: {doubled} requests made two cases"),
        (
            "FAIL" if made.count() != setup.api_sent else "ok",
            f"API: {made.count()} cases for {setup.api_sent} accepted requests",
        ),
    ]
