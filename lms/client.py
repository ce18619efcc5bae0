"""Who is asking: the client's address behind the configured number of trusted proxies."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind LADDER_TRUSTED_PROXIES proxies the address the outermost one saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the client is
    that many entries from the right; entries further left were written by the client and are ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.LADDER_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
