#!/usr/bin/python3
"""Mints JWTs for the gateway's tests, independently of the gateway's code (PyJWT + cryptography).

Reads a JSON spec (one object, or a list of them) on stdin and prints one token per line. Spec fields:
  alg      RS256, PS256, ES256, EdDSA, HS256 ... or "none" (any case: the token is built by hand, unsigned)
  key      PEM file of the private signing key (asymmetric algs)
  secret   the HMAC secret as text (HS256 through PyJWT)
  hmacKeyFile  a file whose raw bytes are the HMAC key, token built by hand with hmac (for key confusion,
           which PyJWT refuses: the RSA public key PEM used as an HS256 secret)
  header   extra header fields (kid, jku, x5u, crit, typ, ...); "alg" here overrides the written alg
  claims   the payload
"""
import hashlib
import hmac
import json
import sys

import jwt

from jwtlib import b64u, b64u_json


def mint(spec):
    alg = spec["alg"]
    header = dict(spec.get("header") or {})
    claims = spec.get("claims") or {}
    if alg.lower() == "none":
        head = {"alg": alg, "typ": "JWT"}
        head.update(header)
        return b64u_json(head) + "." + b64u_json(claims) + "."
    if "hmacKeyFile" in spec:
        with open(spec["hmacKeyFile"], "rb") as f:
            secret = f.read()
        head = {"alg": alg, "typ": "JWT"}
        head.update(header)
        signing_input = b64u_json(head) + "." + b64u_json(claims)
        digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
        return signing_input + "." + b64u(hmac.new(secret, signing_input.encode("ascii"), digest).digest())
    if "secret" in spec:
        key = spec["secret"]
    else:
        with open(spec["key"], "rb") as f:
            key = f.read()
    return jwt.encode(claims, key, algorithm=alg, headers=header or None)


def main():
    spec = json.load(sys.stdin)
    for s in spec if isinstance(spec, list) else [spec]:
        print(mint(s))


if __name__ == "__main__":
    main()
