from __future__ import annotations

import io
from pathlib import Path

import pytest

from vpclint.cli import main
from vpclint.config import ConfigError, find_config_file, load_config, project_root_for


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_closest_config_wins_and_vpclint_toml_beats_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.vpclint]\nignore = ["VPC301"]\n')
    inner = tmp_path / "team" / "net"
    inner.mkdir(parents=True)
    (tmp_path / "team" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config_file(inner) == tmp_path / "pyproject.toml"
    (tmp_path / "team" / ".vpclint.toml").write_text('ignore = ["VPC204"]\n')
    (tmp_path / "team" / "pyproject.toml").write_text('[tool.vpclint]\nignore = ["VPC1"]\n')
    found = find_config_file(inner)
    assert found == tmp_path / "team" / ".vpclint.toml"
    assert load_config(found).ignore == ["VPC204"]
    assert project_root_for([inner], found) == (tmp_path / "team").resolve()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('selct = ["VPC2"]\n', "unknown key `selct`"),
        ('reserved-ranges = { onprem = "10.0.0.0/33" }\n', "bad value for `reserved-ranges`"),
        ('exclude = ["[abc"]\n', "bad value for `exclude`"),
        ('fail-on = "sometimes"\n', "bad value for `fail-on`"),
        ('select = ["E501"]\n', "`select` names unknown rule code E501"),
        ('select = ["VPC999"]\n', "`select` names unknown rule code VPC999"),
        ('extend-select = ["VPC9"]\nignore = ["VPC7"]\n', "`ignore` names unknown rule code VPC7"),
        ('ignore = ["VPC2O3"]\n', "bad value for `ignore`: 'VPC2O3' is not a rule code"),
        ('[per-file-ignores]\n"x/*" = ["VPC6"]\n', "`per-file-ignores.'x/*'` names unknown"),
        ("select = [\n", "invalid TOML"),
        ("[rules.VPC103]\nmax-prefx = 12\n", "unknown key `rules.VPC103.max-prefx`"),
        ("[rules.VPC777]\nseverity = 'info'\n", "unknown rule `rules.VPC777`"),
    ],
)
def test_config_errors_exit_2_naming_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / ".vpclint.toml").write_text(text)
    code, out, err = run_cli(str(tmp_path))
    assert code == 2
    assert ".vpclint.toml" in err and expected in err
    assert "Traceback" not in err and out == ""


def test_pyproject_keys_are_named_with_their_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.vpclint]\nfail_on_x = 1\n")
    with pytest.raises(ConfigError, match=r"unknown key `tool\.vpclint\.fail_on_x`"):
        load_config(tmp_path / "pyproject.toml")


def test_missing_path_and_bad_option_exit_2(tmp_path: Path) -> None:
    code, _, err = run_cli(str(tmp_path / "nope"))
    assert code == 2 and "no such file or folder" in err
    code, _, err = run_cli("--format", "xml", str(tmp_path))
    assert code == 2 and "invalid choice: 'xml'" in err
    code, _, err = run_cli("--config", str(tmp_path / "missing.toml"), str(tmp_path))
    assert code == 2 and "config file not found" in err


def test_no_config_ignores_a_broken_file(tmp_path: Path) -> None:
    (tmp_path / ".vpclint.toml").write_text("nonsense = true\n")
    assert run_cli(str(tmp_path))[0] == 2
    assert run_cli("--no-config", str(tmp_path))[0] == 0


@pytest.mark.parametrize(
    ("table", "error"),
    [
        (
            '[rules.VPC204]\nmax-partners = "many"\n',
            "`rules.VPC204.max-partners` must be an integer, not 'many'",
        ),
        (
            "[rules.VPC204]\nmax-partners = 2.5\n",
            "`rules.VPC204.max-partners` must be an integer, not 2.5",
        ),
        (
            "[rules.VPC104]\nmin-utilization = true\n",
            "`rules.VPC104.min-utilization` must be a number, not True",
        ),
    ],
)
def test_a_rule_option_of_the_wrong_type_is_a_configuration_error(
    tmp_path: Path, table: str, error: str
) -> None:
    (tmp_path / ".vpclint.toml").write_text(table)
    (tmp_path / "main.tf").write_text(
        'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n'
    )
    code, out, err = run_cli("--no-cache", str(tmp_path))
    assert code == 2 and out == ""
    assert err.splitlines() == [f"vpclint: error: {tmp_path / '.vpclint.toml'}: {error}"]


def test_a_number_option_takes_an_integer(tmp_path: Path) -> None:
    (tmp_path / ".vpclint.toml").write_text("[rules.VPC104]\nmin-utilization = 1\n")
    (tmp_path / "main.tf").write_text(
        'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n'
    )
    code, _, err = run_cli("--no-cache", "--select", "VPC104", str(tmp_path))
    assert code in (0, 1) and err == ""
