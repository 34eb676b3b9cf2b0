"""`with_encoded`/`encoded_url`: already-encoded parts in an httpx URL give what a parse gives."""

from __future__ import annotations

import httpx
import pytest

from templates.runtime.urls import encoded_url, encoded_url_text, origin_of, with_encoded

BASES = ["https://cdm.example.com", "https://host:8443/prefix", "http://127.0.0.1:9000/a/b/"]
PARTS = [
    ("/v1.1/p1/clusters", ""),
    ("/v1.1/p1/clusters/c%2F1/cdm/job/a%20b", "jname=all&page_no=2"),
    ("/x/~tilde_-.", "k=%E2%82%AC&empty="),
]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize(("path", "query"), PARTS)
def test_the_same_url_a_parse_gives(base: str, path: str, query: str) -> None:
    url = with_encoded(httpx.URL(base), path, query)
    parsed = httpx.URL(base).copy_with(raw_path=(path + ("?" + query if query else "")).encode())
    assert url == parsed
    assert str(url) == str(parsed)
    assert url.raw_path == parsed.raw_path
    assert url.host == parsed.host and url.port == parsed.port


class _UrlWithoutInternals:
    """An httpx URL as a future httpx might keep it: no `_uri_reference`."""

    def __init__(self, url: str) -> None:
        self.url = httpx.URL(url)

    def copy_with(self, **kwargs: bytes) -> httpx.URL:
        return self.url.copy_with(**kwargs)


def test_the_public_way_when_httpx_internals_change() -> None:
    url = with_encoded(_UrlWithoutInternals("https://host/base"), "/v1/p", "a=1")  # type: ignore[arg-type]
    assert url == httpx.URL("https://host/v1/p?a=1")


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize(
    ("path", "query"),
    [
        *PARTS,
        ("/v1/a b/./c", "q=x y"),  # not plain: parsed (and normalised) the public way
        ("/v1/p", "a=1+2&b=%e2%82%ac"),  # "+" and lower-case escapes are not swapped in
        ("/v1/../p", ""),
    ],
)
def test_encoded_url_is_what_a_parse_gives(base: str, path: str, query: str) -> None:
    parsed = httpx.URL(base).copy_with(raw_path=(path + ("?" + query if query else "")).encode())
    url = encoded_url(httpx.URL(base), path, query)
    assert url == parsed and str(url) == str(parsed) and url.raw_path == parsed.raw_path


@pytest.mark.parametrize(
    "base", [*BASES, "https://user:pw@host/p", "http://[::1]:8080", "https://bücher.example/x", "https://host/p#frag"]
)
@pytest.mark.parametrize(
    ("path", "query"),
    [*PARTS, ("/v1/a b/./c", "q=x y"), ("/v1/p", "a=1+2&b=%e2%82%ac"), ("/v1/../p", "")],
)
def test_the_url_text_is_the_string_of_the_url(base: str, path: str, query: str) -> None:
    """The text the aiohttp transport sends is the string of the URL httpx would send."""
    parsed = httpx.URL(base)
    expected = str(encoded_url(parsed, path, query))
    assert encoded_url_text(parsed, origin_of(parsed), path, query) == expected
    assert encoded_url_text(parsed, None, path, query) == expected


def test_a_url_with_more_around_its_path_has_no_origin() -> None:
    assert origin_of(httpx.URL("https://host:8443/p")) == "https://host:8443"
    assert origin_of(httpx.URL("https://host/p#frag")) is None
