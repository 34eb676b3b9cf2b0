"""The api.md step: the Python API reference beside the generated tree, written from the IR."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .ir import Api, Argument, Operation, Resource, Service, Waiter
from .provenance import header

FILE = "api.md"
TEMPLATE = "api.md.jinja"
SIGNATURE_WIDTH = 88  # a signature longer than this is shown one parameter per line
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def anchor(heading: str) -> str:
    """The fragment GitHub gives a heading: lower-cased, punctuation but `_` and `-` dropped."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


@dataclass(frozen=True)
class Link:
    """A name and where it is defined (a path relative to api.md; "" for builtins)."""

    name: str
    href: str = ""


@dataclass(frozen=True)
class Method:
    """One method of a resource, and the helpers generated beside it."""

    name: str
    signature: tuple[str, ...]  # lines of `client.resource.method(...) -> Type`
    http_method: str
    path: str
    summary: str
    deprecated: bool
    body: Link | None  # the request body's model (a mapping with wire names does too)
    returns: tuple[Link, ...]  # the model names in the return type
    returns_text: str  # the return type as written
    returns_one_model: bool  # the return type is exactly `returns[0]`
    pages: Link | None  # `iter_<name>` yields these
    pages_params: tuple[str, str] = ("", "")  # start and size parameters (wire names)
    download: bool = False  # `<name>_to_file` streams the file


@dataclass(frozen=True)
class WaiterEntry:
    """One `wait_until_<name>` method of a resource."""

    name: str
    signature: tuple[str, ...]
    summary: str
    polls: str  # the polled method
    returns: Link
    none_when_gone: bool  # returns None once an error answer says it is gone
    success: tuple[str, ...]
    failure: tuple[str, ...]


@dataclass(frozen=True)
class ResourceEntry:
    """One resource of a client: its methods, then its waiters."""

    attribute: str  # "cdm.jobs"
    name: str  # "jobs"
    anchor: str  # its heading's fragment
    doc: str
    class_name: str
    methods: tuple[Method, ...]
    waiters: tuple[WaiterEntry, ...]


@dataclass(frozen=True)
class ClientEntry:
    """One service's client: its settings and resources."""

    service: str
    client: str  # "CdmClient"
    anchor: str  # its heading's fragment
    title: str
    host: str
    settings: tuple[tuple[str, str], ...]  # the client's own keywords: server variables, options
    client_href: str
    models: Link
    resources: tuple[ResourceEntry, ...]


def reference_entries(api: Api, files: Mapping[str, str], tree: str) -> list[ClientEntry]:
    """What api.md lists, per client. `files`: the generated tree's files (path -> text), `tree`:
    the generated tree's folder relative to api.md (e.g. "generated")."""
    return [_client(service, _model_files(service.name, files, tree), tree)
            for service in api.services]


def _model_files(service: str, files: Mapping[str, str], tree: str) -> dict[str, str]:
    """Each model class (and type alias) of a service -> the file defining it, read off the
    generated tree's `_models` modules (so a run that took them from the cache knows them too)."""
    folder = f"dataarts/{service}/_models/"
    found: dict[str, str] = {}
    for path, text in sorted(files.items()):
        if path.startswith(folder) and not path.endswith("/__init__.py"):
            for name in _defined_names(text):
                found[name] = f"{tree}/{path}"
    return found


