"""Running the web server with, optionally, a task worker in the same process."""

from __future__ import annotations

import logging
import threading

from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def start_worker_thread(*, interval: float = 1.0) -> threading.Thread:
    """Run django-tasks-db's worker loop in a daemon thread (the embedded mode)."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"embedded-{get_random_string(12)}",
        excluded_queue_names=[],
    )
    thread = threading.Thread(target=worker.run, name="kliento-worker", daemon=True)
    thread.start()
    return thread


def serve(*, host: str, port: int, threads: int) -> None:
    from waitress import serve as waitress_serve

    from kliento.wsgi import application

    waitress_serve(application, host=host, port=port, threads=threads, ident="Kliento")


def allowed_hosts_hint(host: str) -> str | None:
    """A line for the operator when the address served is not a host name Django will answer."""
    from django.conf import settings

    if host in settings.ALLOWED_HOSTS or "*" in settings.ALLOWED_HOSTS:
        return None
    return _(
        "Note: requests are answered only for the host names in ALLOWED_HOSTS (%(hosts)s); set "
        "ALLOWED_HOSTS to the name clients use to reach %(host)s."
    ) % {"hosts": ", ".join(settings.ALLOWED_HOSTS), "host": host}
