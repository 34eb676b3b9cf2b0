"""A content-addressed cache of expensive step results (validation, models, black), keyed by input hash."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class Cache:
    """Text results stored under the sha256 of everything that produced them; None disables it."""

    def __init__(self, root: Path | None) -> None:
        self.root = root

    @staticmethod
    def key(*parts: str | bytes) -> str:
        digest = hashlib.sha256()
        for part in parts:
            digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def get(self, kind: str, key: str) -> str | None:
        if self.root is None:
            return None
        try:
            return (self.root / kind / key[:2] / key).read_text(encoding="utf-8")
        except OSError:
            return None

    def put(self, kind: str, key: str, value: str) -> None:
        if self.root is None:
            return
        folder = self.root / kind / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(value)
            os.replace(tmp, folder / key)
        except OSError:
            pass  # a cache that cannot be written only costs time
