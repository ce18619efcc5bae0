"""The encodings verifiable credentials use: base58btc multibase, Multikey, base64url without padding."""

import base64

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
# The multicodec prefix of an Ed25519 public key (varint 0xed), as did:key and Multikey write it.
_ED25519_PUB = b"\xed\x01"


def base58(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, digit = divmod(number, 58)
        text = _ALPHABET[digit] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def unbase58(text: str) -> bytes:
    number = 0
    for char in text:
        index = _ALPHABET.find(char)
        if index < 0:
            raise ValueError(f"{char!r} is not base58")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multibase(data: bytes) -> str:
    """base58btc multibase: `z` then base58."""
    return "z" + base58(data)


def unmultibase(text: str) -> bytes:
    if not text.startswith("z"):
        raise ValueError("only base58btc multibase (z…) is read")
    return unbase58(text[1:])


def multikey(public_key: bytes) -> str:
    """An Ed25519 public key as a Multikey `publicKeyMultibase` (z6Mk…)."""
    return multibase(_ED25519_PUB + public_key)


def multikey_bytes(text: str) -> bytes:
    raw = unmultibase(text)
    if not raw.startswith(_ED25519_PUB) or len(raw) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return raw[2:]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
