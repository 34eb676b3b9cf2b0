"""`x-codeSamples` for every operation of the bundled and rendered specs: Python, the CLI, curl.

The samples are written from the IR, so they use the names the generated client and command line
use (`cdm.jobs.get_status(cluster_id=...)`, `dataarts cdm jobs get-status --cluster-id ...`), and
from the spec for what the IR does not keep: each parameter's documented example and each
operation's request example. They are added to published copies only (`make bundle`, `make
docs`); `spec/*.yaml` stays hand-maintained and free of derived text (see spec/README.md).

All three samples of an operation make the same call: the required arguments (a documented
example value, else a placeholder named after the argument, `CLUSTER_ID`), and the request body
of the operation's example. `tests/spec_product/test_code_samples.py` proves them: mypy
--strict over the Python ones, the CLI ones run with `--dry-run`, and the curl ones sent to a
loopback simulator.
"""

from __future__ import annotations

import copy
import json
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..cache import Cache
from ..document import Document
from ..ir import Api, Argument, CliCommand, Operation, Service

KEY = "x-codeSamples"
# What the clients read when they are not given a project ID or credentials (templates/runtime:
# the client's environment variables); the curl samples name the same variables.
PROJECT_VARIABLE = "CLOUD_SDK_PROJECT_ID"
TOKEN_VARIABLE = "CLOUD_SDK_TOKEN"
# the tabs' labels; renderers pick a tab by its label (Redocly: `codeSamples.languages`)
PYTHON, CLI, CURL = "Python", "CLI", "curl"
PYTHON_WIDTH = 80  # black's line length for the samples: the reference's code panel
CACHE_DIR = Path(__file__).resolve().parents[2] / ".cache" / "generator"
_NO_EXAMPLE = object()


@dataclass(frozen=True)
class Sample:
    """One entry of `x-codeSamples`, as Redocly renders it: a tab named `label`."""

    lang: str  # what the renderer highlights it as
    label: str
    source: str

    def entry(self) -> dict[str, str]:
        return {"lang": self.lang, "label": self.label, "source": self.source}


@dataclass(frozen=True)
class Call:
    """The one call an operation's samples make, decided once for the three of them."""

    service: Service
    resource: str  # the client attribute, e.g. "jobs"
    op: Operation
    command: CliCommand
    settings: tuple[tuple[str, str], ...]  # constructor keywords: server variables, options
    values: tuple[tuple[Argument, Any], ...]  # arguments given (JSON values), in signature order
    headers: tuple[tuple[str, str], ...]  # headers a caller of the raw API sets besides the token

    @property
    def path(self) -> tuple[str, ...]:
        return (self.service.name, self.resource, self.op.method_name)


def code_samples(api: Api, specs: Mapping[str, dict[str, Any]], cache: Cache | None = None
                 ) -> dict[str, dict[tuple[str, str], list[Sample]]]:
    """Per spec (file stem) and operation (path, lower-case method), its samples in tab order.

    The Python ones are formatted by black (`cache`: reused while their text is unchanged).
    """
    cache = cache or Cache(None)
    out: dict[str, dict[tuple[str, str], list[Sample]]] = {}
    for service, cli in zip(api.services, api.cli_services, strict=True):
        stem = Path(service.spec_file).stem
        doc = Document(specs[stem])
        calls: dict[tuple[str, str], list[Call]] = {}
        for resource, cli_resource in zip(service.resources, cli.resources, strict=True):
            commands = {c.method: c for c in cli_resource.commands}
            for op in resource.operations:
                key = (op.path, op.http_method.lower())
                call = _call(doc, service, resource.name, op, commands[op.method_name], key)
                calls.setdefault(key, []).append(call)
        out[stem] = {key: _samples(group, cache) for key, group in calls.items()}
    return out


def with_code_samples(data: dict[str, Any], samples: Mapping[tuple[str, str], list[Sample]]
                      ) -> dict[str, Any]:
    """A copy of a spec whose every operation ends with its `x-codeSamples`."""
    doc = copy.deepcopy(data)
    for (path, method), found in samples.items():
        doc["paths"][path][method][KEY] = [s.entry() for s in found]
    return doc


def without_code_samples(data: Any) -> Any:
    """A published spec as its source reads: the operations' `x-codeSamples` taken out."""
    doc = copy.deepcopy(data)
    for item in (doc.get("paths") or {}).values() if isinstance(doc, dict) else ():
        for op in item.values() if isinstance(item, dict) else ():
            if isinstance(op, dict):
                op.pop(KEY, None)
    return doc


