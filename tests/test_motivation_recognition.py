"""The recognition feed: thanks, praise and exemplary work merged; reactions toggle once."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from django.urls import reverse

from kliento.core.models import Notification
from kliento.motivation.models import Reaction, Thanks
from kliento.motivation.selectors import recognition_feed, recognition_for
from kliento.motivation.services import recognition
from kliento.quality import services as quality
from kliento.surveys.models import Praise
from tests.api_support import api_as, error_locs
from tests.motivation_support import answer, at, org
from tests.motivation_support import survey as make_survey
from tests.quality_support import checklist, evaluate
from tests.test_concurrency import run_together


@pytest.mark.django_db
def test_the_feed_merges_praise_exemplary_work_and_thanks_without_client_data():
    people = org()
    response = answer(make_survey("csat"), 5, at(2), agent=people["agent"])
    Praise.objects.create(
        response=response, text="Lovely service", client_label="Anna K.", employee=people["agent"]
    )
    _made, version = checklist(by=people["head"])
    done = evaluate(
        by=people["head"],
        version=version,
        outcomes=["pass", "pass", "pass"],
        employee_id=people["agent"].pk,
    )
    quality.mark_exemplary(actor=people["head"], evaluation=done, note="Textbook call")
    recognition.thank(actor=people["peer"], recipient_id=people["agent"].pk, message="Thanks!")
    kinds = {i.kind for i in recognition_feed(people["head"])}
    assert kinds == {"praise", "exemplary", "thanks"}
    mine = recognition_for(people["agent"].pk)
    assert len(mine) == 3
    assert recognition_for(people["peer"].pk) == []
    exemplary = next(i for i in mine if i.kind == "exemplary")
    assert exemplary.text == "Textbook call"
    assert Notification.objects.filter(recipient=people["agent"], kind=recognition.THANKED).exists()


@pytest.mark.django_db
def test_thanks_errors_and_reaction_toggle():
    people = org()
    with pytest.raises(ValidationError) as refused:
        recognition.thank(actor=people["agent"], recipient_id=people["agent"].pk, message=" ")
    assert set(refused.value.message_dict) == {"recipient_id", "message"}
    made = recognition.thank(actor=people["peer"], recipient_id=people["agent"].pk, message="Hi")
    key = {"item_kind": "thanks", "item_id": made.pk, "emoji": "heart"}
    assert recognition.toggle_reaction(actor=people["head"], **key) is True
    assert recognition.toggle_reaction(actor=people["peer"], **key) is True
    item = recognition_feed(people["head"])[0]
    assert item.reactions["heart"] == 2 and item.mine == {"heart"}
    assert recognition.toggle_reaction(actor=people["head"], **key) is False
    assert Reaction.objects.count() == 1
    with pytest.raises(ValidationError) as unknown:
        recognition.toggle_reaction(
            actor=people["head"], item_kind="thanks", item_id=999999, emoji="wink"
        )
    assert set(unknown.value.message_dict) == {"emoji"}


@pytest.mark.django_db
def test_the_page_and_api():
    people = org()
    http = HttpClient()
    http.force_login(people["agent"])
    sent = http.post(
        reverse("motivation:thank"),
        {"recipient_id": people["peer"].pk, "message": "For the handover"},
    )
    assert sent.status_code == 302 and Thanks.objects.count() == 1
    bad = http.post(reverse("motivation:thank"), {"recipient_id": "", "message": ""})
    assert bad.status_code == 400
    page = http.get(reverse("motivation:recognition"))
    assert "For the handover" in page.content.decode()
    api = api_as(people["head"])
    wrong = api.post("/motivation/reactions", {"item_kind": "nope", "item_id": 1, "emoji": "x"})
    assert wrong.status_code == 422
    assert ("body", "payload", "item_kind") in error_locs(wrong)
    thanks = Thanks.objects.get()
    on = api.post(
        "/motivation/reactions", {"item_kind": "thanks", "item_id": thanks.pk, "emoji": "star"}
    )
    assert on.json() == {"on": True}
    feed = api.get("/motivation/recognition", {"employee_id": people["peer"].pk}).json()
    assert feed[0]["reactions"]["star"] == 1 and feed[0]["mine"] == ["star"]
    posted = api.post("/motivation/thanks", {"recipient_id": people["agent"].pk, "message": "Yo"})
    assert posted.status_code == 201


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the race needs two real connections (PostgreSQL)",
)
def test_two_simultaneous_presses_make_one_reaction():
    people = org()
    made = recognition.thank(actor=people["peer"], recipient_id=people["agent"].pk, message="Hi")
    key = {"item_kind": "thanks", "item_id": made.pk, "emoji": "applause"}
    errors = run_together(
        lambda: recognition.toggle_reaction(actor=people["head"], **key),
        lambda: recognition.toggle_reaction(actor=people["head"], **key),
    )
    assert errors == []
    assert Reaction.objects.filter(user=people["head"]).count() <= 1
