"""The records generated clients hand the runtime: an operation, a service, one call's parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, Literal, NamedTuple, TypeVar

from .types import NOT_GIVEN, Headers, NotGiven, Query, Timeout

T = TypeVar("T")

# The records the generated modules build at import (OperationSpec, ServiceSpec, and PageSpec and
# WaiterSpec elsewhere) and Call are NamedTuples: immutable like a frozen dataclass, and creating
# the class costs a fraction of one, paid by every interpreter that imports a client.


class OperationSpec(NamedTuple, Generic[T]):
    """What the runtime needs to know about one operation; one module-level constant each."""

    operation_id: str
    method: str
    path: str  # template with {wire_name} placeholders
    kind: Literal["model", "none", "binary"]
    # the response type (for a binary operation, that of the JSON answer it may give instead;
    # None: it has none): a type, or (as generated) a Python expression over the service's
    # models module ("Job", "A | B"), resolved on first use so that importing a client does
    # not import its models
    response: Any
    idempotent: bool
    # (location, wire name, client option, fallback): the option's value is sent; when the
    # client has none, the fallback is: the documented value of a required parameter (e.g.
    # X-Language "en_us"), or None to leave the parameter out.
    client_params: tuple[tuple[str, str, str, str | None], ...] = ()


class Call(NamedTuple):
    """The parameters of one call, as a generated method passes them to `request`/`download`.

    Built once per call and handed down the send path (every attempt rebuilds its request from
    it: a fresh X-Sdk-Date for each signature).
    """

    path: Mapping[str, Any] | None = None
    query: Query | None = None
    headers: Mapping[str, Any] | None = None
    body: Any = None
    timeout: Timeout | NotGiven = NOT_GIVEN
    extra_headers: Headers | None = None
    extra_query: Query | None = None
    max_retries: int | NotGiven = NOT_GIVEN
    retry_non_idempotent: bool | NotGiven = NOT_GIVEN


class ServiceSpec(NamedTuple):
    """The service a client talks to: its name and how its base URL is built."""

    name: str
    server_url: str  # e.g. https://cdm.{region}.myhuaweicloud.com
    variables: tuple[str, ...]  # the URL's variables, given as constructor arguments
    models: str = ""  # the module holding the service's models, e.g. "dataarts.cdm.models"
    error_codes: str = ""  # the module holding its documented ERROR_CODES, if it has any
