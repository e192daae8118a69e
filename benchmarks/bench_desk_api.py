"""Case creation through the JSON API: cases per second, against the service and a bare insert.

    uv run python benchmarks/bench_desk_api.py [--repeat 30]   # 10 x repeat cases each way
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        uv run python benchmarks/bench_desk_api.py

`POST /api/v1/cases` with a bearer token (`core.tokens.issue_token`, as `kliento issue_token`
makes it) through Django's test client, one case after another, each with its first message,
for `--count` cases; in interleaved rounds against

  service     `services.open_case(CaseDraft, MessageDraft)` called directly: what the API adds
              (authentication, parsing, validation, serialisation) is the difference;
  bare INSERT the case, its number, its message and its history line written with four plain
              INSERTs on the raw cursor: the floor.

The request body is built from the endpoint's OpenAPI schema (`/api/v1/openapi.json`): its
required fields get a subject, a client id, a channel and a message text by name. When the
endpoint is not there (the API part of the desk not merged yet) or refuses the body, the script
says so and exits 0 without figures.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import harness

PATH = "/api/v1/cases"


def _schema_body(client_id: int, n: int, spec: dict[str, Any]) -> dict[str, Any] | None:
    """A request body for POST /api/v1/cases from the OpenAPI document, or None."""
    operation = spec.get("paths", {}).get(PATH, {}).get("post")
    if operation is None:
        return None
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema = _resolve(content.get("schema", {}), spec)
    body: dict[str, Any] = {}
    for name, field in schema.get("properties", {}).items():
        field = _resolve(field, spec)
        value = _value(name, field, client_id, n, spec)
        if value is not None:
            body[name] = value
    return body


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        *_path, name = schema["$ref"].split("/")
        schema = spec["components"]["schemas"][name]
    for key in ("anyOf", "allOf", "oneOf"):
        if key in schema:
            found = [_resolve(s, spec) for s in schema[key] if s.get("type") != "null"]
            if found:
                return found[0]
    return schema


def _value(name: str, field: dict[str, Any], client_id: int, n: int, spec: dict[str, Any]) -> Any:
    key = name.lower()
    if key in ("client", "client_id"):
        return client_id
    if key == "subject":
        return f"API benchmark case {n}"
    if key == "channel":
        return "web_form"
    if key in ("body", "text", "body_text", "message_text") or (
        key in ("message", "first_message") and field.get("type") == "string"
    ):
        return f"Hello, this is benchmark message {n}."
    if key in ("message", "first_message") and field.get("type") == "object":
        return {
            sub: _value(sub, _resolve(f, spec), client_id, n, spec)
            for sub, f in field.get("properties", {}).items()
            if _value(sub, _resolve(f, spec), client_id, n, spec) is not None
        } or None
    if key == "direction":
        return "in"
    return None


def main() -> int:
    args = harness.arguments(__doc__.split("\n\n")[0])
    count = max(20, args.repeat * 10)
    with harness.bench_database(min(args.scale, 0.01), args.seed):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db import connection
        from django.test import Client as HttpClient

        from kliento.clients.models import Client
        from kliento.core import roles
        from kliento.core.tokens import issue_token
        from kliento.desk import services
        from kliento.desk.models import Case, CaseEvent, Message

        user = get_user_model().objects.create_user(username="bench-api", password=None)
        user.groups.add(Group.objects.get(name=roles.MANAGER))
        _token, raw = issue_token(actor=None, user=user, name="desk benchmark")
        client_ids = list(Client.objects.order_by("pk").values_list("pk", flat=True)[:1000])
        http = HttpClient(HTTP_AUTHORIZATION=f"Bearer {raw}")
        spec_response = http.get("/api/v1/openapi.json")
        spec = spec_response.json() if spec_response.status_code == 200 else {}
        body = _schema_body(client_ids[0], 0, spec)
        if body is None:
            print(f"  skipped: POST {PATH} is not in the API yet (the desk API is not merged).")
            return 0
        first = http.post(PATH, json.dumps(body), content_type="application/json")
        if first.status_code not in (200, 201):
            print(
                f"  skipped: POST {PATH} answered {first.status_code} to {body}: "
                f"{first.content[:500]!r} — adjust _value() to the endpoint's schema."
            )
            return 0
        counter = {"n": 1}

        def via_api() -> None:
            n = counter["n"] = counter["n"] + 1
            response = http.post(
                PATH,
                json.dumps(_schema_body(client_ids[n % len(client_ids)], n, spec)),
                content_type="application/json",
            )
            assert response.status_code in (200, 201), response.content[:300]

        def via_service() -> None:
            n = counter["n"] = counter["n"] + 1
            services.open_case(
                actor=user,
                draft=services.CaseDraft(
                    subject=f"Service benchmark case {n}",
                    client=Client(pk=client_ids[n % len(client_ids)]),
                    channel="web_form",
                ),
                message=services.MessageDraft(
                    direction="in", body_text=f"Hello, this is benchmark message {n}."
                ),
            )

        def bare_insert() -> None:
            n = counter["n"] = counter["n"] + 1
            now = _ts(time.time())
            with connection.cursor() as cursor:
                pk = _insert_row(
                    cursor,
                    Case,
                    {
                        "subject": f"Bare case {n}",
                        "client_id": client_ids[n % len(client_ids)],
                        "channel": "web_form",
                        "created_at": now,
                        "updated_at": now,
                    },
                )
                cursor.execute(
                    "UPDATE desk_case SET number = %s WHERE id = %s", [f"C-{pk:06d}", pk]
                )
                _insert_row(
                    cursor,
                    Message,
                    {
                        "case_id": pk,
                        "direction": "in",
                        "channel": "web_form",
                        "body_text": f"Hello {n}",
                        "created_at": now,
                    },
                )
                _insert_row(
                    cursor,
                    CaseEvent,
                    {
                        "case_id": pk,
                        "kind": "opened",
                        "data": '{"channel": "web_form"}',
                        "created_at": now,
                    },
                )

        before = Case.objects.count()
        rounds = max(1, count // 10)
        results = harness.compare(
            {
                "API": _batch(via_api, 10),
                "service": _batch(via_service, 10),
                "bare INSERT": _batch(bare_insert, 10),
            },
            repeat=rounds,
            warmup=1,
        )
        made = Case.objects.count() - before
        print(f"  {made} cases written, {harness.database_label()}")
        rates = {name: 10_000 / t.median for name, t in results.items()}  # per second
        for name in ("service", "bare INSERT"):
            harness.report(
                bench="desk-api",
                case="case creation, 10 cases per round",
                value=results["API"],
                baseline=results[name],
                baseline_name=name,
                note=f"API {rates['API']:,.0f}/s vs {name} {rates[name]:,.0f}/s",
            )
    return 0


def _insert_row(cursor, model, values: dict[str, Any]) -> int:
    """One plain INSERT of a row: the given values, every other column its model default."""
    from _desk_data import _defaults_for_other_columns
    from django.db import connection

    extra, params = _defaults_for_other_columns(model, set(values))
    columns = [*values, *extra]
    marks = ", ".join(["%s"] * len(columns))
    returning = " RETURNING id" if connection.vendor == "postgresql" else ""
    cursor.execute(
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({marks}){returning}",
        [*values.values(), *params],
    )
    return cursor.fetchone()[0] if returning else cursor.lastrowid


def _batch(fn, size: int):
    def run() -> None:
        for _ in range(size):
            fn()

    return run


def _ts(seconds: float):
    import datetime as dt

    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


if __name__ == "__main__":
    sys.exit(main())
