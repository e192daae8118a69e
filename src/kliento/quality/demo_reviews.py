"""Demo QA reviews: a "case handling" scorecard citing the demo's standards, the last weeks'
cases sampled into the queue, reviews (one with a critical failure), a dispute decided by a
second reviewer, and one calibration session with three reviewers and its agreed reference."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import roles
from kliento.core.demo import DemoOptions, pick
from kliento.core.models import StaffProfile
from kliento.quality.models import AreaKind, Checklist, ReviewAssignment
from kliento.quality.services import (
    Answer,
    add_item,
    calibration,
    create_checklist,
    mark_exemplary,
    publish_version,
    reviews,
)
from kliento.standards import selectors as standards

SEED = 12
NAME = {
    "en": "Case handling",
    "ru": "Работа с обращением",
    "uk": "Робота зі зверненням",
    "pl": "Obsługa zgłoszenia",
}
# (texts, weight, critical, allows_na, cites a standard)
ITEMS = [
    (
        {
            "en": "Greeted the client and used their name",
            "ru": "Поприветствовал клиента и обратился по имени",
            "uk": "Привітав клієнта і звернувся на ім'я",
            "pl": "Przywitał klienta i zwrócił się po imieniu",
        },
        1,
        False,
        False,
        False,
    ),
    (
        {
            "en": "Restated the request before answering",
            "ru": "Уточнил запрос перед ответом",
            "uk": "Уточнив запит перед відповіддю",
            "pl": "Doprecyzował prośbę przed odpowiedzią",
        },
        2,
        False,
        False,
        True,
    ),
    (
        {
            "en": "Gave a correct and complete answer",
            "ru": "Дал верный и полный ответ",
            "uk": "Дав правильну і повну відповідь",
            "pl": "Udzielił poprawnej i pełnej odpowiedzi",
        },
        3,
        True,
        False,
        True,
    ),
    (
        {
            "en": "Offered a follow-up on the phone when the case was complex",
            "ru": "Предложил созвониться, если вопрос сложный",
            "uk": "Запропонував зателефонувати, якщо питання складне",
            "pl": "Zaproponował rozmowę telefoniczną przy złożonej sprawie",
        },
        1,
        False,
        True,
        False,
    ),
    (
        {
            "en": "Agreed the next steps and closed politely",
            "ru": "Согласовал следующие шаги и вежливо завершил",
            "uk": "Узгодив наступні кроки і ввічливо завершив",
            "pl": "Uzgodnił dalsze kroki i uprzejmie zakończył",
        },
        2,
        False,
        False,
        False,
    ),
]


def _third_reviewer(ewa: Any) -> Any:
    """A second quality auditor, so that the calibration session has three reviewers."""
    User = get_user_model()
    anna = User.objects.filter(username="anna").first()
    if anna is None:
        anna = User.objects.create_user(
            username="anna",
            first_name="Anna",
            last_name="Lewandowska",
            email="anna@rytm.example",
            password=None,
        )
        anna.groups.add(Group.objects.get(name=roles.AUDITOR))
        unit = StaffProfile.objects.filter(user=ewa).values_list("unit_id", flat=True).first()
        StaffProfile.objects.create(user=anna, unit_id=unit)
    return User.objects.get(pk=anna.pk)  # fresh permission cache


def _checklist(owner: Any, language: str) -> Any:
    made = create_checklist(
        actor=owner, name=pick(NAME, language), area_kind=AreaKind.CASE, owner=owner
    )
    draft = made.versions.get()
    cited = [s.pk for s in standards.book(published_only=True)][:3]
    for texts, weight, critical, allows_na, cites in ITEMS:
        add_item(
            actor=owner,
            version=draft,
            text=pick(texts, language),
            standard_id=cited.pop(0) if cites and cited else None,
            weight=weight,
            critical=critical,
            allows_na=allows_na,
        )
    publish_version(actor=owner, version=draft, change_note="")
    draft.refresh_from_db()
    return draft


def _answers(version: Any, rng: random.Random, *, critical_fail: bool = False) -> list[Answer]:
    out = []
    for item in version.items.order_by("position"):
        if item.critical:
            outcome = "fail" if critical_fail else "pass"
        elif item.allows_na and rng.random() < 0.4:
            outcome = "na"
        else:
            outcome = "fail" if rng.random() < 0.25 else "pass"
        out.append(Answer(item.pk, outcome))
    return out


def load(options: DemoOptions) -> None:
    if (
        ReviewAssignment.objects.exists()
        or Checklist.objects.filter(name__in=NAME.values()).exists()
    ):
        options.report(_("The demo QA reviews are already loaded; reusing them."))
        return
    User = get_user_model()
    people = {u.username: u for u in User.objects.filter(username__in=["marta", "ewa"])}
    if len(people) < 2:
        options.report(_("The demo quality staff are missing; no demo QA reviews loaded."))
        return
    marta, ewa = people["marta"], people["ewa"]
    anna = _third_reviewer(ewa)
    options.report(_("Loading the demo QA reviews…"))
    version = _checklist(ewa, options.language)
    monday = reviews.monday(timezone.localdate())
    for back in range(4, 0, -1):
        reviews.sample_week(week=monday - dt.timedelta(weeks=back), share=Decimal("0.3"))
    rng = random.Random(SEED)
    done = []
    for i, assignment in enumerate(ReviewAssignment.objects.order_by("week", "id")[:8]):
        reviewer = ewa if i % 2 == 0 else anna
        if assignment.agent_id == reviewer.pk:
            continue
        reviews.start_review(actor=reviewer, assignment=assignment, version=version)
        done.append(
            reviews.submit_review(
                actor=reviewer,
                assignment=assignment,
                answers=_answers(version, rng, critical_fail=i == 1),
                summary="",
            )
        )
    if not done:
        options.report(_("No resolved demo cases to review; the queue is empty."))
        return
    if len(done) > 2:
        mark_exemplary(actor=ewa, evaluation=done[2], note=pick(NAME, options.language))
    disputed = done[1] if len(done) > 1 else done[0]
    if disputed.employee is not None:
        dispute = reviews.open_dispute(
            actor=disputed.employee,
            evaluation=disputed,
            reason=_("The client had already received the answer by phone; see the call log."),
        )
        critical = version.items.get(critical=True)
        decider = next(
            u
            for u in (marta, ewa, anna)
            if u.pk not in (disputed.performed_by_id, disputed.employee_id)
        )
        reviews.decide_dispute(
            actor=decider,
            dispute=dispute,
            decision="amended",
            note=_("Confirmed from the call notes: the answer was complete."),
            answers=[Answer(critical.pk, "pass")],
        )
    assert done[0].case_id is not None
    session = calibration.create_session(
        actor=marta,
        title=_("Calibration: %(checklist)s") % {"checklist": pick(NAME, options.language)},
        case_id=done[0].case_id,
        version=version,
        reviewer_ids=[marta.pk, ewa.pk, anna.pk],
    )
    for person in (marta, ewa, anna):
        calibration.submit_score(actor=person, session=session, answers=_answers(version, rng))
    calibration.close_session(actor=marta, session=session)
    calibration.record_reference(
        actor=marta,
        session=session,
        answers=_answers(version, random.Random(SEED)),
        note=_("Agreed in the weekly quality meeting."),
    )
