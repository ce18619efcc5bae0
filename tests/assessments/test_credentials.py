"""Open Badges 3.0: credentials checked with code Ladder does not issue with (jwcrypto; pyld + cryptography
written out here), against the 1EdTech schema's constraints, revoked through the status list."""

import base64
import gzip
import hashlib
import io
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema_rs
import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from jwcrypto import jwk, jws
from PIL import Image
from pyld import jsonld
from pyld.documentloader.frozen import BUNDLED_CONTEXTS, FrozenDocumentLoader

from assessments import services
from assessments.credentials import documents, proofs
from assessments.credentials.keys import IssuerKey, signing_key
from assessments.models import BadgeCredential

T0 = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "ob_v3p0_achievementcredential_constraints.json").read_text()
)
OB_CONTEXT_FILE = Path(proofs.__file__).parent / "contexts" / "ob-v3p0-context-3.0.3.json"
LOADER = FrozenDocumentLoader(dict(BUNDLED_CONTEXTS, **{proofs.OB_CONTEXT: OB_CONTEXT_FILE}))
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(text: str) -> bytes:
    """base58btc, each leading "1" a zero byte: one Ed25519 signature in 256 starts with one."""
    number = 0
    for char in text:
        number = number * 58 + B58.index(char)
    zeros = len(text) - len(text.lstrip("1"))
    return bytes(zeros) + (number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b"")


def test_the_base58_reader_keeps_leading_zero_bytes():
    # The vectors of the base58 encoding draft (draft-msporny-base58, section 5).
    assert b58decode("2NEpo7TZRRrLZSi2U") == b"Hello World!"
    assert b58decode("11233QC4") == b"\x00\x00\x28\x7f\xb4\xcd"
    assert b58decode("1") == b"\x00"


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def awarded(worker, badge, assistant, django_capture_on_commit_callbacks, now=T0):
    """An award, and its credential signed as the after-commit task does (the broker is not running here)."""
    with django_capture_on_commit_callbacks() as callbacks:
        award = services.badge_award(worker=worker, badge=badge, by=assistant, reason="Prior work", now=now)
    assert callbacks, "signing is scheduled after commit"
    credential = BadgeCredential.objects.filter(award=award).latest("pk")
    return award, services.credential_sign(credential_id=credential.pk)


def did_keys(client) -> dict:
    document = client.get("/.well-known/did.json").json()
    return {method["id"]: method for method in document["verificationMethod"]}


def di_valid(secured: dict, public: bytes) -> bool:
    """eddsa-rdfc-2022 verification (VC-DI-EdDSA §3.3.2), written from the specification."""
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    options = {k: v for k, v in secured["proof"].items() if k != "proofValue"}
    options["@context"] = secured["@context"]
    rdfc = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": LOADER}
    data = (
        hashlib.sha256(jsonld.normalize(options, rdfc).encode()).digest()
        + hashlib.sha256(jsonld.normalize(unsecured, rdfc).encode()).digest()
    )
    assert secured["proof"]["proofValue"].startswith("z")
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(b58decode(secured["proof"]["proofValue"][1:]), data)
    except Exception:
        return False
    return True


def multikey_public(method: dict) -> bytes:
    raw = b58decode(method["publicKeyMultibase"][1:])
    assert raw[:2] == b"\xed\x01"
    return raw[2:]


def test_an_award_is_issued_as_a_credential_both_ways(
    worker, badge, assistant, client, django_capture_on_commit_callbacks
):
    award, credential = awarded(worker, badge, assistant, django_capture_on_commit_callbacks)
    assert credential.signed_at and credential.valid_until == award.expires_at
    document = credential.document
    keys = did_keys(client)

    # VC-JOSE, checked by jwcrypto with the JWK the DID document publishes for the header's kid.
    token = jws.JWS()
    token.deserialize(credential.jwt)
    header = token.jose_header
    assert header["typ"] == "vc+jwt" and header["alg"] == "EdDSA"
    token.verify(jwk.JWK(**keys[header["kid"]]["publicKeyJwk"]))
    payload = json.loads(token.payload)
    assert payload == {k: v for k, v in document.items() if k != "proof"}

    # Data Integrity, checked by the specification's steps above with the Multikey it names.
    method = keys[document["proof"]["verificationMethod"]]
    assert method["type"] == "Multikey"
    assert di_valid(document, multikey_public(method))

    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["issuer"]["id"] == "did:web:testserver"
    assert document["validFrom"] == "2026-01-10T12:00:00Z"
    assert document["validUntil"] == "2027-01-10T12:00:00Z"
    subject = document["credentialSubject"]
    assert subject["achievement"]["name"] == badge.name
    identity = subject["identifier"][0]
    assert (
        identity["identityHash"]
        == "sha256$" + hashlib.sha256((worker.user.email + award.recipient_salt).encode()).hexdigest()
    )
    jsonschema_rs.validator_for(SCHEMA).validate(document)
    jsonschema_rs.validator_for(SCHEMA).validate(payload)


