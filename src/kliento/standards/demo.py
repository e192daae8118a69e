"""The demo company's standards book and mission (`kliento demo`), in the operator's language:
the book published and partly read, one standard with a new version in review, the mission
published after a discussion with proposals and comments."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kliento.core.demo import DemoOptions, pick
from kliento.standards import selectors, services
from kliento.standards.demo_texts import BOOK, COMMENTS, CRITERIA, MISSION, PROPOSALS
from kliento.standards.models import Mission, Standard
from kliento.touchpoints import selectors as touchpoints


def _demo_touchpoints(entry: dict[str, object]) -> list[int]:
    """The demo touchpoints a standard belongs to (when the touchpoints demo is loaded): the
    phone standard to the phone line, the appearance standard to the staff's uniform."""
    if entry["kind"] == "appearance":
        wanted = touchpoints.TouchpointFilters(kind="employee", category="uniform")
    elif entry["kind"] == "communication" and entry.get("channels") == ["phone"]:
        wanted = touchpoints.TouchpointFilters(channel="phone")
    else:
        return []
    return list(touchpoints.touchpoints(wanted).values_list("pk", flat=True))


@transaction.atomic
def load_demo_standards(options: DemoOptions) -> None:
    if Standard.objects.exists() or Mission.objects.exists():
        return
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    manager = users.get("marta")
    if manager is None:
        return
    lang = options.language
    today = timezone.localdate()

    draft = services.start_mission_draft(actor=manager, criteria=pick(CRITERIA, lang))
    adopted = None
    for username, text in PROPOSALS:
        proposal = services.contribute(
            actor=users.get(username), mission=draft, kind="proposal", text=pick(text, lang)
        )
        if text is MISSION:
            adopted = proposal
    for username, text in COMMENTS:
        services.contribute(
            actor=users.get(username), mission=draft, kind="comment", text=pick(text, lang)
        )
    assert adopted is not None
    services.adopt_proposal(actor=manager, proposal=adopted)
    services.publish_mission(actor=manager, mission=draft)

    standards = []
    for position, entry in enumerate(BOOK):
        touchpoint_ids = _demo_touchpoints(entry)
        standard = services.create_standard(
            actor=manager,
            kind=entry["kind"],
            title=pick(entry["title"], lang),
            body=pick(entry["body"], lang),
            owner=manager,
            # One review already overdue, so the flag has something to show.
            review_on=today + dt.timedelta(days=-5 if position == 3 else 180 + 10 * position),
            roles=entry.get("roles", []),
            channels=entry.get("channels", []),
            touchpoint_ids=touchpoint_ids,
            scripts=[
                (pick(s["title"], lang), pick(s["text"], lang)) for s in entry.get("scripts", [])
            ],
            position=position,
        )
        version = standard.versions.get()
        services.submit_for_review(actor=manager, version=version)
        services.publish(actor=manager, version=version)
        standards.append((standard, version))

    # Some of the staff have read some of the book.
    readers = [users[n] for n in ("olena", "piotr", "ewa") if n in users]
    for index, (standard, version) in enumerate(standards):
        for reader in readers[: 1 + index % max(len(readers), 1)]:
            if selectors.applies_to(standard, reader):
                services.acknowledge(actor=reader, version=version)

    # The complaint standard is being reworded.
    complaint, _version = standards[6]
    services.start_revision(actor=manager, standard=complaint)
    jakub = users.get("jakub")
    if jakub is not None:
        services.raise_revision_request(
            actor=jakub,
            standard_id=complaint.pk,
            reason=pick(
                {
                    "en": "Students who complain by messenger expect a written answer, not a call.",
                    "pl": "Kursanci, którzy skarżą się przez komunikator, oczekują odpowiedzi na "
                    "piśmie, a nie telefonu.",
                    "uk": "Учні, які скаржаться в месенджері, чекають письмової відповіді, а не "
                    "дзвінка.",
                    "ru": "Ученики, которые жалуются в мессенджере, ждут письменного ответа, а не "
                    "звонка.",
                },
                lang,
            ),
        )
    options.report(f"Standards book: {len(standards)} standards, mission published")
