"""The spec extensions the generator reads, in the order it reads them: the one list to add one to.

Each `x-` key the pipeline reads belongs to exactly one module of `generator/extensions/`, which
both checks it and turns it into IR (tests/generator/test_extensions.py greps the generator for
each key). A module exposes `EXTENSION`, an `extensions.contract.Extension`:

- `name`, and `keys`: the `x-` keys it owns. Other modules never read them; they use its facts
  (`module.of(spec)`) or its constants (`module.KEY`, e.g. in a message). The publishing steps
  (`generator/publish`: reference, breaking-change rules) may read the keys themselves.
- `read(spec)`, the check and the parse in one: it walks its keys in one spec (a
  `context.SpecContext`), reports every problem with file, line and JSON pointer
  (`spec.report(pointer, message)`), and returns typed facts holding only what checked out. It
  may use the facts of the modules listed before it here. Nothing later reads the raw value.
- optional stages, each called for every module that has it:
  - `across(specs)`: rules over all spec files together;
  - `methods(spec, facts)`: SDK methods it adds to resources, for the clash check;
  - `build(facts, draft)`: its IR into the service being built (`draft.ServiceDraft`): fields of
    operations (`draft.update`), waiters, the client's options, or a module of its own,
    `draft.modules.append(ServiceModule(name, template, its_ir))`, which `render` prints
    through that template as `dataarts.<service>.<name>` (nothing else to register);
  - `models(facts, models) -> Models`: what the models step makes: the document given to
    datamodel-code-generator, the field aliases, or `SourceRewrite`s of its output before
    `split_models` cuts it (e.g. `validation_alias=AliasChoices(...)` for a second spelling).

Adding an extension is one module here plus its template (if it prints one): see "Adding a spec
extension" in spec/README.md.
"""

from __future__ import annotations

from typing import Any

from .extensions import (
    cdm_parameters,
    client_options,
    enum_descriptions,
    error_codes,
    names,
    node_types,
    pagination,
    required_when,
    resources,
    service,
    sources,
    variants,
    waiters,
)
from .extensions.contract import Extension

# A module may use the facts of those before it: resources asks variants whether an operation
# has variants; required_when reports the conditions no catalogue has read as misplaced; waiters
# name operations, variants, client options and error codes, and label states with enum descriptions.
EXTENSIONS: tuple[Extension[Any], ...] = (
    service.EXTENSION,
    client_options.EXTENSION,
    names.EXTENSION,
    variants.EXTENSION,
    resources.EXTENSION,
    pagination.EXTENSION,
    error_codes.EXTENSION,
    cdm_parameters.EXTENSION,
    node_types.EXTENSION,
    required_when.EXTENSION,
    enum_descriptions.EXTENSION,
    waiters.EXTENSION,
    sources.EXTENSION,
)


def owners() -> dict[str, str]:
    """Each `x-` key the generator reads, and the extension that owns it."""
    return {key: extension.name for extension in EXTENSIONS for key in extension.keys}
