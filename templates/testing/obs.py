"""A simulated OBS: objects by path (`obs://bucket/key`), for the operations that read or write
files in OBS (DLF job and connection imports read the zip an export wrote).

    sim.obs.put("obs://bucket/jobs.zip", exported)
"""

from __future__ import annotations

import threading

__all__ = ["ObjectStore", "check_path"]

SCHEME = "obs://"


def check_path(path: str) -> str:
    """`path` when it names an object (`obs://bucket/key`); ValueError otherwise."""
    bucket, _, key = path.removeprefix(SCHEME).partition("/")
    if not path.startswith(SCHEME) or not bucket or not key:
        raise ValueError(f"{path!r} is not an OBS object path (obs://bucket/key)")
    return path


class ObjectStore:
    """Objects by OBS path; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._objects: dict[str, bytes] = {}

    def put(self, path: str, data: bytes) -> None:
        with self._lock:
            self._objects[check_path(path)] = bytes(data)

    def get(self, path: str) -> bytes | None:
        """The object's bytes, None when there is none."""
        with self._lock:
            return self._objects.get(path)

    def delete(self, path: str) -> bool:
        """Remove the object; False when there was none."""
        with self._lock:
            return self._objects.pop(path, None) is not None

    def paths(self) -> list[str]:
        with self._lock:
            return sorted(self._objects)

    def clear(self) -> None:
        with self._lock:
            self._objects.clear()