def test_every_field_means_something_in_json_ld(worker, badge, assistant, django_capture_on_commit_callbacks):
    """A term the contexts do not define would be dropped silently by expansion, and go unsigned."""
    _, credential = awarded(worker, badge, assistant, django_capture_on_commit_callbacks)
    expanded = json.dumps(jsonld.expand(credential.document, {"documentLoader": LOADER}))
    for value in (badge.name, credential.award.recipient_salt, "BitstringStatusListEntry", "achievementType"):
        assert value in expanded, value
    compacted = jsonld.compact(
        jsonld.expand(credential.document, {"documentLoader": LOADER}),
        {"@context": credential.document["@context"]},
        {"documentLoader": LOADER},
    )
    assert set(compacted) - {"@context"} == set(credential.document) - {"@context"}
    assert set(compacted["credentialSubject"]) == set(credential.document["credentialSubject"])


def test_a_tampered_credential_fails_both_checks(
    worker, badge, assistant, client, django_capture_on_commit_callbacks
):
    _, credential = awarded(worker, badge, assistant, django_capture_on_commit_callbacks)
    keys = did_keys(client)
    changed = json.loads(json.dumps(credential.document))
    changed["credentialSubject"]["achievement"]["name"] = "Team lead"
    assert not di_valid(changed, multikey_public(keys[changed["proof"]["verificationMethod"]]))
    head, body, signature = credential.jwt.split(".")
    payload = json.loads(b64decode(body))
    payload["validUntil"] = "2099-01-01T00:00:00Z"
    forged = (
        head
        + "."
        + base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
        + "."
        + signature
    )
    token = jws.JWS()
    token.deserialize(forged)
    with pytest.raises(jws.InvalidJWSSignature):
        token.verify(jwk.JWK(**keys[token.jose_header["kid"]]["publicKeyJwk"]))


