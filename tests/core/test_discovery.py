"""Discovery: which files a run looks at, in which order, each once."""

from __future__ import annotations

import os
from pathlib import Path

from vpclint.discover.walk import discover


def _tree(root: Path, outside: Path) -> None:
    for name in ("b/y.yaml", "a/x.tf", "a/sub/z.tf", "top.json", "notes.txt", ".terraform/m.tf"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("")
    (root / "env").mkdir()
    (root / "env" / "pyvenv.cfg").write_text("")
    (root / "env" / "lib.tf").write_text("")
    (outside / "far.tf").write_text("")
    os.symlink(root / "a" / "x.tf", root / "same.tf")  # the same file again
    os.symlink(outside / "far.tf", root / "far.tf")  # outside the project
    os.symlink(root / "a", root / "linked")  # a symlinked folder is not walked
    os.symlink(root / "missing.tf", root / "broken.tf")
    os.mkfifo(root / "pipe.tf")


def test_files_in_walk_order_each_once_without_tool_folders(tmp_path: Path) -> None:
    root, outside = tmp_path / "project", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    _tree(root, outside)
    found = [path.relative_to(root).as_posix() for path in discover([root], root)]
    # same.tf (a link to a/x.tf) comes first: a folder's files before its subfolders.
    assert found == ["same.tf", "top.json", "a/sub/z.tf", "b/y.yaml"]


def test_excludes_and_explicit_files(tmp_path: Path) -> None:
    root, outside = tmp_path / "project", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    _tree(root, outside)
    found = [
        path.relative_to(root).as_posix() for path in discover([root], root, ["sub", "*.json"])
    ]
    assert found == ["same.tf", "b/y.yaml"]
    explicit = list(discover([root / "a" / "x.tf", root], root))
    assert explicit[0] == root / "a" / "x.tf"
    assert [path.relative_to(root).as_posix() for path in explicit[1:]] == [
        "top.json",
        "a/sub/z.tf",
        "b/y.yaml",
    ]
