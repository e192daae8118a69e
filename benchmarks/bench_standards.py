"""Who has read what: the manager's view of acknowledgements for 300 staff and 60 standards.

300 active employees in six teams of two departments, each with a role; 60 published standards,
a third for one role, a third for one department, the rest for everyone; about half of what
applies to each person acknowledged.

  reading      — `selectors.reading()`: every version's share, every person's unread list and
                 the per-team counts, in a fixed number of queries (staff, roles, units,
                 versions, acknowledgements) and the rest in memory;
  per person   — the obvious way: `unread_for(user)` for each employee plus one audience count
                 per version (what the page did at first), as the baseline.

Both must give the same unread lists; the script exits non-zero when they differ.
"""

from __future__ import annotations

import datetime as dt
import random
import sys

import harness

STAFF = 300
STANDARDS = 60
PREFIX = "bench-standard-"


def build() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from kliento.core import roles
    from kliento.core.models import OrgUnit, StaffProfile
    from kliento.standards.models import Acknowledgement, Standard, StandardVersion

    if Standard.objects.filter(title__startswith=PREFIX).exists():
        return
    rng = random.Random(7)
    User = get_user_model()
    company = OrgUnit.objects.create(name="Bench company", kind=OrgUnit.Kind.COMPANY)
    departments = [
        OrgUnit.objects.create(name=f"Bench dept {i}", kind=OrgUnit.Kind.DEPARTMENT, parent=company)
        for i in range(2)
    ]
    teams = [
        OrgUnit.objects.create(name=f"Bench team {i}", kind=OrgUnit.Kind.TEAM, parent=d)
        for i, d in enumerate(departments * 3)
    ]
    role_names = [roles.AGENT, roles.AGENT, roles.STAGE_OWNER, roles.MANAGER, roles.AUDITOR]
    groups = {name: Group.objects.get(name=name) for name in set(role_names)}
    users = User.objects.bulk_create(
        [User(username=f"bench-staff-{i}", is_active=True) for i in range(STAFF)]
    )
    StaffProfile.objects.bulk_create(
        [StaffProfile(user=u, unit=teams[i % len(teams)]) for i, u in enumerate(users)]
    )
    Through = User.groups.through
    Through.objects.bulk_create(
        [Through(user_id=u.pk, group_id=groups[role_names[i % 5]].pk) for i, u in enumerate(users)]
    )
    owner = users[0]
    now = timezone.now()
    versions = []
    for i in range(STANDARDS):
        standard = Standard.objects.create(
            kind="general",
            title=f"{PREFIX}{i}",
            owner=owner,
            review_on=dt.date(2030, 1, 1),
            roles=[roles.AGENT] if i % 3 == 0 else [],
        )
        if i % 3 == 1:
            standard.units.set([departments[i % 2]])
        versions.append(
            StandardVersion(
                standard=standard, number=1, body="Text", status="published", published_at=now
            )
        )
    versions = StandardVersion.objects.bulk_create(versions)
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(version=v, user=u) for v in versions for u in users if rng.random() < 0.5],
        ignore_conflicts=True,
    )


def main() -> int:
    args = harness.arguments(__doc__.split("\n\n")[0])
    with harness.bench_database(args.scale, args.seed):
        build()
        from kliento.standards import selectors
        from kliento.standards.models import StandardVersion

        def at_once() -> dict[int, list[int]]:
            found = selectors.reading()
            return {row.user.pk: sorted(v.pk for v in row.unread) for row in found.people}

        def per_person() -> dict[int, list[int]]:
            for version in StandardVersion.objects.filter(status="published").select_related(
                "standard"
            ):
                selectors.audience(version.standard).filter(
                    acknowledgements__version=version
                ).count()
            return {u.pk: sorted(v.pk for v in selectors.unread_for(u)) for u in selectors.staff()}

        if at_once() != per_person():
            print("reading() and the per-person lists differ", file=sys.stderr)
            return 1
        print(
            f"\nWho has read what, {STAFF} staff × {STANDARDS} standards, "
            f"on {harness.database_label()}"
        )
        print(__doc__.split("\n\n", 1)[1].rstrip() + "\n")
        timings = harness.compare(
            {"reading": at_once, "per person": per_person}, repeat=max(3, args.repeat // 5)
        )
        harness.report(
            bench="standards",
            case=f"who has read what, {STAFF} staff × {STANDARDS} standards",
            value=timings["reading"],
            baseline=timings["per person"],
            baseline_name="per-person queries",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
