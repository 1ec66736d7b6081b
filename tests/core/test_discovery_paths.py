"""Reported paths of discovered files, and which findings a run on given files reports."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from tests.files import write
from vpclint.cli import main
from vpclint.config import Config
from vpclint.pipeline import RunRequest, discovered_files


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    write(root, {"top.tf": "", "a/x.tf": "", "a/sub/z.tf": "", "b/y.yaml": ""})
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "far.tf").write_text("")
    os.symlink(root / "a" / "sub" / "z.tf", root / "b" / "link.tf")
    os.symlink(tmp_path / "outside" / "far.tf", root / "b" / "far.tf")
    return root


def _shown(paths: list[str], root: Path, exclude: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    request = RunRequest(
        paths=[Path(path) for path in paths], project_root=root, config=Config(exclude=exclude)
    )
    return [(str(path), shown) for path, shown in discovered_files(request)]


def test_paths_are_shown_relative_to_the_working_directory(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    # b/link.tf is a/sub/z.tf again and b/far.tf points outside the project: both left out.
    assert _shown(["."], tree) == [
        ("top.tf", "top.tf"),
        ("a/x.tf", "a/x.tf"),
        ("a/sub/z.tf", "a/sub/z.tf"),
        ("b/y.yaml", "b/y.yaml"),
    ]
    # The same files when the project is named by its absolute path.
    assert [shown for _, shown in _shown([str(tree)], tree)] == [
        "top.tf",
        "a/x.tf",
        "a/sub/z.tf",
        "b/y.yaml",
    ]


def test_paths_outside_the_working_directory_are_shown_absolute_as_given(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree / "b")
    assert _shown([".."], tree) == [
        ("../top.tf", f"{tree}/b/../top.tf"),
        ("../a/x.tf", f"{tree}/b/../a/x.tf"),
        ("../a/sub/z.tf", f"{tree}/b/../a/sub/z.tf"),
        ("../b/y.yaml", "y.yaml"),
    ]
    # A given file: the whole project is walked from its root, the given file among the rest.
    assert _shown(["y.yaml"], tree) == [
        (f"{tree}/top.tf", f"{tree}/top.tf"),
        (f"{tree}/a/x.tf", f"{tree}/a/x.tf"),
        (f"{tree}/a/sub/z.tf", f"{tree}/a/sub/z.tf"),
        (f"{tree}/b/y.yaml", "y.yaml"),
    ]


def test_symlinked_file_shown_as_its_target_when_walked_first(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    # Walking b/ alone, the link is the first sighting of a/sub/z.tf: shown as its target.
    assert _shown(["b"], tree) == [("b/link.tf", "a/sub/z.tf"), ("b/y.yaml", "b/y.yaml")]


def test_excludes_outside_the_project_match_the_path_as_given(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    # The project is a/, b/ lies outside it: the exclude matches b/ paths as given.
    assert _shown(["b"], tree / "a", ("b/y.yaml",)) == [("b/link.tf", "a/sub/z.tf")]
    # A symlinked file is excluded by where it points (inside the project: sub/z.tf).
    assert _shown(["b"], tree, ("a/sub",)) == [("b/y.yaml", "b/y.yaml")]


def test_virtualenvs_are_known_by_a_pyvenv_cfg_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"real/pyvenv.cfg": "", "real/x.tf": "", "plain/x.tf": ""})
    write(tmp_path, {"linked/x.tf": "", "broken/x.tf": "", "folder/pyvenv.cfg/x.tf": ""})
    os.symlink(tmp_path / "real" / "pyvenv.cfg", tmp_path / "linked" / "pyvenv.cfg")
    os.symlink(tmp_path / "missing.cfg", tmp_path / "broken" / "pyvenv.cfg")
    monkeypatch.chdir(tmp_path)
    # A pyvenv.cfg symlink to a file marks a virtualenv; a broken link or a folder does not.
    assert [shown for _, shown in _shown(["."], tmp_path)] == [
        "broken/x.tf",
        "folder/pyvenv.cfg/x.tf",
        "plain/x.tf",
    ]


NETWORK = """\
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "first" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
"""
EXTRA = """\
resource "aws_subnet" "second" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.128/25"
}
"""
STRAY = """\
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.{n}.0.0/16
  Stray:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.9{n}.0.0/24
"""


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # The overlap is reported at main.tf, the other subnet (extra.tf) is its related place.
        (["net/extra.tf"], {("VPC202", "net/main.tf")}),
        (
            ["net/main.tf"],
            {("VPC202", "net/main.tf"), ("VPC104", "net/main.tf"), ("VPC301", "net/main.tf")},
        ),
        # A folder given with a file: everything below it (cfn-old/ is not below cfn/).
        (
            ["net/extra.tf", "cfn/"],
            {("VPC202", "net/main.tf"), ("VPC201", "cfn/net.yaml"), ("VPC301", "cfn/net.yaml")},
        ),
        (["cfn-old/net.yaml"], {("VPC201", "cfn-old/net.yaml"), ("VPC301", "cfn-old/net.yaml")}),
    ],
)
def test_given_files_report_the_findings_that_touch_them(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    given: list[str],
    expected: set[tuple[str, str]],
) -> None:
    write(tmp_path, {"net/main.tf": NETWORK, "net/extra.tf": EXTRA})
    write(tmp_path, {"cfn/net.yaml": STRAY.format(n=1), "cfn-old/net.yaml": STRAY.format(n=2)})
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    main(["--format", "json", "--no-cache", *given], stdout=out)
    findings = json.loads(out.getvalue())["findings"]
    assert {(finding["code"], finding["file"]) for finding in findings} == expected
    # Given the whole project as a folder too, everything is reported.
    out = io.StringIO()
    main(["--format", "json", "--no-cache", *given, "."], stdout=out)
    assert len(json.loads(out.getvalue())["findings"]) == 7


def test_a_project_outside_the_working_directory_is_evaluated_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Reported paths are relative inside the working directory and absolute outside it; the
    # module folders (and the tfvars each root reads) must come out the same either way.
    project = tmp_path / "project"
    write(
        project,
        {
            "live/main.tf": 'variable "base" {}\nmodule "net" {\n  source = "../modules/net"\n'
            "  cidr   = var.base\n}\n",
            "live/terraform.tfvars": 'base = "10.8.0.0/16"\n',
            "modules/net/main.tf": 'variable "cidr" {}\nresource "aws_vpc" "this" {\n'
            "  cidr_block = var.cidr\n}\n",
            "modules/net/subnet.tf": 'resource "aws_subnet" "stray" {\n'
            '  vpc_id     = aws_vpc.this.id\n  cidr_block = "10.9.1.0/24"\n}\n',
        },
    )
    (project / ".git").mkdir()
    (tmp_path / "elsewhere").mkdir()

    def findings_from(cwd: Path, target: str) -> set[tuple[str, str, str]]:
        monkeypatch.chdir(cwd)
        out = io.StringIO()
        main(["--format", "json", "--no-cache", target], stdout=out)
        found = json.loads(out.getvalue())["findings"]
        return {
            (f["code"], f["resource"], os.path.relpath(os.path.join(cwd, f["file"]), project))
            for f in found
        }

    inside = findings_from(project, ".")
    # The subnet is outside its VPC only once var.base is read from live/terraform.tfvars and
    # passed into the module folder.
    assert ("VPC201", "module.net.aws_subnet.stray", "modules/net/subnet.tf") in inside
    assert findings_from(tmp_path / "elsewhere", str(project)) == inside
