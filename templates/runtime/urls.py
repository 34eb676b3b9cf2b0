"""httpx URLs from already percent-encoded parts, without parsing the whole URL again."""

from __future__ import annotations

import functools
import re

import httpx

# What httpx's URL parser leaves unchanged: unreserved characters and upper-case %XX escapes,
# "/" between path segments (none of them "." or ".."), "=" and "&" in the query. Checked as
# the allowed characters first (one character class: fast), then the escapes and segments.
_PATH_CHARACTERS = re.compile(r"(?:/[A-Za-z0-9\-._~%/]*)?")
_QUERY_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~%=&]*")
_BAD_ESCAPE = r"%(?![0-9A-F]{2})"
_NOT_PLAIN_PATH = re.compile(_BAD_ESCAPE + r"|/\.\.?(?:/|$)")  # or a "." or ".." segment
_NOT_PLAIN_QUERY = re.compile(_BAD_ESCAPE)


def encoded_url(base: httpx.URL, path: str, query: str) -> httpx.URL:
    """`base` with `path` and `query` (percent-encoded; no "?", "" for none) in place of its own.

    Parts holding only what httpx's parser leaves unchanged (what this package's encoders and
    signer write) are swapped in as they are; anything else is parsed the public way, which
    also validates it.
    """
    if _plain(path, query):
        return with_encoded(base, path, query)
    return base.copy_with(raw_path=(path + ("?" + query if query else "")).encode("utf-8"))


def encoded_url_text(base: httpx.URL, origin: str | None, path: str, query: str) -> str:
    """`str(encoded_url(base, path, query))`; without making the URL when the parts are plain
    and `origin` is what that string starts with (see `origin_of`)."""
    if origin is not None and _plain(path, query):
        return origin + path + ("?" + query if query else "")
    return str(encoded_url(base, path, query))


def origin_of(base: httpx.URL) -> str | None:
    """What `str(encoded_url(base, path, query))` puts before `path` (scheme, userinfo, host,
    port), or None when the URL's string has more than that around the path (a fragment)."""
    probe = str(encoded_url(base, "/", ""))
    return probe[:-1] if probe.endswith("/") else None


@functools.lru_cache(maxsize=1024)  # a client polling one status asks again and again
def _plain(path: str, query: str) -> bool:
    """Whether `path` and `query` hold only what httpx's parser leaves unchanged."""
    if _PATH_CHARACTERS.fullmatch(path) is None or _NOT_PLAIN_PATH.search(path) is not None:
        return False
    if not query:
        return True
    return _QUERY_CHARACTERS.fullmatch(query) is not None and not _NOT_PLAIN_QUERY.search(query)


def with_encoded(url: httpx.URL, path: str, query: str) -> httpx.URL:
    """`url` with `path` and `query` (no "?"; "" for none) swapped in as they are.

    Both must hold only what httpx's URL parser leaves unchanged: unreserved characters, "/",
    "=", "&" and upper-case %XX escapes, and no "." or ".." path segment. Then swapping the
    parsed components gives the URL a parse would (`URL.copy_with` re-parses and re-validates
    it all, which costs more than the rest of building a request). This is the one place that
    relies on httpx's internals; it falls back to the public way should they change.
    """
    reference = getattr(url, "_uri_reference", None)
    if reference is None:
        raw = path.encode("ascii") + (b"?" + query.encode("ascii") if query else b"")
        return url.copy_with(raw_path=raw)
    new = httpx.URL.__new__(httpx.URL)
    new._uri_reference = reference._replace(path=path, query=query or None)
    return new
