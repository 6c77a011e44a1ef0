"""The issuer's did:web document, served at /.well-known/did.json.

did:web:<host> resolves to https://<host>/.well-known/did.json (a port is written
%3A in the DID). The document publishes the public half of the signing key as a
JsonWebKey, and lists it under assertionMethod: that is what lets a verifier accept a
credential whose JOSE header names `kid` did:web:<host>#key-1.
"""

from . import vc_jwt
from .keys import public_jwk

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://www.w3.org/ns/cid/v1"]


def did_document() -> dict:
    did = vc_jwt.issuer_did()
    key_id = vc_jwt.key_id()
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": [
            {
                "id": key_id,
                "type": "JsonWebKey",
                "controller": did,
                "publicKeyJwk": public_jwk(vc_jwt.signing_key().public_key()),
            }
        ],
        "assertionMethod": [key_id],
    }
