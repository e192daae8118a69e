"""django-axes' database handler, with its bookkeeping on a successful login made skippable.

On a successful login axes deletes the person's expired and counted failures. Those are
bookkeeping writes: while a long import holds SQLite's write lock they would make the login
itself wait and fail, although the login needs no write of its own (sessions live outside the
database there). They are skipped when the database is busy and happen at the next login.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler

from kliento.core.db import if_not_busy


class BusyTolerantAxesHandler(AxesDatabaseHandler):
    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        parent = super().user_logged_in
        if_not_busy(lambda: parent(sender, request, user, **kwargs))
