#!/usr/bin/env python3
"""Mints tokens with seed 002's own DPoPClient (section 7.1), for the seed acceptance test.

Usage: mint.py PRIVATE_PEM METHOD URL [COUNT] [IAT_OFFSET_SECONDS] [TTL_SECONDS]
Prints COUNT tokens, one per line. IAT_OFFSET shifts the client's clock (negative: an old token).
"""
import sys
import time

sys.path.insert(0, __import__("os").path.dirname(__file__))
from dpop_client import DPoPClient  # noqa: E402

key, method, url = sys.argv[1], sys.argv[2], sys.argv[3]
count = int(sys.argv[4]) if len(sys.argv) > 4 else 1
offset = int(sys.argv[5]) if len(sys.argv) > 5 else 0
ttl = int(sys.argv[6]) if len(sys.argv) > 6 else 300
if offset:
    real = time.time
    time.time = lambda: real() + offset
client = DPoPClient(key, ttl_seconds=ttl)
for _ in range(count):
    print(client.mint(method, url))
