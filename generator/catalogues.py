"""IR of the typed catalogue modules: `dataarts.cdm.connectors` (from `x-cdm-parameters`) and
`dataarts.dlf.nodes` (from `x-dlf-node-types`). Every naming and typing decision lives here."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from . import naming
from .build import DOC_WIDTH, _one_line, _wrap
from .ir import CatalogueModule, Registry, TypedClass, TypedField

# place -> (class-name suffix, base class, registry, what the registry maps)
PLACES = {
    "link-config-values": ("LinkConfig", "LinkConfig", "LINK_CONFIGS", "link"),
    "from-config-values": ("SourceConfig", "SourceConfig", "SOURCE_CONFIGS", "job source"),
    "to-config-values": ("DestinationConfig", "DestinationConfig", "DESTINATION_CONFIGS",
                         "job destination"),
    "driver-config-values": ("TaskConfig", "TaskSection", "TASK_CONFIGS", "job task"),
}
# Attributes of the runtime base classes a parameter's field must not shadow.
RESERVED = naming.MODEL_RESERVED | {
    "undocumented", "check", "wire_inputs", "to_config_values", "from_config_values",
    "to_properties", "from_properties", "node_type",
}
SIMPLE_TYPES = {"string": "str", "boolean": "bool", "integer": "int", "number": "float"}
# Maps and objects travel as JSON text: a dict, or the text itself when it is not JSON.
STRUCTURED_TYPES = {"map": "dict[str, str] | str", "object": "dict[str, str] | str",
                    "array": "list[str] | str"}
FIELD_DOC_WIDTH = DOC_WIDTH - 4


def catalogue_modules(data: dict[str, Any]) -> tuple[CatalogueModule, ...]:
    """The typed modules of one spec: one per catalogue extension it carries."""
    schemas = (data.get("components") or {}).get("schemas") or {}
    modules = []
    for schema in schemas.values():
        if isinstance(schema, dict) and "x-cdm-parameters" in schema:
            modules.append(_connectors(schema["x-cdm-parameters"], schemas))
        if isinstance(schema, dict) and "x-dlf-node-types" in schema:
            modules.append(_nodes(schema["x-dlf-node-types"], schemas))
    return tuple(modules)


# -- CDM connectors ------------------------------------------------------------------------------


def _connectors(catalogue: dict[str, Any], schemas: dict[str, Any]) -> CatalogueModule:
    classes: list[TypedClass] = []
    registries = []
    for place, sections in catalogue.items():
        suffix, base, registry, what = PLACES[place]
        entries = []
        for key, section in sections.items():
            name = "TaskConfig" if place == "driver-config-values" and key == "job-task" else (
                naming.pascal(key) + suffix)
            classes.append(_section_class(name, base, place, key, section))
            entries.append((key, name))
        # the one task section is TaskConfig itself, which `task_config()` returns
        value = "TaskConfig" if [n for _, n in entries] == ["TaskConfig"] else base
        registries.append(Registry(registry, f"type[{value}]",
                                   f"Section key -> typed class of a {what}'s `{place}`.",
                                   tuple(entries)))
    link, job = _schema_with(schemas, "link-config-values"), _schema_with(schemas, "from-config-values")
    return _module("connectors", classes, registries, [link, job], (("link", link), ("job", job)))


def _section_class(name: str, base: str, place: str, key: str, section: dict[str, Any]) -> TypedClass:
    parameters = section.get("parameters") or []
    connectors = tuple(section.get("connectors") or ())
    doc = f"{section.get('title', key)} (section {section.get('section', '?')})."
    if section.get("description"):
        doc += "\n\n" + str(section["description"])
    if connectors:
        doc += f"\n\nConnectors: {', '.join(f'`{c}`' for c in connectors)}."
    section_args = [repr(place), repr(key), repr(str(section.get("section", ""))),
                    repr(str(section.get("title", key)))]
    if connectors:
        section_args.append(f"connectors={_tuple(connectors)}")
    if section.get("example-only"):
        section_args.append(f"example_only={_tuple(section['example-only'])}")
    fields = field_names([p["name"] for p in parameters], strip_group=True)
    return TypedClass(
        name=name,
        base=base,
        key=key,
        doc_lines=tuple(_wrap(doc, DOC_WIDTH - 4)),
        class_vars=(
            f"SECTION: ClassVar[Section] = Section({', '.join(section_args)})",
            _parameters_line(parameters, fields),
        ),
        fields=tuple(_field(p, fields[p["name"]]) for p in parameters),
    )


def _schema_with(schemas: dict[str, Any], wire: str) -> str:
    """The component schema with the property `wire` (the link, the job); validation checked
    there is one."""
    return next(name for name, s in schemas.items()
                if isinstance(s, dict) and wire in (s.get("properties") or {}))


# -- DLF nodes -----------------------------------------------------------------------------------


def _nodes(catalogue: dict[str, Any], schemas: dict[str, Any]) -> CatalogueModule:
    classes = []
    for node_type, entry in catalogue.items():
        properties = entry.get("properties") or []
        fields = field_names([p["name"] for p in properties], strip_group=False)
        tables = entry.get("property-table")
        doc = f"The properties of a `{node_type}` node" + (
            f" (tables {tables}: create, update, detail)." if tables else ".")
        if entry.get("description"):
            doc += "\n\n" + str(entry["description"])
        classes.append(TypedClass(
            name=naming.pascal(node_type) + "Node",
            base="NodeProperties",
            key=node_type,
            doc_lines=tuple(_wrap(doc, DOC_WIDTH - 4)),
            class_vars=(f"NODE_TYPE: ClassVar[str] = {json.dumps(node_type)}",
                        _parameters_line(properties, fields)),
            fields=tuple(_field(p, fields[p["name"]]) for p in properties),
        ))
    registry = Registry("NODE_TYPES", "type[NodeProperties]", "Node type -> typed properties class.",
                        tuple((c.key, c.name) for c in classes))
    node_schema = next(name for name, s in schemas.items()
                       if isinstance(s, dict) and "x-dlf-node-types" in s)
    location = str((schemas[node_schema].get("properties") or {}).get("location", {}).get("$ref", ""))
    models = [node_schema]
    roles = [("node", node_schema), ("location", "Mapping[str, Any]")]
    if location.startswith("#/components/schemas/"):  # the node's location model, or a mapping
        models.append(location.rsplit("/", 1)[1])
        roles[1] = ("location", f"{models[1]} | Mapping[str, Any]")
    return _module("nodes", classes, [registry], models, tuple(roles))


# The functions each template defines, and the runtime names it re-exports (for __all__).
TEMPLATE_EXPORTS = {
    "connectors": (
        "DestinationConfig", "LinkConfig", "ParameterError", "SourceConfig", "TaskSection",
        "UndocumentedDestinationConfig", "UndocumentedLinkConfig", "UndocumentedSourceConfig",
        "from_config", "link_config", "new_job", "new_link", "task_config", "to_config",
        "updated_job", "updated_link",
    ),
    "nodes": ("GenericNode", "NodeProperties", "ParameterError", "new_node", "node_properties"),
}


def _module(
    module: str, classes: list[TypedClass], registries: list[Registry], models: list[str],
    roles: tuple[tuple[str, str], ...],
) -> CatalogueModule:
    annotations = " ".join(f.annotation for c in classes for f in c.fields)
    typing_names = {"Annotated", "Any", "ClassVar"} | {
        name for name in ("Literal",) if f"{name}[" in annotations}
    pydantic_names = {"Field"} | {name for name in ("SecretStr",) if name in annotations}
    exports = [c.name for c in classes] + [r.name for r in registries] + list(TEMPLATE_EXPORTS[module])
    return CatalogueModule(
        module=module,
        template=f"{module}.py.jinja",
        classes=tuple(classes),
        registries=tuple(registries),
        model_imports=tuple(sorted(set(models), key=naming.isort_key)),
        roles=roles,
        typing_imports=tuple(sorted(typing_names, key=naming.isort_key)),
        pydantic_imports=tuple(sorted(pydantic_names, key=naming.isort_key)),
        exports=tuple(sorted(exports, key=lambda name: naming.isort_key(name)[::2])),
    )


# -- shared --------------------------------------------------------------------------------------


def field_names(wire_names: list[str], *, strip_group: bool) -> dict[str, str]:
    """Python attribute per wire name: `linkConfig.hiveVersion` -> `hive_version`. A name that
    would repeat another keeps its group (`dialect_identifier_enclose`); reserved ones get `_`."""
    def base(wire: str) -> str:
        return wire.partition(".")[2] if strip_group and "." in wire else wire

    short = [naming.field_name(base(w)) for w in wire_names]
    names = {}
    for wire, name in zip(wire_names, short, strict=True):
        if short.count(name) > 1:
            name = naming.field_name(wire)
        names[wire] = name + "_" if name in RESERVED else name
    return names


def _parameters_line(parameters: list[dict[str, Any]], fields: dict[str, str]) -> str:
    specs = ", ".join(_parameter_spec(p, fields[p["name"]]) for p in parameters)
    trailing = "," if len(parameters) == 1 else ""
    return f"PARAMETERS: ClassVar[tuple[Parameter, ...]] = ({specs}{trailing})"


def _parameter_spec(param: dict[str, Any], field: str) -> str:
    args = [json.dumps(param["name"], ensure_ascii=False), json.dumps(field)]
    if param.get("type", "string") != "string":
        args.append(f"kind={json.dumps(param['type'])}")
    if param.get("required"):
        args.append("required=True")
    if param.get("enum"):
        args.append(f"enum={_tuple(str(v) for v in param['enum'])}")
    if param.get("secret"):
        args.append("secret=True")
    condition = param.get("x-required-when")
    if condition:
        pairs = ", ".join(f"({json.dumps(k)}, {_tuple(str(v) for v in values)})"
                          for k, values in condition.items())
        args.append(f"required_when=({pairs},)")
    return f"Parameter({', '.join(args)})"


def _field(param: dict[str, Any], name: str) -> TypedField:
    kind = param.get("type", "string")
    if param.get("secret") or kind == "file-content":
        annotation = "SecretStr"
    elif param.get("enum") and kind == "string":
        annotation = f"Literal[{', '.join(json.dumps(str(v), ensure_ascii=False) for v in param['enum'])}] | str"
    else:
        annotation = SIMPLE_TYPES.get(kind) or STRUCTURED_TYPES.get(kind, "str")
    if param.get("required") and not param.get("x-required-when"):
        default = _python_default(param, kind)  # None: no usable default, the caller must give it
    else:
        annotation, default = f"{annotation} | None", "None"
    alias = json.dumps(param["name"], ensure_ascii=False)
    return TypedField(
        name=name,
        annotation=f"Annotated[{annotation}, Field(alias={alias})]",
        default=default,
        doc_lines=tuple(_wrap(_field_doc(param), FIELD_DOC_WIDTH)),
    )


def _python_default(param: dict[str, Any], kind: str) -> str | None:
    """The table's default as Python source, for a required parameter (None: no usable one)."""
    text = param.get("default")
    if text is None or param.get("secret"):
        return None
    if kind == "boolean" and str(text).lower() in ("true", "false"):
        return "True" if str(text).lower() == "true" else "False"
    if kind == "integer" and str(text).lstrip("-").isdigit():
        return str(int(text))
    if kind == "string":
        return json.dumps(str(text), ensure_ascii=False)
    return None


def _field_doc(param: dict[str, Any]) -> str:
    parts = [_one_line(param.get("description", "")).rstrip(".") + "."]
    if param.get("x-required-when"):
        when = " and ".join(
            f"`{key}` is {' or '.join(f'`{v}`' for v in values)}"
            for key, values in param["x-required-when"].items()
        )
        parts.append(f"Required when {when}.")
    elif param.get("required"):
        parts.append("Required.")
    if "default" in param:
        parts.append(f"Default `{param['default']}`.")
    if "example" in param:
        parts.append(f"Example `{param['example']}`.")
    parts.append(f"Wire name `{param['name']}`.")
    return " ".join(parts)


def _tuple(values: Iterator[str] | list[str] | tuple[str, ...]) -> str:
    items = [json.dumps(str(v), ensure_ascii=False) for v in values]
    return f"({', '.join(items)}{',' if len(items) == 1 else ''})"
