"""Service policy: who has read what, and the escalation list the service desk reads.

300 members of staff (in 6 teams, every role) and 10 published policies, each with 2 goals of 2
procedures with a 4-level escalation list, half the staff having acknowledged each policy.

  people unread     — `selectors.people_unread()` (the manager's "who has read what" list):
                      each policy's unread audience read once, then matched per person; against
                      the straightforward way, `unread_for(user)` per person (a query per person
                      and policy). The ratio shows what batching saves;
  escalation list   — `selectors.escalation_list(id)` (what the service desk calls per case)
                      against a bare SQL query of the same levels: what the typed structure and
                      the validity check cost.

Queries are counted too: the people list must not grow with the staff (no query per person).
"""

from __future__ import annotations

import sys
from decimal import Decimal

import harness

STAFF = 300
POLICIES = 10


def build() -> list[int]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from kliento.core import roles
    from kliento.core.models import OrgUnit, StaffProfile
    from kliento.policy import services
    from kliento.policy.models import Policy
    from kliento.policy.services import LevelSpec
    from kliento.standards import selectors as standards
    from kliento.standards import services as standards_services

    User = get_user_model()
    teams = [
        OrgUnit.objects.get_or_create(name=f"Bench team {i}", kind="team", parent=None)[0]
        for i in range(6)
    ]
    groups = [Group.objects.get(name=r) for r in roles.ROLE_LABELS]
    people = []
    for i in range(STAFF):
        user, _created = User.objects.get_or_create(username=f"bench-staff-{i}")
        user.groups.set([groups[i % len(groups)]])
        StaffProfile.objects.update_or_create(user=user, defaults={"unit": teams[i % len(teams)]})
        people.append(user)
    boss = people[1]  # a manager (ROLE_LABELS order: administrator, manager, …)
    if standards.current_mission() is None:
        draft = standards_services.start_mission_draft(actor=boss)
        standards_services.edit_mission(actor=boss, mission=draft, text="Bench.", criteria="")
        standards_services.publish_mission(actor=boss, mission=draft)
    procedure_ids: list[int] = []
    for p in range(POLICIES):
        if Policy.objects.filter(title=f"Bench policy {p}").exists():
            continue
        policy = services.create_policy(
            actor=boss, title=f"Bench policy {p}", owner=boss, review_every_months=12
        )
        version = policy.versions.get()
        for kind in ("retention", "new_products"):
            goal = services.add_goal(
                actor=boss,
                version=version,
                kind=kind,
                owner=boss,
                mission_link="Bench.",
                metric_name="Bench",
                metric_target=Decimal(1),
            )
            for n in range(2):
                procedure = services.add_procedure(
                    actor=boss,
                    goal=goal,
                    title=f"Bench procedure {n}",
                    description="Bench.",
                    channels=["phone", "email"],
                    levels=[
                        LevelSpec(after_minutes=0, role="agent"),
                        LevelSpec(after_minutes=30, unit_id=teams[0].pk),
                        LevelSpec(after_minutes=120, user_id=boss.pk, notify=["email"]),
                        LevelSpec(after_minutes=480, role="manager", notify=["in_app", "email"]),
                    ],
                )
                procedure_ids.append(procedure.pk)
        services.publish(actor=boss, version=version)
        for user in people[::2]:
            services.acknowledge(actor=user, version=version)
    return procedure_ids


def main() -> None:
    args = harness.arguments("Service policy benchmark")
    with harness.bench_database(args.scale, args.seed):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from kliento.policy import selectors
        from kliento.policy.models import EscalationLevel

        procedure_ids = build() or list(
            EscalationLevel.objects.values_list("procedure_id", flat=True).distinct()
        )
        print(f"\nService policy: {STAFF} staff, {POLICIES} policies on {harness.database_label()}")

        def batched() -> object:
            return selectors.people_unread()

        def per_person() -> object:
            return [selectors.unread_for(u) for u in selectors.standards.staff().order_by("pk")]

        with CaptureQueriesContext(connection) as batched_queries:
            rows = batched()
        with CaptureQueriesContext(connection) as naive_queries:
            naive = per_person()
        assert sum(len(r.unread) for r in rows) == sum(len(x) for x in naive)
        repeat = max(3, args.repeat // 5)
        timings = harness.compare({"batched": batched, "per person": per_person}, repeat=repeat)
        harness.report(
            bench="policy",
            case="people unread (300 staff, 10 policies)",
            value=timings["batched"],
            baseline=timings["per person"],
            baseline_name="unread_for per person",
            note=f"{len(batched_queries)} vs {len(naive_queries)} queries",
        )

        target = procedure_ids[0]

        def typed() -> object:
            return selectors.escalation_list(target)

        def bare() -> object:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT l.number, l.after_minutes, l.role, l.unit_id, l.user_id, l.notify,"
                    " u.is_active FROM policy_escalationlevel l"
                    " LEFT JOIN auth_user u ON u.id = l.user_id"
                    " WHERE l.procedure_id = %s ORDER BY l.number",
                    [target],
                )
                return cursor.fetchall()

        with CaptureQueriesContext(connection) as list_queries:
            typed()
        lists = harness.compare({"typed": typed, "bare": bare}, repeat=args.repeat)
        harness.report(
            bench="policy",
            case="escalation list of one procedure",
            value=lists["typed"],
            baseline=lists["bare"],
            baseline_name="bare SQL",
            note=f"{len(list_queries)} queries",
        )
        if len(batched_queries) > 4 * POLICIES + 10:
            print("people_unread makes a query per person", file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
