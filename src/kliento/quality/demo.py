"""The demo company's quality control (`kliento demo`): two checklists built from its standards
book, a year of monthly audits, employee checks and quarterly mystery shops with realistic
findings (mostly met, improving over the year, a few critical failures, one "the rule was kept
but did not work"), corrective actions (done, open and one overdue), audit plans, two
exemplary results, and one touchpoint left without control so the home warning shows."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kliento.core.demo import DemoOptions, pick
from kliento.core.models import OrgUnit
from kliento.quality import services
from kliento.quality.models import Checklist, ChecklistItem, Evaluation
from kliento.quality.services import programme
from kliento.standards import selectors as standards
from kliento.touchpoints import selectors as touchpoints

SEED = 12
T = dict[str, str]

AUDIT_NAME: T = {
    "en": "Touchpoint audit",
    "ru": "Аудит точки контакта",
    "uk": "Аудит точки контакту",
    "pl": "Audyt punktu styku",
}
CHECK_NAME: T = {
    "en": "Employee service check",
    "ru": "Проверка обслуживания сотрудником",
    "uk": "Перевірка обслуговування працівником",
    "pl": "Kontrola obsługi przez pracownika",
}
FAIL_NOTES: list[T] = [
    {
        "en": "The client waited about two minutes before anyone greeted them.",
        "ru": "Клиент ждал около двух минут, прежде чем с ним поздоровались.",
        "uk": "Клієнт чекав близько двох хвилин, перш ніж з ним привіталися.",
        "pl": "Klient czekał około dwóch minut, zanim ktoś go przywitał.",
    },
    {
        "en": "No name badge; the uniform shirt was not ironed.",
        "ru": "Нет бейджа; форменная рубашка не выглажена.",
        "uk": "Немає бейджа; форменна сорочка не випрасувана.",
        "pl": "Brak identyfikatora; koszula służbowa nie była wyprasowana.",
    },
    {
        "en": "The call ended without a summary of what happens next.",
        "ru": "Звонок закончился без резюме следующих шагов.",
        "uk": "Дзвінок завершився без підсумку наступних кроків.",
        "pl": "Rozmowa skończyła się bez podsumowania dalszych kroków.",
    },
]
DID_NOT_WORK: T = {
    "en": "The script was followed word for word, yet the client found the scripted apology "
    "cold and asked for a manager.",
    "ru": "Скрипт соблюдён дословно, но клиенту извинение по скрипту показалось холодным, "
    "и он попросил руководителя.",
    "uk": "Скрипт дотримано дослівно, але клієнтові вибачення за скриптом здалося холодним, "
    "і він попросив керівника.",
    "pl": "Skrypt zachowano słowo w słowo, a mimo to klient uznał przeprosiny za chłodne "
    "i poprosił o kierownika.",
}
ACTION: T = {
    "en": "Brief the shift on the greeting rule and re-check within two weeks.",
    "ru": "Провести инструктаж смены по правилу приветствия и перепроверить через две недели.",
    "uk": "Провести інструктаж зміни щодо правила привітання й перевірити за два тижні.",
    "pl": "Omówić z zmianą zasadę powitania i sprawdzić ponownie w ciągu dwóch tygodni.",
}
SCENARIO: T = {
    "en": "Call as a first-time client asking about a family membership; mention a competitor's "
    "lower price and see how the objection is handled.",
    "ru": "Позвоните как новый клиент и спросите о семейном абонементе; упомяните более низкую "
    "цену конкурента и посмотрите, как отработают возражение.",
    "uk": "Зателефонуйте як новий клієнт і запитайте про сімейний абонемент; згадайте нижчу ціну "
    "конкурента й подивіться, як відпрацюють заперечення.",
    "pl": "Zadzwoń jako nowy klient i zapytaj o karnet rodzinny; wspomnij niższą cenę konkurencji "
    "i zobacz, jak zostanie obsłużony zarzut.",
}
EXEMPLARY: T = {
    "en": "Warm greeting by name, clear next steps, follow-up sent the same day.",
    "ru": "Тёплое приветствие по имени, понятные следующие шаги, письмо отправлено в тот же день.",
    "uk": "Тепле привітання на ім'я, зрозумілі наступні кроки, лист надіслано того ж дня.",
    "pl": "Ciepłe powitanie po imieniu, jasne kolejne kroki, wiadomość wysłana tego samego dnia.",
}


def _checklist(
    actor: Any, name: str, area: str, kinds: tuple[str, ...], critical_first: bool
) -> Checklist | None:
    ids = [s.pk for s in standards.book(published_only=True) if s.kind in kinds][:7]
    if not ids:
        return None
    made = services.build_from_standards(
        actor=actor, name=name, area_kind=area, owner=actor, standard_ids=ids
    )
    draft = made.versions.get()
    items = list(draft.items.all())
    for i, item in enumerate(items):
        ChecklistItem.objects.filter(pk=item.pk).update(
            weight=3 if i == 0 else 1 + i % 2,
            critical=critical_first and i == 0,
            allows_na=i == len(items) - 1,
        )
    services.publish_version(actor=actor, version=draft)
    return made


def _perform(
    rng: random.Random,
    *,
    actor: Any,
    checklist: Checklist,
    kind: str,
    when: dt.datetime,
    progress: float,
    language: str,
    protect: bool = False,
    **subjects: Any,
) -> Evaluation:
    version = checklist.versions.get(status="published")
    evaluation = services.start_evaluation(
        actor=actor, version=version, kind=kind, performed_at=when, **subjects
    )
    answers = []
    # Better over the year: 75 % of items met a year ago, about 93 % now.
    chance = 0.75 + 0.18 * progress
    for i, item in enumerate(version.items.all()):
        if item.allows_na and rng.random() < 0.3:
            answers.append(services.Answer(item.pk, "na"))
            continue
        met = rng.random() < (0.97 if item.critical else chance)
        note = "" if met else pick(rng.choice(FAIL_NOTES), language)
        dnw = protect and i == 0
        answers.append(
            services.Answer(
                item.pk,
                "pass" if met or dnw else "fail",
                pick(DID_NOT_WORK, language) if dnw else note,
                dnw,
            )
        )
    services.record_results(actor=actor, evaluation=evaluation, answers=answers)
    return services.complete_evaluation(actor=actor, evaluation=evaluation)


@transaction.atomic
def load(options: DemoOptions) -> None:
    if Checklist.objects.exists():
        return
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    auditor, manager = users.get("ewa"), users.get("marta")
    if auditor is None or manager is None:
        return
    lang = options.language
    audit = _checklist(
        auditor,
        pick(AUDIT_NAME, lang),
        "touchpoint",
        ("communication", "appearance", "rules"),
        True,
    )
    check = _checklist(
        auditor, pick(CHECK_NAME, lang), "employee", ("communication", "principles"), False
    )
    if audit is None or check is None:
        return
    rng = random.Random(SEED)
    now = timezone.now()
    places = list(touchpoints.touchpoints()[:4])
    # The last touchpoint is left without control: the six-month warning has something to say.
    audited = places[:3]
    agents = [users[u] for u in ("olena", "jakub", "iryna") if u in users]
    done: list[Evaluation] = []
    for month in range(12, 0, -1):
        progress = (12 - month) / 11
        day = now - dt.timedelta(days=30 * month - rng.randint(0, 10))
        for place in audited[month % len(audited) :: 2] if audited else []:
            done.append(
                _perform(
                    rng,
                    actor=auditor,
                    checklist=audit,
                    kind=Evaluation.Kind.AUDIT,
                    when=day,
                    progress=progress,
                    language=lang,
                    touchpoint_id=place.pk,
                )
            )
        if month % 2 == 0:
            for agent in agents:
                done.append(
                    _perform(
                        rng,
                        actor=auditor,
                        checklist=check,
                        kind=Evaluation.Kind.AUDIT,
                        when=day + dt.timedelta(days=3),
                        progress=progress,
                        language=lang,
                        protect=month == 4 and agent is agents[0],
                        employee_id=agent.pk,
                    )
                )
        if month % 3 == 0 and audited:
            # The quarterly mystery shop, by an external shopper through a signed link.
            assignment = programme.assign_shop(
                actor=manager,
                checklist=audit,
                channel="call",
                scenario=pick(SCENARIO, lang),
                window_start=timezone.localdate(day) - dt.timedelta(days=10),
                window_end=timezone.localdate(day) + dt.timedelta(days=10),
                touchpoint_id=audited[0].pk,
                external_name="Anna Nowak",
                external_email="anna.nowak@shoppers.example",
            )
            evaluation = programme.start_shop(actor=None, assignment=assignment)
            Evaluation.objects.filter(pk=evaluation.pk).update(performed_at=day)
            evaluation.refresh_from_db()
            version = evaluation.version
            services.record_results(
                actor=None,
                evaluation=evaluation,
                answers=[
                    services.Answer(i.pk, "pass" if rng.random() < 0.85 or i.critical else "fail")
                    for i in version.items.all()
                ],
            )
            done.append(programme.finish_shop(actor=None, assignment=assignment))
    today = timezone.localdate()
    failed = [
        r for e in done for r in e.results.filter(outcome="fail").select_related("evaluation")
    ]
    for n, result in enumerate(failed[-6:]):
        owner = result.evaluation.employee or manager
        action = programme.open_corrective_action(
            actor=auditor,
            result=result,
            description=pick(ACTION, lang),
            owner=owner,
            due_on=today + dt.timedelta(days=14),
        )
        if n < 3:
            programme.close_corrective_action(actor=owner, action=action, done=True)
        elif n == 3:
            # One is overdue: its owner gets the notice on the next periodic run.
            type(action).objects.filter(pk=action.pk).update(due_on=today - dt.timedelta(days=3))
    best = sorted((e for e in done if e.score is not None), key=lambda e: (-(e.score or 0), -e.pk))[
        :2
    ]
    for evaluation in best:
        services.mark_exemplary(actor=manager, evaluation=evaluation, note=pick(EXEMPLARY, lang))
    for i, place in enumerate(audited):
        programme.save_plan(
            actor=manager,
            checklist=audit,
            next_due=today + dt.timedelta(days=7 + 10 * i),
            every_months=3,
            auditor=auditor,
            touchpoint_id=place.pk,
        )
    team = OrgUnit.objects.filter(kind=OrgUnit.Kind.TEAM).first()
    if team is not None and agents:
        programme.save_plan(
            actor=manager,
            checklist=check,
            next_due=today + dt.timedelta(days=20),
            every_months=2,
            auditor=auditor,
            employee_id=agents[0].pk,
        )
    if audited:
        programme.assign_shop(
            actor=manager,
            checklist=audit,
            channel="visit",
            scenario=pick(SCENARIO, lang),
            touchpoint_id=audited[-1].pk,
            shopper=users.get("piotr"),
        )
    options.report(f"quality: {len(done)} evaluations over a year, {len(failed)} findings")