def status_bit(client, url: str, index: int) -> int:
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    status = response.json()
    keys = did_keys(client)
    assert di_valid(status, multikey_public(keys[status["proof"]["verificationMethod"]]))
    encoded = status["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    bits = gzip.decompress(b64decode(encoded[1:]))
    assert len(bits) * 8 >= 131_072
    return (bits[index // 8] >> (7 - index % 8)) & 1


def test_a_revocation_flips_the_status_list_within_a_minute(
    worker, badge, assistant, client, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False) as clock:
        award, credential = awarded(worker, badge, assistant, django_capture_on_commit_callbacks)
        entry = credential.document["credentialStatus"]
        assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
        url, index = entry["statusListCredential"], int(entry["statusListIndex"])
        assert status_bit(client, url, index) == 0
        services.badge_revoke(award=award, by=assistant, reason="Copied answers")
        clock.shift(timedelta(seconds=31))
        assert status_bit(client, url, index) == 1
    assert client.get(reverse("credential_status_list", args=[999])).status_code == 404
    # The list stays published when its first credential is gone (a worker deleted), while others use it.
    services.badge_award(worker=worker, badge=badge, by=assistant, reason="Re-assessed", now=T0)
    BadgeCredential.objects.filter(pk=credential.pk).delete()
    assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_a_renewal_issues_a_new_credential_with_the_new_validity(
    worker, badge, assistant, django_capture_on_commit_callbacks
):
    award, first = awarded(worker, badge, assistant, django_capture_on_commit_callbacks)
    services.badge_award(
        worker=worker, badge=badge, by=assistant, reason="Re-assessed", now=T0 + timedelta(days=100)
    )
    second = BadgeCredential.objects.filter(award=award).exclude(pk=first.pk).get()
    second = services.credential_sign(credential_id=second.pk)
    assert second.document["validUntil"] == "2027-04-20T12:00:00Z"
    assert (
        second.document["credentialStatus"]["statusListIndex"]
        != first.document["credentialStatus"]["statusListIndex"]
    )


def test_downloads_are_the_workers_own(
    worker, make_worker, badge, assistant, client, django_capture_on_commit_callbacks
):
    award, credential = awarded(worker, badge, assistant, django_capture_on_commit_callbacks)
    client.force_login(worker.user)
    response = client.get(reverse("credential_json", args=[award.uid]))
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+ld+json"
    assert json.loads(response.content) == credential.document
    assert "attachment" in response["Content-Disposition"]
    assert client.get(reverse("credential_jwt", args=[award.uid])).content.decode() == credential.jwt
    png = client.get(reverse("credential_png", args=[award.uid]))
    image = Image.open(io.BytesIO(png.content))
    assert image.format == "PNG" and image.text["openbadgecredential"] == credential.jwt

    client.force_login(make_worker("rasoa").user)
    assert client.get(reverse("credential_json", args=[award.uid])).status_code == 404
    client.logout()
    assert client.get(reverse("credential_png", args=[award.uid])).status_code == 302


def test_an_unsigned_credential_is_served_signed_without_a_write(worker, badge, assistant, client):
    award = services.badge_award(worker=worker, badge=badge, by=assistant, reason="Prior work", now=T0)
    credential = BadgeCredential.objects.get(award=award)
    assert credential.signed_at is None  # the after-commit task has not run
    client.force_login(worker.user)
    served = client.get(reverse("credential_json", args=[award.uid])).json()
    credential.refresh_from_db()
    assert credential.signed_at is None
    assert services.credential_sign(credential_id=credential.pk).document == served
    assert services.credentials_sign_due() == 0


def verify_page(client, **data):
    response = client.post(reverse("credential_verify"), data)
    assert response.status_code in (200, 422), response.status_code
    return response


def verdict(response) -> str:
    return " ".join(response.content.decode().split())


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_the_verify_page_says_which_check_failed_in_words(
    worker, badge, assistant, client, django_capture_on_commit_callbacks
):
    award, credential = awarded(
        worker, badge, assistant, django_capture_on_commit_callbacks, now=datetime.now(UTC)
    )
    document = json.dumps(credential.document)

    page = verdict(
        verify_page(client, file=upload("badge.json", document.encode()), person=worker.user.email)
    )
    assert "This badge is valid." in page and "Valid: signed by Ladder" in page and "was issued to" in page
    page = verdict(verify_page(client, pasted=credential.jwt, person="someone@else.example"))
    assert "This badge cannot be trusted." in page and "was not issued to someone@else.example" in page

    changed = document.replace(badge.name, badge.name + "!", 1)
    assert "was changed after it was signed" in verdict(verify_page(client, pasted=changed))
    head, body, signature = credential.jwt.split(".")
    flipped = body[:10] + ("A" if body[10] != "A" else "B") + body[11:]
    page = verdict(verify_page(client, pasted=f"{head}.{flipped}.{signature}"))
    assert "was changed after it was signed" in page or "not a credential" in page

    client.force_login(worker.user)
    png = client.get(reverse("credential_png", args=[award.uid]))
    client.logout()
    page = verdict(verify_page(client, file=upload("badge.png", png.content)))
    assert "This badge is valid." in page

    services.badge_revoke(award=award, by=assistant, reason="Copied answers")
    assert "Revoked on" in verdict(verify_page(client, pasted=credential.jwt))

    with time_machine.travel(datetime.now(UTC) + timedelta(days=400)):
        page = verdict(verify_page(client, pasted=document))
    assert "Expired on" in page


def test_the_verify_page_names_other_issuers_and_bad_files(
    worker, badge, assistant, client, django_capture_on_commit_callbacks
):
    _, credential = awarded(worker, badge, assistant, django_capture_on_commit_callbacks)
    stranger = IssuerKey(Ed25519PrivateKey.generate())
    foreign = {k: v for k, v in credential.document.items() if k != "proof"}
    foreign["issuer"] = {"id": "did:web:other.example", "type": ["Profile"], "name": "Other"}
    token = proofs.jws_sign(foreign, key=stranger, kid="did:web:other.example#key-1")
    assert "Issued by did:web:other.example" in verdict(verify_page(client, pasted=token))
    # Our issuer's name on a credential signed by someone else's key.
    ours = {k: v for k, v in credential.document.items() if k != "proof"}
    forged = proofs.jws_sign(ours, key=stranger, kid="did:web:testserver#z6MkForged-jwk")
    assert "Signed with a key Ladder never had." in verdict(verify_page(client, pasted=forged))

    for content, words in (
        (b"\x00\x01garbage", "neither a credential"),
        (b'{"name": "half', "cannot be read"),
        (b'{"type": ["VerifiableCredential"]}', "not a signed credential"),
        (b"\x89PNG\r\n\x1a\nbroken", "picture cannot be read"),
        (b"not.a.jwt", "not a credential Ladder can read"),
    ):
        assert words in verdict(verify_page(client, file=upload("x.json", content))), words
    plain = io.BytesIO()
    Image.new("RGB", (8, 8)).save(plain, format="PNG")
    assert "no credential baked" in verdict(verify_page(client, file=upload("x.png", plain.getvalue())))

    long = ".".join(["eyJhbGciOiJFZERTQSJ9", "x" * 70_000, "sig"])
    assert "too long to be a badge credential" in verdict(verify_page(client, pasted=long[:199_000]))
    big = verify_page(client, file=upload("big.json", b" " * (5 * 1024 * 1024)))
    assert big.status_code == 422 and "at most 1 MB" in verdict(big)
    empty = verify_page(client)
    assert empty.status_code == 422 and "Choose a credential file or paste a credential." in verdict(empty)
    assert client.get(reverse("credential_verify")).status_code == 200


def test_a_wallet_did_becomes_the_holder_of_new_credentials(
    worker, badge, assistant, client, django_capture_on_commit_callbacks
):
    award, first = awarded(
        worker, badge, assistant, django_capture_on_commit_callbacks, now=datetime.now(UTC)
    )
    client.force_login(worker.user)
    refused = client.post(reverse("wallet_set"), {"did": "my wallet"})
    assert refused.status_code == 422 and "did:key:z6Mk" in refused.content.decode()
    did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    assert client.post(reverse("wallet_set"), {"did": did}).status_code == 302
    newest = BadgeCredential.objects.filter(award=award).order_by("-pk").first()
    assert services.credentials_sign_due() == 1
    newest.refresh_from_db()
    assert newest.pk != first.pk and newest.document["credentialSubject"]["id"] == did
    assert "identifier" not in newest.document["credentialSubject"]
    page = verdict(verify_page(client, pasted=newest.jwt, person=did))
    assert "This badge is valid." in page


def test_a_rotated_key_keeps_old_credentials_valid(
    worker, badge, assistant, client, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.delenv("LADDER_CREDENTIAL_KEY")
    settings.LADDER_CREDENTIAL_KEY_FILE = str(tmp_path / "key.pem")
    call_command("credential_key_create", stdout=io.StringIO())
    assert oct(os.stat(tmp_path / "key.pem").st_mode & 0o777) == "0o600"
    _, old = awarded(worker, badge, assistant, django_capture_on_commit_callbacks, now=datetime.now(UTC))
    call_command("credential_key_create", "--if-missing", stdout=io.StringIO())  # keeps the key
    out = io.StringIO()
    call_command("credential_key_create", "--rotate", stdout=out)
    assert "stays in the DID document" in out.getvalue()
    keys = did_keys(client)
    assert old.document["proof"]["verificationMethod"] in keys
    assert len([m for m in keys.values() if m["type"] == "Multikey"]) == 2
    assert "This badge is valid." in verdict(verify_page(client, pasted=old.jwt))


def test_impossible_dates_in_a_genuine_credential_are_read_in_words(
    worker, badge, assistant, client, django_capture_on_commit_callbacks
):
    _, credential = awarded(worker, badge, assistant, django_capture_on_commit_callbacks)
    key = signing_key()
    for valid_until, words in (
        ("2027-13-45T00:00:00Z", "cannot be read"),
        ("2020-01-01T00:00:00", "Expired on"),
    ):
        unsigned = {k: v for k, v in credential.document.items() if k != "proof"}
        unsigned["validUntil"] = valid_until
        token = proofs.jws_sign(unsigned, key=key, kid=documents.jwk_id(key.multikey))
        page = verdict(verify_page(client, pasted=token))
        assert words in page and "Valid: signed by Ladder" in page, valid_until
