"""httpx URLs from already percent-encoded parts, without parsing the whole URL again."""

from __future__ import annotations

import httpx


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
