"""The team, information-field and motivation demos in the operator's language: what the
operator reads there is Ukrainian when the demo is loaded in Ukrainian, with no English name
left; prepared reactions exist in all four languages; the mixed-language mentions still find
their situations; a second run in another language adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from kliento.core.demo import DemoOptions
from kliento.mentions import demo_texts as mention_texts
from kliento.mentions.models import Mention, Situation
from kliento.mentions.services import answering
from kliento.motivation import demo as motivation_demo
from kliento.motivation.models import Rule, Scheme, Thanks
from kliento.surveys.models import Survey
from kliento.team import demo_texts as team_texts
from kliento.team.models import (
    CandidateScore,
    Checkpoint,
    Competency,
    Course,
    OnboardingPlan,
    TrainingSession,
)

LANGUAGES = ("en", "ru", "uk", "pl")


def _in(language, texts):
    return {t[language] for t in texts}


@pytest.mark.django_db
def test_the_newer_demos_speak_ukrainian(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    call_command("demo", no_serve=True, clients=40, language="uk")

    courses = set(Course.objects.values_list("title", flat=True))
    assert "Уміння слухати та емпатія" in courses
    assert courses == _in("uk", [title for title, _kind, _text in team_texts.COURSES])
    assert not courses & _in("en", [title for title, _kind, _text in team_texts.COURSES])
    assert set(Course.objects.values_list("materials", flat=True)) == {team_texts.MATERIALS["uk"]}
    assert set(TrainingSession.objects.values_list("place", flat=True)) == {"Зал 2", "Онлайн"}
    competencies = set(Competency.objects.values_list("name", flat=True))
    every = team_texts.AGENT_COMPETENCIES + team_texts.LEAD_COMPETENCIES
    assert competencies == _in("uk", [name for name, *_rest in every])
    assert set(Competency.objects.values_list("assessment", flat=True)) == _in(
        "uk", [how for *_rest, how in every]
    )
    assert list(OnboardingPlan.objects.values_list("title", flat=True)) == [
        "Перший місяць на рецепції"
    ]
    assert set(Checkpoint.objects.values_list("title", flat=True)) == _in(
        "uk", [title for title, _kind, _day in team_texts.PLAN]
    )
    # The team climate page reads the surveys demo's staff eNPS.
    assert Survey.objects.get(kind="enps").name == "eNPS працівників"
    notes = set(CandidateScore.objects.exclude(note="").values_list("note", flat=True))
    assert notes == {team_texts.STRONG_EXAMPLE["uk"]}

    situations = set(Situation.objects.values_list("name", flat=True))
    assert "Кампанія конкурента" in situations
    assert situations == _in("uk", [entry.name for entry in mention_texts.CATALOGUE])
    assert not situations & _in("en", [entry.name for entry in mention_texts.CATALOGUE])
    competitor = Situation.objects.get(kind="competitor")
    assert competitor.step_list()[0] == "Повідомити відділ продажів"
    for situation in Situation.objects.exclude(kind__in=["competitor", "press"]):
        assert all(getattr(situation, f"reaction_{code}").strip() for code in LANGUAGES)

    # Mentions come in their own languages: sentiment and the rules still place them, and the
    # prepared answer is in the mention's language whatever the operator's.
    def mention(number):
        return Mention.objects.get(external_id=f"urn:kliento:demo:mention:{number}")

    assert mention(21).language == "uk" and mention(21).situation.kind == "price"
    assert mention(11).situation.kind == "price"  # Russian "цены"
    assert mention(17).language == "pl" and mention(17).situation.kind == "competitor"
    slow = mention(12)
    assert (slow.language, slow.sentiment, slow.situation.kind) == (
        "uk",
        "negative",
        "negative_review",
    )
    assert answering.prefill(slow).startswith(slow.author)
    assert mention_texts.SORRY["uk"].split(",")[1] in answering.prefill(slow)
    assert mention(16).sentiment == "positive" and mention(16).language == "pl"

    schemes = set(Scheme.objects.values_list("name", flat=True))
    assert schemes == {"Агенти, щомісяця", "Менеджери, щокварталу"}
    rules = set(Rule.objects.values_list("name", flat=True))
    assert "Премія за CSAT" in rules and "CSAT bonus" not in rules
    messages = set(Thanks.objects.values_list("message", flat=True))
    assert messages and messages <= _in("uk", [text for _from, _to, text in motivation_demo.THANKS])

    # A second load in Polish finds the schemes there and adds nothing.
    motivation_demo.load(DemoOptions(language="pl", report=lambda _m: None))
    assert Scheme.objects.count() == 2


def test_every_newer_demo_text_is_written_in_all_four_languages():
    texts = [
        *[t for name, _g, _a, _b, how in team_texts.AGENT_COMPETENCIES for t in (name, how)],
        *[t for name, _g, _a, _b, how in team_texts.LEAD_COMPETENCIES for t in (name, how)],
        *[t for title, _kind, text in team_texts.COURSES for t in (title, text)],
        *[title for title, _kind, _day in team_texts.PLAN],
        team_texts.PLAN_TITLE,
        team_texts.MATERIALS,
        *[t for e in mention_texts.CATALOGUE for t in (e.name, e.steps)],
        *[e.reactions for e in mention_texts.CATALOGUE if e.reactions],
        motivation_demo.AGENTS_SCHEME,
        motivation_demo.CSAT_BONUS,
        *[text for _from, _to, text in motivation_demo.THANKS],
    ]
    for text in texts:
        assert set(text) == set(LANGUAGES), text
        # Written, not copied from English.
        assert all(text[code] != text["en"] for code in ("ru", "uk", "pl")), text
