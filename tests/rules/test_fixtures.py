"""The hand-written fixtures of every rule, linted through the real front ends and pipeline.

Layout: ``fixtures/<terraform|cloudformation>/rules/<code>/<case>/`` is one project, linted on its
own with every rule enabled (and its ``.vpclint.toml`` when it has one). Expectations are inline:
a comment ``# expect: VPC202`` (``//`` too in HCL) on the line where the finding must be reported,
optionally with the resource (``# expect: VPC202 aws_subnet.data``, after its root when several
roots run it: ``# expect: VPC201 envs/prod: module.vpc.aws_subnet.s[1]``) and several separated
by commas. JSON files have a sidecar ``<name>.expect.json``: ``[{"line": 7, "code": "VPC202",
"resource": "Data"}]``.

For the case's own code, and every code it expects, the findings must be exactly the expected
ones: same files, lines, codes and (where given) resources. ``good`` cases expect nothing.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.rules import TERRAFORM_ONLY_RULES
from vpclint.check.registry import builtin_rules
from vpclint.config import Config, load_config
from vpclint.evaluate import all_frontends
from vpclint.pipeline import RunRequest, run

ROOT = Path(__file__).resolve().parents[2]
FRONT_ENDS = ("terraform", "cloudformation")
EXPECT = re.compile(r"(?:#|//)\s*expect:\s*(?P<items>.+?)\s*$")
ITEM = re.compile(r"^(?P<code>VPC\d{3})(?:\s+(?P<resource>(?:\S+: )?\S+))?$")

Expected = tuple[str, int, str, str | None]  # file, line, code, resource (None: any)


def _case_folders() -> list[Path]:
    return sorted(
        case
        for front_end in FRONT_ENDS
        for code in sorted((ROOT / "fixtures" / front_end / "rules").glob("vpc*"))
        for case in code.iterdir()
        if case.is_dir()
    )


def _inline(path: Path, relative: str) -> list[Expected]:
    found: list[Expected] = []
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECT.search(line)
        if match is None:
            continue
        for item in match["items"].split(","):
            parsed = ITEM.match(item.strip())
            assert parsed is not None, f"{relative}:{number}: malformed expectation {item!r}"
            found.append((relative, number, parsed["code"], parsed["resource"]))
    return found


def _expectations(case: Path) -> list[Expected]:
    found: list[Expected] = []
    for path in sorted(case.rglob("*")):
        relative = path.relative_to(case).as_posix()
        hidden = any(part.startswith(".") for part in Path(relative).parts)
        if not path.is_file() or hidden:  # .vpclint.toml, a stray .vpclint_cache
            continue
        if path.name.endswith(".expect.json"):
            target = relative.removesuffix(".expect.json") + ".json"
            for entry in json.loads(path.read_text(encoding="utf-8")):
                found.append((target, entry["line"], entry["code"], entry.get("resource")))
        elif path.suffix != ".json":
            found.extend(_inline(path, relative))
    return found


@pytest.mark.parametrize(
    "case", _case_folders(), ids=lambda case: "/".join(case.parts[-4:-3] + case.parts[-2:])
)
def test_fixture(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = case.parent.name.upper()
    expected = _expectations(case)
    if case.name.startswith("good"):
        assert not [item for item in expected if item[2] == code], "a good case expects nothing"
    else:
        assert expected, "a bad case must expect at least one finding"
    checked = {code} | {item[2] for item in expected}

    monkeypatch.chdir(case)
    config_file = case / ".vpclint.toml"
    request = RunRequest(
        paths=[Path(".")],
        project_root=case,
        config_file=config_file if config_file.exists() else None,
        environment={},
        config=load_config(config_file) if config_file.exists() else Config(),
    )
    findings = [
        finding
        for finding in run(request, builtin_rules(), all_frontends()).findings
        if finding.code in checked and finding.suppressed is None
    ]

    with_resource = {(f, line, c) for f, line, c, resource in expected if resource is not None}
    reported = Counter(
        (f.file, f.line, f.code, f.resource if (f.file, f.line, f.code) in with_resource else None)
        for f in findings
    )
    assert reported == Counter(expected), "\n".join(
        f"{f.file}:{f.line}: {f.code} {f.message} [{f.resource}]" for f in findings
    )


def test_every_rule_with_infrastructure_code_has_good_and_bad_fixtures() -> None:
    cases = {
        (case.parts[-4], case.parent.name, case.name.split("-")[0]) for case in _case_folders()
    }
    for rule in builtin_rules():
        if rule.code == "VPC901":
            continue  # a crash comes from a broken rule, not from infrastructure code
        for front_end in ("terraform",) if rule.code in TERRAFORM_ONLY_RULES else FRONT_ENDS:
            for kind in ("good", "bad"):
                assert (front_end, rule.code.lower(), kind) in cases, (front_end, rule.code, kind)
