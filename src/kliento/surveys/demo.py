"""Demo data: three surveys (relationship NPS, CSAT after a purchase, CES 1-7) and two years
of answers across channels, with distributions shaped like real ones (NPS mostly 7-10 with a
tail of detractors; CSAT skewed to 4-5; CES mostly easy), plus follow-ups for recent poor
answers. Runs once: a second run finds the surveys and does nothing."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kliento.clients import selectors as clients
from kliento.clients.services import timeline
from kliento.core.demo import DemoOptions, pick
from kliento.surveys import scoring
from kliento.surveys.models import Response, StaffAnswer, StaffInvitation, Survey
from kliento.surveys.services import answering, definitions, loop

NPS_WEIGHTS = [2, 1, 1, 2, 2, 4, 5, 10, 16, 24, 33]  # 0…10
CSAT_WEIGHTS = [3, 5, 12, 35, 45]  # 1…5
CES_WEIGHTS = [30, 28, 17, 10, 7, 5, 3]  # 1…7, 1 = very easy
CHANNELS = [("email", 55), ("web_form", 15), ("chat", 10), ("phone", 12), ("social", 8)]
COMMENTS = {
    "good": ["Fast and friendly.", "Everything was clear.", "Great support, thank you!"],
    "bad": [
        "Waited too long for an answer.",
        "Nobody called me back.",
        "The delivery was late and nobody warned me.",
        "Too many steps to get a refund.",
    ],
}


def _q(text: str, low: str = "", high: str = "") -> definitions.QuestionSpec:
    return definitions.QuestionSpec(
        kind="scale", texts={"en": text}, low_labels={"en": low}, high_labels={"en": high}
    )


SURVEYS = [
    definitions.SurveySpec(
        name="Relationship NPS",
        kind="nps",
        questions=[
            _q("How likely are you to recommend us to a friend?", "Not at all", "Extremely"),
            definitions.QuestionSpec(kind="text", texts={"en": "What is the main reason?"}),
        ],
        follow_up_texts={"en": "What should we improve?"},
        follow_up_max_score=8,
        public=True,
    ),
    definitions.SurveySpec(
        name="Satisfaction after purchase",
        kind="csat",
        questions=[_q("How satisfied are you with your purchase?", "Very poor", "Excellent")],
        follow_up_texts={"en": "What went wrong?"},
        follow_up_max_score=3,
    ),
    definitions.SurveySpec(
        name="Effort to get help",
        kind="ces",
        scale="1-7",
        direction="low_easy",
        questions=[_q("How easy was it to get your issue solved?", "Very easy", "Very hard")],
    ),
]


def load(options: DemoOptions) -> None:
    if Survey.objects.exists():
        options.report("Surveys: already there.")
        return
    rng = random.Random(8)
    ids = list(clients.search_clients(clients.ClientFilters()).values_list("pk", flat=True)[:2000])
    staff = list(clients.staff().values_list("pk", flat=True))
    if not ids:
        return
    now = timezone.now()
    with transaction.atomic():
        created = [definitions.create_survey(actor=None, spec=spec) for spec in SURVEYS]
        rows: list[Response] = []
        weights = {"nps": NPS_WEIGHTS, "csat": CSAT_WEIGHTS, "ces": CES_WEIGHTS}
        for survey in created:
            first = survey.questions.order_by("position").first()
            assert first is not None
            low = 0 if survey.kind == "nps" else 1
            points = list(range(low, low + len(weights[survey.kind])))
            for client_id in rng.sample(ids, min(len(ids), 400)):
                when = now - dt.timedelta(days=rng.randint(0, 730), minutes=rng.randint(0, 1440))
                score = rng.choices(points, weights[survey.kind])[0]
                poor = scoring.read_score(survey.kind, survey.scale, survey.direction, score).poor
                comment = (
                    rng.choice(COMMENTS["bad" if poor else "good"]) if rng.random() < 0.4 else ""
                )
                channel = rng.choices([c for c, _w in CHANNELS], [w for _c, w in CHANNELS])[0]
                rows.append(
                    Response(
                        survey=survey,
                        client_id=client_id,
                        agent_id=rng.choice(staff) if staff and rng.random() < 0.6 else None,
                        channel=channel,
                        language="en",
                        score=score,
                        answers={str(first.pk): score},
                        comment=comment,
                        submitted_at=when,
                        updated_at=when,
                    )
                )
        Response.objects.bulk_create(rows, batch_size=2000)
        timeline.record_many(
            timeline.NewEntry(
                client_id=r.client_id or 0,
                kind=answering.ANSWERED,
                summary=r.survey.name,
                occurred_at=r.submitted_at,
                data={
                    "survey_id": r.survey_id,
                    "response_id": r.pk,
                    "score": r.score,
                    "scale": r.survey.scale,
                },
            )
            for r in rows
        )
        recent = [r for r in rows if r.submitted_at > now - dt.timedelta(days=14)]
        opened = sum(1 for r in recent if loop.open_if_poor(r) is not None)
        staff_answers = _staff_survey(rng, now, options.language)
        _area_survey(ids, now)
    options.report(
        f"Surveys: {len(created)} surveys, {len(rows)} answers, {opened} follow-ups; "
        f"an anonymous eNPS with {staff_answers} answers."
    )


STAFF_SURVEY = {
    "en": "Staff eNPS",
    "ru": "eNPS сотрудников",
    "uk": "eNPS працівників",
    "pl": "eNPS pracowników",
}
# Staff answer in their own interface language, so the question is written in all four.
STAFF_QUESTION = definitions.QuestionSpec(
    kind="scale",
    texts={
        "en": "How likely are you to recommend working here?",
        "ru": "Насколько вероятно, что вы порекомендуете нашу компанию как место работы?",
        "uk": "Наскільки ймовірно, що ви порекомендуєте нашу компанію як місце роботи?",
        "pl": "Jak bardzo prawdopodobne jest, że polecisz naszą firmę jako miejsce pracy?",
    },
    low_labels={"en": "Not at all", "ru": "Точно нет", "uk": "Точно ні", "pl": "Zdecydowanie nie"},
    high_labels={
        "en": "Extremely",
        "ru": "Обязательно",
        "uk": "Обов'язково",
        "pl": "Zdecydowanie tak",
    },
)


def _staff_survey(rng: random.Random, now: dt.datetime, language: str) -> int:
    """An anonymous eNPS asked of everyone, answered by about four in five; named in the
    operator's language."""
    survey = definitions.create_survey(
        actor=None,
        spec=definitions.SurveySpec(
            name=pick(STAFF_SURVEY, language),
            kind="enps",
            anonymous=True,
            default_language=language if language in STAFF_SURVEY else "en",
            questions=[STAFF_QUESTION],
        ),
    )
    question = survey.questions.get()
    people = list(
        get_user_model()
        .objects.filter(is_active=True, groups__isnull=False)
        .distinct()
        .select_related("staff_profile")
    )
    StaffInvitation.objects.bulk_create(StaffInvitation(survey=survey, user=u) for u in people)
    answered = [u for u in people if rng.random() < 0.8]
    answers = []
    for user in answered:
        score = rng.choices(range(11), NPS_WEIGHTS)[0]
        profile = getattr(user, "staff_profile", None)
        answers.append(
            StaffAnswer(
                survey=survey,
                unit_id=profile.unit_id if profile is not None else None,
                period=now.strftime("%Y-%m"),
                score=score,
                answers={str(question.pk): score},
            )
        )
    StaffAnswer.objects.bulk_create(answers)
    StaffInvitation.objects.filter(survey=survey, user__in=answered).update(answered=True)
    return len(answered)


