#!/usr/bin/python3
"""Mints unique (access token, DPoP proof) pairs for bench/dpop-load.sh, independently of Portcullis
(PyJWT + cryptography, reusing the test suite's jwtlib for JWKs and RFC 7638 thumbprints).

  mint_pairs.py ISSUER_KEY.pem CLIENT_KEY.pem COUNT HTU OUT

Every pair is new: the token (ES256, own jti, cnf.jkt = the client key's thumbprint) and the RFC 9449 proof
(ES256, own jti, htm GET, htu, ath of its token). OUT gets one "token proof" line per pair. Minting uses
every CPU (multiprocessing), since a 10-second run at 10k requests/s needs 100k pairs.
"""
import multiprocessing
import os
import sys
import time
import uuid

import jwt

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "proxy", "src", "test",
                                "resources", "jwt"))
from jwtlib import ath, load_key, public_jwk, thumbprint  # noqa: E402

ISSUER, AUDIENCE = "bench-issuer", "bench"


def init(issuer_pem, client_pem, htu):
    global ISSUER_KEY, CLIENT_KEY, CLIENT_JWK, JKT, HTU
    ISSUER_KEY, CLIENT_KEY = load_key(issuer_pem), load_key(client_pem)
    CLIENT_JWK, JKT, HTU = public_jwk(CLIENT_KEY), thumbprint(CLIENT_KEY), htu


def mint(n):
    now = int(time.time())
    lines = []
    for _ in range(n):
        token = jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "sub": "agent-7", "iat": now, "exp": now + 3600,
                            "jti": str(uuid.uuid4()), "cnf": {"jkt": JKT}},
                           ISSUER_KEY, algorithm="ES256", headers={"kid": "bench-es"})
        proof = jwt.encode({"htm": "GET", "htu": HTU, "iat": now, "jti": str(uuid.uuid4()), "ath": ath(token)},
                           CLIENT_KEY, algorithm="ES256", headers={"typ": "dpop+jwt", "jwk": CLIENT_JWK})
        lines.append(token + " " + proof + "\n")
    return "".join(lines)


def main():
    issuer_pem, client_pem, count, htu, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    batch = 1000
    batches = [batch] * (count // batch) + ([count % batch] if count % batch else [])
    with multiprocessing.Pool(initializer=init, initargs=(issuer_pem, client_pem, htu)) as pool, \
            open(out, "w") as f:
        for chunk in pool.imap_unordered(mint, batches):
            f.write(chunk)


if __name__ == "__main__":
    main()
