"""Signed links: a personal invitation token, and nothing personal in the URL beyond it.

django.core.signing with a salt per purpose, so a token made for one purpose (an e-mailed
invitation) is refused for another; it expires after the survey's `link_days`. The token
carries only the invitation's id; a changed character makes the signature fail.
"""

from __future__ import annotations

from django.core import signing

INVITATION_SALT = "kliento.surveys.invitation"


class BadToken(Exception):
    """Tampered with, made for another purpose, or expired."""


class ExpiredToken(BadToken):
    pass


def invitation_token(invitation_id: int) -> str:
    return signing.dumps(invitation_id, salt=INVITATION_SALT, compress=False)


def read_invitation_token(token: str, *, max_age_days: int) -> int:
    try:
        value = signing.loads(token, salt=INVITATION_SALT, max_age=max_age_days * 86400)
    except signing.SignatureExpired as exc:
        raise ExpiredToken(str(exc)) from None
    except signing.BadSignature as exc:
        raise BadToken(str(exc)) from None
    if not isinstance(value, int):
        raise BadToken("not an invitation")
    return value


def peek_invitation_id(token: str) -> int | None:
    """The id the token claims, read without checking its age (the age depends on the
    survey, which the id names); the caller verifies with `read_invitation_token`."""
    try:
        value = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
