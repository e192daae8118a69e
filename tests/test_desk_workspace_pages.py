"""The agent workspace per persona: who sees the queue and the case page, who may act, and
that a case of another team is a 404 on every URL that names it (no IDOR)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from kliento.core import roles
from kliento.desk import services
from kliento.desk.models import Case, Message
from tests.desk_support import member, new_case, team

pytestmark = pytest.mark.django_db


def _login(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    support, billing = team("Support"), team("Billing")
    olena = member(support, "olena")
    ivan = member(billing, "ivan")
    case = new_case(team=support, subject="Broken kettle")
    message = services.add_message(
        actor=None,
        case=case,
        draft=services.MessageDraft(
            direction=Message.Direction.INBOUND,
            body_text="Photo attached",
            attachments=[services.AttachmentDraft(filename="kettle.txt", content=b"kettle")],
        ),
    )
    return {"case": case, "olena": olena, "ivan": ivan, "attachment": message.attachments.get()}


def _case_urls(case_id: int, attachment_id: int) -> list[tuple[str, str]]:
    gets = [
        ("get", reverse("desk:case", args=[case_id])),
        ("get", reverse("desk:script", args=[case_id])),
        ("get", reverse("desk:attachment", args=[attachment_id])),
        ("post", reverse("desk:presence", args=[case_id])),
    ]
    posts = [
        ("post", reverse(f"desk:{name}", args=[case_id]))
        for name in ("reply", "status", "take", "assign", "edit", "merge", "call", "macro")
    ]
    return gets + posts


def test_an_agent_of_another_team_gets_404_on_every_case_url(setup):
    http = _login(setup["ivan"])
    case = setup["case"]
    for method, url in _case_urls(case.pk, setup["attachment"].pk):
        data = {"body": "Hi", "status": "resolved", "priority": "high", "kind": "question"}
        response = getattr(http, method)(url, data) if method == "post" else http.get(url)
        assert response.status_code == 404, url
    case.refresh_from_db()
    assert case.assignee_id is None and case.status == Case.Status.NEW
    assert case.messages.count() == 2


def test_an_unknown_case_is_the_same_404(setup):
    http = _login(setup["olena"])
    assert http.get(reverse("desk:case", args=[999_999])).status_code == 404
    assert http.get(reverse("desk:attachment", args=[999_999])).status_code == 404


def test_the_team_agent_sees_the_case_with_its_conversation_and_forms(setup):
    http = _login(setup["olena"])
    response = http.get(reverse("desk:case", args=[setup["case"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Broken kettle" in html and "Photo attached" in html
    assert 'id="reply-form"' in html and 'id="take-case"' in html
    assert reverse("desk:attachment", args=[setup["attachment"].pk]) in html


def test_the_attachment_downloads_for_whoever_sees_the_case(setup):
    http = _login(setup["olena"])
    response = http.get(reverse("desk:attachment", args=[setup["attachment"].pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"kettle"
    assert response["Content-Type"] == "application/octet-stream"
    assert "attachment;" in response["Content-Disposition"]


def test_the_manager_sees_every_case_and_may_act(setup, manager):
    http = _login(manager)
    case = setup["case"]
    assert http.get(reverse("desk:case", args=[case.pk])).status_code == 200
    response = http.post(reverse("desk:status", args=[case.pk]), {"status": "on_hold"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.ON_HOLD


def test_the_auditor_reads_but_cannot_reply_or_change(setup, auditor):
    http = _login(auditor)
    case = setup["case"]
    page = http.get(reverse("desk:case", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="reply-form"' not in html and 'id="read-only"' in html
    for _method, url in _case_urls(case.pk, setup["attachment"].pk)[4:]:
        assert http.post(url, {"body": "Hi", "status": "resolved"}).status_code == 403, url
    assert http.get(reverse("desk:script", args=[case.pk])).status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.NEW and case.messages.count() == 2


def test_someone_without_a_role_is_refused_and_anonymous_sent_to_log_in(setup, outsider):
    http = _login(outsider)
    assert http.get(reverse("desk:queue")).status_code == 403
    assert http.get(reverse("desk:case", args=[setup["case"].pk])).status_code == 403
    anonymous = HttpClient().get(reverse("desk:queue"))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_the_queue_lists_the_team_cases_and_counts_them(setup):
    other = new_case(subject="Other team's", team=team("Sales"))
    http = _login(setup["olena"])
    response = http.get(reverse("desk:queue") + "?queue=team")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Broken kettle" in html and "Other team's" not in html
    assert 'data-queue="team"' in html
    assert other.number not in html


def test_queue_filters_and_search_narrow_the_list(setup):
    # No team yet: every agent sees it.
    new_case(subject="Fire", priority="urgent")
    http = _login(setup["olena"])
    url = reverse("desk:queue")
    assert "Fire" in http.get(url + "?queue=all&priority=urgent").content.decode()
    html = http.get(url + "?queue=all&priority=low").content.decode()
    assert "Broken kettle" not in html
    assert "Broken kettle" in http.get(url + "?queue=all&q=kettle").content.decode()
    # A value that is not understood is ignored, not an error page.
    assert http.get(url + "?queue=nonsense&team=abc&page=x").status_code == 200


def test_the_queue_answers_htmx_with_the_results_only(setup):
    http = _login(setup["olena"])
    response = http.get(reverse("desk:queue") + "?queue=team", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Broken kettle" in html and '<nav class="navbar' not in html


def test_pages_come_one_row_past_the_limit_without_counting(setup, settings):
    from kliento.desk.selectors import workspace

    for index in range(workspace.PAGE_SIZE + 1):
        new_case(subject=f"Bulk {index}", body="")
    http = _login(setup["olena"])
    first = http.get(reverse("desk:queue") + "?queue=unassigned").content.decode()
    assert 'id="next-page"' in first
    second = http.get(reverse("desk:queue") + "?queue=unassigned&page=2").content.decode()
    assert 'id="next-page"' not in second and "Previous" in second


def test_take_reports_who_took_the_case_first(setup):
    case = setup["case"]
    services.take(actor=member(case.team, "maria"), case=case)
    http = _login(setup["olena"])
    response = http.post(reverse("desk:take", args=[case.pk]), follow=True)
    assert "has already taken this case" in response.content.decode()


def test_the_menu_and_home_widget_show_the_desk(setup):
    http = _login(setup["olena"])
    home = http.get(reverse("home")).content.decode()
    assert reverse("desk:queue") in home and 'id="desk-widget"' in home
    assert 'data-queue="team">1<' in home


def test_history_names_people_teams_and_statuses(setup, manager):
    case = setup["case"]
    services.assign(actor=manager, case=case, assignee=setup["olena"])
    services.set_status(actor=manager, case=case, status="waiting")
    services.update_case(actor=manager, case=case, changes={"priority": "high"})
    html = _login(manager).get(reverse("desk:case", args=[case.pk])).content.decode()
    assert "Assignee: — → Staffer" in html or "Assignee: — → olena" in html
    assert "Status: New → Waiting on client" in html
    assert "Priority: Normal → High" in html


def test_history_follows_the_readers_language(setup, manager):
    case = setup["case"]
    services.set_status(actor=manager, case=case, status="waiting")
    http = _login(manager)
    url = reverse("desk:case", args=[case.pk])
    english = http.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    ukrainian = http.get(url, HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Status: New → Waiting on client" in english
    # The field's name is read in the reader's language when the page is drawn, not stored.
    assert "Статус: " in ukrainian and "Status: New" not in ukrainian


def test_a_role_that_may_not_work_cases_cannot_create_them(auditor):
    http = _login(auditor)
    assert http.get(reverse("desk:new_case")).status_code == 403
    assert roles.AUDITOR


def test_the_client_panel_shows_key_flag_portrait_stage_and_standards(setup, manager):
    from kliento.journeys import services as journeys
    from tests.factories import PortraitFactFactory
    from tests.journeys_helpers import make_journey
    from tests.standards_support import published

    case = setup["case"]
    client = case.client
    client.is_key = True
    client.save()
    PortraitFactFactory(client=client, text="Prefers calls after 5 pm", recorded_by=manager)
    _journey, stages = make_journey()
    journeys.move_client(actor=None, client_id=client.pk, to_stage=stages["Awareness"])
    published(by=manager, title="Stage rule", stage_ids=[stages["Awareness"].pk])
    published(
        by=manager,
        title="Mail replies",
        channels=["email"],
        scripts=[("Apology", "Sorry, {client_name}.")],
    )
    published(by=manager, title="Phone only", channels=["phone"])
    html = _login(setup["olena"]).get(reverse("desk:case", args=[case.pk])).content.decode()
    assert 'id="key-client"' in html
    assert "Prefers calls after 5 pm" in html
    assert "B2C: <strong>Awareness</strong>" in html
    assert "Stage rule" in html and "Mail replies" in html and "Phone only" not in html
    assert "Mail replies: Apology" in html


def _queries(http: HttpClient, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert http.get(url).status_code == 200
    return len(captured)


def test_the_queue_and_case_pages_do_not_query_per_row(setup, manager):
    from kliento.desk.models import CaseTag

    support = setup["case"].team
    http = _login(setup["olena"])
    url = reverse("desk:queue") + "?queue=team"
    tag = CaseTag.objects.create(name="vip")
    for case in [new_case(team=support) for _ in range(2)]:
        case.tags.add(tag)
    few = _queries(http, url)
    for case in [new_case(team=support) for _ in range(8)]:
        case.tags.add(tag)
        services.assign(actor=manager, case=case, assignee=setup["olena"])
    assert _queries(http, url) == few

    case_url = reverse("desk:case", args=[setup["case"].pk])
    http.get(case_url)  # the first visit also creates the viewer's presence row
    before = _queries(http, case_url)
    for index in range(5):
        services.add_message(
            actor=setup["olena"],
            case=setup["case"],
            draft=services.MessageDraft(direction=Message.Direction.NOTE, body_text=f"n{index}"),
        )
    assert _queries(http, case_url) == before
