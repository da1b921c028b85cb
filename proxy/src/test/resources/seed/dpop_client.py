#!/usr/bin/env python3
"""
dpop_client.py
Mints DPoP-compliant JWTs for use with agentgateway.

DPoP (RFC 9449) binds a token to:
  - A specific HTTP method (htm)
  - A specific target URI (htu)
  - A unique token ID (jti) — prevents replay
  - A short expiry (exp) — limits window of misuse

Usage:
    from dpop_client import DPoPClient
    client = DPoPClient("private.pem", kid="my-key-1")
    token = client.mint("POST", "http://gateway:8080/mcp")
    # curl -H "Authorization: Bearer <token>" -X POST http://gateway:8080/mcp
"""

import time
import uuid
from pathlib import Path

import jwt


class DPoPClient:
    def __init__(
        self,
        private_key_path: str,
        issuer: str = "my-app-aiops",
        audience: str = "mcp-gateway",
        kid: str = "my-key-1",
        ttl_seconds: int = 300,
    ):
        self.private_key = Path(private_key_path).read_text()
        self.issuer = issuer
        self.audience = audience
        self.kid = kid
        self.ttl_seconds = ttl_seconds

    def mint(self, method: str, target_url: str) -> str:
        """
        Mint a DPoP JWT bound to the given HTTP method and target URL.

        Args:
            method: HTTP method (GET, POST, etc.) — must match request method
            target_url: Full target URL — must match request URL exactly

        Returns:
            Signed JWT string
        """
        now = int(time.time())

        payload = {
            # Standard claims
            "jti": str(uuid.uuid4()),  # Unique; enables server-side replay detection
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + self.ttl_seconds,
            # DPoP-specific claims (RFC 9449)
            "htm": method.upper(),
            "htu": target_url,
        }

        return jwt.encode(
            payload,
            self.private_key,
            algorithm="RS256",
            headers={"kid": self.kid},
        )

    def mint_headers(self, method: str, target_url: str) -> dict:
        """Returns a dict of headers ready for use with requests/httpx."""
        return {
            "Authorization": f"Bearer {self.mint(method, target_url)}",
            "Content-Type": "application/json",
        }