def load_samples(spec_paths: Iterable[Path], cache_dir: Path | None = CACHE_DIR
                 ) -> dict[str, dict[tuple[str, str], list[Sample]]]:
    """The samples of every spec in the folder of `spec_paths` (the IR needs all of them)."""
    from ..build import build_api
    from ..load import load_specs

    folders = {p.resolve().parent for p in spec_paths}
    found: dict[str, dict[tuple[str, str], list[Sample]]] = {}
    for folder in sorted(folders):
        specs = load_specs(folder, folder.parent)
        data = {Path(s.name).stem: s.data for s in specs}
        found |= code_samples(build_api(specs), data, Cache(cache_dir))
    return found


def _samples(calls: list[Call], cache: Cache) -> list[Sample]:
    """The Python, CLI and curl tabs. An operation with variants (one path and method, several
    SDK methods) shows each method's call in every tab, the shell commands separated by a blank
    line; a tab per variant would not do, as renderers pick tabs by language."""
    shell = len(calls) > 1
    return [
        Sample("Python", PYTHON, _black(python_sample(calls), cache)),
        Sample("Shell", CLI, "\n".join(_titled(cli_sample(c), c, shell) for c in calls)),
        Sample("Shell", CURL, "\n".join(_titled(curl_sample(c), c, shell) for c in calls)),
    ]


def _titled(command: str, call: Call, titled: bool) -> str:
    return f"# {call.op.method_name}: {call.op.summary}\n{command}" if titled else command


# -- what the call sends ------------------------------------------------------------------------


def _call(doc: Document, service: Service, resource: str, op: Operation, command: CliCommand,
          key: tuple[str, str]) -> Call:
    path, method = key
    raw = doc.data["paths"][path][method]
    params = {(p.get("in"), p.get("name")): p for p in doc.parameters(path, raw) if isinstance(p, dict)}
    values: list[tuple[Argument, Any]] = []
    for arg in op.arguments:
        if arg.location == "body":
            body = _body_example(doc, raw, op.operation_id)
            if body is not _NO_EXAMPLE or arg.default is None:
                values.append((arg, {} if body is _NO_EXAMPLE else body))
        elif arg.default is None:  # required: what the documents show, else a placeholder
            param = params.get((arg.location, arg.wire_name), {})
            values.append((arg, _typed(arg, _parameter_example(doc, param))))
    settings = [(v.name, v.default) for v in service.server_variables]
    headers = []
    for client_param in op.client_params:
        if client_param.option == "project_id" or not client_param.required:
            continue
        param = params.get((client_param.location, client_param.wire_name), {})
        example = _parameter_example(doc, param)
        if client_param.fallback is not None:  # the client sends it by itself
            value = client_param.fallback
        else:
            value = str(example) if example is not _NO_EXAMPLE else _placeholder(client_param.option)
            settings.append((client_param.option, value))
        if client_param.location == "header":
            headers.append((client_param.wire_name, value))
    return Call(service, resource, op, command, tuple(settings), tuple(values), tuple(headers))


def _parameter_example(doc: Document, param: Mapping[str, Any]) -> Any:
    if "example" in param:
        return param["example"]
    for example in (param.get("examples") or {}).values():
        example = doc.deref(example) or {}
        if "value" in example:
            return example["value"]
    schema = doc.deref(param.get("schema") or {}) or {}
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    return _NO_EXAMPLE


def _body_example(doc: Document, raw: Mapping[str, Any], operation_id: str) -> Any:
    """The operation's own request example: `<operationId>.<status>` (a plain case before the
    qualified ones, such as `CreateScript.approval.204`); for an optional body only that one."""
    body = doc.deref(raw.get("requestBody") or {}) or {}
    for media, media_obj in (body.get("content") or {}).items():
        if "json" not in media:
            continue
        examples = {name: doc.deref(e) or {} for name, e in ((media_obj or {}).get("examples") or {}).items()}
        own = [n for n in examples if n.startswith(f"{operation_id}.")]
        plain = [n for n in own if n.count(".") == 1]
        chosen = plain or (own if body.get("required") else [])
        if chosen and "value" in examples[chosen[0]]:
            return examples[chosen[0]]["value"]
        if "example" in (media_obj or {}):
            return media_obj["example"]
    return _NO_EXAMPLE


def _typed(arg: Argument, example: Any) -> Any:
    """A value of the argument's type: the example where it fits, else a placeholder."""
    kind = arg.cli_kind
    if example is _NO_EXAMPLE:
        example = {"int": 1, "float": 1.0, "bool": True, "json": {}}.get(kind, _placeholder(arg.python_name))
    if arg.multiple:
        items = example if isinstance(example, list) else [example]
        return [_scalar(kind, item) for item in items]
    return example if kind == "json" else _scalar(kind, example)


