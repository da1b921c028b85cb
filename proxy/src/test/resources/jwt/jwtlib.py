"""Shared helpers for the JWT test scripts: base64url, key loading, public JWKs, RFC 7638 thumbprints.

Independent of the gateway: only the standard library and the `cryptography` module.
"""
import base64
import hashlib
import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa


def b64u(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_json(obj):
    return b64u(json.dumps(obj, separators=(",", ":")))


def _int_bytes(value, length=None):
    if length is None:
        length = max(1, (value.bit_length() + 7) // 8)
    return value.to_bytes(length, "big")


def load_key(path):
    """A private key from a PEM file, or a public key when the file holds only one."""
    with open(path, "rb") as f:
        pem = f.read()
    if b"PRIVATE KEY" in pem:
        return serialization.load_pem_private_key(pem, password=None)
    return serialization.load_pem_public_key(pem)


def public_of(key):
    return key.public_key() if hasattr(key, "private_bytes") else key


def public_jwk(key):
    """The public JWK members (only the required ones) of a key or of a private key's public half."""
    pub = public_of(key)
    if isinstance(pub, rsa.RSAPublicKey):
        n = pub.public_numbers()
        return {"kty": "RSA", "n": b64u(_int_bytes(n.n)), "e": b64u(_int_bytes(n.e))}
    if isinstance(pub, ec.EllipticCurvePublicKey):
        size = (pub.curve.key_size + 7) // 8
        crv = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}[pub.curve.name]
        n = pub.public_numbers()
        return {"kty": "EC", "crv": crv, "x": b64u(_int_bytes(n.x, size)), "y": b64u(_int_bytes(n.y, size))}
    if isinstance(pub, ed25519.Ed25519PublicKey):
        raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64u(raw)}
    raise SystemExit("unsupported key type: %r" % type(pub))


def private_jwk(key):
    """The public JWK plus the private members (what a careless client might leak into a header)."""
    jwk = public_jwk(key)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        size = (key.curve.key_size + 7) // 8
        jwk["d"] = b64u(_int_bytes(key.private_numbers().private_value, size))
    elif isinstance(key, rsa.RSAPrivateKey):
        p = key.private_numbers()
        jwk.update({"d": b64u(_int_bytes(p.d)), "p": b64u(_int_bytes(p.p)), "q": b64u(_int_bytes(p.q)),
                    "dp": b64u(_int_bytes(p.dmp1)), "dq": b64u(_int_bytes(p.dmq1)), "qi": b64u(_int_bytes(p.iqmp))})
    elif isinstance(key, ed25519.Ed25519PrivateKey):
        jwk["d"] = b64u(key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                          serialization.NoEncryption()))
    else:
        raise SystemExit("not a private key")
    return jwk


REQUIRED_MEMBERS = {"RSA": ("e", "kty", "n"), "EC": ("crv", "kty", "x", "y"), "OKP": ("crv", "kty", "x")}


def thumbprint(key):
    """RFC 7638 JWK SHA-256 thumbprint, base64url."""
    return thumbprint_of_jwk(public_jwk(key))


def thumbprint_of_jwk(jwk):
    """RFC 7638 thumbprint of a JWK given as a dict: only the required members, sorted, no whitespace."""
    members = {k: jwk[k] for k in REQUIRED_MEMBERS[jwk["kty"]]}
    canonical = json.dumps(members, sort_keys=True, separators=(",", ":"))
    return b64u(hashlib.sha256(canonical.encode("utf-8")).digest())


def ath(token):
    """RFC 9449 `ath`: base64url(SHA-256(ASCII(access token)))."""
    return b64u(hashlib.sha256(token.encode("ascii")).digest())
