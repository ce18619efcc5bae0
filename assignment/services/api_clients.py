import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from assignment.models import ApiClient

KEY_PREFIX = "lk_"
PREFIX_LENGTH = 12
VALID_SCOPES = {scope for scope, _ in ApiClient.SCOPES}


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_client_create(*, name: str, scopes: list[str]) -> tuple[ApiClient, str]:
    """A new client and its key; the key is returned once and only its hash is stored."""
    unknown = set(scopes) - VALID_SCOPES
    if unknown or not scopes:
        raise ValueError(f"Scopes must be some of {sorted(VALID_SCOPES)}; got {sorted(scopes)}.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        name=name, key_prefix=key[:PREFIX_LENGTH], key_hash=_hash(key), scopes=sorted(set(scopes))
    )
    return client, key


def api_client_authenticate(*, key: str) -> ApiClient | None:
    """The active client this key belongs to, else None (unknown, wrong or revoked)."""
    # Read on every API call: a raw query skips building the SQL (most of the ORM's cost here).
    table = ApiClient._meta.db_table
    found = ApiClient.objects.raw(
        f"SELECT * FROM {table} WHERE key_prefix = %s AND revoked_at IS NULL",  # noqa: S608 (our table)
        [key[:PREFIX_LENGTH]],
    )
    client = next(iter(found), None)
    if client is None or not hmac.compare_digest(client.key_hash, _hash(key)):
        return None
    now = timezone.now()
    if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
        # Written at most once a minute, so reads stay reads under load.
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


def api_client_revoke(*, client: ApiClient) -> None:
    """Revoke the client's key; requests with it are refused from now on."""
    ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
