"""Scale-out check: two app servers, two task workers and two schedulers on one PostgreSQL
database, under load, and the invariants that must hold whatever process did the work.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        uv run python benchmarks/scale_out.py [--seconds 150] [--cases 100]

Not a timing benchmark: run it by hand (under run.py it only says so). It makes a throw-away
database next to DATABASE_URL's, loads the demo (`kliento demo --no-serve`: staff, clients, the
policy's escalation lists, the desk's demo cases), then starts

  2 x `kliento serve`                     (ports chosen free; /health/ must answer on both)
  2 x `kliento worker --queue-name '*'`   (django-tasks database workers)
  2 x `kliento scheduler --interval 5`    (each enqueues due periodic jobs; claims are conditional)
  2 x `kliento mail-server`               (when the desk's mail part is there)

and drives, for `--seconds`:

  * API: `--cases` POST /api/v1/cases, alternating between the two servers from 8 threads
    (when the endpoint is there), each with a unique subject;
  * mail: every e-mail sent to BOTH mail servers at once, same Message-ID (when there);
  * escalation: `--cases` cases opened long enough ago on a policy procedure with an
    escalation list for every level to be due, unassigned, left to the schedulers and workers.

Then it checks, from the database:

  1. every periodic job was enqueued at most once per period (two schedulers, one claim);
  2. every escalation step of a case happened once (no two "escalated" history lines for
     the same case and level) and no case is past its procedure's last level;
  3. every inbound e-mail (Message-ID) is stored once, in one case;
  4. every API request made one case (its subject exactly once);
  5. no task ran twice (each django-tasks result row finished once).

What could not be exercised (a part not merged yet) is printed as SKIPPED, not passed.
Exit code 1 when an invariant is broken.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import smtplib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.message import EmailMessage
from pathlib import Path

import harness

KLIENTO = str(Path(sys.executable).with_name("kliento"))


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _up(url: str, seconds: float = 300.0) -> bool:
    deadline = time.monotonic() + seconds
    error: object = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError) as exc:
            error = exc
            time.sleep(0.5)
    print(f"{url}: {error}")
    return False


def _listening(port: int, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.3)
    return False


class Processes:
    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs, self.running = env, logs, []

    def start(self, name: str, *args: str) -> subprocess.Popen:
        out = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen([KLIENTO, *args], env=self.env, stdout=out, stderr=out)
        self.running.append((name, process, out))
        return process

    def stop(self) -> None:
        for _name, process, _out in self.running:
            process.terminate()
        for _name, process, out in self.running:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
            out.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=150.0)
    parser.add_argument("--cases", type=int, default=100)
    # run.py runs every script here with its own options: this one starts servers and is run
    # by hand, so under run.py it only says so.
    args, _unknown = parser.parse_known_args()
    if os.environ.get(harness.SHARED_DB_ENV):
        print("scale_out.py starts servers and workers; run it by hand (see its docstring).")
        return 0
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("scale_out.py needs PostgreSQL: set DATABASE_URL=postgres://…")
        return 2
    checks: list[tuple[str, str]] = []  # (status, text)
    with harness.throwaway_database() as url:
        harness.setup_django(url)
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        print("loading the demo …", flush=True)
        call_command("demo", no_serve=True, clients=80, verbosity=0)
        import _scale_out_checks as checks_module

        setup = checks_module.prepare(args.cases)
        from django.db import connection

        connection.close()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "PYTHONUNBUFFERED": "1",
            "KLIENTO_SURVEYS_RATE_PER_MINUTE": "100000",
        }
        logs = Path(os.environ["KLIENTO_DATA_DIR"]) / "scale-out-logs"
        logs.mkdir(exist_ok=True)
        procs = Processes(env, logs)
        web = [_port(), _port()]
        try:
            # Servers first: on a busy machine six Django processes starting at once take
            # minutes; the rest start once the servers answer.
            for n, port in enumerate(web, start=1):
                procs.start(f"serve{n}", "serve", "--port", str(port), "--threads", "4")
            bases = [f"http://127.0.0.1:{port}" for port in web]
            if not all(_up(f"{base}/health/") for base in bases):
                print(f"the app servers did not come up; see {logs}")
                for log in sorted(logs.glob("*.log")):
                    print(f"--- {log.name}\n{log.read_text()[-1500:]}")
                return 1
            for n in (1, 2):
                procs.start(f"worker{n}", "worker", "--queue-name", "*", "--interval", "0.5")
                procs.start(f"scheduler{n}", "scheduler", "--interval", "5")
            mail_ports: list[int] = []
            mail = checks_module.mail_command()
            if mail:
                mail_ports = [_port(), _port()]
                for n, port in enumerate(mail_ports, start=1):
                    # `procs.start` runs kliento itself: the command's name and its options.
                    procs.start(f"mail{n}", *mail[1:], "--host", "127.0.0.1", "--port", str(port))
            print(
                f"2 servers, 2 workers, 2 schedulers{', 2 mail servers' if mail else ''} up; logs "
                f"in {logs}"
            )
            started = time.monotonic()
            checks += _drive_api(bases, setup, args.cases)
            checks += _drive_mail(mail_ports, args.cases)
            left = args.seconds - (time.monotonic() - started)
            print(f"letting the schedulers and workers run for {max(left, 0):.0f} s …", flush=True)
            time.sleep(max(left, 0))
        finally:
            procs.stop()
        checks += checks_module.verify(setup)
    failed = [text for status, text in checks if status == "FAIL"]
    for status, text in checks:
        print(f"  {status:7} {text}")
    return 1 if failed else 0


def _drive_api(bases: list[str], setup, count: int) -> list[tuple[str, str]]:
    if not setup.api_body:
        return [("SKIPPED", "API: POST /api/v1/cases is not there (the desk API is not merged)")]

    def post(n: int) -> int:
        body = dict(setup.api_body, subject=f"{setup.api_prefix}{n}")
        request = urllib.request.Request(
            f"{bases[n % 2]}/api/v1/cases",
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {setup.token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(post, range(count)))
    seconds = time.perf_counter() - started
    ok = sum(1 for s in statuses if s in (200, 201))
    setup.api_sent = ok
    status = "ok" if ok == count else "FAIL"
    return [
        (status, f"API: {ok}/{count} cases created over two servers ({count / seconds:,.1f}/s)")
    ]


def _drive_mail(ports: list[int], count: int) -> list[tuple[str, str]]:
    if not ports:
        return [
            (
                "SKIPPED",
                "mail: `kliento mail-server` is not there (the desk's mail part is not merged)",
            )
        ]
    to = os.environ.get("KLIENTO_BENCH_MAIL_TO", "support@example.com")

    def send(args: tuple[int, int]) -> bool:
        n, port = args
        mail = EmailMessage()
        mail["From"] = f"scale{n % 20}@scale.example"
        mail["To"] = to
        mail["Subject"] = f"Scale-out question {n}"
        mail["Message-ID"] = f"<scale-out-{n}@scale.example>"
        mail.set_content(f"Question number {n}.")
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
                smtp.send_message(mail)
            return True
        except (smtplib.SMTPException, OSError):
            return False

    # A loaded machine takes a while to start Django in each server.
    if not all(_listening(port, seconds=180.0) for port in ports):
        return [("FAIL", "mail: the mail servers did not listen")]
    # The same message to both servers at the same moment: it must be stored once.
    jobs = [(n, port) for n in range(count) for port in ports]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        accepted = sum(pool.map(send, jobs))
    return [
        (
            "ok" if accepted else "FAIL",
            f"mail: {accepted}/{len(jobs)} deliveries accepted ({count} messages, each to both "
            f"servers)",
        )
    ]


if __name__ == "__main__":
    sys.exit(main())
