"""`generator.write`: the tree is replaced whole or not at all, and left alone when equal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import write
from generator.write import differences, read_tree, write_tree

FILES = {"pkg/__init__.py": b"", "pkg/sub/mod.py": b"x = 1\n", "MANIFEST": b"m\n"}


def siblings(root: Path) -> list[str]:
    return sorted(p.name for p in root.parent.iterdir() if p != root)


def mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*")}


def test_write_into_a_missing_directory(tmp_path: Path) -> None:
    root = tmp_path / "deep" / "out"
    assert write_tree(root, FILES) is True
    assert read_tree(root) == FILES
    assert siblings(root) == []


def test_no_op_when_equal_keeps_mtimes(tmp_path: Path) -> None:
    root = tmp_path / "out"
    write_tree(root, FILES)
    past = 1_000_000_000_000_000_000
    for path in [root, *root.rglob("*")]:
        os.utime(path, ns=(past, past))
    before = mtimes(root)
    assert write_tree(root, dict(reversed(FILES.items()))) is False
    assert mtimes(root) == before
    assert root.stat().st_mtime_ns == past


def test_changes_and_extra_files(tmp_path: Path) -> None:
    root = tmp_path / "out"
    write_tree(root, FILES)
    (root / "stale.py").write_bytes(b"old\n")
    (root / "gone" / "deeper").mkdir(parents=True)
    (root / "gone" / "deeper" / "x.py").write_bytes(b"")
    new = {**FILES, "pkg/sub/mod.py": b"x = 2\n", "pkg/new.py": b"y = 1\n"}
    assert differences(root, new) == ["gone/deeper/x.py", "pkg/new.py", "pkg/sub/mod.py", "stale.py"]
    assert write_tree(root, new) is True
    assert read_tree(root) == new
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir()) == [
        "pkg", "pkg/sub"]  # extra files removed, and the directories they leave empty
    assert siblings(root) == []


def test_caches_are_ignored_when_comparing(tmp_path: Path) -> None:
    root = tmp_path / "out"
    write_tree(root, FILES)
    (root / "pkg" / "__pycache__").mkdir()
    (root / "pkg" / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0")
    assert differences(root, FILES) == []
    assert write_tree(root, FILES) is False


def test_failure_while_writing_leaves_the_old_tree(tmp_path: Path) -> None:
    root = tmp_path / "out"
    write_tree(root, FILES)
    before = read_tree(root)
    # "pkg/__init__.py" is a file, so nothing can be written below it
    broken = {**FILES, "pkg/sub/mod.py": b"x = 2\n", "pkg/__init__.py/oops.py": b""}
    with pytest.raises(OSError):
        write_tree(root, broken)
    assert read_tree(root) == before
    assert siblings(root) == []  # no staging directory left behind


def test_failure_while_swapping_restores_the_old_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "out"
    write_tree(root, FILES)
    before = read_tree(root)
    real_rename = os.rename
    calls: list[str] = []

    def rename(src: str | Path, dst: str | Path) -> None:
        calls.append(Path(src).name)
        if Path(src).name.startswith(".out.new-"):
            raise OSError("disk full")
        real_rename(src, dst)

    monkeypatch.setattr(write.os, "rename", rename)
    with pytest.raises(OSError, match="disk full"):
        write_tree(root, {**FILES, "MANIFEST": b"new\n"})
    assert read_tree(root) == before
    assert siblings(root) == []
    assert len(calls) == 3  # old tree aside, new tree (fails), old tree back


def test_failure_mid_way_through_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "out"
    write_tree(root, FILES)
    before = read_tree(root)
    real_write = Path.write_bytes
    written: list[str] = []

    def write_bytes(self: Path, data: bytes) -> int:
        if written:
            raise OSError("no space left on device")
        written.append(self.name)
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    with pytest.raises(OSError, match="no space"):
        write_tree(root, {name: data + b"# changed\n" for name, data in FILES.items()})
    monkeypatch.undo()
    assert read_tree(root) == before
    assert siblings(root) == []


def test_read_tree_of_a_missing_directory(tmp_path: Path) -> None:
    assert read_tree(tmp_path / "nothing") == {}
    assert differences(tmp_path / "nothing", FILES) == sorted(FILES)
