"""Signing per the Standard Webhooks specification (https://www.standardwebhooks.com/).

The secret is "whsec_" + base64 of random bytes; the signature of a delivery is
"v1," + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")), sent in the
`webhook-signature` header next to `webhook-id` and `webhook-timestamp`. Receivers verify
with any Standard Webhooks library or the few lines in docs/service-desk-api.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"
KEY_BYTES = 32


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def key_of(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key_of(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, msg_id, timestamp, body),
    }
