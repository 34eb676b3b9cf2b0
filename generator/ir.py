"""The intermediate representation: everything the templates print, decided and ready to print."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Argument:
    """One keyword argument of a generated method, and where its value travels."""

    python_name: str
    wire_name: str
    location: Literal["path", "query", "header", "body"]
    annotation: str  # e.g. "str", "int | None", "CreateJobRequest | Mapping[str, Any]"
    default: str | None  # Python source of the default, None when required
    doc: str  # one paragraph, may be empty
    # how the command line reads it: "str", "int", "float", "bool", or "json" (objects, lists of
    # objects); `multiple`: a repeatable option (a list of scalars); `choices`: documented enum
    # values, shown but not enforced (enums are open)
    cli_kind: str = "str"
    multiple: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class CallArg:
    """One mapping the method hands to the runtime (`path=`, `query=`, `headers=`), laid out."""

    keyword: str
    entries: tuple[tuple[str, str], ...]  # (wire name, Python name)
    inline: bool  # fits on one line; else one entry per line, as black would lay it out


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
    spec_arguments: tuple[str, ...]  # the WaiterSpec(...) arguments, as Python source
    doc_lines: tuple[str, ...]

    @property
    def return_type(self) -> str:
        return f"{self.result_type} | None" if self.ends_without_result else self.result_type

    @property
    def runtime_function(self) -> str:  # of templates/runtime/waiters.py, less a flavor's prefix
        return "wait_or_none" if self.ends_without_result else "wait"


@dataclass(frozen=True)
class WaitLink:
    """How `--wait` on an operation calls a waiter: its arguments from the call and its response."""

    resource: str  # the waiter's resource, e.g. "job_instances"
    method: str  # the waiter's method, e.g. "wait_until_finished"
    # (waiter argument, source, key): source "argument" takes the operation's own argument of
    # that Python name; "response" and "body" read a JSON pointer in the response or request body
    arguments: tuple[tuple[str, str, str], ...]


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
    doc_lines: tuple[str, ...]  # docstring body, already wrapped
    deprecated: bool
    idempotent: bool
    arguments: tuple[Argument, ...]
    client_params: tuple[ClientParam, ...]
    response_kind: Literal["model", "none", "binary"]
    response_type: str  # annotation of the return value: "Job", "None", "bytes"
    success_statuses: tuple[int, ...]
    pagination: Pagination | None = None
    wait_link: WaitLink | None = None  # the waiter `--wait` follows this operation with
    call_args: tuple[CallArg, ...] = ()
    # `_NAME: OperationSpec[T] = OperationSpec(` is too long: black's parenthesised layout
    wrap_constant: bool = False
    # the method's return annotation: response_type, with builtins its resource's methods shadow
    # qualified (`builtins.list[Job]` in a resource that has a `list` method)
    return_annotation: str = ""

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
    doc_lines: tuple[str, ...]


@dataclass(frozen=True)
class ServerVariable:
    name: str
    default: str
    enum: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class ErrorCode:
    """A row of a service's documented error-code table (the spec's `x-error-codes`)."""

    code: str
    arguments: str  # the DocumentedError(...) arguments as Python source, literals quoted


@dataclass(frozen=True)
class TypedField:
    """A field of a typed catalogue class: one documented name of a name/value list."""

    name: str  # Python attribute
    annotation: str  # e.g. 'Annotated[str | None, Field(alias="linkConfig.host")]'
    default: str | None  # Python source of the default, None when required
    doc_lines: tuple[str, ...]  # attribute docstring, already wrapped


@dataclass(frozen=True)
class TypedClass:
    """A typed view of one catalogue entry: a CDM connector section, a DLF node type."""

    name: str
    base: str  # the runtime base class, e.g. "LinkConfig", "NodeProperties"
    key: str  # its key in the registry: the section key or the node type
    doc_lines: tuple[str, ...]
    class_vars: tuple[str, ...]  # source of its ClassVar assignments (SECTION, PARAMETERS, ...)
    fields: tuple[TypedField, ...]


@dataclass(frozen=True)
class Registry:
    """A module-level mapping from catalogue key to typed class, e.g. LINK_CONFIGS."""

    name: str
    value_type: str  # e.g. "type[LinkConfig]"
    doc: str
    entries: tuple[tuple[str, str], ...]  # (key, class name)


@dataclass(frozen=True)
class CatalogueModule:
    """`dataarts.<service>.<module>`: the typed classes of one catalogue extension."""

    module: str  # "connectors" (x-cdm-parameters), "nodes" (x-dlf-node-types)
    template: str
    classes: tuple[TypedClass, ...]
    registries: tuple[Registry, ...]
    model_imports: tuple[str, ...]  # model classes its helpers take or return, sorted
    # the annotation of each role in the helpers' signatures: ("link", "Link"), ("job", "Job"),
    # ("node", "JobNode"), ("location", "Location | Mapping[str, Any]")
    roles: tuple[tuple[str, str], ...]
    typing_imports: tuple[str, ...]  # names from `typing` the classes use
    pydantic_imports: tuple[str, ...]  # names from `pydantic` the classes use
    exports: tuple[str, ...]  # __all__, sorted as ruff wants it

    def type(self, role: str) -> str:
        return dict(self.roles)[role]


@dataclass(frozen=True)
class Service:
    """One spec file: one client class pair, its resources and its models."""

    name: str  # python sub-package, e.g. "cdm"
    client_stem: str  # "Cdm" -> CdmClient / AsyncCdmClient
    title: str
    doc_lines: tuple[str, ...]
    spec_file: str
    spec_sha256: str
    server_url: str
    server_variables: tuple[ServerVariable, ...]
    options: tuple[ClientOption, ...]  # service-specific constructor options (workspace, ...)
    resources: tuple[Resource, ...]
    model_imports: tuple[str, ...]  # model classes the client module needs
    models_document: dict[str, Any] = field(repr=False, compare=False, hash=False)
    field_aliases: dict[str, str] = field(repr=False, compare=False, hash=False)

    import_lines: tuple[str, ...] = ()  # the client module's imports, exactly those it uses
    type_aliases: tuple[tuple[str, str], ...] = ()  # union components: (name, "A | B | ...")
    # argument types too long for a signature line: (alias, source lines of its definition)
    argument_aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    error_codes: tuple[ErrorCode, ...] = ()  # empty: the service documents none
    # the whole spec as JSON text, for the simulator (dataarts/<service>/_openapi.py)
    openapi_json: str = field(default="", repr=False, compare=False, hash=False)
    catalogues: tuple[CatalogueModule, ...] = ()  # typed modules of its parameter catalogues

    @property
    def error_codes_module(self) -> str:
        return f"dataarts.{self.name}.error_codes" if self.error_codes else ""

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for r in self.resources for op in r.operations)


@dataclass(frozen=True)
class Flavor:
    """Sync or async: the few words that differ between the two renderings of one template."""

    name: Literal["sync", "async"]
    prefix: str  # class-name prefix: "" or "Async"
    def_: str  # "def" or "async def"
    await_: str  # "" or "await "
    client_base: str
    resource_base: str
    iterator: str  # "Iterator" or "AsyncIterator"
    http_client: str  # the httpx client class a caller may pass in
    wait_prefix: str  # of the runtime's waiter functions: "" (wait) or "async_" (async_wait)
    sleep_type: str  # what a waiter's `sleep=` accepts: "Sleep" or "AsyncSleep"


SYNC = Flavor(
    "sync", "", "def", "", "SyncAPIClient", "SyncResource", "Iterator", "httpx.Client", "", "Sleep"
)
ASYNC = Flavor(
    "async", "Async", "async def", "await ", "AsyncAPIClient", "AsyncResource", "AsyncIterator",
    "httpx.AsyncClient", "async_", "AsyncSleep",
)
FLAVORS = (SYNC, ASYNC)


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
    cli_imports: tuple[str, ...] = ()  # the table records its module uses, in import order
