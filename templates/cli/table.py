"""The records of the command table (`dataarts._cli_commands`, generated from the specs' IR).

Standard library only: the command tree is built from these without importing httpx, pydantic
or the clients. The table is an index (`INDEX`, `SETTINGS`, of the records in `index.py`), read at
start, and a module per service, imported by `load_service` when a command line names the
service: this module with it, as `dataarts --help` needs none of these records.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple


class Option(NamedTuple):
    """A command-line option for one keyword argument of a client method."""

    flag: str  # "--cluster-id"
    name: str  # the keyword argument, e.g. "cluster_id"
    kind: str = "str"  # "str", "int", "float", "bool", or "json" (an object or a list of them)
    required: bool = False
    multiple: bool = False  # repeat the option for a list of values
    choices: tuple[str, ...] = ()  # documented values: shown and completed, not enforced
    help: str = ""


class WaitLink(NamedTuple):
    """How `--wait` calls a waiter after the command's operation."""

    resource: str  # the waiter's resource attribute on the client, e.g. "job_instances"
    method: str  # the waiter method, e.g. "wait_until_finished"
    # (waiter argument, source, key): source "argument" takes the command's own argument of that
    # name; "response" and "body" read a JSON pointer in the response or in the request body;
    # "value" is a fixed value, its JSON text the key; "header" a header of the answer
    arguments: tuple[tuple[str, str, str], ...]


class Command(NamedTuple):
    """`dataarts <service> <resource> <name>`: one client method."""

    name: str  # "get-status"
    method: str  # "get_status"
    summary: str  # one line
    help: str = ""  # the operation's description, when it says more than the summary
    options: tuple[Option, ...] = ()
    body: str | None = None  # help of --body; None: the operation takes no body
    body_required: bool = False
    output: str = "model"  # "model", "none" or "binary"
    pages: bool = False  # the method pages: --all walks every page
    wait: WaitLink | None = None
    deprecated: bool = False


class Waiter(NamedTuple):
    """A waiter, as `dataarts <service> <resource> wait --until <name>` runs it."""

    name: str
    method: str  # "wait_until_<name>"
    help: str
    options: tuple[Option, ...] = ()
    has_progress: bool = False  # a 0-100 progress figure: a bar rather than a spinner
    start_delay: bool = False  # takes --start-delay: work asked to begin later (a delayed restart)
    not_before: bool = False  # takes --not-before: the server's time of the call that began it


class Resource(NamedTuple):
    name: str  # "job-instances"
    attribute: str  # the client attribute, "job_instances"
    help: str
    commands: tuple[Command, ...]
    waiters: tuple[Waiter, ...] = ()


class Service(NamedTuple):
    name: str  # "cdm": the command, and the package dataarts.cdm
    client: str  # "CdmClient"
    help: str
    settings: tuple[str, ...]  # client settings (of SETTINGS) this service's client takes
    resources: tuple[Resource, ...]
    variables: tuple[str, ...] = ()  # settings its base URL needs, unless --base-url is given


def waiter_of(service: Service, link: WaitLink) -> tuple[Resource, Waiter]:
    """The resource and waiter a `--wait` link calls."""
    for resource in service.resources:
        for waiter in resource.waiters:
            if resource.attribute == link.resource and waiter.method == link.method:
                return resource, waiter
    raise LookupError(f"{service.name} has no waiter {link.resource}.{link.method}")


def load_service(name: str) -> Service:
    """The commands of one service (`dataarts._cli_commands.<name>`), imported on first use."""
    service: Service = importlib.import_module(f"dataarts._cli_commands.{name}").SERVICE
    return service


def every_service() -> tuple[Service, ...]:
    """The commands of every service of the index (all their modules imported)."""
    from .._cli_commands import INDEX

    return tuple(load_service(entry.name) for entry in INDEX)
