#!/usr/bin/python3
"""Builds a JWKS from PEM keys (public, or private of which only the public half is published).

stdin: a JSON list of {"pem": file, "kid": "...", "alg": optional, "use": optional, "private": optional
bool (publish the private members too)}. Prints {"keys": [...]} on stdout.
"""
import json
import sys

from jwtlib import load_key, private_jwk, public_jwk


def main():
    keys = []
    for entry in json.load(sys.stdin):
        key = load_key(entry["pem"])
        jwk = private_jwk(key) if entry.get("private") else public_jwk(key)
        for field in ("kid", "alg", "use"):
            if entry.get(field) is not None:
                jwk[field] = entry[field]
        keys.append(jwk)
    print(json.dumps({"keys": keys}))


if __name__ == "__main__":
    main()
