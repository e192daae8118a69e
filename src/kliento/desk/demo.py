"""The service desk's demo (`kliento demo`): the dance school's clients writing in over the last
five weeks through every channel, in their own language, and the staff answering them.

Cases are made through the services, as real use makes them (history lines, the clients'
timelines, the hooks of every desk part: SLA clock, escalation, webhooks), with the messages
backdated through `MessageDraft.created_at`. Statuses cover the board: new ones nobody has
answered (the SLA clock runs out on them), open conversations, cases waiting on the client or on
hold, resolved and closed ones. The front desk hands its new cases out round-robin; the sales
team takes them by hand; cases without a team are visible to every agent. After loading, the
desk's periodic jobs (keys "desk.…": SLA warnings, escalations) run once, so due times,
breaches and escalations are there from the first page. A seeded generator makes two loads
alike; a second run finds the cases and leaves them.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.core.channels import Channel
from kliento.core.demo import DemoLoader, DemoOptions, demo_loaders, register_demo_loader
from kliento.core.demo_organisation import name as unit_name
from kliento.core.models import OrgUnit
from kliento.desk import services
from kliento.desk.demo_texts import CALL_NOTES, NOTES, SCENARIOS, SLA_POLICY, Scenario, pick
from kliento.desk.models import Call, Case, CaseEvent, Message, SlaPolicy, TeamRouting

logger = logging.getLogger(__name__)

SEED = 2026
CASES = 48
CHANNELS = (
    Channel.EMAIL,
    Channel.PHONE,
    Channel.WEB_FORM,
    Channel.CHAT,
    Channel.MESSENGER,
    Channel.SOCIAL,
)
# The status each case ends in, in turn: most of the history is done, a working day's worth is
# still open.
STATUSES = (
    Case.Status.NEW,
    Case.Status.OPEN,
    Case.Status.CLOSED,
    Case.Status.WAITING,
    Case.Status.RESOLVED,
    Case.Status.OPEN,
    Case.Status.ON_HOLD,
    Case.Status.CLOSED,
    Case.Status.NEW,
    Case.Status.CLOSED,
    Case.Status.RESOLVED,
    Case.Status.OPEN,
)
PRIORITIES = (
    (Case.Priority.NORMAL, 60),
    (Case.Priority.HIGH, 20),
    (Case.Priority.LOW, 12),
    (Case.Priority.URGENT, 8),
)
STAFF = ("marta", "olena", "jakub", "iryna", "piotr")


def demo_cases_exist() -> bool:
    subjects = [text for s in SCENARIOS for text in s.subject.values()]
    return Case.objects.filter(subject__in=subjects).exists()


def load(options: DemoOptions) -> None:
    if demo_cases_exist():
        options.report(_("The demo cases are already loaded; reusing them."))
        return
    users = {u.username: u for u in get_user_model().objects.filter(username__in=STAFF)}
    missing = sorted(set(STAFF) - set(users))
    found = {
        key: OrgUnit.objects.filter(name=unit_name(key, options.language)).first()
        for key in ("front", "sales")
    }
    units = {key: unit for key, unit in found.items() if unit is not None}
    chosen = _clients()
    if missing or len(units) < len(found) or not chosen:
        options.report(
            _("The demo staff, teams or clients are missing; no demo cases loaded.")
            + (f" ({', '.join(missing)})" if missing else "")
        )
        return
    options.report(_("Loading the demo service desk cases…"))
    load_demo_cases(language=options.language, users=users, units=units, chosen=chosen)
    ran = run_desk_jobs()
    if ran:
        options.report(
            _("Ran the service desk's periodic jobs: %(keys)s") % {"keys": ", ".join(ran)}
        )


def _clients() -> list[Any]:
    """Clients in each of the demo's languages in turn (en, ru, uk, pl), so the desk speaks
    all of them."""
    found = list(clients.search_clients(clients.ClientFilters()).order_by("pk")[:400])
    by_language: dict[str, list[Any]] = {}
    for client in found:
        by_language.setdefault(client.language or "en", []).append(client)
    ordered: list[Any] = []
    pools = [by_language.get(lang, []) for lang in ("en", "ru", "uk", "pl")]
    pools += [
        pool for lang, pool in sorted(by_language.items()) if lang not in ("en", "ru", "uk", "pl")
    ]
    while any(pools) and len(ordered) < CASES:
        for pool in pools:
            if pool and len(ordered) < CASES:
                ordered.append(pool.pop(0))
    return ordered


def _links() -> tuple[list[int], list[int], list[int]]:
    """Journey stages, touchpoints and policy procedures the other apps' demos made, if any."""
    from kliento.policy import selectors as policy
    from kliento.touchpoints import selectors as touchpoints

    stages = [s.pk for s in touchpoints.stages()[:6]]
    points = [t.pk for t in touchpoints.touchpoints()[:6]]
    procedures = [p.id for p in policy.procedures_for()][:4]
    return stages, points, procedures


@transaction.atomic
def load_demo_cases(
    *, language: str, users: dict[str, Any], units: dict[str, OrgUnit], chosen: list[Any]
) -> list[Case]:
    rng = random.Random(SEED)
    now = timezone.now()
    if not SlaPolicy.objects.exists():
        # Around the clock, so that the backdated cases show breaches whatever the weekday.
        SlaPolicy.objects.create(
            name=pick(SLA_POLICY, language),
            first_response_minutes=4 * 60,
            next_response_minutes=8 * 60,
            resolution_minutes=3 * 24 * 60,
        )
    # The front desk hands new cases out in turn; the sales team takes them by hand.
    TeamRouting.objects.get_or_create(
        team=units["front"], defaults={"strategy": TeamRouting.Strategy.ROUND_ROBIN}
    )
    stages, points, procedures = _links()
    made = []
    for n in range(CASES):
        client = chosen[n % len(chosen)]
        status = STATUSES[n % len(STATUSES)]
        team = (units["front"], units["front"], units["sales"], None)[n % 4]
        made.append(
            _case(
                rng,
                n=n,
                now=now,
                scenario=SCENARIOS[n % len(SCENARIOS)],
                client=client,
                status=status,
                team=team,
                sales=team is not None and team.pk == units["sales"].pk,
                users=users,
                language=language,
                links=(stages, points, procedures),
            )
        )
    return made


