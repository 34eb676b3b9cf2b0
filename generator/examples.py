"""Copy the recorded fixtures' bodies into the specs' `examples`, keeping comments and layout."""

from __future__ import annotations

import argparse
import io
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import CommentMark
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from .cache import Cache
from .document import HTTP_METHODS, Document
from .extensions import names
from .extensions.variants import operation_ids
from .problems import pointer

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = "examples"
LINT_IGNORE = ".redocly.lint-ignore.yaml"  # where Redocly CLI looks, beside redocly.yaml
_STR_TAG = "tag:yaml.org,2002:str"
# PyYAML, and many other consumers, read the specs as YAML 1.1, where `yes`, `on`, `1:20` or
# `2019-07-25` are not strings; ruamel writes YAML 1.2 and would leave those unquoted.
_YAML11 = VersionedResolver(version=(1, 1))
# Where an `examples` map goes: (path, method, "request", "") or (path, method, "response", key).
_Target = tuple[str, str, str, str]


class ExamplesError(Exception):
    """A fixture that cannot be placed in its spec (the fixture tests report the same)."""


# ---- YAML set-up ---------------------------------------------------------------------------


class _Str(str):
    """A string the tool writes (not one read from the spec): quoted where YAML 1.1 would not
    read it back as a string."""


class _Representer(RoundTripRepresenter):
    """Round-trip representer that writes `null` rather than an empty value."""

    quote = '"'

    def represent_none(self, data: Any) -> ScalarNode:
        return self.represent_scalar("tag:yaml.org,2002:null", "null")

    def represent_new_str(self, data: Any) -> ScalarNode:
        value = str(data)
        if _yaml11_tag(value) != _STR_TAG:
            return self.represent_scalar(_STR_TAG, value, style=self.quote)
        return self.represent_scalar(_STR_TAG, value)


_Representer.add_representer(type(None), _Representer.represent_none)
_Representer.add_representer(_Str, _Representer.represent_new_str)


class _DoubleQuoteEmitter(Emitter):
    """Use double rather than single quotes where a new (not preserved) string needs quoting."""

    def choose_scalar_style(self) -> Any:
        style = super().choose_scalar_style()
        if style == "'" and not self.event.style:
            return '"'
        return style


class _SingleQuoteRepresenter(_Representer):
    quote = "'"


def _yaml11_tag(value: str) -> str:
    tag = _YAML11.resolve(ScalarNode, value, (True, False))
    return str(getattr(tag, "suffix", tag))


