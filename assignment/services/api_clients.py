import functools
import hashlib
import hmac
import secrets

from django.db import connection, transaction
from django.utils import timezone

from assignment.models import ApiClient
from lms import rows

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


# What a key's check reads, in the model's field order (`ApiClient.from_db` takes them so).
CHECKED = ("id", "key_hash", "scopes", "last_used_at")


def api_client_authenticate(*, key: str) -> ApiClient | None:
    """The active client this key belongs to, else None (unknown, wrong or revoked)."""
    # Read on every API call: a plain query for the four fields checked (the ORM building the SQL, or a
    # raw queryset mapping its columns, cost four times the query itself). The rest load if asked for.
    with rows.prepared() as cursor:
        cursor.execute(_key_query(connection.vendor), [key[:PREFIX_LENGTH]])
        row = cursor.fetchone()
    if row is None:
        return None
    client = ApiClient.from_db(connection.alias, CHECKED, rows.from_db(ApiClient, CHECKED, row))
    if not hmac.compare_digest(client.key_hash, _hash(key)):
        return None
    now = timezone.now()
    if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
        # Written at most once a minute, so reads stay reads under load.
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


@functools.cache
def _key_query(vendor: str) -> str:
    table = connection.ops.quote_name(ApiClient._meta.db_table)
    return (
        f"SELECT {rows.columns(ApiClient, CHECKED, 'c')} FROM {table} c "  # noqa: S608 (our table and columns)
        "WHERE c.key_prefix = %s AND c.revoked_at IS NULL"
    )


def api_client_revoke(*, client: ApiClient) -> None:
    """Revoke the client's key; requests with it are refused from now on."""
    ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
