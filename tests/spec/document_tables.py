"""The parameter tables of the API documents, row by row, and the rows whose text is conditional.

Two layouts occur. The Chinese reference (003) prints a table as tab- or pipe-separated lines under
a header naming the columns (`参数名	是否必选	参数类型	说明`), usually below a caption (`表 6-3 Script
参数说明`); the connector tables of 5.4 have no caption. The English pages (000, 001, 004) print one
cell per paragraph: `Parameter`, `Mandatory`, `Type`, `Description`, then four paragraphs a row
(the description may run over several).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tests.spec import fixturelib as fl

DOCUMENTS = fl.FIXTURE_DIR / "documents"
# Wording that limits a field to a case. Chinese: 当…时 (when), 仅 (only), 才 (only then), 只有当
# (only when), 如果/若 (if), 时必选/时必填/时需/时才/时有效 (required/needed/valid when), 需配置此参数
# (this parameter must be set for ...), 支持该/此参数 and 版本支持 (supported by [version]), 适用
# (applies to). Value restrictions (只能 "may only contain", 只支持 "only supports" a value) are not
# conditions on the field's presence and are left out. English: "only when/if/for/…", "supported by
# version", "required/mandatory when/if", and "when/if …, required".
CONDITIONAL = re.compile(
    r"当[^。；]*?时|仅|才|只有当|如果|若(?!干)|时必选|时必填|时需|时才|时有效|需配置此参数"
    r"|支持该参数|支持此参数|版本支持|适用"
    r"|\bonly (?:when|if|for|applies|available|supported|valid|present)\b"
    r"|\bsupported by versions?\b"
    r"|\b(?:required|mandatory|needed) (?:when|if|only)\b"
    r"|\b(?:when|if)\b[^.;]*\b(?:required|mandatory)\b",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"^表 ?(\d+-\d+)\b")
_EN_CAPTION = re.compile(r"^Table (\d+)\b")
_HEADING = re.compile(r"^(?:#+\s*)?(\d+(?:\.\d+)+)\s+\S")
_TAGS = re.compile(r"<[^>]*>")
_EN_TABLE_END = re.compile(r"^(?:Request|Response) Parameters|^Example|^Status [Cc]ode|^Table \d+")


@dataclass(frozen=True)
class Row:
    """One row of a parameter table."""

    document: str  # file name under tests/fixtures/documents
    line: int  # 1-based line of the row (English pages: of its name)
    anchor: str  # how the spec cites the table: "table 6-3", or "section 6.4.7" for an uncaptioned one
    name: str
    required: bool  # 是 / Yes
    description: str  # HTML tags removed

    @property
    def wording(self) -> str | None:
        """The conditional words of the description, if it has any."""
        match = CONDITIONAL.search(self.description)
        return match.group(0) if match else None

    def __str__(self) -> str:
        return f"{self.document}:{self.line} ({self.anchor}) {self.name}"


def documents() -> list[Path]:
    return sorted(DOCUMENTS.glob("[0-9][0-9][0-9]_*.txt"))


@cache
def rows(document: Path) -> tuple[Row, ...]:
    text = document.read_text(encoding="utf-8")
    if "是否必选" in text:
        return tuple(_chinese_rows(document.name, text.splitlines()))
    return tuple(_english_rows(document.name, text.splitlines()))


def conditional_required_rows() -> list[Row]:
    """Rows marked required whose description carries conditional wording, in every document."""
    return [row for doc in documents() for row in rows(doc) if row.required and row.wording]


def _cells(line: str) -> list[str] | None:
    if "\t" in line:
        return [cell.strip() for cell in line.split("\t")]
    if line.startswith("|"):
        return [cell.strip() for cell in line.strip().strip("|").split("|")]
    return None


def _chinese_rows(document: str, lines: list[str]) -> list[Row]:
    found = []
    table = section = ""
    columns: tuple[int, int, int] | None = None  # name, required, description
    for number, line in enumerate(lines, 1):
        if heading := _HEADING.match(line):
            section, table, columns = heading.group(1), "", None
            continue
        if caption := _CAPTION.match(line):
            table, columns = caption.group(1), None
            continue
        cells = _cells(line)
        if cells is None:
            if line.strip():  # prose ends a table and its caption (5.4's tables have none)
                table, columns = "", None
            continue
        if "是否必选" in cells:
            description = next(i for i, c in enumerate(cells) if c in ("说明", "描述"))
            columns = (0, cells.index("是否必选"), description)
            continue
        if columns is None or len(cells) <= max(columns) or set(cells[columns[1]]) <= {"-"}:
            continue
        name, mark, description = (cells[i] for i in columns)
        anchor = f"table {table}" if table else f"section {section}"
        found.append(Row(document, number, anchor, name, mark == "是",
                         " ".join(_TAGS.sub(" ", description).split())))
    return found


def _english_rows(document: str, lines: list[str]) -> list[Row]:
    """Paragraphs with their first line; a row starts at a name followed by Yes or No."""
    paragraphs: list[tuple[int, str]] = []
    start, chunk = 0, []
    for number, line in enumerate([*lines, ""], 1):
        if line.strip():
            start = start or number
            chunk.append(line.strip())
        elif chunk:
            paragraphs.append((start, " ".join(chunk)))
            start, chunk = 0, []
    found = []
    table = ""
    i = 0
    while i < len(paragraphs):
        number, text = paragraphs[i]
        if caption := _EN_CAPTION.match(text):
            table = caption.group(1)
        follows = paragraphs[i + 1][1] if i + 1 < len(paragraphs) else ""
        if table and follows in ("Yes", "No") and re.fullmatch(r"[A-Za-z_][\w.\-\[\]]*", text):
            end = i + 3
            while end < len(paragraphs) and not _EN_TABLE_END.match(paragraphs[end][1]) and not (
                end + 1 < len(paragraphs) and paragraphs[end + 1][1] in ("Yes", "No")
            ):
                end += 1
            description = " ".join(p for _, p in paragraphs[i + 3:end])
            found.append(Row(document, number, f"table {table}", text, follows == "Yes", description))
            i = end
            continue
        i += 1
    return found
