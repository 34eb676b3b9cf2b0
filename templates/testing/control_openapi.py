"""The control API's OpenAPI 3.0 document, served at `/_simulator/openapi.json`.

It describes what a test in any language can do to a running simulator: health, reset, the
clock and timings, credential checking, faults (throttling, errors, latency, dropped and cut
connections, HTML pages, a failed job run), the call log, the simulated OBS, and state seeded
through the service backends. The control API answers by this document: requests are checked
against it (400 `SIM.0400` when they do not fit) and routed by it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DOCUMENT"]

_LIMIT = 10_000_000.0  # virtual seconds: a bound that keeps every clock value finite


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(status): {"$ref": f"#/components/responses/Error{status}"} for status in statuses}


def _object(properties: dict[str, Any], required: list[str], description: str) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return schema


def _seconds(description: str, *, maximum: float = 3600.0) -> dict[str, Any]:
    return {"type": "number", "minimum": 0, "maximum": maximum, "description": description}


_TEXT = {"type": "string", "minLength": 1}
_PROJECT = {**_TEXT, "description": "The project id the resource belongs to."}
_WORKSPACE = {"type": "string", "default": "", "description": "The DLF workspace ('': default)."}
_FREE = {"type": "object", "additionalProperties": True}


def _definition(what: str, operation: str) -> dict[str, Any]:
    return {**_FREE, "description": f"The {what} as {operation} takes it (checked the same way)."}


# -- faults: one schema per kind, told apart by `kind` ----------------------------------------

_FAULT_COMMON = {
    "operation": {
        "type": "string",
        "nullable": True,
        "description": "An operationId (`StartJob`, any service's) or `service.operationId`;"
        " null or absent: every operation.",
    },
    "on_call": {
        "type": "integer",
        "minimum": 1,
        "maximum": 1000000,
        "default": 1,
        "description": "The matching call it hits first, counted from when it is added.",
    },
    "times": {
        "type": "integer",
        "minimum": 1,
        "nullable": True,
        "default": 1,
        "description": "How many calls in a row it hits; null: every call from then on.",
    },
}
_FAULT_KINDS: dict[str, tuple[str, dict[str, Any], list[str]]] = {
    "throttle": (
        "429 APIGW.0308 from the gateway, with Retry-After.",
        {"retry_after": {**_seconds("Retry-After in seconds; null: no header."), "nullable": True}},
        [],
    ),
    "error": (
        "A 5xx in the service's error shape, before the operation or (after) once it ran.",
        {
            "status": {"type": "integer", "minimum": 500, "maximum": 599, "default": 500},
            "after": {"type": "boolean", "default": False},
            "code": {"type": "string", "nullable": True, "description": "The error code."},
            "message": {"type": "string", "nullable": True, "description": "The message."},
        },
        [],
    ),
    "slow": (
        "The answer comes late (real seconds): latency.",
        {"seconds": _seconds("Real seconds before the answer.")},
        ["seconds"],
    ),
    "drop": (
        "The connection closes without an answer, before the operation or (after) once it ran.",
        {"after": {"type": "boolean", "default": False}},
        [],
    ),
    "truncate": ("The operation runs; its body stops half way and the connection closes.", {}, []),
    "html": (
        "An HTML error page, as a proxy in front of the gateway sends.",
        {"status": {"type": "integer", "minimum": 400, "maximum": 599, "default": 502}},
        [],
    ),
}


def _fault_schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for kind, (description, extra, required) in _FAULT_KINDS.items():
        properties = {"kind": {"type": "string", "enum": [kind]}, **_FAULT_COMMON, **extra}
        schemas[f"{kind.capitalize()}Fault"] = _object(properties, ["kind", *required], description)
    return schemas


_FAULT_NAMES = {kind: f"{kind.capitalize()}Fault" for kind in _FAULT_KINDS}

# -- the document ------------------------------------------------------------------------------

_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "description": "What went wrong with a control request.",
        "required": ["error_code", "error_msg"],
        "properties": {"error_code": {"type": "string"}, "error_msg": {"type": "string"}},
        "x-error-codes": [
            {"code": "SIM.0400", "status": 400, "summary": "The request does not fit."},
            {"code": "SIM.0404", "status": 404, "summary": "No such control path or object."},
            {"code": "SIM.0409", "status": 409, "summary": "Not possible with this clock."},
        ],
    },
    "Health": _object(
        {
            "status": {"type": "string", "enum": ["ok"]},
            "clock": {"type": "number", "description": "Virtual now, seconds since the epoch."},
            "speed": {"type": "number", "nullable": True},
            "services": {"type": "array", "items": {"type": "string"}},
            "checking_credentials": {"type": "boolean"},
        },
        ["status", "clock", "speed", "services", "checking_credentials"],
        "The simulator is up.",
    ),
    "Status": _object({"status": {"type": "string"}}, ["status"], "Done."),
    "Clock": _object(
        {
            "now": {"type": "number", "description": "Virtual seconds since the epoch."},
            "speed": {
                "type": "number",
                "nullable": True,
                "description": "Virtual seconds per real second; null: a manual clock.",
            },
        },
        ["now", "speed"],
        "The virtual clock.",
    ),
    "ClockSpeed": _object(
        {"speed": {"type": "number", "exclusiveMinimum": True, "minimum": 0, "maximum": 1e6}},
        ["speed"],
        "A new speed for a running clock (virtual seconds per real second).",
    ),
    "ClockAdvance": _object(
        {"seconds": _seconds("Virtual seconds to move forward at once.", maximum=_LIMIT)},
        ["seconds"],
        "Move the clock forward.",
    ),
    "Timings": _object(
        {
            name: _seconds(description, maximum=_LIMIT)
            for name, description in (
                ("cluster_create", "CDM cluster: creating -> normal."),
                ("cluster_action", "CDM cluster start, stop, restart."),
                ("job_boot", "CDM job run: BOOTING."),
                ("job_run", "CDM job run: RUNNING."),
                ("script_run", "DLF script instance."),
                ("instance_wait", "DLF job instance: waiting."),
                ("instance_run", "DLF job instance: running."),
                ("job_start", "DLF real-time job: starting or stopping."),
                ("system_task", "DLF system task (imports)."),
            )
        },
        [],
        "How long things take, in virtual seconds (a change applies to what starts later).",
    ),
    "Credentials": _object(
        {
            "credentials": {
                "type": "object",
                "nullable": True,
                "additionalProperties": {"type": "string"},
                "description": "Access key -> secret key; null: accept every request.",
            }
        },
        ["credentials"],
        "Which AK/SK signatures the gateway accepts (tokens are always accepted).",
    ),
    "CredentialsState": _object(
        {
            "checking": {"type": "boolean"},
            "access_keys": {"type": "array", "items": {"type": "string"}},
        },
        ["checking", "access_keys"],
        "Whether signatures are checked, and for which access keys (secret keys are never shown).",
    ),
    **_fault_schemas(),
    "FaultRequest": {
        "description": "A fault to inject; `kind` says which.",
        "oneOf": [_ref(name) for name in _FAULT_NAMES.values()],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {
                kind: f"#/components/schemas/{name}" for kind, name in _FAULT_NAMES.items()
            },
        },
    },
    "Fault": {
        "type": "object",
        "description": "An injected fault and how many calls it has seen and hit.",
        "required": ["kind", "on_call", "times", "seen", "hits"],
        "properties": {
            "kind": {"type": "string", "enum": list(_FAULT_KINDS)},
            **_FAULT_COMMON,
            "status": {"type": "integer", "nullable": True},
            "retry_after": {"type": "number", "nullable": True},
            "seconds": {"type": "number"},
            "after": {"type": "boolean"},
            "code": {"type": "string", "nullable": True},
            "message": {"type": "string", "nullable": True},
            "seen": {"type": "integer"},
            "hits": {"type": "integer"},
        },
    },
    "FaultList": _object(
        {
            "active": {"type": "array", "items": _ref("Fault")},
            "injected": {
                "type": "array",
                "description": "The faults that hit a call, in order.",
                "items": _object(
                    {"operation_id": {"type": "string"}, "kind": {"type": "string"}},
                    ["operation_id", "kind"],
                    "A hit.",
                ),
            },
        },
        ["active", "injected"],
        "The faults that may still hit, and those that did.",
    ),
    "FailedRun": _object(
        {
            "service": {"type": "string", "enum": ["cdm", "dlf"]},
            "job_name": {**_TEXT, "description": "Every job of this name, any project."},
            "error": {
                "type": "string",
                "default": "Simulated failure.",
                "description": "CDM: the run's error summary.",
            },
        },
        ["service", "job_name"],
        "The next run of a job fails: a CDM run half way (FAILED), a DLF instance (fail).",
    ),
    "Call": _object(
        {
            "method": {"type": "string"},
            "path": {"type": "string"},
            "operation_id": {"type": "string", "nullable": True},
            "service": {"type": "string", "nullable": True},
            "status": {"type": "integer", "description": "0: dropped without an answer."},
            "fault": {"type": "string", "nullable": True},
        },
        ["method", "path", "operation_id", "service", "status", "fault"],
        "A request the simulator received.",
    ),
    "CallList": _object(
        {"total": {"type": "integer"}, "calls": {"type": "array", "items": _ref("Call")}},
        ["total", "calls"],
        "Recorded calls, oldest first (the latest `limit` of `total`).",
    ),
    "ObjectList": _object(
        {"paths": {"type": "array", "items": {"type": "string"}}},
        ["paths"],
        "The simulated OBS's objects.",
    ),
    "ClusterSeed": _object(
        {
            "project_id": _PROJECT,
            "cluster": _definition("`cluster` object", "CreateCluster"),
            "name": {"type": "string", "description": "The cluster's name (over `cluster.name`)."},
            "normal": {
                "type": "boolean",
                "default": True,
                "description": "Created already (200), not creating (100).",
            },
            "links": {"type": "array", "items": _definition("link", "CreateLink")},
            "jobs": {"type": "array", "items": _definition("job", "CreateJob")},
        },
        ["project_id"],
        "A CDM cluster, with links and jobs in it.",
    ),
    "LinkSeed": _object(
        {
            "project_id": _PROJECT,
            "cluster_id": _TEXT,
            "link": _definition("link", "CreateLink"),
        },
        ["project_id", "cluster_id", "link"],
        "A CDM link.",
    ),
    "CdmJobSeed": _object(
        {
            "project_id": _PROJECT,
            "cluster_id": _TEXT,
            "job": _definition("job", "CreateJob"),
            "start": {"type": "boolean", "default": False, "description": "Start a run too."},
        },
        ["project_id", "cluster_id", "job"],
        "A CDM job, started or not.",
    ),
    "ScriptSeed": _object(
        {
            "project_id": _PROJECT,
            "workspace": _WORKSPACE,
            "script": _definition("script", "CreateScript"),
        },
        ["project_id", "script"],
        "A DLF script.",
    ),
    "ResourceSeed": _object(
        {
            "project_id": _PROJECT,
            "workspace": _WORKSPACE,
            "resource": _definition("resource", "CreateResource"),
        },
        ["project_id", "resource"],
        "A DLF resource.",
    ),
    "ConnectionSeed": _object(
        {
            "project_id": _PROJECT,
            "workspace": _WORKSPACE,
            "connection": _definition("connection", "CreateConnection"),
        },
        ["project_id", "connection"],
        "A DLF connection.",
    ),
    "DlfJobSeed": _object(
        {
            "project_id": _PROJECT,
            "workspace": _WORKSPACE,
            "job": _definition("job", "DLF's CreateJob"),
            "start": {"type": "boolean", "default": False, "description": "Start it too."},
        },
        ["project_id", "job"],
        "A DLF job, started or not.",
    ),
    "LakeFormationJobSeed": _object(
        {
            "project_id": _PROJECT,
            "instance_id": _TEXT,
            "job": _definition("job", "CreateLakeFormationJob"),
        },
        ["project_id", "instance_id", "job"],
        "A LakeFormation job.",
    ),
    "Resource": {**_FREE, "description": "The resource as the service's own query answers it."},
}

_OBJECT_PATH = {
    "name": "path",
    "in": "query",
    "required": True,
    "description": "The object's OBS path, `obs://bucket/key`.",
    "schema": {"type": "string", "pattern": "^obs://[^/]+/.+"},
}
_CALL_FILTERS = [
    {"name": "operation", "in": "query", "schema": {"type": "string"},
     "description": "Only this operation's calls (`CreateJob` or `cdm.CreateJob`)."},
    {"name": "limit", "in": "query", "description": "The latest this many.",
     "schema": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1000}},
]  # fmt: skip
_BINARY = {"type": "string", "format": "binary"}
_BYTES = {"description": "The bytes.", "content": {"application/octet-stream": {"schema": _BINARY}}}
_NONE = {"description": "Done."}
_SEEDED = _json(_ref("Resource"), "Created; the resource as the service answers it.")

# method, path under /_simulator/, operationId, tag, summary, request body schema (or None),
# success status and answer, error statuses; parameters where there are
_OPERATIONS: list[tuple[Any, ...]] = [
    ("get", "health", "ShowHealth", "Simulator", "Whether it is up", None,
     200, _json(_ref("Health"), "Up."), ()),
    ("get", "openapi.json", "ShowOpenApi", "Simulator", "This document", None,
     200, _json(_FREE, "The document."), ()),
    ("post", "reset", "Reset", "Simulator", "Forget every resource, OBS file, fault and call",
     None, 200, _json(_ref("Status"), "Reset."), ()),
    ("get", "clock", "ShowClock", "Clock", "The virtual clock", None,
     200, _json(_ref("Clock"), "The clock."), ()),
    ("put", "clock", "SetClockSpeed", "Clock", "Set a running clock's speed", "ClockSpeed",
     200, _json(_ref("Clock"), "The clock."), (400, 409)),
    ("post", "clock/advance", "AdvanceClock", "Clock", "Move virtual time forward",
     "ClockAdvance", 200, _json(_ref("Clock"), "The clock."), (400,)),
    ("get", "timings", "ShowTimings", "Clock", "How long things take", None,
     200, _json(_ref("Timings"), "Timings."), ()),
    ("patch", "timings", "UpdateTimings", "Clock", "Change how long things take", "Timings",
     200, _json(_ref("Timings"), "Timings."), (400,)),
    ("get", "credentials", "ShowCredentials", "Credentials", "Signature checking", None,
     200, _json(_ref("CredentialsState"), "The state."), ()),
    ("put", "credentials", "SetCredentials", "Credentials",
     "Switch signature checking on (with keys) or off", "Credentials",
     200, _json(_ref("CredentialsState"), "The state."), (400,)),
    ("get", "faults", "ListFaults", "Faults", "Faults", None,
     200, _json(_ref("FaultList"), "Faults."), ()),
    ("post", "faults", "AddFault", "Faults", "Inject a fault", "FaultRequest",
     201, _json(_ref("Fault"), "Added."), (400,)),
    ("delete", "faults", "ClearFaults", "Faults", "Remove every fault", None,
     200, _json(_ref("FaultList"), "What is left."), ()),
    ("post", "failed-runs", "AddFailedRun", "Faults", "Make a job's next run fail", "FailedRun",
     201, _json(_ref("FailedRun"), "Planned."), (400,)),
    ("get", "calls", "ListCalls", "Calls", "Recorded calls", None,
     200, _json(_ref("CallList"), "Calls."), (400,), _CALL_FILTERS),
    ("delete", "calls", "ClearCalls", "Calls", "Forget recorded calls", None,
     200, _json(_ref("CallList"), "None left."), ()),
    ("get", "obs/objects", "ListObjects", "OBS", "The simulated OBS's objects", None,
     200, _json(_ref("ObjectList"), "Objects."), ()),
    ("get", "obs/object", "GetObject", "OBS", "An object's bytes", None,
     200, _BYTES, (400, 404), [_OBJECT_PATH]),
    ("put", "obs/object", "PutObject", "OBS", "Store an object (e.g. an exported zip, to import)",
     _BINARY, 204, _NONE, (400,), [_OBJECT_PATH]),
    ("delete", "obs/object", "DeleteObject", "OBS", "Remove an object", None,
     204, _NONE, (400, 404), [_OBJECT_PATH]),
    ("post", "cdm/clusters", "SeedCdmCluster", "Seed",
     "A CDM cluster (normal by default), with links and jobs", "ClusterSeed",
     201, _SEEDED, (400, 404)),
    ("post", "cdm/links", "SeedCdmLink", "Seed", "A CDM link", "LinkSeed", 201, _SEEDED, (400, 404)),
    ("post", "cdm/jobs", "SeedCdmJob", "Seed", "A CDM job", "CdmJobSeed", 201, _SEEDED, (400, 404)),
    ("post", "dlf/scripts", "SeedDlfScript", "Seed", "A DLF script", "ScriptSeed",
     201, _SEEDED, (400, 404)),
    ("post", "dlf/resources", "SeedDlfResource", "Seed", "A DLF resource", "ResourceSeed",
     201, _SEEDED, (400, 404)),
    ("post", "dlf/connections", "SeedDlfConnection", "Seed", "A DLF connection",
     "ConnectionSeed", 201, _SEEDED, (400, 404)),
    ("post", "dlf/jobs", "SeedDlfJob", "Seed", "A DLF job", "DlfJobSeed", 201, _SEEDED, (400, 404)),
    ("post", "lakeformation/jobs", "SeedLakeFormationJob", "Seed", "A LakeFormation job",
     "LakeFormationJobSeed", 201, _SEEDED, (400, 404)),
]  # fmt: skip


def _paths() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for method, path, operation_id, tag, summary, body, status, ok, errors, *more in _OPERATIONS:
        op: dict[str, Any] = {
            "operationId": operation_id,
            "summary": summary,
            "tags": [tag],
            "responses": {str(status): ok, **_errors(*errors)},
        }
        if isinstance(body, str):
            op["requestBody"] = _body(body)
        elif body is not None:
            op["requestBody"] = {
                "required": True,
                "content": {"application/octet-stream": {"schema": body}},
            }
        if more:
            op["parameters"] = more[0]
        paths.setdefault(f"/_simulator/{path}", {})[method] = op
    return paths


DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "dataarts simulator control API",
        "version": "1.0.0",
        "description": "Controls a running `python -m dataarts.testing serve` from any language:"
        " health, reset, clock, timings, credentials, faults, the call log, the simulated OBS,"
        " and state seeded through the service backends. The services themselves answer on"
        " the same port, at the paths of their own specs.",
    },
    "tags": [
        {"name": name, "description": description}
        for name, description in (
            ("Simulator", "Health, reset and this document."),
            ("Clock", "Virtual time and how long things take."),
            ("Credentials", "AK/SK signature checking."),
            ("Faults", "Failures injected into calls, and failed runs."),
            ("Calls", "The log of calls received."),
            ("OBS", "Files the services read from and write to OBS."),
            ("Seed", "Resources created through the service backends."),
        )
    ],
    "paths": _paths(),
    "components": {
        "schemas": _SCHEMAS,
        "responses": {
            f"Error{status}": _json(_ref("Error"), description)
            for status, description in (
                (400, "The request does not fit (SIM.0400), or the service refused it (its code)."),
                (404, "No such path, object or resource (SIM.0404, or the service's code)."),
                (409, "Not possible now (SIM.0409)."),
            )
        },
    },
}
