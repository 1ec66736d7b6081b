"""Inventories: written, validated against the published schema, read back as external networks."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.planning.conftest import subnet, topology, vpc
from vpclint.planning.inventory import (
    InventoryError,
    build_inventory,
    inventory_schema,
    load_inventories,
    read_inventory,
    render_inventory,
    repository_name,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _core_inventory(tmp_path: Path, name: str = "core.json") -> Path:
    app = vpc("aws_vpc.app", "10.10.0.0/16", None, name="app", identities=("vpc-0aa11",))
    shared = vpc("aws_vpc.shared", "10.20.0.0/20", file="shared.tf", line=4)
    external = vpc("vpc-0ffff", "10.99.0.0/16").model_copy(update={"external": True})
    inventory = build_inventory(
        topology(app, shared, external, subnets=(subnet(app, "aws_subnet.a", "10.10.1.0/24"),)),
        "acme/network-core",
    )
    path = tmp_path / name
    path.write_text(render_inventory(inventory), encoding="utf-8")
    return path


def test_written_inventory_matches_the_published_schema(tmp_path: Path) -> None:
    document = json.loads(_core_inventory(tmp_path).read_text())
    jsonschema.validate(document, json.loads((DOCS / "inventory.schema.json").read_text()))
    assert document["format"] == "vpclint-inventory"
    assert document["version"] == 1
    assert document["repository"] == "acme/network-core"
    # Only the repository's own networks: the external one is someone else's to publish.
    assert [network["address"] for network in document["networks"]] == [
        "aws_vpc.app",
        "aws_vpc.shared",
    ]
    app = document["networks"][0]
    assert app["file"] == "network.tf"
    assert app["line"] == 1
    assert app["identities"] == ["vpc-0aa11"]
    assert app["ipv4"] == [
        {"cidr": "10.10.0.0/16", "origin": "primary", "unknown": None},
        {"cidr": None, "origin": "secondary", "unknown": "data source"},
    ]


def test_published_schema_is_the_one_the_reader_enforces() -> None:
    assert json.loads((DOCS / "inventory.schema.json").read_text()) == inventory_schema()


def test_inventory_networks_come_back_external_with_their_repository(tmp_path: Path) -> None:
    networks = load_inventories([_core_inventory(tmp_path)], own_repository="acme/billing")
    assert [network.address for network in networks] == [
        "acme/network-core:aws_vpc.app",
        "acme/network-core:aws_vpc.shared",
    ]
    app = networks[0]
    assert app.external
    assert app.repository == "acme/network-core"
    # Peerings to it are matched by VPC id or by name.
    assert app.identities == ("vpc-0aa11", "app")
    assert [block.cidr for block in app.ipv4_blocks] == ["10.10.0.0/16", None]
    unknown = app.ipv4_blocks[1].unknown
    assert unknown is not None
    assert unknown.reason == "unresolved in acme/network-core: data source"


def test_own_inventory_and_repeated_files_are_skipped(tmp_path: Path) -> None:
    path = _core_inventory(tmp_path)
    assert load_inventories([path], own_repository="acme/network-core") == []
    assert len(load_inventories([path, tmp_path / "." / "core.json"], own_repository=None)) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON"),
        ('{"networks": []}', 'not a vpclint inventory (no "format": "vpclint-inventory")'),
        (
            '{"format": "vpclint-inventory", "version": 2, "repository": "x", "networks": []}',
            "inventory schema version 2 is not supported",
        ),
        (
            '{"format": "vpclint-inventory", "version": 1, "tool": {"version": "1"},'
            ' "repository": "x", "networks": [{"address": "a"}]}',
            "bad inventory at `networks.0.kind`: Field required",
        ),
        (
            '{"format": "vpclint-inventory", "version": 1, "tool": {"version": "1"},'
            ' "repository": "x", "networks": [{"address": "a", "kind": "aws_vpc",'
            ' "provider": "aws", "file": "a.tf", "line": 1, "ipv4": [{"cidr": "10.0.0/16"}]}]}',
            "network a: '10.0.0/16' is not a valid IPv4 or IPv6 CIDR",
        ),
    ],
)
def test_bad_inventories_are_one_line_errors_naming_the_file(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(InventoryError) as raised:
        read_inventory(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def test_missing_inventory_file(tmp_path: Path) -> None:
    with pytest.raises(InventoryError, match="inventory file not found"):
        read_inventory(tmp_path / "nope.json")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("git@github.com:acme/network-core.git", "acme/network-core"),
        ("https://gitlab.example.com/acme/billing", "acme/billing"),
        ("ssh://git@host:2222/team/infra.git/", "team/infra"),
    ],
)
def test_repository_name_comes_from_the_origin_remote(
    tmp_path: Path, url: str, expected: str
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text(
        f'[core]\n\tbare = false\n[remote "origin"]\n\turl = {url}\n'
    )
    (tmp_path / "sub").mkdir()
    assert repository_name(tmp_path / "sub") == expected


def test_repository_name_of_a_worktree_and_without_git(tmp_path: Path) -> None:
    common = tmp_path / "repo.git"
    (common / "worktrees" / "wt").mkdir(parents=True)
    (common / "config").write_text('[remote "origin"]\n\turl = git@h:acme/dns.git\n')
    (common / "worktrees" / "wt" / "commondir").write_text("../..\n")
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / ".git").write_text(f"gitdir: {common / 'worktrees' / 'wt'}\n")
    assert repository_name(checkout) == "acme/dns"
    plain = tmp_path / "plain-folder"
    plain.mkdir()
    assert repository_name(plain) == "plain-folder"


def test_fields_added_within_a_version_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "newer.json"
    path.write_text(
        '{"format": "vpclint-inventory", "version": 1, "tool": {"version": "9"},'
        ' "repository": "x", "generated_by": "ci", "networks": [{"address": "a",'
        ' "kind": "aws_vpc", "provider": "aws", "file": "a.tf", "line": 1, "account": "1234",'
        ' "ipv4": [{"cidr": "10.0.0.0/16", "pool": "ipam"}]}]}'
    )
    (network,) = load_inventories([path], own_repository=None)
    assert [block.cidr for block in network.ipv4_blocks] == ["10.0.0.0/16"]
