"""Staff surveys: anonymous storage (no link to the person, no moment, no sequential id), one
answer per person, groups under five answers hidden (and the whole when it would give them away)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from kliento.core import roles
from kliento.core.models import Notification, OrgUnit, StaffProfile
from kliento.surveys import selectors
from kliento.surveys.models import StaffAnswer, StaffInvitation, Survey
from kliento.surveys.services import definitions, internal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def enps(anonymous: bool = True) -> Survey:
    return definitions.create_survey(
        actor=None,
        spec=definitions.SurveySpec(
            name="eNPS",
            kind="enps",
            anonymous=anonymous,
            questions=[
                definitions.QuestionSpec(
                    kind="scale", texts={"en": "Would you recommend working here?"}
                )
            ],
        ),
    )


def staff(unit: OrgUnit, count: int, prefix: str) -> list:
    people = []
    for i in range(count):
        user = UserFactory(username=f"{prefix}{i}", role=roles.AGENT)
        StaffProfile.objects.create(user=user, unit=unit)
        people.append(user)
    return people


@pytest.fixture
def teams(db):
    company = OrgUnit.objects.create(name="Company", kind="company")
    return {
        "sales": OrgUnit.objects.create(name="Sales", kind="team", parent=company),
        "care": OrgUnit.objects.create(name="Care", kind="team", parent=company),
        "company": company,
    }


def answer(user, survey, score: int, comment: str = "") -> None:
    internal.answer(
        user=user,
        survey=survey,
        answers={str(survey.questions.get().pk): score},
        comment=comment,
    )


def test_staff_kinds_are_asked_of_staff_and_only_they_can_be_anonymous():
    survey = enps()
    assert (survey.audience, survey.scale) == ("staff", "0-10")
    with pytest.raises(ValidationError) as caught:
        definitions.create_survey(
            actor=None,
            spec=definitions.SurveySpec(
                name="x",
                kind="nps",
                anonymous=True,
                questions=[definitions.QuestionSpec(kind="scale", texts={"en": "?"})],
            ),
        )
    assert "anonymous" in caught.value.message_dict


def test_an_anonymous_answer_keeps_no_link_to_its_person(teams):
    survey = enps()
    people = staff(teams["sales"], 2, "s")
    with transaction.atomic():
        assert internal.invite_staff(actor=None, survey=survey, unit=teams["company"]) == 2
    assert Notification.objects.filter(kind=internal.STAFF_INVITED).count() == 2
    answer(people[0], survey, 9, "Good team")
    stored = StaffAnswer.objects.get()
    assert stored.respondent_id is None and stored.unit == teams["sales"]
    assert len(stored.period) == 7  # the month only
    # Nothing on the answer can lead back to a person or a moment; a random key, no counter.
    fields = {f.name for f in StaffAnswer._meta.get_fields()}
    assert not {"created_at", "submitted_at", "updated_at", "user"} & fields
    assert not any(
        f.is_relation and f.related_model is StaffInvitation for f in StaffAnswer._meta.get_fields()
    )
    assert StaffAnswer._meta.pk.get_internal_type() == "UUIDField"
    invitation = StaffInvitation.objects.get(user=people[0])
    assert invitation.answered
    assert not {f.name for f in StaffInvitation._meta.get_fields()} & {"answered_at", "updated_at"}


def test_a_named_survey_keeps_the_person():
    survey = enps(anonymous=False)
    user = UserFactory(username="named", role=roles.AGENT)
    with transaction.atomic():
        internal.invite_staff(actor=None, survey=survey)
    answer(user, survey, 7)
    assert StaffAnswer.objects.get().respondent == user


def test_one_answer_per_person_and_only_when_asked():
    survey = enps()
    asked = UserFactory(username="asked", role=roles.AGENT)
    with transaction.atomic():
        internal.invite_staff(actor=None, survey=survey)
    answer(asked, survey, 10)
    with pytest.raises(ValidationError):
        answer(asked, survey, 0)
    stranger = UserFactory(username="late", role=roles.AGENT)
    with pytest.raises(ValidationError):
        answer(stranger, survey, 5)
    assert StaffAnswer.objects.count() == 1


def test_groups_under_five_are_hidden_and_so_is_a_whole_that_would_reveal_them(teams):
    survey = enps()
    sales = staff(teams["sales"], 6, "s")
    care = staff(teams["care"], 2, "c")
    with transaction.atomic():
        internal.invite_staff(actor=None, survey=survey)
    # Sales: 10, 10, 9, 8, 6, 3 -> 3 promoters, 2 detractors of 6: eNPS = 100 * 1/6 = 16.7.
    for user, score in zip(sales, [10, 10, 9, 8, 6, 3], strict=True):
        answer(user, survey, score)
    for user in care:
        answer(user, survey, 0, "Care is overloaded")
    overall, groups = selectors.staff_results(survey)
    by_name = {g.name: g for g in groups}
    assert by_name["Sales"].results is not None
    assert by_name["Sales"].results.headline.value == pytest.approx(100 / 6)
    assert by_name["Care"].results is None and by_name["Care"].n == 2
    assert overall.results is None  # everyone minus Sales would give Care's answers away
    care.append(staff(teams["care"], 3, "d"))
    with transaction.atomic():
        internal.invite_staff(actor=None, survey=survey)
    for user in care[2]:
        answer(user, survey, 9)
    overall, groups = selectors.staff_results(survey)
    assert overall.results is not None and overall.n == 11
    assert all(g.results is not None for g in groups)


def test_the_pages(teams, as_manager):
    survey = enps()
    people = staff(teams["sales"], 3, "p")
    response = as_manager.post(
        reverse("surveys:send_staff", args=[survey.pk]), {"unit": teams["sales"].pk}
    )
    assert response.status_code == 302
    assert StaffInvitation.objects.count() == 3
    from django.test import Client as HttpClient

    http = HttpClient()
    http.force_login(people[0])
    url = reverse("surveys:take", args=[survey.pk])
    page = http.get(url)
    assert "Anonymous" in page.content.decode()
    question = survey.questions.get()
    assert http.post(url, {f"q{question.pk}": "11"}).status_code == 400
    assert http.post(url, {f"q{question.pk}": "8"}).status_code == 302
    assert "You have answered" in http.get(url).content.decode()
    results = as_manager.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert "not shown" in results
