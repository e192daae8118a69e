"""Spam protection and rate limits of the public web form, with no third-party service.

- A honeypot field people never see (bots fill every input).
- A signed token issued with the form: its time refuses a submission faster than a person
  types (MIN_AGE) and an old page (MAX_AGE); its nonce is accepted once (a replayed post).
- Counters in Django's cache per IP address and per e-mail address.
"""

from __future__ import annotations

import secrets
import time
from enum import Enum

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

SALT = "kliento.desk.contact"
MIN_AGE = 3  # seconds
MAX_AGE = 24 * 3600
HONEYPOT = "website"


class Verdict(Enum):
    OK = "ok"
    TOO_FAST = "too_fast"
    EXPIRED = "expired"
    REPLAYED = "replayed"
    FORGED = "forged"


def issue(now: float | None = None) -> str:
    return signing.dumps({"t": int(now or time.time()), "n": secrets.token_urlsafe(16)}, salt=SALT)


def check(token: str, now: float | None = None) -> Verdict:
    """Whether the form's token allows a submission now; the nonce is spent when it does."""
    now = now or time.time()
    try:
        data = signing.loads(token or "", salt=SALT)
        issued, nonce = int(data["t"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return Verdict.FORGED
    age = now - issued
    if age < MIN_AGE:
        return Verdict.TOO_FAST
    if age > MAX_AGE:
        return Verdict.EXPIRED
    if not cache.add(f"desk:contact:nonce:{nonce}", 1, MAX_AGE + 60):
        return Verdict.REPLAYED
    return Verdict.OK


def _count(key: str, window: int) -> int:
    cache.add(key, 0, window)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def ip_over_limit(request: HttpRequest) -> bool:
    limit = int(settings.KLIENTO_DESK_CONTACT_PER_IP)
    address = request.META.get("REMOTE_ADDR", "")
    return _count(f"desk:contact:ip:{address}", 3600) > limit


def email_over_limit(email: str) -> bool:
    limit = int(settings.KLIENTO_DESK_CONTACT_PER_EMAIL)
    return _count(f"desk:contact:email:{email.strip().lower()}", 3600) > limit


def thanks_token(number: str) -> str:
    return signing.dumps(number, salt=f"{SALT}.thanks")


def thanks_number(token: str) -> str | None:
    try:
        return str(signing.loads(token, salt=f"{SALT}.thanks", max_age=3600))
    except signing.BadSignature:
        return None
