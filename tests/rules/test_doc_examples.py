"""Every rule's documentation runs: its Example triggers the rule, its Use instead does not.

Each code block of the two sections is written to its own project folder (``main.tf`` or
``template.yaml``) and linted through the real pipeline and front ends with every rule enabled.
A ```toml block in the Example section is the configuration both sections are linted with.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.rules import TERRAFORM_ONLY_RULES
from vpclint.check.registry import builtin_rules
from vpclint.config import Config, load_config
from vpclint.docs import doc_sections
from vpclint.evaluate import all_frontends
from vpclint.pipeline import RunRequest, run

BLOCK = re.compile(r"```(hcl|yaml|toml)\n(.*?)```", re.DOTALL)
FILE_NAMES = {"hcl": "main.tf", "yaml": "template.yaml"}
NOT_INFRASTRUCTURE_CODE = {"VPC901"}  # a crash is shown with a rule pack, in Python
# A symlink out of the project is shown as a listing; its Terraform module call runs.
TERRAFORM_ONLY = {"VPC005", *TERRAFORM_ONLY_RULES}


def _cases() -> list[tuple[str, str, str, str, str | None]]:
    cases = []
    for rule in builtin_rules():
        if rule.code in NOT_INFRASTRUCTURE_CODE:
            continue
        sections = doc_sections(rule)
        config = next(
            (body for kind, body in BLOCK.findall(sections["Example"]) if kind == "toml"), None
        )
        for heading in ("Example", "Use instead"):
            for kind, body in BLOCK.findall(sections[heading]):
                if kind in FILE_NAMES:
                    cases.append((rule.code, heading, kind, body, config))
    return cases


def _codes_found(folder: Path) -> list[str]:
    config_file = folder / ".vpclint.toml"
    config = load_config(config_file) if config_file.exists() else None
    request = RunRequest(
        paths=[folder],
        project_root=folder,
        config_file=config_file if config else None,
        environment={},
        config=config or Config(),
    )
    result = run(request, builtin_rules(), all_frontends())
    return [finding.code for finding in result.findings if finding.suppressed is None]


@pytest.mark.parametrize(
    ("code", "heading", "kind", "body", "config"),
    _cases(),
    ids=[f"{case[0]}-{case[1].replace(' ', '_')}-{case[2]}" for case in _cases()],
)
def test_doc_example(
    tmp_path: Path, code: str, heading: str, kind: str, body: str, config: str | None
) -> None:
    (tmp_path / FILE_NAMES[kind]).write_text(body, encoding="utf-8")
    if config is not None:
        (tmp_path / ".vpclint.toml").write_text(config, encoding="utf-8")

    found = _codes_found(tmp_path)

    if heading == "Example":
        assert code in found, f"the Example does not trigger {code}: {found}"
    else:
        assert code not in found, f"Use instead still triggers {code}"


def test_every_rule_with_code_has_both_front_ends_in_its_examples() -> None:
    covered = {(case[0], case[1], case[2]) for case in _cases()}
    for rule in builtin_rules():
        if rule.code in NOT_INFRASTRUCTURE_CODE:
            continue
        kinds = ("hcl",) if rule.code in TERRAFORM_ONLY else ("hcl", "yaml")
        for heading in ("Example", "Use instead"):
            assert {(rule.code, heading, kind) for kind in kinds} <= covered
