"""Reads the error code and message out of any error body the services or the gateway answer with."""

from __future__ import annotations

import json
from typing import Any

from .logs import regex

MESSAGE_LIMIT = 300
# Documented error-body shapes, most specific first: CDM (7.4.1), DLF and the gateway (3.3),
# and the shapes other Huawei services answer with.
_SHAPES = (
    ("errCode", "externalMessage"),
    ("error_code", "error_msg"),
    ("errorCode", "errorMsg"),
    ("errorCode", "errorMessage"),
    ("code", "message"),
    ("error_code", "message"),
)
_MESSAGE_KEYS = (
    "error_msg",
    "externalMessage",
    "errorMsg",
    "errorMessage",
    "message",
    "msg",
    "title",
)
_TITLE = r"(?is)<title[^>]*>(.*?)</title>"  # compiled on first use (logs.regex)
_TAG = r"<[^>]+>"


def normalize_error_body(body: bytes, content_type: str = "") -> tuple[str | None, str | None, Any]:
    """(error code, error message, parsed JSON or None) from any error body, never raising."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return None, None, None
    try:
        data = json.loads(text)
    except ValueError:
        return None, _plain_message(text, content_type), None
    code, message = _from_json(data)
    return code, message, data


def _from_json(data: Any) -> tuple[str | None, str | None]:
    """Code and message of the first object, breadth first, that carries a code; else the first
    message found.

    Breadth first, so a top-level `{"errCode", "externalMessage"}` wins over anything nested;
    a code wins over a message found before it, so an array-wrapped body
    (`{"errors": [{"error_code", "error_msg"}], "message": ...}`, DLF script reads) is read like
    the flat shape; CDM's link failure `{"validation-result": [{"linkConfig": [{"message": ...}]}]}`
    still yields its message.
    """
    if isinstance(data, str):
        return None, _clip(data)
    first_message: str | None = None
    queue: list[tuple[Any, int]] = [(data, 0)]
    while queue:
        node, depth = queue.pop(0)
        if isinstance(node, dict):
            code, message = _from_object(node)
            if code is not None:
                return code, message if message is not None else first_message
            first_message = first_message or message
            children = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth < 5:
            queue.extend(
                (child, depth + 1) for child in children if isinstance(child, (dict, list))
            )
    if first_message is not None or isinstance(data, (dict, list)):
        return None, first_message
    return None, _clip(json.dumps(data))


def _from_object(data: dict[str, Any]) -> tuple[str | None, str | None]:
    for code_key, message_key in _SHAPES:
        code, message = data.get(code_key), data.get(message_key)
        if code is not None or message is not None:
            if message is None:  # e.g. {"errCode": ..., "message": ...}
                message = next((data[k] for k in _MESSAGE_KEYS if data.get(k)), None)
            return _text(code), _clip(_text(message))
    message = next((data[k] for k in _MESSAGE_KEYS if data.get(k)), None)
    return None, _clip(_text(message))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _plain_message(text: str, content_type: str) -> str:
    if "html" in content_type.lower() or text.lstrip().startswith("<"):
        title = regex(_TITLE).search(text)
        text = title.group(1) if title else regex(_TAG).sub(" ", text)
    return _clip(" ".join(text.split())) or "error"


def _clip(text: str | None) -> str | None:
    if text is None:
        return None
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"
