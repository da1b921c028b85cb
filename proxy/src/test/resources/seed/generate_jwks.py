#!/usr/bin/env python3
"""
generate_jwks.py
Converts an RSA public key PEM to JWKS format.
Usage: python3 generate_jwks.py --key public.pem --kid my-key-1 --out jwks.json
"""

import argparse
import base64
import json
from cryptography.hazmat.primitives.serialization import load_pem_public_key


def int_to_base64url(n: int) -> str:
    length = (n.bit_length() + 7) // 8
    b = n.to_bytes(length, "big")
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def generate_jwks(key_path: str, kid: str) -> dict:
    with open(key_path, "rb") as f:
        pub_key = load_pem_public_key(f.read())

    numbers = pub_key.public_numbers()

    return {
        "keys": [
            {
                "kty": "RSA",
                "use": "sig",
                "alg": "RS256",
                "kid": kid,
                "n": int_to_base64url(numbers.n),
                "e": int_to_base64url(numbers.e),
            }
        ]
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--key", required=True, help="Path to RSA public PEM")
    parser.add_argument("--kid", default="my-key-1", help="Key ID")
    parser.add_argument("--out", default="jwks.json", help="Output path")
    args = parser.parse_args()

    jwks = generate_jwks(args.key, args.kid)

    with open(args.out, "w") as f:
        json.dump(jwks, f, indent=2)

    print(f"JWKS written to {args.out}")
    print(f"Key ID: {args.kid}")
    print(f"Key type: {jwks['keys'][0]['kty']}")


if __name__ == "__main__":
    main()
