"""Run by tests/test_sqlite_busy.py in its own process, on a real SQLite file.

A thread holds a write transaction (as an import's write phase does) while requests go through
the whole stack; what each request got is printed as JSON for the test to judge.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from typing import Any

from kliento.startup import prepare_data_dir

os.environ["DJANGO_SETTINGS_MODULE"] = "kliento.settings"
prepare_data_dir()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402

from kliento.clients.models import Client  # noqa: E402
from kliento.core import roles  # noqa: E402
from kliento.core.models import ApiToken  # noqa: E402
from kliento.core.tokens import issue_token  # noqa: E402

PASSWORD = "a-long-test-password-77"


def answer(response: Any, started: float) -> dict[str, Any]:
    return {
        "status": response.status_code,
        "seconds": round(time.monotonic() - started, 2),
        "type": response.get("Content-Type", ""),
        "retry_after": response.get("Retry-After"),
        "body": response.content.decode()[:2000],
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("manager", password=PASSWORD)
    user.groups.add(Group.objects.get(name=roles.MANAGER))
    client = Client.objects.create(name="Anna Nowak")
    _token, raw = issue_token(actor=user, user=user, name="probe")
    bearer = {"Authorization": f"Bearer {raw}"}
    api, ui = HttpClient(), HttpClient()
    results: dict[str, Any] = {}
    # Warm up (first requests load the URLconf and templates) with a token of its own, so the
    # probe's token has never been used: reading with it wants to note its first use.
    _warm, warm_raw = issue_token(actor=user, user=user, name="warm-up")
    api.get(f"/api/v1/clients/{client.pk}", headers={"Authorization": f"Bearer {warm_raw}"})
    HttpClient().get("/login/")

    holding, release = threading.Event(), threading.Event()

    def importer() -> None:
        db = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE clients_client SET notes = 'being imported' WHERE id = ?", [client.pk])
        holding.set()
        release.wait(timeout=120)
        db.execute("COMMIT")
        db.close()

    writer = threading.Thread(target=importer)
    writer.start()
    holding.wait(timeout=30)
    try:
        calls = {
            "api_read": lambda: api.get(f"/api/v1/clients/{client.pk}", headers=bearer),
            "api_list": lambda: api.get("/api/v1/clients", headers=bearer),
            "login": lambda: ui.post("/login/", {"username": "manager", "password": PASSWORD}),
            "ui_read": lambda: ui.get(f"/clients/{client.pk}/"),
            "api_write": lambda: api.patch(
                f"/api/v1/clients/{client.pk}",
                data=json.dumps({"notes": "from the API"}),
                content_type="application/json",
                headers=bearer,
            ),
            "ui_write": lambda: ui.post(
                f"/clients/{client.pk}/contacts/", {"kind": "email", "value": "a@example.com"}
            ),
        }
        for name, call in calls.items():
            started = time.monotonic()
            results[name] = answer(call(), started)
        results["token_used_while_busy"] = (
            ApiToken.objects.get(name="probe").last_used_at is not None
        )
    finally:
        release.set()
        writer.join(timeout=30)
    started = time.monotonic()
    results["api_write_after"] = answer(
        api.patch(
            f"/api/v1/clients/{client.pk}",
            data=json.dumps({"notes": "from the API"}),
            content_type="application/json",
            headers=bearer,
        ),
        started,
    )
    api.get(f"/api/v1/clients/{client.pk}", headers=bearer)
    results["token_used_after"] = ApiToken.objects.get(name="probe").last_used_at is not None
    results["saved_after"] = Client.objects.get(pk=client.pk).notes
    print(json.dumps(results))


if __name__ == "__main__":
    main()
