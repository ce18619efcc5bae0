"""Open Badges 3.0: every award also issued as a W3C verifiable credential Ladder signs with its did:web key.

`keys` reads the issuer's Ed25519 key, `encoding` the multibase and base64url forms, `proofs` signs and
checks (VC-JOSE and Data Integrity eddsa-rdfc-2022), `documents` builds the DID document, credentials and
the Bitstring Status List, `baking` puts a credential in a PNG and takes it out, `verify` reads any file
someone drops on the public verify page.
"""
