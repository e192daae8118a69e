"""The organisation tree (company → department → team → employee) and the roles."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse

from kliento.core import roles
from kliento.core.models import ApiToken, OrgUnit, StaffProfile, hash_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    company = OrgUnit.objects.create(name="Rytm", kind="company")
    sales = OrgUnit.objects.create(name="Sales", kind="department", parent=company)
    team = OrgUnit.objects.create(name="Studio A", kind="team", parent=sales)
    return company, sales, team


def test_a_team_knows_its_department_and_company(tree):
    company, sales, team = tree
    assert team.ancestors() == [sales, company]
    assert company.ancestors() == []


def test_a_unit_cannot_be_moved_under_itself_or_its_own_units(tree):
    """A cycle would hide the units in it from the organisation page and never end a walk up
    the tree (metrics roll up along it)."""
    from django.core.exceptions import ValidationError

    company, _sales, team = tree
    for new_parent in (company, team):
        company.parent = new_parent
        with pytest.raises(ValidationError) as caught:
            company.full_clean()
        assert "parent" in caught.value.message_dict
    company.parent = None
    team.parent = company  # a real move is fine
    team.full_clean()


def test_admin_refuses_a_cycle_in_the_tree(tree):
    from django.test import Client as HttpClient

    company, sales, team = tree
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    http = HttpClient()
    http.force_login(admin)
    response = http.post(
        reverse("admin:core_orgunit_change", args=[sales.pk]),
        {"name": "Sales", "kind": "department", "parent": team.pk},
    )
    assert response.status_code == 200  # the form again, with the error
    sales.refresh_from_db()
    assert sales.parent == company


def test_names_are_unique_within_a_parent_only(tree):
    company, sales, _team = tree
    OrgUnit.objects.create(name="Studio A", kind="team", parent=company)  # elsewhere: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(name="Studio A", kind="team", parent=sales)


def test_a_unit_with_children_cannot_be_deleted(tree):
    company, _sales, _team = tree
    with pytest.raises(IntegrityError), transaction.atomic():
        company.delete()


def test_organisation_page_shows_the_tree_with_its_people(as_auditor, tree):
    _company, _sales, team = tree
    marta = UserFactory(username="marta", first_name="Marta", last_name="Kowalska")
    StaffProfile.objects.create(user=marta, unit=team, position="Teacher")

    html = as_auditor.get(reverse("organisation")).content.decode()

    rytm, sales, studio = (html.index(n) for n in ("Rytm", "Sales", "Studio A"))
    assert rytm < sales < studio
    assert "Marta Kowalska" in html
    assert "(Teacher)" in html


def test_sync_roles_is_idempotent_and_restores_permissions():
    agent = Group.objects.get(name=roles.AGENT)
    agent.permissions.clear()
    roles.sync_roles()
    roles.sync_roles()
    assert agent.permissions.count() == len(roles.role_permissions()[roles.AGENT])
    assert Group.objects.filter(name__in=roles.ROLE_LABELS).count() == len(roles.ROLE_LABELS)


def test_roles_of_lists_only_kliento_roles():
    user = UserFactory(role=roles.AGENT)
    user.groups.add(Group.objects.create(name="book club"))
    assert roles.roles_of(user) == [roles.AGENT]


def test_navigation_names_the_users_role(as_agent):
    html = as_agent.get(reverse("clients:list")).content.decode()
    assert "· Agent" in html


def test_api_token_is_stored_only_as_a_hash(manager):
    token, raw = ApiToken.issue(user=manager, name="CI")
    assert raw.startswith("kl_")
    assert token.prefix == raw[:8]
    assert token.token_hash == hash_token(raw)
    assert raw not in token.token_hash
    _other, raw2 = ApiToken.issue(user=manager, name="CI 2")
    assert raw2 != raw


def test_login_and_logout(client, manager):
    response = client.post(reverse("login"), {"username": "manager", "password": "wrong"})
    assert response.status_code == 200
    assert "didn" in response.content.decode()  # the "didn't match" message
    response = client.post(reverse("login"), {"username": "manager", "password": "secret-pass-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("clients:list")).status_code == 302


def test_password_change(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "secret-pass-123",
            "new_password1": "Tango-Milonga-2026",
            "new_password2": "Tango-Milonga-2026",
        },
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password("Tango-Milonga-2026")


def test_serving_on_an_address_outside_allowed_hosts_says_so(settings):
    from kliento.core.serving import allowed_hosts_hint

    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    assert allowed_hosts_hint("127.0.0.1") is None
    assert "ALLOWED_HOSTS" in allowed_hosts_hint("0.0.0.0")
    settings.ALLOWED_HOSTS = ["*"]
    assert allowed_hosts_hint("0.0.0.0") is None


def test_health_needs_no_login_and_reports_the_database(client, db, monkeypatch):
    from django.db import DatabaseError

    response = client.get("/health/")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})

    def broken(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr("kliento.core.views.connection.cursor", broken)
    assert client.get("/health/").status_code == 503
