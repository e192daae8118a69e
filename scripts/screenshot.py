"""Regenerate docs/screenshot.png: a client card of the demo company, 1280x900.

    uv run python scripts/screenshot.py [--out docs/screenshot.png]

Starts `kliento demo` in a throw-away data folder on a free port, logs in with the admin
password it prints, opens a client with portrait facts and purchases, and screenshots the card
with Debian's Chromium (/usr/bin/chromium) through Playwright. Stops the server it started.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_demo(data_dir: Path, port: int) -> tuple[subprocess.Popen, str]:
    """Run `kliento demo`; return the process and the admin password once it serves."""
    env = {**os.environ, "KLIENTO_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "kliento.cli", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    password = None
    deadline = time.monotonic() + 300
    assert server.stdout is not None
    for line in server.stdout:
        print(f"  demo: {line.rstrip()}")
        if match := re.search(r"Log in as: (\S+) / (\S+)", line):
            password = match.group(2)
        if "Open http://" in line:
            break
        if time.monotonic() > deadline:
            break
    if password is None:
        server.terminate()
        raise SystemExit("kliento demo did not print the admin login")
    for _ in range(100):  # the server binds right after printing its address
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return server, password
        time.sleep(0.1)
    server.terminate()
    raise SystemExit("kliento demo did not start serving")


def pick_client(data_dir: Path) -> int:
    """A person with a rich card: purchases, many portrait facts, one due for confirmation."""
    os.environ["KLIENTO_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kliento.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import Count, Q
    from django.utils import timezone

    from kliento.clients.models import Client

    stale_before = timezone.now() - timedelta(days=settings.KLIENTO_PORTRAIT_MAX_AGE_DAYS)
    candidates = (
        Client.objects.filter(kind=Client.Kind.PERSON, status=Client.Status.ACTIVE)
        .exclude(company=None)
        .annotate(
            facts=Count("portrait_facts", distinct=True),
            stale=Count(
                "portrait_facts",
                filter=Q(portrait_facts__verified_at__lt=stale_before),
                distinct=True,
            ),
            buys=Count("purchases", distinct=True),
        )
        .filter(buys__gte=3)
        .order_by("-facts", "-buys", "pk")
    )
    client = candidates.filter(stale__gte=1).first() or candidates.first()
    if client is None:
        raise SystemExit("the demo company has no client with purchases")
    return client.pk


def screenshot(base: str, password: str, client_id: int, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page.goto(f"{base}/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")  # lands on "my work"
        page.goto(f"{base}/clients/{client_id}/")
        page.wait_for_load_state("networkidle")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")

    with tempfile.TemporaryDirectory(prefix="kliento-screenshot-") as tmp:
        data_dir = Path(tmp)
        port = free_port()
        server, password = start_demo(data_dir, port)
        try:
            client_id = pick_client(data_dir)
            screenshot(f"http://127.0.0.1:{port}", password, client_id, args.out)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    print(f"Saved {args.out}")


if __name__ == "__main__":
    main()
