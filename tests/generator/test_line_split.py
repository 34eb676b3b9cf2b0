"""`generator.line_split`: an overlong line split as black splits it, or left for black."""

from __future__ import annotations

import pytest

from generator.format import format_piece
from generator.line_split import split_key, split_line, split_overlong, width

LONG = "a" * 60
WIDE = "中" * 30

STATEMENTS = [  # statements in a class body
    f'    x: Annotated[str | None, Field(alias="{LONG}")] = None',
    f'    x: Annotated[str | None, Field(alias="{LONG[:52]}")] = None',  # black wraps `None`
    f'    x: Annotated[str | None, Field(alias="{LONG[:56]}")] = "DEFAULT"',
    f'    x: Annotated[Literal["A", "B"] | str | None, Field(alias="{LONG}", description="d")] = None',
    f'    x: Annotated[Literal["{LONG}", "{LONG}"] | str, Field(alias="{LONG}")]',
    f'    SECTION: ClassVar[Section] = Section("link-config-values", "{LONG}", connectors=("c",))',
    f'    P: ClassVar[tuple[Parameter, ...]] = (Parameter("{LONG}", "a"), Parameter("b", "c", enum=("{LONG}", "x")))',
    f'    @deprecated("{LONG} is deprecated: use {LONG}")',
    f'    x: dict[str, str] = {{"{LONG}": "a", "b": "{LONG}"}}',
    f'    D: ClassVar[dict[str, str]] = {{"{WIDE}": "{WIDE}"}}',
    f'    body = {{"name": name, "{LONG[:30]}": kind, "properties": properties.to_properties()}}',
    f'    _Colour: TypeAlias = Literal["{LONG[:30]}", "{LONG[:30]}", "{LONG[:30]}"] | str',
    "    from ._runtime.errors import " + ", ".join(f"Error{i}" for i in range(12)),
    f'    status: Literal["{LONG}", "{LONG}"] | str | None = None',  # the union in parentheses
    f'    status: Literal["{LONG[:15]}", "{LONG[:15]}", "{LONG[:15]}", "{LONG[:15]}"] | str = "A"',
    f'    status: Literal["{LONG}", "{LONG}"] | str',
    f'    relation: {LONG[:40]}PermissionMigrationPrincipalRelas | None = None',  # the value
]
ELEMENTS = [  # elements of a literal
    f'    "Cdm.0000": DocumentedError("Cdm.0000", 400, "{WIDE}", "{LONG}", "s", "a", "server-error"),',
    f'    "Cdm.0001": DocumentedError("Cdm.0001", 400, "{LONG[:20]}", "x", "y", "z", "server-error"),',
    f'    Option("--sort", "sort", choices=("desc", "asc"), help="{LONG} desc: newest first."),',
    f'    Option("--page", "page", kind="int", help="{LONG[:40]} counted from 0."),',
    f'    help="{LONG}{LONG}",',
    f"""    Setting("endpoint", "--endpoint", 'Look it up in the "{LONG}" list.'),""",
    f'    "E.1": DocumentedError("E.1", 400, "{LONG[:30]}", cases=(DocumentedError("E.1", 413, "{LONG}"),)),',
]
UNSURE = [  # left for black
    f'    x: Literal["{LONG}", "{LONG}"] | str | None = default("{LONG}")',  # a call as default
    f'    x = f(a)[b].c("{LONG}", "{LONG}")',  # an attribute chain
    f'    x = call("{LONG}", "{LONG}",)',  # a magic trailing comma
    f'    x = "{LONG}" + "{LONG}"',  # an operator
]


def black_of(line: str, inside: bool) -> list[str]:
    """What black makes of `line` in a class body, or as an element of an exploded dict (an
    entry), call (a keyword argument) or list."""
    if inside:
        opening = "{" if '": ' in line[:20] else "f(" if "=" in line[:10] else "["
        closing = {"{": "}", "f(": ")", "[": "]"}[opening]
        return format_piece(f"X = {opening}\n{line}\n{closing}\n").splitlines()[1:-1]
    if line.lstrip().startswith("@"):
        return format_piece(f"class A:\n{line}\n    def f(self): ...\n").splitlines()[1:-1]
    return format_piece(f"class A:\n{line}\n").splitlines()[1:]


@pytest.mark.parametrize("line", STATEMENTS)
def test_a_statement_is_split_as_black_splits_it(line: str) -> None:
    assert width(line) > 100
    assert split_line(line, inside=False) == black_of(line, inside=False)


@pytest.mark.parametrize("line", ELEMENTS)
def test_an_element_is_split_as_black_splits_it(line: str) -> None:
    assert width(line) > 100
    assert split_line(line, inside=True) == black_of(line, inside=True)


@pytest.mark.parametrize("line", UNSURE)
def test_a_shape_it_does_not_know_is_left_to_black(line: str) -> None:
    assert split_line(line, inside=False) is None


def test_a_line_that_fits_stays_and_a_wide_one_counts_double() -> None:
    assert split_line('    x = f("a")', inside=False) == ['    x = f("a")']
    assert width("中a") == 3


def test_a_module_s_long_strings_and_comments_are_left_alone() -> None:
    """Only code lines split: not a docstring's line, a comment, or a line of a long string."""
    prose = f"Deprecated: {LONG}, {LONG}"  # looks like code to the splitter
    text = (f'"""Doc.\n\n{prose}\n"""\n\n# {prose}\nX = {{\n{ELEMENTS[0]}\n}}\n')
    split = split_overlong(text)
    assert f"\n{prose}\n" in split and f"# {prose}\n" in split
    assert split == format_piece(text)


def test_known_splits_are_made_once_and_taken_as_they_are() -> None:
    module = "\n".join(["class A:", *STATEMENTS, ""])
    known: dict[str, list[str] | None] = {}
    assert split_overlong(module, known) == split_overlong(module)
    first = STATEMENTS[0]
    assert known[split_key(first, False)] == split_line(first, inside=False)
    known[split_key(first, False)] = ["    # as stored"]  # stored by a run before: not re-made
    assert split_overlong(module, known).split("\n")[1] == "    # as stored"