def _scalar(kind: str, value: Any) -> Any:
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    return value if isinstance(value, str) else json.dumps(value)


def _placeholder(name: str) -> str:
    """What a reader replaces: `cluster_id` -> `CLUSTER_ID`."""
    return name.rstrip("_").upper()


# -- the three samples ------------------------------------------------------------------------


def _black(source: str, cache: Cache) -> str:
    import black

    mode = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=PYTHON_WIDTH)
    key = Cache.key(black.__version__, repr(mode), source)
    formatted = cache.get("samples", key)
    if formatted is None:
        formatted = black.format_str(source, mode=mode)
        cache.put("samples", key, formatted)
    return formatted


def python_sample(calls: list[Call]) -> str:
    """The sync client, constructed with the settings, and each call with keywords (not yet laid
    out: black does that)."""
    first = calls[0]
    client, service = f"{first.service.client_stem}Client", first.service.name
    settings = ", ".join(f"{name}={value!r}" for name, value in first.settings)
    lines = [
        f"from dataarts import {client}",
        "",
        f"# project ID and credentials from the environment: {PROJECT_VARIABLE},",
        f"# {TOKEN_VARIABLE} (or CLOUD_SDK_AK and CLOUD_SDK_SK)",
        f"with {client}({settings}) as {service}:",
    ]
    for call in calls:
        op = call.op
        method = f"{op.method_name}_to_file" if op.response_kind == "binary" else op.method_name
        arguments = [repr("export.zip")] if op.response_kind == "binary" else []
        arguments += [f"{arg.python_name}={value!r}" for arg, value in call.values]
        invocation = f"{service}.{call.resource}.{method}({', '.join(arguments)})"
        if len(calls) > 1:  # one name would take several types
            lines.append(f"    # {op.method_name}: {op.summary}")
            lines.append(f"    print({invocation})" if op.response_kind == "model"
                         else f"    {invocation}")
        elif op.response_kind == "model":
            lines += [f"    result = {invocation}", "    print(result)"]
        else:
            lines.append(f"    {invocation}")
    return "\n".join(lines) + "\n"


def cli_sample(call: Call) -> str:
    """`dataarts <service> <resource> <command>` with an option per argument; the JSON body
    inline (single-quoted, so the shell passes it as it is)."""
    options = {o.name: o.flag for o in call.command.options}
    words = ["dataarts", call.service.name, call.resource.replace("_", "-"), call.command.name]
    body = None
    for arg, value in call.values:
        if arg.location == "body":
            body = value
            continue
        for item in value if arg.multiple else [value]:
            words += [options[arg.python_name], _cli_text(item)]
    if call.op.response_kind == "binary":
        words += ["--out-file", "export.zip"]
    line = " ".join(shlex.quote(w) for w in words)
    if body is not None:
        line += " --body " + shlex.quote(json.dumps(body, indent=2, ensure_ascii=False))
    return line + "\n"


def _cli_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def curl_sample(call: Call) -> str:
    """The raw request: the documented host (server variables at their defaults), the path with
    the project from the environment, the query, the token and required headers, the body."""
    op = call.op
    base = call.service.server_url
    for name, value in call.settings:
        base = base.replace("{" + name + "}", value)
    path = op.path.replace("{project_id}", "$" + PROJECT_VARIABLE)
    query = []
    for arg, value in call.values:
        if arg.location == "path":
            path = path.replace("{" + arg.wire_name + "}", quote(_cli_text(value), safe=""))
        elif arg.location == "query":
            for item in value if arg.multiple else [value]:
                query.append(f"{quote(arg.wire_name, safe='')}={quote(_cli_text(item), safe='')}")
    url = base + path + ("?" + "&".join(query) if query else "")
    lines = [f'curl -X {op.http_method} "{url}"' if op.http_method != "GET" else f'curl "{url}"',
             f'-H "X-Auth-Token: ${TOKEN_VARIABLE}"', "-H " + _quoted("Content-Type: application/json")]
    headers = [*call.headers, *((a.wire_name, _cli_text(v)) for a, v in call.values
                                if a.location == "header")]
    lines += ["-H " + _quoted(f"{name}: {value}") for name, value in headers]
    body = next((v for a, v in call.values if a.location == "body"), None)
    if body is not None:
        lines.append("--data " + shlex.quote(json.dumps(body, indent=2, ensure_ascii=False)))
    if op.response_kind == "binary":
        lines.append("-o export.zip")
    return " \\\n  ".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A shell word in double quotes, as the samples' other headers are, where that is safe."""
    return f'"{text}"' if not set(text) & set('"$`\\!') else shlex.quote(text)
