"""Posting to a receiver someone typed into the admin, safely.

The URL must not reach inside our own network (loopback, private, link-local, cloud metadata): the
host is resolved and every address checked when the endpoint is saved *and* at each send, and the send
connects to the address that was checked (no second lookup for a rebinding DNS to change). Redirects are
not followed. The whole exchange has one deadline, however slowly the receiver answers, and at most a
few kilobytes of the answer are read; none of it is kept.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 5.0
DEADLINE = 15.0  # seconds for connect, send and answer together
KEEP_BYTES = 4096


class UnsafeUrl(ValueError):
    """A receiver URL that may not be used; the message says why."""


class HostNotFound(UnsafeUrl):
    """The host name does not resolve (yet)."""


class SendFailed(Exception):
    """The receiver could not be reached or did not answer in time; the message is ours, not theirs."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP address to connect to


def _forbidden(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback and settings.LADDER_WEBHOOK_ALLOW_LOOPBACK:
        return False
    return not address.is_global or address.is_multicast


def _parts(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl("Use an http:// or https:// address with a host name.")
    if parts.username or parts.password:
        raise UnsafeUrl("Put no user name or password in the address.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeUrl("The port is not a number from 1 to 65535.") from error
    path = parts.path or "/"
    return parts.scheme, parts.hostname.lower(), port, path + (f"?{parts.query}" if parts.query else "")


def resolve(url: str, *, trusted: bool = False) -> Target:
    """Check the URL and resolve its host to an address we may connect to; UnsafeUrl otherwise.

    `trusted`: the address comes from the deployment's own settings (not typed into the admin), so it
    may point inside the company's network.
    """
    scheme, host, port, path = _parts(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise HostNotFound(f"The host {host} cannot be found.") from error
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not trusted and host not in settings.LADDER_WEBHOOK_ALLOWED_HOSTS:
        bad = sorted({str(a) for a in addresses if _forbidden(a)})
        if bad:
            raise UnsafeUrl(
                f"{host} points inside a private network ({', '.join(bad)}); "
                "list it in LADDER_WEBHOOK_ALLOWED_HOSTS if that is intended."
            )
    return Target(scheme, host, port, path, str(addresses[0]))


def url_check(url: str) -> None:
    """Refuse a URL that is malformed or points at a forbidden address; a host that does not resolve
    yet is let through here and checked again at every send."""
    with contextlib.suppress(HostNotFound):
        resolve(url)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target):
        super().__init__(target.host, target.port, timeout=CONNECT_TIMEOUT)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), CONNECT_TIMEOUT)
        self.sock.settimeout(READ_TIMEOUT)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target):
        super().__init__(
            target.host, target.port, timeout=CONNECT_TIMEOUT, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), CONNECT_TIMEOUT)
        sock.settimeout(READ_TIMEOUT)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST the body; the answer's status code. UnsafeUrl or SendFailed when it cannot be sent."""
    return exchange(url, body, headers)[0]


def exchange(url: str, body: bytes, headers: dict[str, str], *, trusted: bool = False) -> tuple[int, bytes]:
    """POST the body; the answer's status code and its first few kilobytes.

    UnsafeUrl or SendFailed when it cannot be sent.
    """
    target = resolve(url, trusted=trusted)
    connection = (_PinnedHTTPS if target.scheme == "https" else _PinnedHTTP)(target)
    expired = threading.Event()

    def cut() -> None:  # the deadline: a receiver dripping bytes cannot hold the worker
        expired.set()
        if connection.sock is not None:
            with contextlib.suppress(OSError):  # already closed
                connection.sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(DEADLINE, cut)
    timer.start()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read(KEEP_BYTES)
        if expired.is_set():  # cut off: what was read so far ended early, so it is no answer
            raise SendFailed(f"no answer within {DEADLINE:.0f} s")
        return response.status, answer
    except (OSError, http.client.HTTPException) as error:
        if expired.is_set():
            raise SendFailed(f"no answer within {DEADLINE:.0f} s") from error
        raise SendFailed(type(error).__name__) from error
    finally:
        timer.cancel()
        connection.close()
