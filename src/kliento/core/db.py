"""The database under load: transactions that lose a race are retried, a busy database is told.

Two kinds of trouble come from concurrency rather than from bad input:

* **A conflict** (PostgreSQL's deadlock or serialization failure): the database rolled back one
  of two transactions that waited for each other. Running the loser again almost always works,
  so writes are wrapped in `retry_on_conflict`; what still fails becomes a 409 (`is_conflict`).
* **A busy database** (SQLite's "database is locked"): another writer, typically a large import,
  holds SQLite's single write lock. The write cannot go ahead now; the caller gets a 503 with
  `Retry-After` (`is_busy`) instead of a server error. Writes that are only bookkeeping
  (a token's last use, a user's last login) use `if_not_busy` and are skipped instead.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# PostgreSQL SQLSTATEs of a transaction that lost a race and may simply be run again.
_CONFLICT_STATES = {"40P01", "40001"}  # deadlock_detected, serialization_failure
# How long a caller is told to wait before trying a write again while the database is busy.
RETRY_AFTER_SECONDS = 30
# How long a bookkeeping write waits for SQLite's write lock before it is skipped.
BRIEF_WAIT_MS = 200
# How many times a transaction that lost a race is run in all.
CONFLICT_ATTEMPTS = 5


def _sqlstate(exc: BaseException) -> str | None:
    cause = exc.__cause__ or exc.__context__
    return getattr(cause, "sqlstate", None) or getattr(exc, "sqlstate", None)


def is_conflict(exc: BaseException) -> bool:
    """A deadlock or serialization failure: the transaction was rolled back, retrying is safe."""
    return isinstance(exc, OperationalError) and _sqlstate(exc) in _CONFLICT_STATES


def is_busy(exc: BaseException) -> bool:
    """SQLite could not get its write lock in time (another writer holds it)."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def retry_on_conflict[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """Run the whole transaction again when it lost a deadlock or serialization race.

    Put it above `@transaction.atomic`. Inside an outer transaction nothing can be retried
    (the outer one is already aborted), so the error goes up to whoever started it.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        attempt = 1
        while True:
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                outer = connections[DEFAULT_DB_ALIAS].in_atomic_block
                if outer or attempt >= CONFLICT_ATTEMPTS or not is_conflict(exc):
                    raise
                logger.info("%s lost a race (%s); retrying", func.__qualname__, exc)
                time.sleep(random.uniform(0.01, 0.05) * attempt)
                attempt += 1

    return wrapper


@contextmanager
def _brief_busy_timeout(using: str) -> Iterator[None]:
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA busy_timeout = {BRIEF_WAIT_MS}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(previous)}")


def if_not_busy(write: Callable[[], object], *, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Do a bookkeeping write unless the database is busy; True when it was written.

    Outside a transaction only: inside one, a skipped write could not be told apart from the
    rest of the transaction.
    """
    if connections[using].in_atomic_block:
        write()
        return True
    try:
        with _brief_busy_timeout(using), transaction.atomic(using=using):
            write()
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        logger.info("database busy; skipped a bookkeeping write")
        return False
    return True


def note_login(sender: type[User], user: User, **kwargs: object) -> None:
    """`user_logged_in` receiver in place of Django's: the last login is bookkeeping."""
    from django.contrib.auth.models import update_last_login

    if_not_busy(lambda: update_last_login(sender, user))
