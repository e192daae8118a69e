"""The historical answer import at volume: rows spool to disk across batches, every row lands
with its score under the survey's first question, one bad row anywhere writes nothing."""

from __future__ import annotations

import pytest

from kliento.imports.common import ImportRejected
from kliento.imports.engine import ImportRequest, prepare
from kliento.imports.errors import ErrorCollector
from kliento.imports.registry import get_target
from kliento.surveys import importing
from kliento.surveys.models import Response
from tests.factories import ClientFactory
from tests.imports_helpers import do_import, write_csv
from tests.test_surveys import make_survey

pytestmark = pytest.mark.django_db

ROWS = importing.BATCH * 2 + 17  # three batches, the last one short


def _rows(survey, count: int) -> list[list]:
    rows = [["survey", "date", "client", "score", "comment", "channel"]]
    for n in range(count):
        rows.append([survey.code, "2024-03-01", f"R{n % 50}", str(n % 11), f"c{n}", "phone"])
    return rows


@pytest.fixture
def fifty_clients():
    return [ClientFactory(external_ref=f"R{n}") for n in range(50)]


def test_many_answers_are_spooled_and_all_written(tmp_path, manager, fifty_clients):
    survey = make_survey("nps")
    question = survey.questions.get()
    path = write_csv(tmp_path, _rows(survey, ROWS))
    outcome, errors = do_import(path, "survey-answers", actor=manager)
    assert errors == []
    assert outcome.rows == outcome.created == ROWS
    assert Response.objects.filter(imported=True, survey=survey).count() == ROWS
    last = Response.objects.get(comment=f"c{ROWS - 1}")
    assert last.score == (ROWS - 1) % 11
    assert last.answers == {str(question.pk): last.score}
    assert last.channel == "phone" and last.language == "" and last.invitation_id is None
    assert last.client_id == fifty_clients[(ROWS - 1) % 50].pk
    assert last.submitted_at.date().isoformat() == "2024-03-01"


def test_the_validator_hands_over_a_spool_not_a_list(tmp_path, fifty_clients):
    survey = make_survey("nps")
    path = write_csv(tmp_path, _rows(survey, ROWS))
    target = get_target(importing.KEY)
    table, mapping = prepare(ImportRequest(path, path.name, importing.KEY), target)
    errors = ErrorCollector()
    plan = target.validator(table, mapping, errors).run(lambda *a: None)
    try:
        assert isinstance(plan, importing.AnswerPlan)
        assert plan.rows == ROWS
        # Written in chunks of BATCH to the temporary file, read back in the same chunks.
        assert [len(chunk) for chunk in plan.chunks()] == [importing.BATCH] * 2 + [17]
    finally:
        plan.close()
        errors.close()
    assert plan.file.closed


def test_one_bad_row_at_the_end_writes_nothing(tmp_path, manager, fifty_clients):
    survey = make_survey("nps")
    rows = _rows(survey, ROWS)
    rows[-1][3] = "12"  # off the 0-10 scale, in the last batch
    path = write_csv(tmp_path, rows)
    outcome, errors = do_import(path, "survey-answers", actor=manager)
    assert isinstance(outcome, ImportRejected)
    assert [(row, column) for row, column, _m in errors] == [(ROWS + 1, "score")]
    assert not Response.objects.exists()
