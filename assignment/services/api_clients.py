import functools
import hashlib
import hmac
import secrets

from django.db import connection, transaction
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


# What a key's check reads, in the model's field order (`ApiClient.from_db` takes them so).
CHECKED = ("id", "key_hash", "scopes", "last_used_at")


def api_client_authenticate(*, key: str) -> ApiClient | None:
    """The active client this key belongs to, else None (unknown, wrong or revoked)."""
    # Read on every API call: a plain query for the four fields checked (the ORM building the SQL, or a
    # raw queryset mapping its columns, cost four times the query itself). The rest load if asked for.
    quote = connection.ops.quote_name
    columns = ", ".join(quote(ApiClient._meta.get_field(name).column) for name in CHECKED)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(ApiClient._meta.db_table)} "  # noqa: S608 (our table and columns)
            "WHERE key_prefix = %s AND revoked_at IS NULL",
            [key[:PREFIX_LENGTH]],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    client = ApiClient.from_db(
        connection.alias, CHECKED, [_read(name, v) for name, v in zip(CHECKED, row, strict=True)]
    )
    if not hmac.compare_digest(client.key_hash, _hash(key)):
        return None
    now = timezone.now()
    if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
        # Written at most once a minute, so reads stay reads under load.
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


def _read(name: str, value):
    """A stored value as the ORM would read it (the database's converters, then the field's)."""
    column, converters = _converters(connection.alias, name)
    for converter in converters:
        value = converter(value, column, connection)
    return value


@functools.cache
def _converters(alias: str, name: str) -> tuple:
    column = ApiClient._meta.get_field(name).get_col(ApiClient._meta.db_table)
    return column, connection.ops.get_db_converters(column) + column.get_db_converters(connection)


def api_client_revoke(*, client: ApiClient) -> None:
    """Revoke the client's key; requests with it are refused from now on."""
    ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
