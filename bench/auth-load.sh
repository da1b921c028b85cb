#!/usr/bin/env bash
# bench/load.sh with the policy profile of an agent-facing route (bench/config/auth.yaml: jwtAuth RS256 +
# localRateLimit + a header rewrite), against the same nginx / HAProxy anchors, which proxy without checking
# anything: the ratio shows what Portcullis' security policies cost on top of plain proxying.
# Keys and the token are made here with openssl and Debian's python3-jwt, not with Portcullis' code.
# Usage: bench/auth-load.sh   (every knob of bench/load.sh applies, e.g. SMOKE=1 or PATHS=/json)
#        RUNNER=bench/rss.sh PATHS=/json bench/auth-load.sh   (resident memory of this profile only)
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d /tmp/portcullis-auth-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
PY=/usr/bin/python3
"$PY" -c 'import jwt, cryptography' 2>/dev/null || { echo "auth-load.sh: needs python3-jwt and python3-cryptography (apt-get install python3-jwt)" >&2; exit 1; }
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/private.pem" 2>/dev/null
openssl rsa -in "$WORK/private.pem" -pubout -out "$WORK/public.pem" 2>/dev/null
"$PY" "$BENCH_DIR/../proxy/src/test/resources/seed/generate_jwks.py" --key "$WORK/public.pem" --kid bench-1 --out "$WORK/jwks.json" >/dev/null
TOKEN="$("$PY" - "$WORK/private.pem" <<'PY'
import sys, time, jwt
key = open(sys.argv[1]).read()
now = int(time.time())
print(jwt.encode({"iss": "bench-issuer", "aud": "bench", "sub": "agent-7", "iat": now, "exp": now + 3600},
                 key, algorithm="RS256", headers={"kid": "bench-1"}))
PY
)"
export PORTCULLIS_BENCH_JWKS="$WORK/jwks.json"
export PORTCULLIS_CONFIG="$BENCH_DIR/config/auth.yaml"
export WRK_HEADER="Authorization: Bearer $TOKEN"
export LABEL="${LABEL:-auth}"
export SCENARIOS=plain   # bench/load.sh measures this profile only (it runs the other scenarios itself)
"${RUNNER:-$BENCH_DIR/load.sh}" "$@"
