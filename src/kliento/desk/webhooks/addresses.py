"""Which URLs a webhook may target: the SSRF guard.

A manager types the URL, and Kliento's server makes the request: without a check, a webhook
could reach the cloud metadata service (169.254.169.254), the database port on localhost or
any host of the internal network and post case data there. The host is resolved and every
address it resolves to must be public, unless the endpoint explicitly allows private ones.
The check runs when the endpoint is saved and again before every delivery, and the delivery
connects to the address that was checked (a DNS answer that changes in between — DNS
rebinding — cannot slip a private address in).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line
    address: str  # the checked IP address the connection goes to


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
        or not address.is_global
    )


def resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise ValidationError({"url": _("The host name cannot be resolved.")}) from None
    found: list[IPAddress] = []
    for info in infos:
        raw = str(info[4][0]).split("%", 1)[0]  # an IPv6 scope ("fe80::1%eth0")
        address = ipaddress.ip_address(raw)
        if address not in found:
            found.append(address)
    return found


def check(url: str, *, allow_private: bool) -> Target:
    """The target of `url`, or a ValidationError on `url` saying why it is refused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError({"url": _("Enter a valid URL.")}) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": _("Enter an http:// or https:// URL.")})
    if parts.username or parts.password:
        raise ValidationError({"url": _("Put credentials in the receiver, not in the URL.")})
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(parts.hostname, port)
    if not addresses:
        raise ValidationError({"url": _("The host name cannot be resolved.")})
    if not allow_private and not all(is_public(a) for a in addresses):
        raise ValidationError(
            {
                "url": _(
                    "This address is private, loopback, link-local or reserved. Allow private "
                    "addresses explicitly if the receiver really is inside your network."
                )
            }
        )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, parts.hostname, port, path, str(addresses[0]))
