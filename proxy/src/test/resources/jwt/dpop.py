#!/usr/bin/python3
"""RFC 9449 DPoP helpers, independent of the gateway (PyJWT + cryptography).

  dpop.py thumbprint KEY.pem    prints the RFC 7638 SHA-256 thumbprint of the key (for cnf.jkt)
  dpop.py thumbprint - < JWK    the same for a JWK given as JSON on stdin
  dpop.py ath TOKEN             prints base64url(SHA-256(TOKEN))
  dpop.py proof < spec.json     prints a DPoP proof JWT. Spec fields:
      key        PEM file of the private key that signs the proof
      alg        ES256 (default), RS256, PS256, EdDSA, or HS256 (then hmacSecret signs it)
      hmacSecret the HMAC secret for an HS256 proof (a malformed, symmetric proof)
      jwkFrom    PEM file whose public key goes in the `jwk` header (default: key)
      jwkPrivate true: the `jwk` header also carries the private members (d, ...)
      htm, htu   method and URI; token: the access token (ath computed) or ath: a literal value
      iat        default now; jti: default random; nonce: optional
      header     extra header fields
"""
import json
import sys
import time
import uuid

import jwt

from jwtlib import ath, load_key, private_jwk, public_jwk, thumbprint, thumbprint_of_jwk


def proof(spec):
    alg = spec.get("alg", "ES256")
    jwk_key = load_key(spec.get("jwkFrom") or spec["key"])
    header = {"typ": "dpop+jwt", "jwk": private_jwk(jwk_key) if spec.get("jwkPrivate") else public_jwk(jwk_key)}
    header.update(spec.get("header") or {})
    claims = {"htm": spec["htm"], "htu": spec["htu"], "iat": spec.get("iat", int(time.time())),
              "jti": spec.get("jti", str(uuid.uuid4()))}
    if "ath" in spec:
        claims["ath"] = spec["ath"]
    elif "token" in spec:
        claims["ath"] = ath(spec["token"])
    if "nonce" in spec:
        claims["nonce"] = spec["nonce"]
    if alg.startswith("HS"):
        signing_key = spec["hmacSecret"]
    else:
        with open(spec["key"], "rb") as f:
            signing_key = f.read()
    return jwt.encode(claims, signing_key, algorithm=alg, headers=header)


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "thumbprint":
        if sys.argv[2] == "-":
            print(thumbprint_of_jwk(json.load(sys.stdin)))
        else:
            print(thumbprint(load_key(sys.argv[2])))
    elif len(sys.argv) >= 3 and sys.argv[1] == "ath":
        print(ath(sys.argv[2]))
    elif len(sys.argv) == 2 and sys.argv[1] == "proof":
        print(proof(json.load(sys.stdin)))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
