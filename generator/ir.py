"""The intermediate representation: what the generated code means, decided; the templates lay it out.

No field holds Python source laid out for a width, or a name of the runtime the templates import:
the templates write the code (and wrap docstrings where they know the indentation), black formats
it, and each rendered module imports what it uses (`imports.prune_unused`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class DocSection:
    """A titled part of a docstring (`Args:`, `Returns:`, `Raises:`): one entry per line or item."""

    title: str
    entries: tuple[str, ...]  # e.g. "cluster_id: Cluster ID."
    wrapped: bool = True  # entries are wrapped as paragraphs; False: each printed on one line


@dataclass(frozen=True)
class Doc:
    """A docstring's content, unwrapped: its summary line, paragraphs and sections."""

    summary: str
    paragraphs: tuple[str, ...] = ()
    sections: tuple[DocSection, ...] = ()


@dataclass(frozen=True)
class Argument:
    """One keyword argument of a generated method, and where its value travels."""

    python_name: str
    wire_name: str
    location: Literal["path", "query", "header", "body"]
    annotation: str  # e.g. "str", "int | None", "CreateJobRequest | Mapping[str, Any]"
    default: str | None  # Python source of the default, None when required
    doc: str  # one paragraph, may be empty
    # the name of a module-level alias of its type, e.g. "_ListJobsStatus": a signature whose line
    # would not fit spells the type so (the template decides)
    type_name: str = ""
    # how the command line reads it: "str", "int", "float", "bool", or "json" (objects, lists of
    # objects); `multiple`: a repeatable option (a list of scalars); `choices`: documented enum
    # values, shown but not enforced (enums are open)
    cli_kind: str = "str"
    multiple: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClientParam:
    """A parameter whose value comes from client configuration (project_id, workspace, language)."""

    wire_name: str
    location: Literal["path", "query", "header"]
    option: str
    required: bool
    fallback: str | None  # sent when the option is not configured: the documented default/example


@dataclass(frozen=True)
class Pagination:
    """How `iter_<method>` walks the pages of a list operation (from x-sdk-pagination)."""

    location: Literal["query", "body"]
    start_param: str  # wire name
    size_param: str  # wire name
    start_kind: Literal["page", "record"]
    start_base: int
    items_attr: str  # Python attribute of the response model holding the items
    total_attr: str | None
    item_type: str  # class name of one item


@dataclass(frozen=True)
class WaitRule:
    """What a waiter polls for and how often (the runtime's WaiterSpec, field for field)."""

    name: str  # for messages, e.g. "cdm.jobs.wait_until_finished"
    state: str  # JSON pointer into the polled response
    success: tuple[str, ...]
    failure: tuple[str, ...]
    retry: tuple[str, ...]
    delay: float
    backoff: float
    max_delay: float
    timeout: float
    progress: str | None = None
    reason: str | None = None
    # (status, code or None, outcome, pointer or None): the pointer names a boolean of the last
    # polled response that must have been true for the error to decide the wait
    errors: tuple[tuple[int, str | None, str, str | None], ...] = ()
    labels: tuple[tuple[str, str], ...] = ()  # (state value, its documented meaning)
    # (pointer, values): while a field holds one of its values the work is under way
    under_way: tuple[tuple[str, tuple[str, ...]], ...] = ()
    start_within: float | None = None  # seconds for the work to show as under way
    # (pointer to a time in epoch ms, slack seconds): with the call's time given, only a resource
    # whose time is not before it (less the slack) may end the wait
    not_before: tuple[str, float] | None = None


@dataclass(frozen=True)
class Waiter:
    """A `wait_until_<name>` method: polls one operation of its resource (x-sdk-waiters)."""

    name: str  # as in the spec, e.g. "finished"
    method_name: str  # "wait_until_finished"
    constant: str  # module-level name of its WaiterSpec, e.g. "_JOBS_WAIT_UNTIL_FINISHED"
    summary: str
    poll_method: str  # the polled operation's method on the same resource, e.g. "get_status"
    arguments: tuple[Argument, ...]  # the polled operation's own arguments
    result_type: str  # the polled operation's response model
    ends_without_result: bool  # an error answer (e.g. 404 once deleted) can end it: returns None
    has_progress: bool  # the spec names a 0-100 progress field
    rule: WaitRule
    doc: Doc

    @property
    def return_type(self) -> str:
        return f"{self.result_type} | None" if self.ends_without_result else self.result_type


