"""The managers' overdue list of process steps, with many processes running.

200,000 * scale runs of a five-step process are added to the scaled database (20,000 runs and
100,000 steps at the default scale 0.1), each with one step open or awaiting sign-off; one run
in fifty has its open step overdue and one in a hundred a control point past its sign-off time.

  overdue list — selectors.overdue(): both lists (first 200 each, longest overdue first) with
                 their totals, steps, runs, versions, owners and client names, as the page uses;
  bare query   — the same step ids, due times and client ids of both lists by hand-written SQL
                 on the raw cursor, no ORM. list / bare is what the ORM and the names cost.

The list reads open steps through the (state, due_at) and (state, review_due_at) indexes, so
its time follows the number of overdue steps shown, not the number of runs.
"""

from __future__ import annotations

import datetime as dt

import harness

STEPS = 5


def build(runs: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from kliento.clients.models import Client
    from kliento.processes import services
    from kliento.processes.models import ProcessDefinition, ProcessRun, RunStep
    from kliento.processes.rules import StepSpec

    if ProcessDefinition.objects.filter(name="Bench onboarding").exists():
        return
    owner = get_user_model().objects.create_user(username="bench-process-owner")
    with transaction.atomic():
        definition = services.create_definition(
            actor=None,
            name="Bench onboarding",
            steps=[
                StepSpec(
                    title=f"Step {i}",
                    result=f"Result {i}",
                    role="agent",
                    duration_days=3,
                    control_point=i % 2 == 1,
                )
                for i in range(STEPS)
            ],
        )
    version = definition.current
    assert version is not None
    templates = list(version.steps.order_by("position"))
    client_ids = list(Client.objects.order_by("pk").values_list("pk", flat=True)[:runs])
    now = timezone.now()
    batch = 2000
    for start in range(0, len(client_ids), batch):
        chunk = client_ids[start : start + batch]
        with transaction.atomic():
            made = ProcessRun.objects.bulk_create(
                ProcessRun(version=version, client_id=pk, owner=owner, started_at=now)
                for pk in chunk
            )
            steps = []
            for n, run in enumerate(made, start=start):
                current = n % STEPS
                for template in templates:
                    position = template.position - 1
                    step = RunStep(run=run, template=template, position=template.position)
                    if position < current:
                        step.state = RunStep.State.DONE
                    elif position == current:
                        late = n % 50 == 0
                        step.state = (
                            RunStep.State.REVIEW
                            if template.control_point and n % 100 == 1
                            else RunStep.State.OPEN
                        )
                        step.opened_at = now - dt.timedelta(days=5 if late else 1)
                        step.due_at = step.opened_at + dt.timedelta(days=3)
                        if step.state == RunStep.State.REVIEW:
                            step.review_due_at = now - dt.timedelta(hours=2)
                    steps.append(step)
            RunStep.objects.bulk_create(steps, batch_size=batch)


BARE = """
SELECT s.id, s.due_at, r.client_id FROM processes_runstep s
JOIN processes_processrun r ON r.id = s.run_id
WHERE s.state = %s AND {due} < %s AND r.completed_at IS NULL
ORDER BY {due}, s.id LIMIT 200
"""


def main() -> None:
    args = harness.arguments("Process overdue list benchmark")
    with harness.bench_database(args.scale, args.seed):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from kliento.processes import selectors
        from kliento.processes.models import ProcessRun, RunStep

        runs = max(100, int(200_000 * args.scale))
        build(runs)
        total_runs = ProcessRun.objects.count()
        total_steps = RunStep.objects.count()

        def overdue_list() -> object:
            return selectors.overdue()

        def bare() -> object:
            now = timezone.now()
            with connection.cursor() as cursor:
                cursor.execute(BARE.format(due="s.due_at"), ["open", now])
                rows = cursor.fetchall()
                cursor.execute(BARE.format(due="s.review_due_at"), ["review", now])
                rows += cursor.fetchall()
            return rows

        found = selectors.overdue()
        with CaptureQueriesContext(connection) as ctx:
            selectors.overdue()
        timings = harness.compare({"list": overdue_list, "bare": bare}, repeat=args.repeat)
        print(
            f"\nOverdue list at {total_runs:,} runs, {total_steps:,} steps "
            f"on {harness.database_label()}: {found.step_total:,} overdue steps, "
            f"{found.control_point_total:,} overdue control points, "
            f"{len(ctx.captured_queries)} queries"
        )
        harness.report(
            bench="processes",
            case="overdue list",
            value=timings["list"],
            baseline=timings["bare"],
            baseline_name="bare query",
            note=f"{total_runs:,} runs",
        )


if __name__ == "__main__":
    main()