# Mean-ish client scores per area (1-5): speed is the weak side, which the self-assessment
# demo (kliento.metrics) shows staff overrating.
AREA_WEIGHTS = {
    "overall": [4, 8, 25, 40, 23],
    "speed": [10, 22, 35, 23, 10],
    "politeness": [2, 4, 12, 37, 45],
    "competence": [3, 6, 18, 42, 31],
}
AREA_QUESTIONS = {
    "overall": "Overall, how satisfied are you with our service?",
    "speed": "How quickly were you served?",
    "politeness": "How polite were we?",
    "competence": "How competent were the people who served you?",
}


def _area_survey(ids: list[int], now: dt.datetime) -> None:
    """A client survey whose questions are tagged by area of service, answered over the last
    90 days about the teams. Its own random stream, so the other demo data stay as they were."""
    from kliento.core.models import OrgUnit

    rng = random.Random(21)
    specs = [
        definitions.QuestionSpec(
            kind="scale",
            texts={"en": text},
            low_labels={"en": "Very poor"},
            high_labels={"en": "Excellent"},
            area=area,
        )
        for area, text in AREA_QUESTIONS.items()
    ]
    survey = definitions.create_survey(
        actor=None,
        spec=definitions.SurveySpec(name="Service by area", kind="csat", questions=specs),
    )
    questions = {q.area: q.pk for q in survey.questions.all()}
    teams = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.TEAM).values_list("pk", flat=True))
    rows = []
    for client_id in rng.sample(ids, min(len(ids), 240)):
        when = now - dt.timedelta(days=rng.randint(1, 89), minutes=rng.randint(0, 1440))
        answers = {
            str(questions[area]): rng.choices([1, 2, 3, 4, 5], weights)[0]
            for area, weights in AREA_WEIGHTS.items()
        }
        rows.append(
            Response(
                survey=survey,
                client_id=client_id,
                team_id=rng.choice(teams) if teams else None,
                channel="email",
                language="en",
                score=answers[str(questions["overall"])],
                answers=answers,
                submitted_at=when,
                updated_at=when,
            )
        )
    Response.objects.bulk_create(rows, batch_size=2000)
    timeline.record_many(
        timeline.NewEntry(
            client_id=r.client_id or 0,
            kind=answering.ANSWERED,
            summary=survey.name,
            occurred_at=r.submitted_at,
            data={"survey_id": survey.pk, "response_id": r.pk, "score": r.score, "scale": "1-5"},
        )
        for r in rows
    )