def _yaml(quote: str = '"') -> YAML:
    """A round-trip YAML set to the specs' layout; `quote` is the file's usual quote character."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1 << 30  # never re-wrap a line
    yaml.preserve_quotes = True
    yaml.Representer = _Representer if quote == '"' else _SingleQuoteRepresenter
    if quote == '"':
        yaml.Emitter = _DoubleQuoteEmitter
    return yaml


def _usual_quote(text: str) -> str:
    """The quote character the file mostly uses for quoted scalars."""
    double = text.count(': "') + text.count('- "')
    single = text.count(": '") + text.count("- '")
    return "'" if single > double else '"'


def _dump(yaml: YAML, data: Any) -> str:
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


# ---- what the fixtures say -----------------------------------------------------------------


def _summary(source: dict[str, Any], lines_key: str, respelt: bool = False) -> str:
    """Where an example comes from: document lines, a public page, or built from a schema;
    `respelt`: some of its keys are shown in the wire's spelling, not the document's."""
    if "document" in source:
        first, last = source[lines_key]
        where = f"{source['document']} {source['section']}, lines {first}-{last}"
    elif "built" in source:
        where = f"built, not recorded: {source['built']}"
    else:
        where = f"{source['page']}, example {lines_key.removesuffix('_lines')}"
    return where + (" (keys in the wire's spelling, see x-documented-as)" if respelt else "")


def _operations(spec: Any) -> dict[str, tuple[str, str]]:
    """operationId (or a variant's operation-id) -> (path, method)."""
    found: dict[str, tuple[str, str]] = {}
    for path, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            for operation_id in operation_ids(op):
                found[operation_id] = (path, method)
    return found


def _response_key(responses: Any, status: str) -> Any:
    for key in (status, int(status) if status.isdigit() else None, "default"):
        if key is not None and key in responses:
            return key
    return None


def _json_media(content: Any) -> str | None:
    for media in content or {}:
        if "json" in str(media).split(";")[0].lower():
            return str(media)
    return None


def _wanted(
    spec: Any, fixture_dir: Path, placed: dict[tuple[str, str], str] | None = None
) -> dict[_Target, dict[str, Any]]:
    """Target -> {fixture stem: example} for the fixtures in `fixture_dir`.

    Only inline request bodies and responses with a JSON media type appear; `$ref`s are skipped.
    A request body that several fixtures of one operation share appears once, under the first.
    `placed`, when given, receives (fixture stem, "request" | "response") -> the JSON pointer of
    the example's `value` that shows that body.
    """
    ops = _operations(spec)
    wanted: dict[_Target, dict[str, Any]] = {}
    seen_requests: dict[tuple[str, str, str], str] = {}
    placed = {} if placed is None else placed
    files = sorted(fixture_dir.glob("*.json"), key=lambda f: f.name) if fixture_dir.is_dir() else []
    for file in files:
        stem = file.name[: -len(".json")]
        with open(file, encoding="utf-8") as fh:
            fx = json.load(fh)
        op_id = fx.get("operation")
        if op_id not in ops:
            raise ExamplesError(f"{file}: unknown operation {op_id!r}")
        path, method = ops[op_id]
        op = spec["paths"][path][method]
        request, response = fx.get("request", {}), fx.get("response", {})

        if "body" in request:
            body = op.get("requestBody")
            if body is None:
                raise ExamplesError(f"{file}: {op_id} takes no request body")
            canonical = json.dumps(request["body"], sort_keys=True, ensure_ascii=False)
            media = _json_media(body.get("content")) if "$ref" not in body else None
            if media is not None:
                shown_by = seen_requests.setdefault((path, method, canonical), stem)
                if shown_by == stem:
                    value = _in_wire_form(spec, body["content"][media].get("schema"), request["body"])
                    example = _example(_summary(fx["source"], "request_lines", value != request["body"]),
                                       value)
                    wanted.setdefault((path, method, "request", ""), {})[stem] = example
                placed[stem, "request"] = pointer(
                    "paths", path, method, "requestBody", "content", media, EXAMPLES, shown_by, "value"
                )

        if "body" in response:
            status = str(response["status"])
            responses = op.get("responses") or {}
            key = _response_key(responses, status)
            if key is None:
                raise ExamplesError(f"{file}: {op_id} declares no response {status}")
            resp = responses[key]
            if "$ref" in resp:
                continue
            if not resp.get("content"):
                raise ExamplesError(f"{file}: response {key} of {op_id} declares no body")
            media = _json_media(resp["content"])
            if media is not None:
                value = _in_wire_form(spec, resp["content"][media].get("schema"), response["body"])
                example = _example(_summary(fx["source"], "response_lines", value != response["body"]),
                                   value)
                wanted.setdefault((path, method, "response", str(key)), {})[stem] = example
                placed[stem, "response"] = pointer(
                    "paths", path, method, "responses", str(key), "content", media, EXAMPLES, stem,
                    "value",
                )
    return wanted


def _in_wire_form(spec: Any, schema: Any, body: Any) -> Any:
    """A fixture's body as the spec shows it: a field the document spells otherwise under its
    wire spelling (`x-documented-as`; the fixture keeps the document's)."""
    return names.wire_form(Document(spec), schema, body)


def _example(summary: str, value: Any) -> CommentedMap:
    example = CommentedMap()
    example[_Str("summary")] = _Str(summary)
    example[_Str("value")] = _block(value)
    return example


def _block(value: Any) -> Any:
    """Plain JSON data as block-style ruamel nodes (empty collections stay `{}` / `[]`)."""
    if isinstance(value, dict):
        node = CommentedMap((_Str(k), _block(v)) for k, v in value.items())
        _set_style(node, flow=not value)
        return node
    if isinstance(value, list):
        seq = CommentedSeq(_block(v) for v in value)
        _set_style(seq, flow=not value)
        return seq
    if isinstance(value, str):
        return _Str(value)
    return value


def _set_style(node: CommentedMap | CommentedSeq, *, flow: bool) -> None:
    if flow:
        node.fa.set_flow_style()
    else:
        node.fa.set_block_style()


# ---- where the examples go -----------------------------------------------------------------


def _media_maps(spec: Any) -> Iterator[tuple[_Target, bool, Any]]:
    """Every media type map of an inline request body or response under `paths`, with its
    target and whether it is the one JSON media type of its content that examples go to."""
    for path, item in (spec.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            parts = []
            body = op.get("requestBody")
            if isinstance(body, dict) and "$ref" not in body:
                parts.append(((path, method, "request", ""), body))
            for key, resp in (op.get("responses") or {}).items():
                if isinstance(resp, dict) and "$ref" not in resp:
                    parts.append(((path, method, "response", str(key)), resp))
            for target, part in parts:
                content = part.get("content") or {}
                chosen = _json_media(content)
                for media, node in content.items():
                    yield target, str(media) == chosen, node


def _apply(spec: Any, wanted: dict[_Target, dict[str, Any]]) -> None:
    for target, chosen, node in _media_maps(spec):
        if not isinstance(node, CommentedMap):
            continue
        entries = wanted.get(target) if chosen else None
        examples = None
        if entries:
            examples = CommentedMap((_Str(stem), entries[stem]) for stem in sorted(entries))
        try:
            _set_examples(node, examples)
        except ExamplesError as exc:
            path, method, part, key = target
            where = f"{method.upper()} {path} {part} {key}".rstrip()
            raise ExamplesError(f"{where}: {exc}") from None


def _set_examples(media: CommentedMap, examples: CommentedMap | None) -> None:
    """Put `examples` into (or take it out of) a media type map, keeping the comment lines that
    follow it where they are: in the file they belong to whatever comes next."""
    keys = list(media)
    if EXAMPLES in media:
        index = keys.index(EXAMPLES)
        carried = _detach_trailing(media, EXAMPLES)
        if examples is not None:
            media[EXAMPLES] = examples
            _attach_trailing(media, EXAMPLES, carried)
            return
        del media[EXAMPLES]
        media.ca.items.pop(EXAMPLES, None)
        if index > 0:
            _attach_trailing(media, keys[index - 1], carried)
        elif carried:
            # ruamel keeps such a comment on the parent mapping; move it above `examples` by hand
            raise ExamplesError("a comment follows an `examples` map that is the first key")
        return
    if examples is None:
        return
    carried = _detach_trailing(media, keys[-1]) if keys else None
    media[EXAMPLES] = examples
    _attach_trailing(media, EXAMPLES, carried)


def _last_slot(container: Any, key: Any) -> tuple[Any, Any, int]:
    """The (collection, key, comment slot) of the last line of container[key]'s value."""
    while True:
        value = container[key]
        if isinstance(value, CommentedMap) and value and not value.fa.flow_style():
            container, key = value, next(reversed(value))
        elif isinstance(value, CommentedSeq) and value and not value.fa.flow_style():
            container, key = value, len(value) - 1
        else:
            return container, key, 0 if isinstance(container, CommentedSeq) else 2


def _is_block_scalar(value: Any) -> bool:
    return isinstance(value, (LiteralScalarString, FoldedScalarString))


def _detach_trailing(container: Any, key: Any) -> str | None:
    """Remove and return the whole comment lines after container[key]'s value, indentation
    included (an end-of-line comment on its last line stays where it is)."""
    node, last, slot = _last_slot(container, key)
    entry = node.ca.items.get(last)
    if not entry or entry[slot] is None:
        return None
    token = entry[slot]
    text = token.value
    keep = None
    if _is_block_scalar(node[last]):  # the scalar ends its line; the column indents line one
        lines = " " * token.column + text if text.startswith("#") else text
    elif text.startswith("\n"):  # "\n" ends the value's line; whole lines follow
        lines = text[1:]
    else:  # "# end-of-line comment\n" followed by whole lines
        first, _, lines = text.partition("\n")
        keep = first + "\n"
    if not lines:
        return None
    if keep is None:
        entry[slot] = None
        if not any(entry):
            del node.ca.items[last]
    else:
        token.value = keep
    return lines


def _attach_trailing(container: Any, key: Any, lines: str | None) -> None:
    """Put whole comment lines (as `_detach_trailing` returns them) after container[key]."""
    if not lines:
        return
    node, last, slot = _last_slot(container, key)
    entry = node.ca.items.setdefault(last, [None, None, None, None] if slot == 2 else [None, None])
    if entry[slot] is not None:  # an end-of-line comment already there
        entry[slot].value = entry[slot].value.rstrip("\n") + "\n" + lines
    elif _is_block_scalar(node[last]):
        column = len(lines) - len(lines.lstrip(" "))
        entry[slot] = CommentToken(lines[column:], CommentMark(column), None)
    else:
        entry[slot] = CommentToken("\n" + lines, CommentMark(0), None)


# ---- files ---------------------------------------------------------------------------------


def _embed_text(
    text: str, fixture_dir: Path, placed: dict[tuple[str, str], str] | None = None
) -> str:
    yaml = _yaml(_usual_quote(text))
    spec = yaml.load(text)
    _apply(spec, _wanted(spec, fixture_dir, placed))
    return _dump(yaml, spec)


def _write_atomically(path: Path, text: str) -> None:
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _embedded(
    text: str, fixture_dir: Path, placed: dict[tuple[str, str], str], cache: Cache | None
) -> str:
    """`_embed_text`, or its result kept in the step cache from a run with the same inputs: the
    spec's text, the fixtures it reads (`fixture_dir/*.json`) and the generator's code, with
    the tools' versions (ruamel.yaml's too)."""
    if cache is None or not cache.enabled:
        return _embed_text(text, fixture_dir, placed)
    from importlib import metadata

    from . import Paths, code_digest

    fixtures = sorted(fixture_dir.glob("*.json")) if fixture_dir.is_dir() else []
    key = Cache.key(
        "examples", code_digest(Paths()), metadata.version("ruamel.yaml"), text,
        *(part for f in fixtures for part in (f.name, f.read_bytes())),
    )
    kept = cache.get("examples", key)
    if kept is not None:
        result = json.loads(kept)
        placed.update({(stem, kind): ptr for stem, kind, ptr in result["placed"]})
        return str(result["text"])
    new = _embed_text(text, fixture_dir, placed)
    cache.put("examples", key, json.dumps(
        {"text": new, "placed": [[stem, kind, ptr] for (stem, kind), ptr in placed.items()]}))
    return new


def embed_examples(
    spec_dir: Path, fixture_dir: Path, *, check: bool = False, ignore_file: Path | None = None,
    cache: Cache | None = None,
) -> list[Path]:
    """Embed the fixtures of `fixture_dir/<stem>/` into each `spec_dir/<stem>.yaml`, and write
    `ignore_file` (when given): Redocly's list of the examples the allowlists explain. With a
    `cache`, a spec whose inputs are unchanged since an earlier run is not embedded again.

    Returns the files that changed (with `check`, that would change; nothing is written).
    """
    from .lint_ignore import IgnoredExamples

    changed = []
    ignored = IgnoredExamples(ignore_file.parent if ignore_file else Path(spec_dir))
    for spec_file in sorted(Path(spec_dir).glob("*.yaml")):
        with open(spec_file, encoding="utf-8", newline="") as fh:
            old = fh.read()
        placed: dict[tuple[str, str], str] = {}
        try:
            new = _embedded(old, Path(fixture_dir) / spec_file.stem, placed, cache)
            ignored.add(spec_file, placed, Path(fixture_dir) / spec_file.stem / "allowlist.yaml")
        except ExamplesError as exc:
            raise ExamplesError(f"{spec_file}: {exc}") from None
        if new != old:
            changed.append(spec_file)
            if not check:
                _write_atomically(spec_file, new)
    if ignore_file is not None and (ignored or ignore_file.is_file()):
        new = ignored.text()
        old = ignore_file.read_text(encoding="utf-8") if ignore_file.is_file() else None
        if new != old:
            changed.append(ignore_file)
            if not check:
                _write_atomically(ignore_file, new)
    return changed


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator examples",
        description="Copy the recorded fixtures' bodies into the specs' examples.",
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    parser.add_argument("--spec-dir", type=Path, default=ROOT / "spec")
    parser.add_argument("--fixture-dir", type=Path, default=ROOT / "tests" / "fixtures")
    parser.add_argument("--ignore-file", type=Path,
                        help=f"Redocly's ignore file (default: {LINT_IGNORE} beside the spec dir)")
    args = parser.parse_args(argv)
    try:
        ignore_file = args.ignore_file or args.spec_dir.resolve().parent / LINT_IGNORE
        changed = embed_examples(
            args.spec_dir, args.fixture_dir, check=args.check, ignore_file=ignore_file,
            cache=Cache(ROOT / ".cache" / "generator"),
        )
    except ExamplesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in changed:
        if args.check:
            print(f"out of date: {_shown(path)} (run make examples)")
        else:
            print(f"updated {_shown(path)}")
    return 1 if args.check and changed else 0
