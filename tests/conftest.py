from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from kliento.core import roles
from tests.factories import ClientFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher takes ~0.5 s per password on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", role=roles.MANAGER)


@pytest.fixture
def agent(db):
    return UserFactory(username="agent", role=roles.AGENT)


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", role=roles.AUDITOR)


@pytest.fixture
def outsider(db):
    """Logged in, but holds no role in Kliento."""
    return UserFactory(username="outsider")


def _logged_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def as_manager(manager) -> HttpClient:
    return _logged_in(manager)


@pytest.fixture
def as_agent(agent) -> HttpClient:
    return _logged_in(agent)


@pytest.fixture
def as_auditor(auditor) -> HttpClient:
    return _logged_in(auditor)


@pytest.fixture
def as_outsider(outsider) -> HttpClient:
    return _logged_in(outsider)


@pytest.fixture
def client_card(db):
    return ClientFactory(name="Anna Nowak")


@pytest.fixture(autouse=True)
def _default_language():
    """A request made in another language leaves it active in this thread; reset it after
    each test so later tests (and their English assertions) are not affected."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def dovecot():
    """A private Dovecot IMAP server (tests/desk_mail_dovecot.py); skipped where the dovecot
    binary is not installed (.ci/run installs dovecot-imapd)."""
    from tests import desk_mail_dovecot

    if desk_mail_dovecot.dovecot_binary() is None:
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
    server = desk_mail_dovecot.start()
    yield server
    server.stop()
