"""Our decoder against cfn-lint's on the shared corpus of public templates.

The corpus lives beside the checkout (``../shared/corpus/cloudformation``) and is not committed;
without it these tests are skipped. For every file cfn-lint decodes, our decoded values must be
equal (short forms expanded the same way) and every resource's logical ID must sit at the same
line and column; a template cfn-lint reads and we cannot is a failure.
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

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "cloudformation"
SUFFIXES = (".yaml", ".yml", ".json", ".template")


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(
        path for path in CORPUS.rglob("*") if path.is_file() and path.name.endswith(SUFFIXES)
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


FILES = corpus_files()


@pytest.mark.slow
@pytest.mark.skipif(not FILES, reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES] or None)
def test_decoded_template_equals_cfn_lint(path: Path) -> None:
    decode = pytest.importorskip("cfnlint.decode")
    source = read_source(path, str(path.relative_to(CORPUS)))
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


def test_the_shared_corpus_is_found_whenever_it_is_beside_the_checkout() -> None:
    """The comparison above skips itself when it finds no corpus: a wrong path would turn it
    off without a word, so wherever ``shared/`` is beside the checkout (every developer machine
    and CI), its templates must be the ones compared."""
    shared = Path(__file__).resolve().parents[2].parent / "shared"
    if not (shared / "corpus" / "cloudformation").is_dir():
        pytest.skip(f"no shared corpus beside the checkout at {shared}")
    assert FILES, f"{shared / 'corpus' / 'cloudformation'} holds no template this test reads"
    assert all(path.is_relative_to(shared) for path in FILES)
