"""Calibration: agreement statistics on published worked examples, blind scoring, and the
agreed reference score."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kliento.quality import agreement
from kliento.quality import selectors as quality_selectors
from kliento.quality.models import CalibrationSession, Evaluation
from kliento.quality.services import Answer, calibration
from tests.api_support import api_as
from tests.quality_reviews_support import case_checklist, people, resolved_case

N = None
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the nominal example with
# missing data: 4 observers, 12 units; published alpha (nominal) = 0.743.
KRIPPENDORFF = list(
    zip(
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
        strict=True,
    )
)
# Fleiss' kappa worked example (10 subjects, 14 raters, 5 categories; as in the Wikipedia
# article on Fleiss' kappa): P̄ = 0.378, P̄e = 0.213, kappa = 0.210.
FLEISS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_krippendorffs_alpha_matches_the_published_example_with_missing_data():
    assert agreement.krippendorff_alpha_nominal(KRIPPENDORFF) == pytest.approx(0.743, abs=5e-4)
    # Unit 12 (one value) and unit 11 (two of the same) are counted only where pairable.
    assert agreement.krippendorff_alpha_nominal([[1, N, N]]) is None


def test_fleiss_kappa_matches_the_worked_example():
    assert agreement.fleiss_kappa_counts(FLEISS) == pytest.approx(0.210, abs=5e-4)
    with pytest.raises(ValueError):
        agreement.fleiss_kappa_counts([[1, 1], [3, 0]])


def test_fleiss_kappa_from_ratings_uses_only_complete_units():
    # Three raters; the third unit has a missing rating and is left out.
    units = [["pass", "pass", "fail"], ["fail", "fail", "fail"], ["pass", N, "pass"]]
    # Hand-computed: p(pass)=2/6, p(fail)=4/6; P1 = 1/3, P2 = 1; P̄ = 2/3; P̄e = 5/9;
    # kappa = (2/3 - 5/9) / (4/9) = 0.25.
    result = agreement.fleiss_kappa(units)
    assert result.units_used == 2 and result.value == pytest.approx(0.25)


def test_percent_agreement_per_unit_and_pooled():
    units = [["pass", "pass", "fail"], ["pass", "pass", "pass"], ["na", N, N]]
    assert agreement.unit_agreement(units[0]) == pytest.approx(1 / 3)
    assert agreement.unit_agreement(units[1]) == 1
    assert agreement.unit_agreement(units[2]) is None
    assert agreement.percent_agreement(units) == pytest.approx(8 / 12)


def test_statistics_are_undefined_rather_than_invented():
    same = [["pass", "pass"], ["pass", "pass"]]
    assert agreement.percent_agreement(same) == 1
    assert agreement.krippendorff_alpha_nominal(same) is None  # no variation to judge
    assert agreement.fleiss_kappa(same).value is None
    assert agreement.percent_agreement([]) is None


@pytest.fixture
def setup(db):
    p = people()
    version = case_checklist(p["ewa"])[1]
    case = resolved_case(p["olena"])
    session = calibration.create_session(
        actor=p["marta"],
        title="March calibration",
        case_id=case.pk,
        version=version,
        reviewer_ids=[p["ewa"].pk, p["anna"].pk, p["marta"].pk],
    )
    items = list(version.items.order_by("position"))
    return p, session, items


def answers(items, outcomes):
    return [Answer(i.pk, o) for i, o in zip(items, outcomes, strict=True)]


@pytest.mark.django_db
def test_scoring_is_blind_until_one_submits_or_the_session_closes(client, setup):
    p, session, items = setup
    calibration.submit_score(
        actor=p["ewa"], session=session, answers=answers(items, ["pass", "pass", "na"])
    )
    url = reverse("qareviews:session", args=[session.pk])
    client.force_login(p["anna"])
    page = client.get(url).content.decode()
    assert 'id="agreement"' not in page and "Submit my scores" in page
    assert api_as(p["anna"]).get(f"/quality/calibrations/{session.pk}").json()["scores"] is None
    facilitator = api_as(p["marta"]).get(f"/quality/calibrations/{session.pk}").json()
    assert facilitator["scores_visible"] is False and facilitator["submitted"] == 1

    client.force_login(p["ewa"])
    assert 'id="agreement"' in client.get(url).content.decode()

    calibration.submit_score(
        actor=p["anna"], session=session, answers=answers(items, ["pass", "fail", "na"])
    )
    with pytest.raises(ValidationError):
        calibration.submit_score(
            actor=p["anna"], session=session, answers=answers(items, ["pass"] * 3)
        )
    with pytest.raises(ValidationError):  # only the facilitator closes
        calibration.close_session(actor=p["ewa"], session=session)
    calibration.close_session(actor=p["marta"], session=session)
    with pytest.raises(ValidationError):  # closed: no more scores
        calibration.submit_score(
            actor=p["marta"], session=session, answers=answers(items, ["pass"] * 3)
        )

    result = api_as(p["marta"]).get(f"/quality/calibrations/{session.pk}").json()
    assert result["scores_visible"] is True
    assert [i["agreement"] for i in result["items"]] == [1.0, 0.0, 1.0]
    assert result["percent_agreement"] == pytest.approx(2 / 3)
    assert result["scores"] == ["100.00", "0.00"]
    # Calibration scores measure the reviewers: they count in no one's compliance.
    assert Evaluation.objects.filter(kind="calibration", employee__isnull=False).count() == 0
    assert quality_selectors.evaluations_for_employee(employee_id=p["olena"].pk).count() == 0


@pytest.mark.django_db
def test_the_facilitator_records_the_agreed_reference_once(setup):
    p, session, items = setup
    with pytest.raises(ValidationError):  # not before the close
        calibration.record_reference(actor=p["marta"], session=session, answers=[], note="x")
    for who in ("ewa", "anna"):
        calibration.submit_score(
            actor=p[who], session=session, answers=answers(items, ["pass"] * 3)
        )
    calibration.close_session(actor=p["marta"], session=session)
    with pytest.raises(ValidationError):
        calibration.record_reference(
            actor=p["ewa"], session=session, answers=answers(items, ["pass"] * 3), note="x"
        )
    with pytest.raises(ValidationError) as error:
        calibration.record_reference(
            actor=p["marta"], session=session, answers=answers(items, ["pass"] * 3), note=""
        )
    assert "note" in error.value.message_dict
    ref = calibration.record_reference(
        actor=p["marta"],
        session=session,
        answers=answers(items, ["pass", "pass", "fail"]),
        note="Agreed",
    )
    session.refresh_from_db()
    assert session.reference == ref and ref.status == "completed"
    with pytest.raises(ValidationError):
        calibration.record_reference(
            actor=p["marta"], session=session, answers=answers(items, ["pass"] * 3), note="again"
        )


@pytest.mark.django_db
def test_a_session_needs_two_quality_reviewers(setup):
    p, session, _items = setup
    with pytest.raises(ValidationError) as error:
        calibration.create_session(
            actor=p["marta"],
            title="Too few",
            case_id=session.case_id,
            version=session.version,
            reviewer_ids=[p["ewa"].pk, p["olena"].pk],  # an agent is not quality staff
        )
    assert "reviewers" in error.value.message_dict
    assert CalibrationSession.objects.count() == 1


@pytest.mark.django_db
def test_an_agent_cannot_open_calibration(client, setup):
    p, session, _items = setup
    client.force_login(p["olena"])
    assert client.get(reverse("qareviews:session", args=[session.pk])).status_code == 403
    assert api_as(p["olena"]).get(f"/quality/calibrations/{session.pk}").status_code == 403
