"""The spec as JSON text, shipped in the package for the simulator (`dataarts.testing`).

The simulator routes, checks and answers requests from the same OpenAPI document the clients were
generated from, so an operation added to a spec answers without any code written for it. The
text lands in a raw triple-quoted Python string (`dataarts/<service>/_openapi.py`): one JSON
member per line, so a spec change shows as a readable diff of the generated tree.
"""

from __future__ import annotations

import json
from typing import Any

_CLOSING = '"""'


def openapi_json(data: dict[str, Any]) -> str:
    """`data` as indented JSON, safe inside `r\"\"\"...\"\"\"` (JSON escapes every quote it holds)."""
    text = json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False)
    # JSON never puts two quotes side by side outside an escape, and a raw string keeps every
    # backslash, so neither can end the Python string early; checked, not assumed.
    if _CLOSING in text or text.endswith("\\"):
        raise ValueError("the spec's JSON text cannot be embedded in a raw string")
    return text
