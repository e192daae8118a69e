"""Inbound e-mail through the SMTP endpoint: messages per second, against the service alone.

    uv run python benchmarks/bench_desk_smtp.py [--repeat 30]   # 10 x repeat messages
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        uv run python benchmarks/bench_desk_smtp.py

Starts `kliento mail-server --port P` (and a task worker, in case the server hands the parsing
to one) on the benchmark database, sends N distinct e-mails with smtplib from N/5 senders (new
and known addresses, some replies threaded by "[C-…]" in the subject) over one connection per
ten messages, and measures

  accepted    messages per second the SMTP server accepted (the client's view);
  processed   messages per second until every message is in the database as a case message
              (polled by its Message-ID), the figure that matters;
  baseline    the same number of cases opened with `services.open_case` directly in this
              process: the desk's own work without SMTP, MIME parsing or the queue.

When the command is not there (the mail part of the desk not merged yet), or the server refuses
the recipient, the script says so and exits 0 without figures. `--to` sets the recipient
(default: support@example.com; the server must accept it).
"""

from __future__ import annotations

import os
import smtplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import harness

TIMEOUT = 120.0
# The venv's own `kliento`, whatever PATH says.
KLIENTO = str(Path(sys.executable).with_name("kliento"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mail_command() -> list[str] | None:
    """How to start the SMTP endpoint, or None when this Kliento has none."""
    from django.core.management import get_commands

    from kliento import cli

    aliases = getattr(cli, "ALIASES", {})
    if "mail-server" in aliases:
        return [KLIENTO, "mail-server"]
    for name in ("mail-server", "mail_server"):
        if name in get_commands():
            return [KLIENTO, name]
    return None


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _message(n: int, to: str, numbers: list[str]) -> EmailMessage:
    mail = EmailMessage()
    sender = n // 5
    mail["From"] = f"Benchmark Sender {sender} <sender{sender}@bench.example>"
    mail["To"] = to
    # Every fifth message answers a case the run made earlier (threading by number).
    if numbers and n % 5 == 4:
        mail["Subject"] = f"Re: [{numbers[n % len(numbers)]}] My order"
    else:
        mail["Subject"] = f"Order question {n}"
    mail["Message-ID"] = f"<bench-{os.getpid()}-{n}@bench.example>"
    mail.set_content(f"Hello,\n\nwhere is my order {n}? Thank you.\n\n-- \nSender {sender}\n")
    return mail


def main() -> int:
    args = harness.arguments(__doc__.split("\n\n")[0])
    to = os.environ.get("KLIENTO_BENCH_MAIL_TO", "support@example.com")
    count = max(20, args.repeat * 10)
    with harness.bench_database(min(args.scale, 0.01), args.seed):
        from django.db import connection
        from django.db.models import Count

        from kliento.clients.models import Client
        from kliento.desk import services
        from kliento.desk.models import Case, Message

        command = mail_command()
        if command is None:
            print(
                "  skipped: `kliento mail-server` is not there yet (the desk's mail part is not "
                "merged)."
            )
            return 0
        port = _free_port()
        env = dict(os.environ)  # the benchmark database's DATABASE_URL and data folder
        connection.close()
        server = subprocess.Popen([*command, "--host", "127.0.0.1", "--port", str(port)], env=env)
        worker = subprocess.Popen(
            [KLIENTO, "worker", "--queue-name", "*", "--interval", "0.2"], env=env
        )
        try:
            if not _wait_for_port(port, server):
                print(f"  skipped: {' '.join(command)} did not start listening on port {port}.")
                return 0
            # Stored with or without the angle brackets, whichever the mail part chose.
            raw_ids = [str(_message(n, to, []).get("Message-ID")) for n in range(count)]
            ids = raw_ids + [i.strip("<>") for i in raw_ids]
            started = time.perf_counter()
            numbers: list[str] = []
            for first in range(0, count, 10):
                with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
                    for n in range(first, min(first + 10, count)):
                        try:
                            smtp.send_message(_message(n, to, numbers))
                        except smtplib.SMTPRecipientsRefused as exc:
                            print(
                                f"  skipped: the server refused {to}: {exc.recipients}; set "
                                f"KLIENTO_BENCH_MAIL_TO."
                            )
                            return 0
                if not numbers:
                    numbers = list(Case.objects.order_by("pk").values_list("number", flat=True)[:5])
            accepted = time.perf_counter() - started
            while time.perf_counter() - started < TIMEOUT:
                done = Message.objects.filter(external_id__in=ids).count()
                if done >= count:
                    break
                time.sleep(0.2)
            processed = time.perf_counter() - started
            done = Message.objects.filter(external_id__in=ids).count()
        finally:
            for process in (server, worker):
                process.terminate()
            for process in (server, worker):
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        duplicates = (
            Message.objects.filter(external_id__in=ids)
            .values("external_id")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count()
        )
        clients = list(Client.objects.order_by("pk")[:200])
        base_started = time.perf_counter()
        for n in range(count):
            services.open_case(
                actor=None,
                draft=services.CaseDraft(
                    subject=f"Order question {n}", client=clients[n % len(clients)], channel="email"
                ),
                message=services.MessageDraft(
                    direction="in",
                    body_text=f"where is my order {n}?",
                    external_id=f"<base-{n}@bench.example>",
                ),
            )
        baseline = time.perf_counter() - base_started
        print(
            f"  {done}/{count} messages stored, {duplicates} stored twice, "
            f"{harness.database_label()}"
        )
        note = (
            f"{count / processed:,.1f} messages/s processed vs {count / baseline:,.1f}/s open_case"
        )
        harness.report(
            bench="desk-smtp",
            case=f"{count} e-mails accepted over SMTP",
            unit="s",
            value=harness.Timing.single(accepted),
            note=f"{count / accepted:,.1f} messages/s accepted",
        )
        harness.report(
            bench="desk-smtp",
            case=f"{count} e-mails processed into cases",
            unit="s",
            value=harness.Timing.single(processed),
            baseline=harness.Timing.single(baseline),
            baseline_name="open_case in process",
            note=note,
        )
        if done < count or duplicates:
            print("  FAILED: not every message was stored exactly once", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
