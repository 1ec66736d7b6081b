"""Run the shared corpus through the CloudFormation front end and print what it found.

    python -m tests.cloudformation.corpus_report [corpus folder]

Counts templates recognised and failed, CIDR values resolved or Unknown (grouped by reason),
templates cfn-lint decodes that we do not, and the time parse and evaluation took.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

from tests.cloudformation.test_cfnlint_equivalence import CORPUS, SUFFIXES
from vpclint.discover.sources import SourceText, read_source
from vpclint.evaluate.cloudformation.frontend import CloudFormationFrontEnd
from vpclint.evaluate.contract import EvaluationSettings
from vpclint.limits import Limits
from vpclint.parse.cloudformation.template import ParsedTemplate, is_template


def main(corpus: Path) -> int:
    frontend = CloudFormationFrontEnd()
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.name.endswith(SUFFIXES))
    parsed: list[ParsedTemplate] = []
    skipped = unreadable = 0
    started = time.perf_counter()
    for path in files:
        source = read_source(path, path.relative_to(corpus).as_posix())
        if not isinstance(source, SourceText):
            unreadable += 1
            continue
        result = frontend.parse(source, Limits())
        if result is None:
            skipped += 1
        else:
            parsed.append(result)
    parse_seconds = time.perf_counter() - started
    started = time.perf_counter()
    topology = frontend.evaluate(parsed, EvaluationSettings(project_root=corpus))
    evaluate_seconds = time.perf_counter() - started

    failed = [item for item in parsed if item.error is not None]
    print(f"{len(files)} files: {len(parsed)} templates ({len(failed)} failed to parse),")
    print(f"  {skipped} not templates, {unreadable} unreadable")
    print(f"parse {parse_seconds:.2f}s, evaluate {evaluate_seconds:.2f}s")
    print(
        f"{len(topology.networks)} networks, {len(topology.subnets)} subnets, "
        f"{len(topology.connections)} peerings, {len(topology.attachments)} TGW attachments"
    )
    blocks = [block for _, block in topology.declared_blocks()]
    resolved = [block for block in blocks if block.cidr is not None]
    unknown = len(blocks) - len(resolved)
    print(f"{len(blocks)} CIDR values: {len(resolved)} resolved, {unknown} Unknown")
    reasons: Counter[str] = Counter()
    for block in blocks:
        if block.unknown is not None:
            generic = re.sub(
                r"\b[A-Za-z0-9]*[a-z][A-Z][A-Za-z0-9]*\b", "<id>", block.unknown.reason
            )
            reasons[f"{block.unknown.kind.value}: {generic[:100]}"] += 1
    for reason, count in reasons.most_common():
        print(f"  {count:4d}  {reason}")

    missed = 0
    try:
        from cfnlint.decode import decode_str
    except ImportError:
        print("cfn-lint not installed: decoder comparison skipped")
        return 0
    for item in failed:
        text = (corpus / item.display).read_text(encoding="utf-8", errors="replace")
        theirs, _ = decode_str(text)
        if theirs is not None and is_template(theirs):
            missed += 1
            print(f"  cfn-lint decodes, we do not: {item.display}: {item.error}")
    print(f"templates cfn-lint decodes that we do not: {missed}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS))