@dataclass(frozen=True)
class WaitLink:
    """How `--wait` on an operation calls a waiter: its arguments from the call and its response."""

    resource: str  # the waiter's resource, e.g. "job_instances"
    method: str  # the waiter's method, e.g. "wait_until_finished"
    # (waiter argument, source, key): source "argument" takes the operation's own argument of
    # that Python name; "response" and "body" read a JSON pointer in the response or request body
    arguments: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Overload:
    """One typed signature of a method whose result type depends on its arguments."""

    arguments: tuple[Argument, ...]
    return_annotation: str


@dataclass(frozen=True)
class Operation:
    """One SDK method: a documented operation, or one variant of a shared path and method."""

    operation_id: str
    constant: str  # module-level name of its OperationSpec, e.g. "_SHOW_JOBS"
    method_name: str
    http_method: str
    path: str
    summary: str
    description: str  # one paragraph (empty when it only repeats the summary)
    doc: Doc
    deprecated: bool
    idempotent: bool
    arguments: tuple[Argument, ...]
    client_params: tuple[ClientParam, ...]
    response_kind: Literal["model", "none", "binary"]
    response_type: str  # annotation of the return value: "Job", "None", "bytes"
    success_statuses: tuple[int, ...]
    pagination: Pagination | None = None
    wait_link: WaitLink | None = None  # the waiter `--wait` follows this operation with
    # the method's return annotation: response_type, with builtins its resource's methods shadow
    # qualified (`builtins.list[Job]` in a resource that has a `list` method)
    return_annotation: str = ""
    # (former keyword, argument): keywords the method still takes, deprecated (x-sdk-name,
    # x-documented-as)
    renamed: tuple[tuple[str, str], ...] = ()
    # the body sent when the caller gives none: a required body whose required fields all have
    # documented defaults (None: no such body)
    default_body: dict[str, Any] | None = None
    # a binary operation that may answer JSON instead (chosen by the answer's Content-Type): the
    # model of that answer ("": none), and the method's signatures by whether a body is given
    alternative: str = ""
    overloads: tuple[Overload, ...] = ()

    @property
    def result_type(self) -> str:
        """What the runtime returns for it: the response type, or either answer."""
        return f"{self.alternative} | bytes" if self.alternative else self.response_type

    @property
    def parsed_type(self) -> str | None:
        """The model a JSON answer is parsed into (None: the answer is never parsed)."""
        if self.response_kind == "model":
            return self.response_type
        return self.alternative or None

    @property
    def path_args(self) -> tuple[Argument, ...]:
        return tuple(a for a in self.arguments if a.location == "path")

    @property
    def query_args(self) -> tuple[Argument, ...]:
        return tuple(a for a in self.arguments if a.location == "query")

    @property
    def header_args(self) -> tuple[Argument, ...]:
        return tuple(a for a in self.arguments if a.location == "header")

    @property
    def body_arg(self) -> Argument | None:
        return next((a for a in self.arguments if a.location == "body"), None)


@dataclass(frozen=True)
class Resource:
    """A group of methods reached as `client.<name>`."""

    name: str  # attribute on the client, e.g. "jobs"
    class_name: str  # e.g. "JobsResource" (async flavor prefixes "Async")
    doc: str
    operations: tuple[Operation, ...]
    waiters: tuple[Waiter, ...] = ()


@dataclass(frozen=True)
class ClientOption:
    """A keyword argument of the generated client's constructor."""

    name: str
    annotation: str
    default: str
    doc: str


@dataclass(frozen=True)
class ServerVariable:
    name: str
    default: str
    enum: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class ServiceModule:
    """A module of the service package an extension adds: `dataarts.<service>.<name>`.

    `data` is the extension's own IR (its type lives in the extension's module); only `template`
    reads it, as `module`, beside the `service`.
    """

    name: str  # e.g. "error_codes", "connectors"
    template: str  # e.g. "error_codes.py.jinja"
    data: Any


@dataclass(frozen=True)
class SourceRewrite:
    """A change to datamodel-code-generator's source of a service's models, before it is split."""

    key: str  # what the change depends on (e.g. its facts as JSON): part of the result-cache key
    apply: Callable[[str], str]


