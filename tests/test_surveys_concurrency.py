"""Two workers sending survey invitations at the same moment (PostgreSQL): every invitation is
mailed once, and a client is surveyed once within the quiet period even when two surveys race."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction

from kliento.surveys.models import Invitation
from kliento.surveys.services import definitions, inviting
from tests.factories import ClientFactory, ContactFactory
from tests.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the race needs two real connections and row-level locking (PostgreSQL)",
    ),
]


def _survey(kind: str) -> object:
    return definitions.create_survey(
        actor=None,
        spec=definitions.SurveySpec(
            name=kind,
            kind=kind,
            questions=[definitions.QuestionSpec(kind="scale", texts={"en": "Score?"})],
        ),
    )


def _clients(count: int) -> list[int]:
    ids = []
    for i in range(count):
        client = ClientFactory()
        ContactFactory(client=client, kind="email", value=f"race{i}@example.com")
        ids.append(client.pk)
    return ids


@pytest.fixture
def slow_mail(monkeypatch, settings):
    """Widen the race: each send takes a moment, while the other worker runs."""
    import time

    settings.KLIENTO_BASE_URL = "https://kliento.example"
    real = inviting._mail

    def slow(*args, **kwargs):
        time.sleep(0.02)
        return real(*args, **kwargs)

    monkeypatch.setattr(inviting, "_mail", slow)


def test_two_workers_on_the_same_batch_mail_each_invitation_once(slow_mail):
    survey = _survey("nps")
    ids = _clients(12)
    with transaction.atomic():
        inviting.invite_clients(actor=None, survey=survey, client_ids=ids)
    batch = inviting.pending_ids()
    assert len(batch) == 12
    outcomes: list[dict[str, int]] = []
    errors = run_together(
        lambda: outcomes.append(inviting.send_batch(batch)),
        lambda: outcomes.append(inviting.send_batch(list(reversed(batch)))),
    )
    assert not errors
    assert sum(o.get("sent", 0) for o in outcomes) == 12
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"race{i}@example.com" for i in range(12))
    assert set(Invitation.objects.values_list("status", flat=True)) == {"sent"}


def test_two_surveys_racing_for_one_client_send_one(slow_mail):
    first, second = _survey("nps"), _survey("csat")
    ids = _clients(8)
    with transaction.atomic():
        inviting.invite_clients(actor=None, survey=first, client_ids=ids)
        inviting.invite_clients(actor=None, survey=second, client_ids=ids)
    a = list(Invitation.objects.filter(survey=first).values_list("pk", flat=True))
    b = list(Invitation.objects.filter(survey=second).values_list("pk", flat=True))
    errors = run_together(lambda: inviting.send_batch(a), lambda: inviting.send_batch(b))
    assert not errors
    assert len(mail.outbox) == 8  # one per client, whichever survey won
    assert Invitation.objects.filter(status="skipped", skip_reason="quiet period").count() == 8