def _defined_names(source: str) -> Iterator[str]:
    """The classes and type aliases a module defines at its top level."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            yield node.name
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            yield node.target.id


def _client(service: Service, files: dict[str, str], tree: str) -> ClientEntry:
    prefix = service.name
    client = f"{service.client_stem}Client"
    return ClientEntry(
        service=service.name,
        client=client,
        anchor=anchor(f"`{client}`"),
        title=service.title,
        host=service.server_url,
        settings=(*((v.name, v.description) for v in service.server_variables),
                  *((o.name, " ".join(o.doc.split())) for o in service.options)),
        client_href=f"{tree}/dataarts/{service.name}/_client.py",
        models=Link(f"dataarts.{service.name}.models", f"{tree}/dataarts/{service.name}/models.py"),
        resources=tuple(_resource(prefix, r, files) for r in service.resources),
    )


def _resource(prefix: str, resource: Resource, files: dict[str, str]) -> ResourceEntry:
    attribute = f"{prefix}.{resource.name}"
    return ResourceEntry(
        attribute=attribute,
        name=resource.name,
        anchor=anchor(f"`{attribute}`"),
        doc=resource.doc,
        class_name=resource.class_name,
        methods=tuple(_method(attribute, op, files) for op in resource.operations),
        waiters=tuple(_waiter(attribute, w, files) for w in resource.waiters),
    )


def _method(attribute: str, op: Operation, files: dict[str, str]) -> Method:
    body = op.body_arg
    pages = op.pagination
    returns = _links(op.response_type, files)
    return Method(
        name=op.method_name,
        signature=signature(f"{attribute}.{op.method_name}", op.arguments, op.response_type),
        http_method=op.http_method,
        path=op.path,
        summary=op.summary.rstrip("."),
        deprecated=op.deprecated,
        body=_first_model(body.annotation, files) if body is not None else None,
        returns=returns,
        returns_text=op.response_type,
        returns_one_model=returns[:1] == (Link(op.response_type, files.get(op.response_type, "")),),
        pages=Link(pages.item_type, files.get(pages.item_type, "")) if pages else None,
        pages_params=(pages.start_param, pages.size_param) if pages else ("", ""),
        download=op.response_kind == "binary",
    )


def _waiter(attribute: str, waiter: Waiter, files: dict[str, str]) -> WaiterEntry:
    # the keywords every waiter takes besides the polled operation's (templates/
    # service_client.py.jinja; tests/generator/test_api_reference.py compares them)
    pace = ("timeout: float | None = None", "delay: float | None = None",
            "max_delay: float | None = None",
            f"on_poll: OnPoll[{waiter.result_type}] | None = None", "sleep: Sleep | None = None",
            "clock: Clock | None = None")
    # a waiter on work asked to begin later first waits for it to start (its rule's start_within)
    start = ("start_delay: float = 0.0",) if waiter.rule.start_within is not None else ()
    # a waiter that tells the work from earlier runs by time takes the call's time
    since = ("not_before: Moment | None = None",) if waiter.rule.not_before is not None else ()
    params = (*(_parameter(a) for a in waiter.arguments), *start, *since, *pace)
    return WaiterEntry(
        name=waiter.method_name,
        signature=_lines(f"{attribute}.{waiter.method_name}", params, waiter.return_type),
        summary=waiter.summary.rstrip("."),
        polls=f"{attribute}.{waiter.poll_method}",
        returns=Link(waiter.result_type, files.get(waiter.result_type, "")),
        none_when_gone=waiter.ends_without_result,
        success=waiter.rule.success,
        failure=waiter.rule.failure,
    )


def signature(call: str, arguments: tuple[Argument, ...], returns: str) -> tuple[str, ...]:
    """A method's signature as a user calls it (keywords only; `**options` left out)."""
    return _lines(call, tuple(_parameter(a) for a in arguments), returns)


def _parameter(arg: Argument) -> str:
    default = f" = {arg.default}" if arg.default is not None else ""
    return f"{arg.python_name}: {arg.annotation}{default}"


def _lines(call: str, params: tuple[str, ...], returns: str) -> tuple[str, ...]:
    inline = f"{call}({'*, ' if params else ''}{', '.join(params)}) -> {returns}"
    if len(inline) <= SIGNATURE_WIDTH:
        return (inline,)
    return (f"{call}(", "    *,", *(f"    {p}," for p in params), f") -> {returns}")


def _links(annotation: str, files: dict[str, str]) -> tuple[Link, ...]:
    """The model classes an annotation names, each linked to its module."""
    names = dict.fromkeys(n for n in _NAME.findall(annotation) if n in files)
    return tuple(Link(n, files[n]) for n in names)


def _first_model(annotation: str, files: dict[str, str]) -> Link | None:
    found = _links(annotation, files)
    return found[0] if found else None


def render_reference(api: Api, files: Mapping[str, str], templates_dir: Path, tree: str,
                     cache_dir: Path | None = None) -> str:
    """The text of api.md; `tree` is the generated tree's folder as seen from api.md."""
    from .render import environment

    sources = [(s.spec_file, s.spec_sha256) for s in api.services]
    return environment(templates_dir, cache_dir).get_template(TEMPLATE).render(
        header=header(sources, comment=" "), clients=reference_entries(api, files, tree))
