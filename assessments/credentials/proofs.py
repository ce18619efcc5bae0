"""The two proofs every credential carries: a VC-JOSE compact JWS and a Data Integrity eddsa-rdfc-2022 proof.

Data Integrity (W3C VC-DI-EdDSA §3.3): canonicalise the proof options and the credential with RDFC-1.0,
hash each with SHA-256, sign the two hashes (options first) with Ed25519, write the signature as base58btc
multibase. JSON-LD contexts come only from the copies in this package: canonicalising never fetches.
"""

import hashlib
import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils.translation import gettext as _
from pyld import jsonld
from pyld.documentloader.frozen import BUNDLED_CONTEXTS, FrozenDocumentLoader

from assessments.credentials.encoding import b64url, multibase, unb64url, unmultibase
from assessments.credentials.keys import IssuerKey

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
JWS_TYPE = "vc+jwt"
CRYPTOSUITE = "eddsa-rdfc-2022"

_CONTEXTS = Path(__file__).parent / "contexts"
_LOADER = FrozenDocumentLoader(
    dict(BUNDLED_CONTEXTS, **{OB_CONTEXT: _CONTEXTS / "ob-v3p0-context-3.0.3.json"})
)


class ProofError(ValueError):
    """A proof that cannot be read (as opposed to one that reads but does not verify)."""


def canonical(document: dict) -> str:
    """RDFC-1.0 (URDNA2015) N-Quads of a JSON-LD document."""
    try:
        return jsonld.normalize(
            document, {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": _LOADER}
        )
    except jsonld.JsonLdError:
        raise ProofError(_("its JSON-LD cannot be read")) from None


def _di_hash(unsecured: dict, options: dict) -> bytes:
    options = {**options, "@context": unsecured["@context"]}
    options.pop("proofValue", None)
    return (
        hashlib.sha256(canonical(options).encode()).digest()
        + hashlib.sha256(canonical(unsecured).encode()).digest()
    )


def di_sign(document: dict, *, key: IssuerKey, verification_method: str, created: str) -> dict:
    """The document with an `eddsa-rdfc-2022` DataIntegrityProof added."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = key.private.sign(_di_hash(document, options))
    return {**document, "proof": {**options, "proofValue": multibase(signature)}}


def di_parts(secured: dict) -> tuple[dict, dict]:
    """(the credential without its proof, the proof); ProofError when there is no usable proof."""
    proof = secured.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError(_("it has no proof"))
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(_("its proof is not %(suite)s") % {"suite": CRYPTOSUITE})
    if not isinstance(proof.get("proofValue"), str) or not isinstance(proof.get("verificationMethod"), str):
        raise ProofError(_("its proof has no value or no key"))
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError(_("its proof is not for assertions"))
    return {name: value for name, value in secured.items() if name != "proof"}, proof


def di_check(secured: dict, public_key: Ed25519PublicKey) -> bool:
    unsecured, proof = di_parts(secured)
    try:
        signature = unmultibase(proof["proofValue"])
    except ValueError:
        raise ProofError(_("its proof value is not base58btc")) from None
    try:
        public_key.verify(signature, _di_hash(unsecured, proof))
    except InvalidSignature:
        return False
    return True


def jws_sign(payload: dict, *, key: IssuerKey, kid: str) -> str:
    """A compact JWS (VC-JOSE: `typ` vc+jwt, `cty` vc) whose payload is the credential itself."""
    header = {"alg": "EdDSA", "kid": kid, "typ": JWS_TYPE, "cty": "vc"}
    signing_input = ".".join(
        b64url(json.dumps(part, separators=(",", ":"), ensure_ascii=False).encode())
        for part in (header, payload)
    )
    return f"{signing_input}.{b64url(key.private.sign(signing_input.encode()))}"


def jws_parts(token: str) -> tuple[dict, dict, bytes, bytes]:
    """(header, payload, signing input, signature) of a compact JWS; ProofError when it is not one."""
    pieces = token.strip().split(".")
    if len(pieces) != 3:
        raise ProofError(_("it is not a compact JWS (three parts separated by dots)"))
    try:
        header = json.loads(unb64url(pieces[0]))
        payload = json.loads(unb64url(pieces[1]))
        signature = unb64url(pieces[2])
    except (ValueError, UnicodeDecodeError):
        raise ProofError(_("its parts are not base64url JSON")) from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise ProofError(_("its header or payload is not a JSON object"))
    if header.get("alg") != "EdDSA":
        raise ProofError(_("it is signed with %(alg)s, not EdDSA") % {"alg": header.get("alg")})
    return header, payload, f"{pieces[0]}.{pieces[1]}".encode(), signature


def jws_check(signing_input: bytes, signature: bytes, public_key: Ed25519PublicKey) -> bool:
    try:
        public_key.verify(signature, signing_input)
    except InvalidSignature:
        return False
    return True
