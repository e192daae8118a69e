"""Token management: the account page, the `issue_token` command, and their audit trail."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kliento.core import tokens
from kliento.core.models import ApiToken, AuditEntry
from kliento.core.tokens import issue_token
from tests.api_support import Api
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PAGE = "/account/tokens/"


def test_page_needs_a_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_create_shows_the_raw_token_once_and_it_works(as_agent, agent):
    response = as_agent.post(PAGE, {"name": "shop integration"})
    assert response.status_code == 200
    raw = response.context["raw"]
    assert raw and raw in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    token = ApiToken.objects.get(user=agent)
    assert token.name == "shop integration"
    assert Api(raw).get("/clients").status_code == 200
    # Listed afterwards by its prefix only.
    again = as_agent.get(PAGE).content.decode()
    assert "shop integration" in again and token.prefix in again and raw not in again
    audit = AuditEntry.objects.get(action="api_token.issued")
    assert (audit.actor, audit.target_id) == (agent, str(token.pk))


def test_blank_name_is_refused(as_agent):
    response = as_agent.post(PAGE, {"name": "   "})
    assert response.context["form"].errors
    assert not ApiToken.objects.exists()
    assert not AuditEntry.objects.exists()


def test_list_shows_only_my_tokens(as_agent, agent, manager):
    issue_token(actor=manager, user=manager, name="manager's secret tool")
    issue_token(actor=agent, user=agent, name="my tool")
    content = as_agent.get(PAGE).content.decode()
    assert "my tool" in content
    assert "secret tool" not in content


def test_revoke_my_token(as_agent, agent):
    token, raw = issue_token(actor=agent, user=agent, name="t")
    response = as_agent.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Api(raw).get("/clients").status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoked", target_id=str(token.pk)).exists()
    # A second revoke changes nothing and is not audited again.
    as_agent.post(reverse("api_token_revoke", args=[token.pk]))
    assert AuditEntry.objects.filter(action="api_token.revoked").count() == 1


def test_cannot_revoke_someone_elses_token(as_agent, manager):
    token, _raw = issue_token(actor=manager, user=manager, name="t")
    response = as_agent.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_needs_post(as_agent, agent):
    token, _raw = issue_token(actor=agent, user=agent, name="t")
    assert as_agent.get(reverse("api_token_revoke", args=[token.pk])).status_code == 405


def test_token_and_audit_are_one_transaction(agent, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(tokens, "_audit", broken)
    with pytest.raises(RuntimeError):
        issue_token(actor=agent, user=agent, name="t")
    assert not ApiToken.objects.exists()


def test_issue_token_command_prints_a_working_token(manager):
    out = io.StringIO()
    call_command("issue_token", "manager", "nightly sync", stdout=out)
    raw = out.getvalue().strip()
    assert Api(raw).get("/clients").status_code == 200
    assert ApiToken.objects.get().name == "nightly sync"
    assert AuditEntry.objects.get().action == "api_token.issued"


@pytest.mark.parametrize(
    ("args", "message"), [(["nobody", "x"], "nobody"), (["inactive", "x"], "inactive")]
)
def test_issue_token_command_refuses(db, args, message):
    UserFactory(username="inactive", is_active=False)
    with pytest.raises(CommandError, match=message):
        call_command("issue_token", *args, stdout=io.StringIO())
    assert not ApiToken.objects.exists()