def _case(
    rng: random.Random,
    *,
    n: int,
    now: dt.datetime,
    scenario: Scenario,
    client: Any,
    status: str,
    team: OrgUnit | None,
    sales: bool,
    users: dict[str, Any],
    language: str,
    links: tuple[list[int], list[int], list[int]],
) -> Case:
    speaks = client.language or "en"
    channel = CHANNELS[n % len(CHANNELS)]
    active = status in Case.ACTIVE
    # Open work came in over the last ten days (new ones mostly today), done work over five weeks.
    if status == Case.Status.NEW:
        age = dt.timedelta(hours=rng.uniform(0.5, 30))
    elif active:
        age = dt.timedelta(days=rng.uniform(0.5, 10))
    else:
        age = dt.timedelta(days=rng.uniform(4, 35))
    opened = now - age
    assignee = None
    if sales:
        assignee = rng.choice([users["iryna"], users["piotr"], None])
    elif team is None and not active:
        assignee = users["marta"]
    stages, points, procedures = links
    priority = rng.choices([p for p, _w in PRIORITIES], [w for _p, w in PRIORITIES])[0]
    case = services.open_case(
        actor=None,
        draft=services.CaseDraft(
            subject=pick(scenario.subject, speaks),
            client=client,
            channel=channel,
            kind=scenario.kind,
            priority=priority,
            team=team,
            assignee=assignee,
            tags=scenario.tags if n % 3 else (),
            stage_id=stages[n % len(stages)] if stages and n % 2 else None,
            touchpoint_id=points[n % len(points)] if points and n % 3 == 1 else None,
            procedure_id=procedures[n % len(procedures)] if procedures and n % 4 == 1 else None,
        ),
        message=services.MessageDraft(
            direction=Message.Direction.INBOUND,
            body_text=pick(scenario.question, speaks),
            author_name=client.name,
            created_at=opened,
        ),
    )
    agent = case.assignee or users["iryna" if sales else "olena"]
    if status == Case.Status.NEW:
        return case
    # The rest of the conversation, in order, between the opening and now.
    times = sorted(opened + (now - opened) * rng.uniform(0.05, 0.9) for _ in range(4))
    if n % 3 == 0:
        services.add_message(
            actor=agent,
            case=case,
            draft=services.MessageDraft(
                direction=Message.Direction.NOTE,
                body_text=pick(NOTES[n % len(NOTES)], language),
                created_at=times[0],
            ),
        )
    services.add_message(
        actor=agent,
        case=case,
        draft=services.MessageDraft(
            direction=Message.Direction.OUTBOUND,
            body_text=pick(scenario.reply, speaks),
            created_at=times[1],
        ),
    )
    if channel == Channel.PHONE:
        services.log_call(
            actor=agent,
            case=case,
            draft=services.CallDraft(
                direction=Call.Direction.OUTBOUND,
                outcome=Call.Outcome.ANSWERED,
                number="",
                duration_seconds=rng.randint(60, 600),
                notes=pick(CALL_NOTES, language),
                started_at=times[2],
            ),
        )
    if status in (Case.Status.OPEN, Case.Status.RESOLVED, Case.Status.CLOSED):
        services.add_message(
            actor=None,
            case=case,
            draft=services.MessageDraft(
                direction=Message.Direction.INBOUND,
                body_text=pick(scenario.follow_up, speaks),
                author_name=client.name,
                created_at=times[3],
            ),
        )
    if status != Case.Status.OPEN:
        started = timezone.now()
        case = services.set_status(actor=agent, case=case, status=status)
        _backdate_status(
            case, at=times[3] + dt.timedelta(minutes=rng.randint(10, 240)), since=started
        )
    return case


def _backdate_status(case: Case, *, at: dt.datetime, since: dt.datetime) -> None:
    """The status change happened when the conversation ended, not at load time."""
    at = min(at, timezone.now())
    fields: dict[str, Any] = {"updated_at": at}
    if case.resolved_at:
        fields["resolved_at"] = at
    if case.closed_at:
        fields["closed_at"] = at
    Case.objects.filter(pk=case.pk).update(**fields)
    CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STATUS, created_at__gte=since).update(
        created_at=at
    )


def run_desk_jobs() -> list[str]:
    """Run every periodic job the desk registered (keys "desk.…") once, here and now, so the
    demo's SLA due times, warnings and escalations exist before the first page is opened."""
    from kliento.core.schedule import periodic_jobs

    ran = []
    for job in periodic_jobs:
        if not job.key.startswith("desk."):
            continue
        try:
            job.task.call(**job.kwargs)
            ran.append(job.key)
        except Exception:
            # A demo must load even if one part of the desk is not set up for it.
            logger.exception("Demo: the periodic job %s failed", job.key)
    return ran


def register() -> None:
    # After the other demos whose records the cases point to, when those apps are installed.
    after = tuple(
        key for key in ("desk.sla", "touchpoints", "policy.demo", "journeys") if key in demo_loaders
    )
    register_demo_loader(
        DemoLoader("desk", load, depends_on=("core.organisation", "clients", *after))
    )
