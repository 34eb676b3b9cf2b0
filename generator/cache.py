"""A content-addressed store of step results (validation, read specs, renders, models, black) by input hash."""

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

    @property
    def enabled(self) -> bool:
        return self.root is not None

    def get(self, kind: str, key: str) -> str | None:
        data = self.get_bytes(kind, key)
        return None if data is None else data.decode("utf-8")

    def put(self, kind: str, key: str, value: str) -> None:
        self.put_bytes(kind, key, value.encode("utf-8"))

    def get_bytes(self, kind: str, key: str) -> bytes | None:
        if self.root is None:
            return None
        try:
            return (self.root / kind / key[:2] / key).read_bytes()
        except OSError:
            return None

    def put_bytes(self, kind: str, key: str, value: bytes) -> None:
        if self.root is None:
            return
        folder = self.root / kind / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder)
            with os.fdopen(fd, "wb") as fh:
                fh.write(value)
            os.replace(tmp, folder / key)  # readers see the whole entry or none
        except OSError:
            pass  # a cache that cannot be written only costs time
