"""The zip files DLF exports and imports: job, script, resource and connection definitions.

doc: 6.3 ExportJob: `DLF_{job_name}.zip` holds `jobs/{job_name}.job` (the create-job request's
fields), `scripts/{script_name}.script` (the create-script request's) and
`resources/{resource_name}.resource`; BatchExportJobs is "laid out like the ExportJob response";
6.4 ExportConnections: `connections/{connectionName}.conn`. Each file holds its object as JSON.
The archives are reproducible: fixed entry dates, entries in name order.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Archive", "pack", "unpack"]

# folder in the zip -> (file suffix, Archive attribute)
_FOLDERS = {
    "jobs": ".job",
    "scripts": ".script",
    "resources": ".resource",
    "connections": ".conn",
}
_DATE = (
    2024,
    4,
    29,
    0,
    0,
    0,
)  # the API reference's date: archives do not depend on the clock


@dataclass
class Archive:
    """Definitions by kind, each the object its create request takes."""

    jobs: list[dict[str, Any]] = field(default_factory=list)
    scripts: list[dict[str, Any]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    connections: list[dict[str, Any]] = field(default_factory=list)

    def names(self, kind: str) -> list[str]:
        return [str(item.get("name")) for item in self._items(kind)]

    def _items(self, kind: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = getattr(self, kind)
        return items


def pack(archive: Archive) -> bytes:
    """The zip of every definition in `archive`."""
    entries: dict[str, Mapping[str, Any]] = {}
    for folder, suffix in _FOLDERS.items():
        for item in archive._items(folder):
            entries[f"{folder}/{item.get('name')}{suffix}"] = item
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(entries):
            text = json.dumps(entries[name], ensure_ascii=False, indent=2, sort_keys=True)
            zf.writestr(zipfile.ZipInfo(name, _DATE), text.encode("utf-8"))
    return out.getvalue()


def unpack(data: bytes) -> Archive:
    """The definitions in a zip made by `pack` (or by the service); ValueError when `data` is
    not such a zip."""
    archive = Archive()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for name in sorted(zf.namelist()):
                folder, _, rest = name.partition("/")
                suffix = _FOLDERS.get(folder)
                if suffix is None or not rest.endswith(suffix):
                    continue
                item = json.loads(zf.read(name).decode("utf-8"))
                if not isinstance(item, dict) or "name" not in item:
                    raise ValueError(f"{name} is not a definition with a name")
                archive._items(folder).append(item)
    except (zipfile.BadZipFile, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a definition file: {exc}") from exc
    return archive
