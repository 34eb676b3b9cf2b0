"""Tests for templates/runtime/auth.py: the aksk-signing.md vectors and hand-derived edge cases."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest

from templates.runtime.auth import (
    AkSkAuth,
    TokenAuth,
    authorization_header,
    canonical_headers,
    canonical_query_string,
    canonical_query_string_from_raw,
    canonical_request,
    canonical_uri,
    format_sdk_date,
    payload_hash,
    signature,
    string_to_sign,
)

# --- Values copied from /work/shared/docs/aksk-signing.md ------------------------------------

AK = "HPUAEXAMPLEAK0000001"
SK = "ExampleSecretKey0000000000000000000000SK"
DATE = "20240102T030405Z"
PROJECT = "0123456789abcdef0123456789abcdef"
UA = "huaweicloud-usdk-python/3.0; oracle-vectors"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
VECTOR_SIGNED = "content-type;host;user-agent;x-project-id;x-sdk-date"

V1_URL = f"https://cdm.cn-north-4.myhuaweicloud.com/v1.1/{PROJECT}/clusters"
V1_CANONICAL = (
    "GET\n/v1.1/0123456789abcdef0123456789abcdef/clusters/\n\n"
    "content-type:application/json\nhost:cdm.cn-north-4.myhuaweicloud.com\n"
    "user-agent:huaweicloud-usdk-python/3.0; oracle-vectors\n"
    "x-project-id:0123456789abcdef0123456789abcdef\nx-sdk-date:20240102T030405Z\n\n"
    "content-type;host;user-agent;x-project-id;x-sdk-date\n"
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)
V1_STS = (
    "SDK-HMAC-SHA256\n20240102T030405Z\n"
    "82fafbe592bc02fd7fe62043d249902f4247519545bed0762437655b30b610f2"
)
V1_SIGNATURE = "9b04ecb353cfbfd71bc7d50befa3d04e5a02e7fa1f0e66b4c1556407c71037a7"
V1_AUTHORIZATION = (
    "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, "
    "SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date, "
    "Signature=9b04ecb353cfbfd71bc7d50befa3d04e5a02e7fa1f0e66b4c1556407c71037a7"
)

V2_URL = (
    f"https://cdm.cn-north-4.myhuaweicloud.com/v1.1/{PROJECT}/clusters/"
    "6ec9a0a4-76be-4262-8697-e7af1fac7920/cdm/link?validate=false"
)
V2_BODY = (
    '{"links":[{"name":"连接-1","connector-name":"generic-jdbc-connector",'
    '"link-config-values":{"configs":[{"name":"linkConfig","inputs":'
    '[{"name":"linkConfig.host","value":"naïve ✓ host"}]}]}}]}'
).encode()
V2_PAYLOAD_HASH = "bcfc1c4da3fbd921142d2f1f91e7d3a035ca082de83e8e1ae7845c2dc1135ab8"
V2_STS = (
    "SDK-HMAC-SHA256\n20240102T030405Z\n"
    "765c7ffd147ff48b07af38d2169691973ef1fe8879bdf93b11be70f31ee983d5"
)
V2_SIGNATURE = "61644cd1f67f00538b17fc27ed9cb57992cc01e73f4022e5f391fe25e2a03d2f"
V2_AUTHORIZATION = (
    "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, "
    "SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date, "
    "Signature=61644cd1f67f00538b17fc27ed9cb57992cc01e73f4022e5f391fe25e2a03d2f"
)
# Derived by hand from the rules; the test below proves it against V2_STS.
V2_CANONICAL = (
    "POST\n/v1.1/0123456789abcdef0123456789abcdef/clusters/"
    "6ec9a0a4-76be-4262-8697-e7af1fac7920/cdm/link/\nvalidate=false\n"
    "content-type:application/json;charset=UTF-8\nhost:cdm.cn-north-4.myhuaweicloud.com\n"
    "user-agent:huaweicloud-usdk-python/3.0; oracle-vectors\n"
    "x-project-id:0123456789abcdef0123456789abcdef\nx-sdk-date:20240102T030405Z\n\n"
    "content-type;host;user-agent;x-project-id;x-sdk-date\n"
    "bcfc1c4da3fbd921142d2f1f91e7d3a035ca082de83e8e1ae7845c2dc1135ab8"
)

V1_HEADERS = {"Content-Type": "application/json", "User-Agent": UA, "X-Project-Id": PROJECT}
V2_HEADERS = {
    "Content-Type": "application/json;charset=UTF-8",
    "User-Agent": UA,
    "X-Project-Id": PROJECT,
}


# --- Helpers -----------------------------------------------------------------------------------


def expected_authorization(canonical: str, signed: str, date: str = DATE) -> str:
    """The last three steps, written independently with the standard library.

    Checked against both vectors below, so an edge case asserting with it is asserting that the
    auth flow built exactly the hand-written ``canonical`` request.
    """
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    to_sign = f"SDK-HMAC-SHA256\n{date}\n{digest}"
    sig = hmac.new(SK.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders={signed}, Signature={sig}"


def sign(request: httpx.Request, auth: httpx.Auth | None = None) -> httpx.Request:
    flow = (auth or AkSkAuth(AK, SK)).sync_auth_flow(request)
    return next(flow)


def fail_clock() -> datetime:
    raise AssertionError("the clock must not be read when the request carries X-Sdk-Date")


def test_expected_authorization_helper_reproduces_both_vectors() -> None:
    assert expected_authorization(V1_CANONICAL, VECTOR_SIGNED) == V1_AUTHORIZATION
    assert expected_authorization(V2_CANONICAL, VECTOR_SIGNED) == V2_AUTHORIZATION


# --- Test vectors: pure functions -------------------------------------------------------------


def test_vector1_canonical_request() -> None:
    headers = [
        ("Content-Type", "application/json"),
        ("Host", "cdm.cn-north-4.myhuaweicloud.com"),
        ("User-Agent", UA),
        ("X-Project-Id", PROJECT),
        ("X-Sdk-Date", DATE),
    ]
    result = canonical_request("get", f"/v1.1/{PROJECT}/clusters", [], headers, EMPTY_SHA256)
    assert result == V1_CANONICAL


def test_vector1_string_to_sign_signature_and_header() -> None:
    assert string_to_sign(DATE, V1_CANONICAL) == V1_STS
    assert signature(SK, V1_STS) == V1_SIGNATURE
    assert signature(SK.encode(), V1_STS) == V1_SIGNATURE
    assert authorization_header(AK, VECTOR_SIGNED, V1_SIGNATURE) == V1_AUTHORIZATION


def test_vector2_payload_hash_and_signature() -> None:
    assert payload_hash(V2_BODY) == V2_PAYLOAD_HASH
    assert payload_hash(b"") == EMPTY_SHA256
    assert string_to_sign(DATE, V2_CANONICAL) == V2_STS
    assert signature(SK, V2_STS) == V2_SIGNATURE


def test_vector2_canonical_request() -> None:
    headers = [
        ("Content-Type", "application/json;charset=UTF-8"),
        ("Host", "cdm.cn-north-4.myhuaweicloud.com"),
        ("User-Agent", UA),
        ("X-Project-Id", PROJECT),
        ("X-Sdk-Date", DATE),
        ("Content-Length", str(len(V2_BODY))),
    ]
    path = f"/v1.1/{PROJECT}/clusters/6ec9a0a4-76be-4262-8697-e7af1fac7920/cdm/link"
    result = canonical_request("POST", path, [("validate", False)], headers, V2_PAYLOAD_HASH)
    assert result == V2_CANONICAL


# --- Test vectors: through the httpx auth flow ------------------------------------------------


@pytest.mark.parametrize("project_id", [None, PROJECT])
def test_vector1_auth_flow(project_id: str | None) -> None:
    request = httpx.Request("GET", V1_URL, headers={**V1_HEADERS, "X-Sdk-Date": DATE})
    auth = AkSkAuth(AK, SK, project_id, clock=fail_clock)
    signed = sign(request, auth)
    assert signed is request
    assert request.headers["Authorization"] == V1_AUTHORIZATION
    assert request.headers["X-Sdk-Date"] == DATE
    assert "X-Sdk-Content-Sha256" not in request.headers
    assert str(request.url) == V1_URL


def test_vector1_base_auth_flow_generator() -> None:
    request = httpx.Request("GET", V1_URL, headers={**V1_HEADERS, "X-Sdk-Date": DATE})
    assert next(AkSkAuth(AK, SK).auth_flow(request)) is request
    assert request.headers["Authorization"] == V1_AUTHORIZATION


def test_vector2_auth_flow() -> None:
    request = httpx.Request(
        "POST", V2_URL, headers={**V2_HEADERS, "X-Sdk-Date": DATE}, content=V2_BODY
    )
    sign(request, AkSkAuth(AK, SK, PROJECT))
    assert request.headers["Authorization"] == V2_AUTHORIZATION
    assert request.headers["Content-Length"] == str(len(V2_BODY))
    assert request.url.query == b"validate=false"


def test_auth_flow_finishes_after_one_request() -> None:
    request = httpx.Request("GET", V1_URL, headers={**V1_HEADERS, "X-Sdk-Date": DATE})
    flow = AkSkAuth(AK, SK).sync_auth_flow(request)
    next(flow)
    with pytest.raises(StopIteration):
        flow.send(httpx.Response(200))


def _capturing_transport(captured: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        captured.append(request)
        return httpx.Response(200, json={})

    return httpx.MockTransport(handler)


def _strip_client_defaults(headers: httpx.Headers) -> None:
    # The vectors have no Accept/Accept-Encoding/Connection; httpx clients add them by default.
    del headers["Accept"]
    del headers["Accept-Encoding"]
    del headers["Connection"]


def test_vectors_through_client_and_mock_transport() -> None:
    captured: list[httpx.Request] = []
    transport = _capturing_transport(captured)
    with httpx.Client(transport=transport, auth=AkSkAuth(AK, SK, PROJECT)) as client:
        _strip_client_defaults(client.headers)
        client.get(V1_URL, headers={**V1_HEADERS, "X-Sdk-Date": DATE})
        client.post(V2_URL, headers={**V2_HEADERS, "X-Sdk-Date": DATE}, content=V2_BODY)
    first, second = captured
    assert first.headers["Authorization"] == V1_AUTHORIZATION
    assert second.headers["Authorization"] == V2_AUTHORIZATION
    assert second.content == V2_BODY
    assert second.url.raw_path.endswith(b"/cdm/link?validate=false")


def test_vectors_through_async_client() -> None:
    captured: list[httpx.Request] = []

    async def run() -> None:
        transport = _capturing_transport(captured)
        auth = AkSkAuth(AK, SK, PROJECT)
        async with httpx.AsyncClient(transport=transport, auth=auth) as client:
            _strip_client_defaults(client.headers)
            await client.get(V1_URL, headers={**V1_HEADERS, "X-Sdk-Date": DATE})
            await client.post(V2_URL, headers={**V2_HEADERS, "X-Sdk-Date": DATE}, content=V2_BODY)

    asyncio.run(run())
    first, second = captured
    assert first.headers["Authorization"] == V1_AUTHORIZATION
    assert second.headers["Authorization"] == V2_AUTHORIZATION
    assert second.content == V2_BODY


# --- Canonical URI ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("", "/"),
        ("/", "/"),
        ("/v1/jobs", "/v1/jobs/"),
        ("/v1/jobs/", "/v1/jobs/"),
        ("/x/A-Z_a.z~0", "/x/A-Z_a.z~0/"),
        ("/v1/a%20b/c", "/v1/a%20b/c/"),
        ("/p;x,y@z!$/", "/p%3Bx%2Cy%40z%21%24/"),
        ("/a:b=c&d", "/a%3Ab%3Dc%26d/"),
        ("/a+b", "/a%2Bb/"),
        ("/100%25", "/100%25/"),
        # Lower-case hex in, decoded, an encoded "/" becomes a separator, upper-case hex out.
        ("/a%2fb/%7euser/%c3%a9", "/a/b/~user/%C3%A9/"),
        ("/é/ü", "/%C3%A9/%C3%BC/"),
        (b"/bytes/%E2%9C%93", "/bytes/%E2%9C%93/"),
    ],
)
def test_canonical_uri(path: str | bytes, expected: str) -> None:
    assert canonical_uri(path) == expected


def test_path_with_reserved_and_encoded_segments_through_auth_flow() -> None:
    request = httpx.Request(
        "GET", "https://h.example.com/v1/a b/é;x,y/%7Euser/", headers={"X-Sdk-Date": DATE}
    )
    wire_path = request.url.raw_path
    sign(request)
    canonical = (
        "GET\n/v1/a%20b/%C3%A9%3Bx%2Cy/~user/\n\n"
        "host:h.example.com\nx-sdk-date:20240102T030405Z\n\n"
        f"host;x-sdk-date\n{EMPTY_SHA256}"
    )
    assert request.headers["Authorization"] == expected_authorization(canonical, "host;x-sdk-date")
    assert request.url.raw_path == wire_path


def test_trailing_slash_is_not_added_on_the_wire() -> None:
    request = httpx.Request("GET", "https://h.example.com/v1/jobs", headers={"X-Sdk-Date": DATE})
    sign(request)
    canonical = (
        "GET\n/v1/jobs/\n\nhost:h.example.com\nx-sdk-date:20240102T030405Z\n\n"
        f"host;x-sdk-date\n{EMPTY_SHA256}"
    )
    assert request.headers["Authorization"] == expected_authorization(canonical, "host;x-sdk-date")
    assert request.url.raw_path == b"/v1/jobs"


# --- Canonical query --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], ""),
        (
            [("b", "2"), ("a b", "x y"), ("~tilde", "t"), ("é", "ü"), ("B", "1"), ("a", "")],
            # Sorted raw: "B" < "a" < "a b" < "b" < "~tilde" < "é" (encoded, é would be first).
            "B=1&a=&a%20b=x%20y&b=2&~tilde=t&%C3%A9=%C3%BC",
        ),
        ([("a", "1"), ("Z", "1"), ("A", "1"), ("z", "1")], "A=1&Z=1&a=1&z=1"),
        # Repeated key: one pair per value, values in code-point order ("10" before "2").
        ([("k", "b"), ("k", "a"), ("k", ""), ("k", "10"), ("k", "2")], "k=&k=10&k=2&k=a&k=b"),
        # Key first, then value: "a" sorts before "a-b" although "a-b=" < "a=" as text.
        ([("a-b", "1"), ("a", "2"), ("a", "1")], "a=1&a=2&a-b=1"),
        ([("q", "/+=&?#%")], "q=%2F%2B%3D%26%3F%23%25"),
        ([("A-Z_a.z~0", "v~.-_")], "A-Z_a.z~0=v~.-_"),
        ([("validate", False), ("force", True)], "force=true&validate=false"),
    ],
)
def test_canonical_query_string(pairs: list[tuple[str, str | bool]], expected: str) -> None:
    assert canonical_query_string(pairs) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        (
            "b=2&a+b=x%20y&%7Etilde=t&%C3%A9=%C3%BC&B=1&a=&flag&&k=2&k=10",
            "B=1&a=&a%20b=x%20y&b=2&flag=&k=10&k=2&~tilde=t&%C3%A9=%C3%BC",
        ),
        # "%2B" is a literal plus, "+" a space.
        ("x=1%2B1&y=a+b", "x=1%2B1&y=a%20b"),
        # Bytes survive as bytes, re-encoded with upper-case hex.
        (b"k=%e9", "k=%E9"),
        ("v=a%3Db%26c", "v=a%3Db%26c"),
    ],
)
def test_canonical_query_string_from_raw(raw: str | bytes, expected: str) -> None:
    assert canonical_query_string_from_raw(raw) == expected


def test_query_is_signed_and_rewritten_on_the_wire() -> None:
    url = (
        "https://h.example.com/v1/items?b=2&a+b=x%20y&%7Etilde=t&%C3%A9=%C3%BC&B=1&a=&k=2&k=10&flag"
    )
    request = httpx.Request("GET", url, headers={"X-Sdk-Date": DATE})
    sign(request)
    query = "B=1&a=&a%20b=x%20y&b=2&flag=&k=10&k=2&~tilde=t&%C3%A9=%C3%BC"
    canonical = (
        f"GET\n/v1/items/\n{query}\nhost:h.example.com\nx-sdk-date:20240102T030405Z\n\n"
        f"host;x-sdk-date\n{EMPTY_SHA256}"
    )
    assert request.headers["Authorization"] == expected_authorization(canonical, "host;x-sdk-date")
    assert request.url.query == query.encode()
    assert request.url.raw_path == b"/v1/items?" + query.encode()


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("https://h.example.com:8443/a%20b/x?z=1&y=%7e#frag", "y=~&z=1"),
        ("http://user:pw@h.example.com/x?b&a=+", "a=%20&b="),
        ("https://h.example.com/x?&&", ""),
        ("https://h.example.com/x?q=%e2%9c%93", "q=%E2%9C%93"),
    ],
)
def test_rewritten_url_is_what_httpx_itself_would_build(url: str, query: str) -> None:
    original = httpx.URL(url)
    request = httpx.Request("GET", original, headers={"X-Sdk-Date": DATE})
    sign(request)
    public = original.copy_with(query=query.encode() or None)
    assert request.url == public
    assert str(request.url) == str(public)
    assert request.url.raw_path == public.raw_path
    assert httpx.URL(str(request.url)) == request.url
    assert str(original) == url


def test_params_with_booleans_through_client_are_sent_in_canonical_order() -> None:
    captured: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        captured.append(request)
        return httpx.Response(204)

    headers = {"Accept": "application/json", "Accept-Encoding": "gzip", "User-Agent": "t/1"}
    with httpx.Client(
        transport=httpx.MockTransport(handler), auth=AkSkAuth(AK, SK), headers=headers
    ) as client:
        del client.headers["Connection"]
        client.get(
            "https://h.example.com/v1/jobs",
            params={"z": "1", "a b": "c d", "validate": False, "limit": 10, "empty": ""},
            headers={"X-Sdk-Date": DATE},
        )
    (sent,) = captured
    query = "a%20b=c%20d&empty=&limit=10&validate=false&z=1"
    assert sent.url.query == query.encode()
    canonical = (
        f"GET\n/v1/jobs/\n{query}\naccept:application/json\naccept-encoding:gzip\n"
        "host:h.example.com\nuser-agent:t/1\nx-sdk-date:20240102T030405Z\n\n"
        f"accept;accept-encoding;host;user-agent;x-sdk-date\n{EMPTY_SHA256}"
    )
    signed = "accept;accept-encoding;host;user-agent;x-sdk-date"
    assert sent.headers["Authorization"] == expected_authorization(canonical, signed)


# --- Host ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://h.example.com:8443/v1/x", "h.example.com:8443"),
        ("https://h.example.com/v1/x", "h.example.com"),
        ("http://h.example.com:8080/v1/x", "h.example.com:8080"),
    ],
)
@pytest.mark.parametrize("drop_host", [False, True])
def test_host_with_and_without_port(url: str, host: str, drop_host: bool) -> None:
    request = httpx.Request(
        "POST",
        url,
        headers={"X-Sdk-Date": DATE, "Content-Type": "application/json"},
        content=b'{"a":1}',
    )
    if drop_host:
        del request.headers["Host"]
    sign(request)
    assert request.headers["Host"] == host
    body_hash = hashlib.sha256(b'{"a":1}').hexdigest()
    canonical = (
        f"POST\n/v1/x/\n\ncontent-type:application/json\nhost:{host}\n"
        f"x-sdk-date:20240102T030405Z\n\ncontent-type;host;x-sdk-date\n{body_hash}"
    )
    signed = "content-type;host;x-sdk-date"
    assert request.headers["Authorization"] == expected_authorization(canonical, signed)


# --- Headers ----------------------------------------------------------------------------------


def test_header_values_trimmed_inner_whitespace_kept_underscore_names_skipped() -> None:
    request = httpx.Request(
        "GET",
        "https://h.example.com",
        headers={
            "X-Sdk-Date": DATE,
            "X-Custom": " \t a  b\t c \t",
            "X-Blank": "   ",
            "X_Under_Score": "not-signed",
        },
    )
    sign(request)
    canonical = (
        "GET\n/\n\nhost:h.example.com\nx-blank:\nx-custom:a  b\t c\n"
        "x-sdk-date:20240102T030405Z\n\n"
        f"host;x-blank;x-custom;x-sdk-date\n{EMPTY_SHA256}"
    )
    signed = "host;x-blank;x-custom;x-sdk-date"
    assert request.headers["Authorization"] == expected_authorization(canonical, signed)
    assert request.headers["X_Under_Score"] == "not-signed"


def test_canonical_headers_pure() -> None:
    block, signed = canonical_headers(
        [
            ("X-B", "2"),
            ("Content-Length", "12"),
            ("x_a", "skip"),
            ("Connection", "keep-alive"),
            ("Transfer-Encoding", "chunked"),
            ("Authorization", "stale"),
            ("HOST", "h"),
            ("X-Dup", "b"),
            ("x-dup", "\ta "),
        ]
    )
    # Only Content-Length and Authorization are left out; hop-by-hop headers are signed too.
    assert block == (
        "connection:keep-alive\nhost:h\ntransfer-encoding:chunked\nx-b:2\nx-dup:a\nx-dup:b\n"
    )
    assert signed == "connection;host;transfer-encoding;x-b;x-dup"


def test_only_spaces_and_tabs_are_trimmed() -> None:
    # A no-break space or vertical tab is not a space or tab: it stays.
    block, signed = canonical_headers([("X-A", " \t\u00a0x\x0b\t "), ("X-B", "\t\ty z  ")])
    assert block == "x-a:\u00a0x\x0b\nx-b:y z\n"
    assert signed == "x-a;x-b"


def test_content_length_is_sent_but_not_signed() -> None:
    request = httpx.Request("PUT", "https://h.example.com/v1/x", headers={"X-Sdk-Date": DATE})
    sign(request)
    assert request.headers["Content-Length"] == "0"
    canonical = (
        "PUT\n/v1/x/\n\nhost:h.example.com\nx-sdk-date:20240102T030405Z\n\n"
        f"host;x-sdk-date\n{EMPTY_SHA256}"
    )
    assert request.headers["Authorization"] == expected_authorization(canonical, "host;x-sdk-date")


def test_repeated_header_gives_one_line_per_value() -> None:
    request = httpx.Request(
        "GET",
        "https://h.example.com/",
        headers=[("X-Sdk-Date", DATE), ("X-Dup", "b"), ("X-Dup", " a ")],
    )
    sign(request)
    canonical = (
        "GET\n/\n\nhost:h.example.com\nx-dup:a\nx-dup:b\nx-sdk-date:20240102T030405Z\n\n"
        f"host;x-dup;x-sdk-date\n{EMPTY_SHA256}"
    )
    signed = "host;x-dup;x-sdk-date"
    assert request.headers["Authorization"] == expected_authorization(canonical, signed)


def test_stale_authorization_is_replaced_and_signing_twice_is_stable() -> None:
    request = httpx.Request(
        "GET",
        "https://h.example.com/x",
        headers={"X-Sdk-Date": DATE, "Authorization": "Bearer stale"},
    )
    canonical = (
        "GET\n/x/\n\nhost:h.example.com\nx-sdk-date:20240102T030405Z\n\n"
        f"host;x-sdk-date\n{EMPTY_SHA256}"
    )
    expected = expected_authorization(canonical, "host;x-sdk-date")
    sign(request)
    assert request.headers["Authorization"] == expected
    sign(request)
    assert request.headers.get_list("Authorization") == [expected]


# --- Payload ----------------------------------------------------------------------------------


def test_octet_stream_body_is_unsigned_payload() -> None:
    request = httpx.Request(
        "POST",
        "https://h.example.com/upload",
        headers={"X-Sdk-Date": DATE, "Content-Type": "application/octet-stream"},
        content=b"\x00\xffbinary",
    )
    sign(request)
    assert request.headers["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    canonical = (
        "POST\n/upload/\n\ncontent-type:application/octet-stream\nhost:h.example.com\n"
        "x-sdk-content-sha256:UNSIGNED-PAYLOAD\nx-sdk-date:20240102T030405Z\n\n"
        "content-type;host;x-sdk-content-sha256;x-sdk-date\nUNSIGNED-PAYLOAD"
    )
    signed = "content-type;host;x-sdk-content-sha256;x-sdk-date"
    assert request.headers["Authorization"] == expected_authorization(canonical, signed)
    assert request.content == b"\x00\xffbinary"


def test_caller_supplied_content_sha256_is_the_payload_hash() -> None:
    request = httpx.Request(
        "POST",
        "https://h.example.com/j",
        headers={
            "X-Sdk-Date": DATE,
            "Content-Type": "application/json",
            "X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD",
        },
        content=b"{}",
    )
    sign(request)
    canonical = (
        "POST\n/j/\n\ncontent-type:application/json\nhost:h.example.com\n"
        "x-sdk-content-sha256:UNSIGNED-PAYLOAD\nx-sdk-date:20240102T030405Z\n\n"
        "content-type;host;x-sdk-content-sha256;x-sdk-date\nUNSIGNED-PAYLOAD"
    )
    signed = "content-type;host;x-sdk-content-sha256;x-sdk-date"
    assert request.headers["Authorization"] == expected_authorization(canonical, signed)


def test_bson_body_is_hashed() -> None:
    body = b"\x05\x00\x00\x00\x00"
    request = httpx.Request(
        "POST",
        "https://h.example.com/b",
        headers={"X-Sdk-Date": DATE, "Content-Type": "application/bson"},
        content=body,
    )
    sign(request)
    assert "X-Sdk-Content-Sha256" not in request.headers
    canonical = (
        "POST\n/b/\n\ncontent-type:application/bson\nhost:h.example.com\n"
        "x-sdk-date:20240102T030405Z\n\ncontent-type;host;x-sdk-date\n"
        + hashlib.sha256(body).hexdigest()
    )
    signed = "content-type;host;x-sdk-date"
    assert request.headers["Authorization"] == expected_authorization(canonical, signed)


def test_streamed_body_is_hashed_over_the_bytes_sent() -> None:
    captured: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        captured.append(request)
        return httpx.Response(201)

    with httpx.Client(transport=httpx.MockTransport(handler), auth=AkSkAuth(AK, SK)) as client:
        for name in ("Accept", "Accept-Encoding", "User-Agent", "Connection"):
            del client.headers[name]
        client.post(
            "https://h.example.com/v1/upload",
            content=iter([b"ab", b"cd"]),
            headers={"X-Sdk-Date": DATE},
        )
    (sent,) = captured
    assert sent.content == b"abcd"
    assert sent.headers["Transfer-Encoding"] == "chunked"
    # Transfer-Encoding is present when signing, so it is signed (only Content-Length is not).
    canonical = (
        "POST\n/v1/upload/\n\nhost:h.example.com\ntransfer-encoding:chunked\n"
        "x-sdk-date:20240102T030405Z\n\nhost;transfer-encoding;x-sdk-date\n"
        + hashlib.sha256(b"abcd").hexdigest()
    )
    signed = "host;transfer-encoding;x-sdk-date"
    assert sent.headers["Authorization"] == expected_authorization(canonical, signed)


# --- Date -------------------------------------------------------------------------------------


def test_sdk_date_from_the_request_wins_over_the_clock() -> None:
    request = httpx.Request("GET", "https://h.example.com/x", headers={"X-Sdk-Date": DATE})
    sign(request, AkSkAuth(AK, SK, clock=fail_clock))
    assert request.headers["X-Sdk-Date"] == DATE


@pytest.mark.parametrize(
    "clock",
    [
        lambda: datetime(2025, 6, 7, 8, 9, 10, tzinfo=UTC),
        lambda: datetime(2025, 6, 7, 10, 9, 10, tzinfo=timezone(timedelta(hours=2))),
        lambda: datetime(2025, 6, 7, 8, 9, 10),
    ],
    ids=["utc", "plus-two-hours", "naive-is-utc"],
)
def test_clock_sets_sdk_date(clock: Callable[[], datetime]) -> None:
    request = httpx.Request("GET", "https://h.example.com/x")
    sign(request, AkSkAuth(AK, SK, clock=clock))
    assert request.headers["X-Sdk-Date"] == "20250607T080910Z"
    canonical = (
        "GET\n/x/\n\nhost:h.example.com\nx-sdk-date:20250607T080910Z\n\n"
        f"host;x-sdk-date\n{EMPTY_SHA256}"
    )
    expected = expected_authorization(canonical, "host;x-sdk-date", date="20250607T080910Z")
    assert request.headers["Authorization"] == expected


@pytest.fixture
def far_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Run in UTC+8 so a local-time clock cannot pass for UTC on a UTC machine.
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available")
    monkeypatch.setenv("TZ", "Etc/GMT-8")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("far_from_utc")
def test_default_clock_is_current_utc() -> None:
    assert time.localtime().tm_gmtoff == 8 * 3600
    before = datetime.now(UTC).replace(microsecond=0)
    request = httpx.Request("GET", "https://h.example.com/x")
    sign(request)
    after = datetime.now(UTC)
    stamp = datetime.strptime(request.headers["X-Sdk-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert before <= stamp <= after


def test_format_sdk_date() -> None:
    assert format_sdk_date(datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)) == DATE
    minus_five = timezone(timedelta(hours=-5))
    assert format_sdk_date(datetime(2024, 1, 1, 22, 4, 5, tzinfo=minus_five)) == DATE


# --- Project id and security token ------------------------------------------------------------


def test_project_id_and_security_token_are_added_and_signed() -> None:
    token = "temporary-security-token-value"
    request = httpx.Request(
        "GET", "https://h.example.com/v1/x", headers={"X-Sdk-Date": DATE, "X-Project-Id": "old"}
    )
    sign(request, AkSkAuth(AK, SK, project_id=PROJECT, security_token=token))
    assert request.headers["X-Project-Id"] == PROJECT
    assert request.headers["X-Security-Token"] == token
    canonical = (
        "GET\n/v1/x/\n\nhost:h.example.com\n"
        "x-project-id:0123456789abcdef0123456789abcdef\nx-sdk-date:20240102T030405Z\n"
        "x-security-token:temporary-security-token-value\n\n"
        f"host;x-project-id;x-sdk-date;x-security-token\n{EMPTY_SHA256}"
    )
    signed = "host;x-project-id;x-sdk-date;x-security-token"
    assert request.headers["Authorization"] == expected_authorization(canonical, signed)


def test_no_project_or_token_headers_unless_configured() -> None:
    request = httpx.Request("GET", "https://h.example.com/x", headers={"X-Sdk-Date": DATE})
    sign(request)
    assert "X-Project-Id" not in request.headers
    assert "X-Security-Token" not in request.headers


# --- Token auth and redaction -----------------------------------------------------------------


def test_token_auth_sets_header() -> None:
    token = "MIIPAgYJKoZIhvcNAQcCoIIO8zCCDu8CAQExDTALBglghkgBZQMEAgEw"
    captured: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        captured.append(request)
        return httpx.Response(200)

    with httpx.Client(transport=httpx.MockTransport(handler), auth=TokenAuth(token)) as client:
        client.get("https://h.example.com/v1/x")
    (sent,) = captured
    assert sent.headers["X-Auth-Token"] == token
    assert "Authorization" not in sent.headers
    assert "X-Sdk-Date" not in sent.headers


def test_empty_credentials_rejected() -> None:
    with pytest.raises(ValueError):
        TokenAuth("")
    with pytest.raises(ValueError):
        AkSkAuth("", SK)
    with pytest.raises(ValueError):
        AkSkAuth(AK, "")


def test_token_auth_repr_redacts() -> None:
    token = "MIIPAgYJKoZIhvcNAQcCoIIO8zCCDu8CAQExDTALBglghkgBZQMEAgEw"
    auth = TokenAuth(token)
    assert repr(auth) == "TokenAuth(token=<redacted>)"
    assert str(auth) == "TokenAuth(token=<redacted>)"
    assert token[:8] not in repr(auth)


def test_aksk_auth_repr_redacts() -> None:
    token = "temporary-security-token-value"
    auth = AkSkAuth(AK, SK, project_id=PROJECT, security_token=token)
    expected = (
        "AkSkAuth(ak='HPUA…01', sk=<redacted>, "
        "project_id='0123456789abcdef0123456789abcdef', security_token=<redacted>)"
    )
    assert repr(auth) == expected
    assert str(auth) == expected
    for secret in (AK, SK, token, SK[:6], SK[-6:], token[:6]):
        assert secret not in repr(auth)
    assert repr(AkSkAuth(AK, SK)) == "AkSkAuth(ak='HPUA…01', sk=<redacted>)"
    assert repr(AkSkAuth("SHORTAK", SK)) == "AkSkAuth(ak='…', sk=<redacted>)"
