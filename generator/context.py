"""One spec as the read stage sees it: its operations and parameters, its problems, the extensions' facts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from .document import Document, operations
from .load import SpecFile
from .problems import Problem, pointer

if TYPE_CHECKING:
    from .extensions.contract import Extension

F = TypeVar("F")


@dataclass(frozen=True)
class Parameter:
    """A parameter of an operation, dereferenced, with the place it is defined at."""

    ptr: str  # its definition: a shared one's under /components/parameters
    name: str
    location: str  # "path", "query", "header" or "cookie"
    data: dict[str, Any]


@dataclass(frozen=True)
class OperationDecl:
    """An operation object under `paths`, as the document declares it."""

    index: int  # its place among the spec's operations (paths, then methods, in document order)
    ptr: str
    path: str
    method: str  # lower case, as in the document
    data: dict[str, Any]

    @property
    def operation_id(self) -> str | None:
        value = self.data.get("operationId")
        return value if isinstance(value, str) and value else None

    @property
    def label(self) -> str:
        """How problems name it: its operationId, else `GET /path`."""
        return self.operation_id or f"{self.method.upper()} {self.path}"


class SpecContext:
    """The state of reading one spec: problems are reported here, and each extension's facts kept."""

    def __init__(self, spec: SpecFile) -> None:
        self.spec = spec
        self.data = spec.data
        self.doc = Document(spec.data)
        self.problems: list[Problem] = []
        # pointers of nested extension values another extension has read (e.g. a catalogue
        # parameter's condition), so the owner of the key does not report them as misplaced
        self.claimed: set[str] = set()
        self._facts: dict[str, Any] = {}
        self._parameters: dict[str, list[Parameter]] = {}
        self.operations = [
            OperationDecl(i, ptr, path, method, op)
            for i, (ptr, path, method, op) in enumerate(operations(spec.data))
        ]

    def report(self, ptr: str, message: str) -> None:
        self.problems.append(self.spec.problem(ptr, message))

    def put(self, extension: Extension[F], facts: F) -> None:
        self._facts[extension.name] = facts

    def keep_facts(self, names: set[str]) -> None:
        """Forget the facts of every extension but those named (what is kept must pickle)."""
        self._facts = {name: facts for name, facts in self._facts.items() if name in names}

    def facts(self, extension: Extension[F]) -> F:
        """What `extension` read from this spec (it must come before the caller in the registry)."""
        found: F = self._facts[extension.name]
        return found

    @property
    def schemas(self) -> dict[str, Any]:
        found = (self.data.get("components") or {}).get("schemas") or {}
        return found if isinstance(found, dict) else {}

    def parameters(self, op: OperationDecl) -> list[Parameter]:
        """Its parameters (the path item's first, then its own), each with where it is defined."""
        if op.ptr not in self._parameters:
            item = (self.data.get("paths") or {}).get(op.path) or {}
            found = []
            for base, params in ((pointer("paths", op.path, "parameters"), item.get("parameters")),
                                 (op.ptr + "/parameters", op.data.get("parameters"))):
                for i, raw in enumerate(params if isinstance(params, list) else []):
                    param = self.doc.deref(raw)
                    if not isinstance(param, dict) or "name" not in param or "in" not in param:
                        continue
                    ref = raw.get("$ref") if isinstance(raw, dict) else None
                    ptr = ref[1:] if isinstance(ref, str) else f"{base}/{i}"
                    found.append(Parameter(ptr, str(param["name"]), str(param["in"]), param))
            self._parameters[op.ptr] = found
        return self._parameters[op.ptr]
