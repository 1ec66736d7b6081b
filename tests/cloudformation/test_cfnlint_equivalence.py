"""Our decoder against cfn-lint's, on our own fixtures and on the shared corpus of public templates.

For every file cfn-lint decodes, our decoded values must be equal (short forms expanded the same
way) and every resource's logical ID must sit at the same line and column; a template cfn-lint
reads and we cannot is a failure, and so is a file cfn-lint reads as no template that we do not
skip. The fixtures are always there, so the comparison never turns itself off; the corpus lives
beside the checkout (``../shared/corpus/cloudformation``), is not committed, and without it its
part is skipped.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from vpclint.discover.sources import SourceText, read_source
from vpclint.limits import Limits
from vpclint.parse.cloudformation.nodes import TaggedValue, mark_of
from vpclint.parse.cloudformation.template import is_template, parse_template

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "cloudformation"
SUFFIXES = (".yaml", ".yml", ".json", ".template")
TERRAFORM_JSON = (".tf.json", ".tofu.json")


def templates_below(folder: Path) -> list[Path]:
    """The files below ``folder`` a CloudFormation template may be in (Terraform's JSON is not)."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path.name.endswith(SUFFIXES)
        and not path.name.endswith(TERRAFORM_JSON)
    )


def plain(value: Any) -> Any:
    """A decoded value without marks; an unknown tag as cfn-lint writes it (``Fn::<tag>``)."""
    if isinstance(value, TaggedValue):
        return {f"Fn::{value.tag}": plain(value.value)}
    if isinstance(value, dict):
        return {plain(key): plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return value


FIXTURE_FILES = templates_below(FIXTURES)
CORPUS_FILES = templates_below(CORPUS)


def assert_decoded_as_cfn_lint_does(path: Path, root: Path) -> None:
    from cfnlint import decode

    source = read_source(path, str(path.relative_to(root)))
    assert isinstance(source, SourceText)
    theirs, _ = decode.decode_str(source.text)
    ours = parse_template(source, Limits())
    if theirs is None:
        return  # cfn-lint cannot read it either; whatever we say is not compared
    if not is_template(theirs):
        assert ours is None, "cfn-lint reads this as no template, we did not skip it"
        return
    assert ours is not None, "cfn-lint reads this template, we skipped it"
    assert ours.error is None, f"cfn-lint reads this template, we failed: {ours.error}"
    assert ours.template is not None
    assert plain(ours.template) == plain(theirs)
    their_resources = theirs.get("Resources", {})
    for key in ours.template.get("Resources", {}):
        (their_key,) = [candidate for candidate in their_resources if candidate == key]
        start = their_key.start_mark
        assert mark_of(key) == (start.line + 1, start.column + 1), key


@pytest.mark.parametrize(
    "path", FIXTURE_FILES, ids=[str(p.relative_to(FIXTURES)) for p in FIXTURE_FILES]
)
def test_our_fixtures_decode_as_cfn_lint_decodes_them(path: Path) -> None:
    assert_decoded_as_cfn_lint_does(path, FIXTURES)


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS_FILES, reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize(
    "path", CORPUS_FILES, ids=[str(p.relative_to(CORPUS)) for p in CORPUS_FILES] or None
)
def test_decoded_template_equals_cfn_lint(path: Path) -> None:
    assert_decoded_as_cfn_lint_does(path, CORPUS)
