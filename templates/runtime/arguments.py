"""Argument errors that name a generated method as users call it, and the nearest parameter.

Generated methods pass the caller's extra keywords on as request options (`**options`), so a
misspelt argument would surface as Python's complaint about an internal call
(`SyncAPIClient.request() got an unexpected keyword argument 'clusterid'`). The methods catch that
TypeError (a `try` costs nothing until something is raised) and call `unexpected_argument`,
which raises the error as the user would write it:
`cdm.clusters.get() got an unexpected keyword argument 'clusterid'; did you mean 'cluster_id'?`

Python's own argument errors (a required argument left out) name a function by its
`__qualname__`; `name_methods`, called once per generated resource class, sets it to the name
users call the method by (`cdm.clusters.get`), which the messages above use too.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .logs import regex
from .types import RequestOptions

_UNEXPECTED = r"got an unexpected keyword argument '([^']+)'"


def name_methods(resource: type, prefix: str) -> None:
    """Name each public method of a generated resource class as users call it: `prefix.method`
    (e.g. "cdm.clusters"), so that Python's argument errors read `cdm.clusters.get() missing 1
    required keyword-only argument: 'cluster_id'`."""
    for attribute, value in vars(resource).items():
        if inspect.isfunction(value) and not attribute.startswith("_"):
            value.__qualname__ = f"{prefix}.{attribute}"


def unexpected_argument(
    error: TypeError, options: Mapping[str, Any], method: Callable[..., Any]
) -> None:
    """Raise the TypeError a user should see when `error` says that one of the caller's extra
    keywords (`options`) was not taken by the call the generated `method` made; return
    otherwise, so that the caller re-raises `error` (a TypeError from anywhere else)."""
    found = regex(_UNEXPECTED).search(str(error))
    if found is None:
        return
    keyword = found.group(1)
    if keyword in options and keyword not in RequestOptions.__optional_keys__:
        raise TypeError(_message(method, keyword)) from None


def reject_unknown(options: Mapping[str, Any], method: Callable[..., Any]) -> None:
    """Raise the same error for a keyword no request takes, before anything is sent (for the
    page iterators, which send their first request only when iterated)."""
    for keyword in options:
        if keyword not in RequestOptions.__optional_keys__:
            raise TypeError(_message(method, keyword))


def _parameters(method: Callable[..., Any]) -> list[str]:
    """The keywords a generated method takes: its own, then the request options."""
    own = [
        p.name
        for p in inspect.signature(method).parameters.values()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    return own + [o for o in RequestOptions.__annotations__ if o not in own]


def _message(method: Callable[..., Any], keyword: str) -> str:
    parameters = _parameters(method)
    text = f"{method.__qualname__}() got an unexpected keyword argument {keyword!r}"
    nearest = _nearest(keyword, parameters)
    if nearest:
        return f"{text}; did you mean {nearest!r}?"
    return f"{text}; it takes {', '.join(parameters)}"


def _nearest(keyword: str, parameters: Iterable[str]) -> str | None:
    """The parameter the keyword most likely meant: the same letters (`clusterId`, `clusterid`
    for `cluster_id`), else the closest spelling."""
    by_letters = {_letters(p): p for p in parameters}
    if _letters(keyword) in by_letters:
        return by_letters[_letters(keyword)]
    close = difflib.get_close_matches(_letters(keyword), list(by_letters), n=1, cutoff=0.6)
    return by_letters[close[0]] if close else None


def _letters(name: str) -> str:
    return "".join(c for c in name.casefold() if c.isalnum())
