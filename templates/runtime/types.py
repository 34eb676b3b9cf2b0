"""Small shared types: the NOT_GIVEN sentinel and the aliases used in method signatures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Literal, TypeAlias, TypedDict

import httpx


class NotGiven:
    """Marks an argument the caller did not pass, where None means something (no timeout)."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

Timeout: TypeAlias = float | httpx.Timeout | None
Headers: TypeAlias = Mapping[str, str]
QueryValue: TypeAlias = str | int | float | bool | Sequence[str | int | float | bool]
Query: TypeAlias = Mapping[str, QueryValue | None]


class RequestOptions(TypedDict, total=False):
    """Per-call options every generated method accepts as keyword arguments."""

    timeout: Timeout  # seconds or an httpx.Timeout; None waits forever
    extra_headers: Headers  # added to (and overriding) the request's headers
    extra_query: Query  # added to the query string
    max_retries: int  # overrides the client's retry count for this call
    retry_non_idempotent: bool  # also retry a POST/PUT after an ambiguous failure
