"""The gateway's check of credentials: a token is accepted, an AK/SK signature is verified.

The signature is recomputed with the client's own signing functions (`dataarts._runtime.auth`),
so the simulator and the clients cannot drift apart. Without configured credentials every
request passes (as a local test server should); with them, a request needs a token or a valid
signature by a known access key. Failures answer the gateway's 401 (`APIGW.0301`) and never
echo a token, a signature or a key.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping

from dataarts._runtime.auth import (
    ALGORITHM,
    UNSIGNED_PAYLOAD,
    canonical_request,
    payload_hash,
    signature,
    string_to_sign,
)

from .answers import GATEWAY_UNAUTHORIZED, GatewayError
from .incoming import SimRequest

__all__ = ["check_credentials"]

_AUTHORIZATION = re.compile(
    ALGORITHM + r"\s+Access=(?P<ak>[^,\s]+),\s*SignedHeaders=(?P<signed>[^,\s]+),"
    r"\s*Signature=(?P<signature>[0-9a-fA-F]+)\s*$"
)
_PREFIX = "Incorrect IAM authentication information: "


def check_credentials(request: SimRequest, credentials: Mapping[str, str] | None) -> None:
    """Raise the gateway's 401 unless the request is authenticated (always, without credentials)."""
    if credentials is None:
        return
    if request.headers.get("X-Auth-Token", "").strip():
        return
    authorization = request.headers.get("Authorization")
    if authorization is None:
        raise _unauthorized("no X-Auth-Token or Authorization header")
    match = _AUTHORIZATION.match(authorization.strip())
    if match is None:
        raise _unauthorized(f"the Authorization header is not {ALGORITHM}")
    sk = credentials.get(match["ak"])
    if sk is None:
        raise _unauthorized("the access key is unknown")
    sdk_date = request.headers.get("X-Sdk-Date")
    if not sdk_date:
        raise _unauthorized("X-Sdk-Date is missing")
    names = match["signed"].lower().split(";")
    if "host" not in names:
        raise _unauthorized("the Host header is not signed")
    headers = [
        (name, value) for name, value in request.headers.multi_items() if name.lower() in names
    ]
    if {name.lower() for name, _ in headers} != set(names):
        raise _unauthorized("a signed header is missing from the request")
    if request.headers.get("X-Sdk-Content-Sha256") == UNSIGNED_PAYLOAD:
        body_hash = UNSIGNED_PAYLOAD
    else:
        body_hash = payload_hash(request.body)
    canonical = canonical_request(
        request.method, request.raw_path, request.query_pairs(), headers, body_hash
    )
    expected = signature(sk, string_to_sign(sdk_date, canonical))
    if not hmac.compare_digest(expected, match["signature"].lower()):
        raise _unauthorized("verify aksk signature fail")


def _unauthorized(reason: str) -> GatewayError:
    return GatewayError(401, GATEWAY_UNAUTHORIZED, _PREFIX + reason)
