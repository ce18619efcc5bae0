"""The issuer's Ed25519 signing key: from the environment or a file outside the repository, never committed.

`LADDER_CREDENTIAL_KEY` holds the key itself (PKCS#8 PEM, or the 32-byte seed in base64url);
otherwise `LADDER_CREDENTIAL_KEY_FILE` names a PEM file, which `manage.py credential_key_create` writes.
Public keys of earlier keys stay in the DID document (the file `<key file>.previous`, one Multikey a
line, and `LADDER_CREDENTIAL_PREVIOUS_KEYS`), so credentials signed before a rotation still verify.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from assessments.credentials.encoding import multikey, multikey_bytes, unb64url


class KeyUnavailable(Exception):
    """The signing key is missing or unreadable; the message says what to do."""


@dataclass(frozen=True)
class IssuerKey:
    private: Ed25519PrivateKey

    @property
    def public_bytes(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    @property
    def multikey(self) -> str:
        return multikey(self.public_bytes)


def _key_file() -> Path:
    return Path(settings.LADDER_CREDENTIAL_KEY_FILE)


def _parse(text: str, where: str) -> Ed25519PrivateKey:
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(unb64url(text))
    except ValueError as error:
        raise KeyUnavailable(f"{where} is not an Ed25519 private key ({error}).") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyUnavailable(f"{where} holds a key of another kind: Ladder signs with Ed25519.")
    return key


def signing_key() -> IssuerKey:
    """The current key; raises KeyUnavailable with what to set when there is none or it cannot be read."""
    if value := os.environ.get("LADDER_CREDENTIAL_KEY"):
        return IssuerKey(_parse(value, "LADDER_CREDENTIAL_KEY"))
    path = _key_file()
    try:
        text = path.read_text()
    except FileNotFoundError:
        raise KeyUnavailable(
            f"No credential signing key: {path} does not exist. Run `python manage.py credential_key_create` "
            "or set LADDER_CREDENTIAL_KEY."
        ) from None
    except OSError as error:
        raise KeyUnavailable(f"The credential signing key {path} cannot be read: {error.strerror}.") from None
    return IssuerKey(_parse(text, str(path)))


def previous_keys() -> list[str]:
    """Multikeys of earlier signing keys, still listed in the DID document."""
    found = [item.strip() for item in os.environ.get("LADDER_CREDENTIAL_PREVIOUS_KEYS", "").split(",")]
    path = Path(f"{_key_file()}.previous")
    if path.exists():
        found += [line.strip() for line in path.read_text().splitlines()]
    keys = []
    for item in found:
        if item and item not in keys:
            multikey_bytes(item)  # a wrong line fails loudly, not as a credential that will not verify
            keys.append(item)
    return keys


def public_key(multikey_text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(multikey_bytes(multikey_text))


def key_create(*, rotate: bool = False) -> tuple[Path, str, str | None]:
    """Write a new key file (0600); with rotate, the old key's public half goes to the `.previous` file.

    Returns the path, the new Multikey and the retired one (or None). Refuses to overwrite without rotate.
    """
    path = _key_file()
    retired = None
    if path.exists():
        if not rotate:
            raise KeyUnavailable(f"{path} already exists; pass --rotate to replace it.")
        retired = IssuerKey(_parse(path.read_text(), str(path))).multikey
        with open(f"{path}.previous", "a") as previous:
            previous.write(retired + "\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor = os.open(f"{path}.new", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    os.replace(f"{path}.new", path)
    return path, IssuerKey(key).multikey, retired
