"""`Idempotency-Key` for the API's creating POSTs: a retry gets the first answer again.

The first request with a key inserts its record (status still empty) in a transaction of its
own, before doing anything; the unique (user, key) row is the lock. A concurrent request with
the same key fails that insert and finds the record: still running → 409 "in progress",
finished → the stored status and body. The same key with another method, path or body is a
client bug and answers 422. A request that fails (an error, a 4xx/5xx) leaves no record, so
it can be retried with the same key. Records are pruned after 24 hours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.http.request import RawPostDataException
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.desk.models import IdempotencyRecord

HEADER = "Idempotency-Key"
KEY_MAX = 255
KEEP = dt.timedelta(hours=24)
REPLAYED = "Idempotent-Replayed"

# What the wrapped work returns: the HTTP status and the JSON body (already plain data).
Result = tuple[int, Any]


def _error(status: int, message: str, kind: str) -> JsonResponse:
    detail = [{"loc": ["header", HEADER], "msg": message, "type": kind}]
    return JsonResponse({"detail": detail}, status=status)


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    try:
        digest.update(request.body)
    except RawPostDataException:
        # A multipart upload, already parsed: its fields and files instead of the raw bytes.
        for name, values in sorted(request.POST.lists()):
            digest.update(json.dumps([name, values]).encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(name.encode() + b"\0" + (upload.name or "").encode() + b"\0")
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    return digest.hexdigest()


def _answer(status: int, body: Any, *, replayed: bool = False) -> JsonResponse:
    response = JsonResponse(body, status=status, safe=False)
    if replayed:
        response[REPLAYED] = "true"
    return response


def run(request: HttpRequest, work: Callable[[], Result]) -> JsonResponse:
    """Do `work` once per idempotency key (or every time without one)."""
    key = request.headers.get(HEADER)
    if key is None:
        return _answer(*work())
    key = key.strip()
    if not key or len(key) > KEY_MAX or not key.isprintable():
        return _error(
            422,
            _("Send a key of 1 to %(max)d printable characters.") % {"max": KEY_MAX},
            "value_error",
        )
    user = request.user
    assert user.is_authenticated  # the API's token authentication ran first
    method, path = (request.method or "POST"), request.path[:500]
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                user=user,
                key=key,
                method=method,
                path=path,
                body_hash=_fingerprint(request),
                created_at=timezone.now(),
            )
    except IntegrityError:
        return _replay(request, key)
    try:
        status, body = work()
    except BaseException:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        raise
    if status >= 400:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return _answer(status, body)
    body = json.loads(json.dumps(body, default=str))
    IdempotencyRecord.objects.filter(pk=record.pk).update(status_code=status, response=body)
    return _answer(status, body)


def _replay(request: HttpRequest, key: str) -> JsonResponse:
    found = IdempotencyRecord.objects.filter(user_id=int(request.user.pk or 0), key=key).first()
    if found is None:
        # The first request failed and let the key go between our insert and this read.
        return _error(
            409, _("A request with this key was just being processed; send it again."), "conflict"
        )
    same = (
        found.method == request.method
        and found.path == request.path[:500]
        and found.body_hash == _fingerprint(request)
    )
    if not same:
        return _error(
            422,
            _(
                "This Idempotency-Key was already used for a different request. Use a new key "
                "for a new request."
            ),
            "idempotency_key_reused",
        )
    if found.status_code is None:
        response = _error(
            409,
            _("A request with this Idempotency-Key is still in progress; retry in a moment."),
            "in_progress",
        )
        response["Retry-After"] = "1"
        return response
    return _answer(found.status_code, found.response, replayed=True)


def prune(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    deleted, _rows = IdempotencyRecord.objects.filter(created_at__lt=now - KEEP).delete()
    return deleted


@task()
def prune_idempotency_keys() -> int:
    """The scheduler's daily-ish pass: forget keys older than 24 hours."""
    return prune()