@dataclass(frozen=True)
class Models:
    """What the models step makes a service's pydantic models from."""

    document: dict[str, Any]  # the OpenAPI document given to datamodel-code-generator
    # wire name (or `Schema.wire name`) -> Python field name where they differ, or a list: the
    # Python name, then the other spellings it is also read under (AliasChoices)
    field_aliases: dict[str, Any]
    type_aliases: tuple[tuple[str, str], ...] = ()  # union components: (name, "A | B | ...")
    rewrites: tuple[SourceRewrite, ...] = ()
    # `Schema.python name` -> the wire name it is written under, where it is read under several
    serialization_aliases: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Service:
    """One spec file: one client class pair, its resources and its models."""

    name: str  # python sub-package, e.g. "cdm"
    client_stem: str  # "Cdm" -> CdmClient / AsyncCdmClient
    title: str
    description: str
    spec_file: str
    spec_sha256: str
    server_url: str
    server_variables: tuple[ServerVariable, ...]
    options: tuple[ClientOption, ...]  # service-specific constructor options (workspace, ...)
    resources: tuple[Resource, ...]
    model_imports: tuple[str, ...]  # model classes the client module names
    models: Models = field(repr=False, compare=False, hash=False)
    # the whole spec as JSON text, for the simulator (dataarts/<service>/_openapi.py)
    openapi_json: str = field(default="", repr=False, compare=False, hash=False)
    error_codes_module: str = ""  # the module of its documented error codes ("": none)
    modules: tuple[ServiceModule, ...] = ()  # the modules its extensions add

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for r in self.resources for op in r.operations)

    @property
    def type_aliases(self) -> tuple[tuple[str, str], ...]:
        return self.models.type_aliases

    @property
    def arguments_with_type_names(self) -> tuple[Argument, ...]:
        """Every argument of the client's methods, once per type name, in the methods' order."""
        seen: dict[str, Argument] = {}
        for op in self.operations:
            for arg in op.arguments:
                seen.setdefault(arg.type_name, arg)
        return tuple(seen.values())


@dataclass(frozen=True)
class CliOption:
    """A command-line option for one keyword argument of a method."""

    flag: str  # "--cluster-id"
    name: str  # the method's keyword argument, e.g. "cluster_id"
    kind: str  # "str", "int", "float", "bool" or "json"
    required: bool
    multiple: bool
    choices: tuple[str, ...]  # documented values, offered in help and completion
    help: str


@dataclass(frozen=True)
class CliCommand:
    """`dataarts <service> <resource> <name>`: one operation of a resource."""

    name: str  # the method name with dashes, e.g. "get-status"
    method: str  # the client method, e.g. "get_status"
    summary: str  # one line, for the resource's list of commands
    help: str  # the operation's description (empty: the summary says it all)
    deprecated: bool
    options: tuple[CliOption, ...]
    body: str | None  # help of `--body`; None when the operation takes no body
    body_required: bool
    output: str  # "model", "none" or "binary" (the response kind)
    pages: bool  # `--all` walks the pages with iter_<method>
    wait: WaitLink | None


@dataclass(frozen=True)
class CliWaiter:
    """A waiter as `dataarts <service> <resource> wait --until <name>` runs it."""

    name: str
    method: str  # "wait_until_<name>"
    help: str
    options: tuple[CliOption, ...]  # the polled operation's arguments
    has_progress: bool  # the state has a 0-100 progress figure (a bar rather than a spinner)
    start_delay: bool = False  # the waiter takes a start delay (work asked to begin later)
    not_before: bool = False  # the waiter takes the time of the call that began the work


@dataclass(frozen=True)
class CliResource:
    name: str  # the attribute with dashes, e.g. "job-instances"
    attribute: str  # "job_instances"
    help: str
    commands: tuple[CliCommand, ...]
    waiters: tuple[CliWaiter, ...]


@dataclass(frozen=True)
class CliService:
    name: str  # "cdm"
    client: str  # "CdmClient"
    help: str
    settings: tuple[str, ...]  # client settings of this service the global options fill
    resources: tuple[CliResource, ...]
    variables: tuple[str, ...] = ()  # the settings its base URL needs (unless --base-url)


@dataclass(frozen=True)
class CliEntry:
    """A service as `dataarts --help` lists it: all the command line reads at start."""

    name: str  # "cdm": the command, and the module of its command table
    help: str  # the service's one line


@dataclass(frozen=True)
class CliSetting:
    """A global option that fills a client setting of the services that have it."""

    name: str  # the client's keyword argument, e.g. "region"
    flag: str  # "--region"
    help: str
    choices: tuple[str, ...] = ()  # documented values, completed by the shell (the regions)


@dataclass(frozen=True)
class Api:
    """Everything generated from one spec directory."""

    services: tuple[Service, ...]
    spec_digest: str  # sha256 over every spec file, in name order
    cli_services: tuple[CliService, ...] = ()  # the command line's command tree
    cli_settings: tuple[CliSetting, ...] = ()  # its global options that configure clients
    cli_index: tuple[CliEntry, ...] = ()  # what the command line reads at start, by service
