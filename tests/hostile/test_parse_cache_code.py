"""Issue 13, point 7: the parse cache knows the code. After an edit to a parser with the same
version (a development install, a patched build), a warm run reports what a run without cache
does, not what the old parser's cached results say."""

from __future__ import annotations

import shutil
from pathlib import Path

import vpclint
from tests.files import write
from tests.hostile.conftest import assert_contained, run_vpclint

NETWORK = """\
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
"""
# An edit to the HCL parser that changes what a literal CIDR reads as.
ORIGINAL = 'return s.Literal(line, column, "".join(str(part) for part in parts))'
EDITED = ORIGINAL[:-1] + '.replace("/16", "/8"))'


def test_a_warm_run_after_a_parser_edit_equals_a_run_without_cache(tmp_path: Path) -> None:
    package = tmp_path / "build" / "vpclint"
    shutil.copytree(
        Path(vpclint.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__")
    )
    project = write(tmp_path / "repo", {"main.tf": NETWORK, ".vpclint.toml": ""})
    env = {"PYTHONPATH": str(package.parent), "XDG_CACHE_HOME": str(tmp_path / "user-cache")}

    def lint(*options: str, cache: bool = True) -> list[dict[str, object]]:
        outcome = run_vpclint(
            "--format", "json", *options, ".", cwd=project, extra_env=env, cache=cache
        )
        assert_contained(outcome)
        findings: list[dict[str, object]] = outcome.document["findings"]
        return findings

    before = lint()
    parser = package / "parse" / "terraform" / "hcl_tree.py"
    source = parser.read_text()
    assert source.count(ORIGINAL) == 1
    parser.write_text(source.replace(ORIGINAL, EDITED))

    warm = lint()
    assert warm == lint(cache=False)
    assert warm != before, "the edited copy is the code that ran"
    assert any("10.0.0.0/8" in str(finding["message"]) for finding in warm)
