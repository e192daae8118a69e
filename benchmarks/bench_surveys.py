"""Surveys: the public survey page under load, and invitation sending throughput.

survey page under load — `wrk` against the real server (`kliento serve`, waitress, 8 threads)
                         for a few seconds on one client's personal link (GET /s/t/<token>/:
                         token check, rate-limit counters, the survey and its questions,
                         template); baseline: a static file (/static/surveys/survey.css) from
                         the same server in the same run. p50/p99 and requests per second.
                         The rate limit is raised for the run (its counters stay in the path);
                         without wrk (apt-get install wrk) this case is skipped.
sending                — `send_batch` over 500 pending invitations (claim, client's reach,
                         consent, quiet period, the e-mail rendered in the client's language,
                         sent to Django's in-memory mail backend); baseline: the same number of
                         plain e-mails rendered from the same templates and sent through the
                         same backend, without any of the bookkeeping.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import harness

DURATION = "8s"
CONNECTIONS = 16
INVITATIONS = 500


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wrk(url: str) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def latency(label: str) -> float:
        found = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert found, out
        return float(found.group(1)) * units[found.group(2)]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    assert rate, out
    assert non2xx is None, f"the page answered errors under load:\n{out}"
    return {"p50": latency("50%"), "p99": latency("99%"), "rps": float(rate.group(1))}


def _survey_and_clients(count: int) -> tuple[object, list[int]]:
    from django.db import transaction

    from kliento.clients.models import Client, ContactPoint
    from kliento.surveys.services import definitions

    survey = definitions.create_survey(
        actor=None,
        spec=definitions.SurveySpec(
            name=f"Bench NPS {time.time():.0f}",
            kind="nps",
            throttle_days=0,
            questions=[
                definitions.QuestionSpec(
                    kind="scale",
                    texts={"en": "Would you recommend us?", "pl": "Czy polecisz nas?"},
                    low_labels={"en": "Not at all"},
                    high_labels={"en": "Extremely"},
                ),
                definitions.QuestionSpec(kind="text", texts={"en": "Why?"}),
            ],
            follow_up_texts={"en": "What should we improve?"},
        ),
    )
    with_email = list(
        ContactPoint.objects.filter(kind="email", client__status=Client.Status.ACTIVE)
        .values_list("client_id", flat=True)
        .distinct()[:count]
    )
    with transaction.atomic():
        from kliento.surveys.services import inviting

        inviting.invite_clients(actor=None, survey=survey, client_ids=with_email)
    return survey, with_email


def main() -> None:
    args = harness.arguments("Surveys benchmark")
    with harness.bench_database(args.scale, args.seed):
        run(args)


def run(args) -> None:
    from django.conf import settings
    from django.core import mail
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string

    from kliento.surveys import tokens
    from kliento.surveys.models import Invitation, LastAsked
    from kliento.surveys.services import inviting

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.KLIENTO_BASE_URL = "https://kliento.example"
    mail.outbox = []
    print(f"\nSurveys on {harness.database_label()}")
    print(__doc__.split("\n\n", 1)[1].rstrip() + "\n")

    survey, clients = _survey_and_clients(INVITATIONS)
    LastAsked.objects.filter(client_id__in=clients).delete()
    pending = inviting.pending_ids(limit=INVITATIONS)
    sample = Invitation.objects.select_related("survey").get(pk=pending[0])

    started = time.perf_counter()
    outcome = inviting.send_batch(pending)
    sending = (time.perf_counter() - started) * 1000
    assert outcome.get("sent", 0) == len(pending), outcome
    context = {
        "name": "Anna",
        "survey": survey,
        "question": "Would you recommend us?",
        "low_label": "Not at all",
        "high_label": "Extremely",
        "scores": [(s, inviting.link(sample.pk, s)) for s in range(11)],
        "link": inviting.link(sample.pk),
        "reminder": False,
        "days": 30,
    }
    started = time.perf_counter()
    for _ in pending:
        message = EmailMultiAlternatives(
            subject=render_to_string("surveys/email_subject.txt", context).strip(),
            body=render_to_string("surveys/email.txt", context),
            to=["anna@example.com"],
        )
        message.attach_alternative(render_to_string("surveys/email.html", context), "text/html")
        message.send()
    plain = (time.perf_counter() - started) * 1000
    n = len(pending)
    harness.report(
        bench="surveys",
        case=f"sending {n} invitations ({n / sending * 1000:,.0f} per second)",
        value=harness.Timing.single(sending),
        baseline=harness.Timing.single(plain),
        baseline_name="plain e-mails",
    )

    if shutil.which("wrk") is None:
        print("  survey page under load: skipped (wrk is not installed)")
        return
    port = _free_port()
    env = {
        **os.environ,
        "KLIENTO_SURVEYS_RATE_PER_MINUTE": str(10**9),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    kliento = Path(sys.executable).with_name("kliento")
    harness._close_django_connections()
    server = subprocess.Popen(
        [str(kliento), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        page = f"{base}/s/t/{tokens.invitation_token(sample.pk)}/"
        static = f"{base}/static/surveys/survey.css"
        _wrk(page)  # warm-up
        figures = {"page": _wrk(page), "static": _wrk(static)}
    finally:
        server.terminate()
        server.wait(timeout=10)
    page_f, static_f = figures["page"], figures["static"]
    for label in ("p50", "p99"):
        harness.report(
            bench="surveys",
            case=f"survey page under load, {label} ({CONNECTIONS} connections)",
            value=harness.Timing.single(page_f[label]),
            baseline=harness.Timing.single(static_f[label]),
            baseline_name="static file",
        )
    harness.report(
        bench="surveys",
        case="survey page throughput",
        unit="req/s",
        value=harness.Timing.single(page_f["rps"]),
        baseline=harness.Timing.single(static_f["rps"]),
        baseline_name="static file",
    )


if __name__ == "__main__":
    main()
