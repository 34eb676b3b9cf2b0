"""Response parsing: a success response as its operation's result, an error response as its error.

The result depends on the operation's kind: nothing (`none`), the bytes (`binary`; but a JSON
answer of a binary operation that documents one, ExportJob's to OBS, is parsed like a model's), or
the body parsed into the response type (`model`: lenient pydantic parsing, `dataarts._runtime.models`),
the type named by the generated module and resolved on first use. A success response without
usable JSON raises `ResponseValidationError`, an error status the typed `APIStatusError` with the
service's documented entry for its code. Service modules (models, error codes) are imported by
the names the generated client passes in, on first need.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import httpx

from .auth import secrets_of
from .errors import REQUEST_ID_HEADER, APIStatusError, ResponseValidationError, status_error
from .logs import excerpt
from .operation import OperationSpec


def parse_result(
    op: OperationSpec[Any], response: httpx.Response, *, models: str, auth: httpx.Auth
) -> Any:
    """The result of `op` from its success `response`; `models` names the service's models
    module; the credentials of `auth` are masked in a body excerpt should the body be unusable."""
    if op.kind == "none":
        return None
    if op.kind == "binary" and (op.response is None or not _is_json(response)):
        return response.content  # a file (or any answer of an operation that has no JSON one)
    reader = _READER or _load_reader()
    try:
        return reader.parse_body(
            resolve_type(models, op.response), response.content, op.operation_id
        )
    except reader.UnusableBody as exc:  # lenient parsing needs JSON to work with
        raise unusable_body_error(op, response, str(exc), secrets_of(auth)) from None


_READER: ModuleType | None = None  # dataarts._runtime.models, once the first body is parsed


def _load_reader() -> ModuleType:
    """The models module, imported on the first parse: it loads pydantic, which importing a
    client does not."""
    global _READER
    from . import models

    _READER = models
    return models


def _is_json(response: httpx.Response) -> bool:
    """Whether the answer says it is JSON (`application/json`, `...+json`)."""
    media = str(response.headers.get("content-type", "")).split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def unusable_body_error(
    op: OperationSpec[Any], response: httpx.Response, reason: str, secrets: tuple[str, ...]
) -> ResponseValidationError:
    """The error for a success response whose body has no JSON to read."""
    shown = excerpt(response.content, secrets=secrets)
    request_id = response.headers.get(REQUEST_ID_HEADER)
    where = f", request id {request_id}" if request_id else ""
    return ResponseValidationError(
        f"{op.operation_id}: HTTP {response.status_code}{where}: no usable JSON body, "
        f"{reason}; body: {shown or '(empty)'}",
        response=response,
        excerpt=shown,
    )


def error_for_status(response: httpx.Response, error_codes: str) -> APIStatusError:
    """The typed error of an error response; `error_codes` names the module documenting the
    service's codes and where its API is served ("" for none), imported on the first error."""
    if not error_codes:
        return status_error(response)
    module = importlib.import_module(error_codes)
    return status_error(response, module.ERROR_CODES, served_on=module.SERVED_ON)


_RESOLVED: dict[tuple[str, str], Any] = {}


def resolve_type(module: str, expression: Any) -> Any:
    """The type a response expression names, evaluated once over the models module's names.

    The names are looked up as attributes, so that a models module creating its classes on
    first use (a module `__getattr__`) creates those the expression names, and only those.
    """
    if not isinstance(expression, str):
        return expression  # already a type
    key = (module, expression)
    found = _RESOLVED.get(key)
    if found is None:
        models = importlib.import_module(module)
        # the expression comes from the generated module, never from the network
        code = compile(expression, "<response type>", "eval")
        names: dict[str, Any] = {}
        for name in code.co_names:  # e.g. ("list", "JobDependency"); builtins are not there
            try:
                names[name] = getattr(models, name)
            except AttributeError:
                pass
        found = _RESOLVED[key] = eval(code, names)
    return found
