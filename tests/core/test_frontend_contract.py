"""A front end written against evaluate/contract.py alone, with no caching code, gets what the
built-in ones get from the cache layer: a warm run evaluates only the units an edit reaches, and
builds what a cold run builds."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from tests.files import write
from vpclint.discover.sources import SourceText
from vpclint.evaluate.contract import (
    EvaluationSettings,
    ParsedInput,
    Unit,
    Units,
    depend,
    evaluate_parsed,
)
from vpclint.limits import Limits
from vpclint.pipeline import RunRequest, run
from vpclint.topology.models import AddressBlock, Network, SourceLocation, Topology


@dataclass(frozen=True)
class NetFile:
    display: str
    cidr: str


class NetLines:
    """A made-up format: a ``.net.yaml`` file names one network's CIDR; a folder is one unit."""

    name = "netlines"

    def claims(self, path: Path) -> bool:
        return path.name.endswith(".net.yaml")  # discovery reads .yaml

    def parse(self, source: SourceText, limits: Limits) -> NetFile:
        return NetFile(source.display, source.text.strip())

    def summarize(self, parsed: NetFile) -> None:
        return None

    def units(self, files: Sequence[ParsedInput], settings: EvaluationSettings) -> Units:
        folders: dict[str, list[ParsedInput]] = {}
        for parsed in files:
            folders.setdefault(posixpath.dirname(parsed.display), []).append(parsed)

        def evaluate(folder: str) -> list[Network]:
            depend("folder:" + folder)  # a file added to the folder changes the unit
            return [network(parsed.result) for parsed in folders[folder]]

        def assemble(outputs: Sequence[list[Network]]) -> Topology:
            topology = Topology()
            for networks in outputs:
                topology.networks.extend(networks)
            return topology

        def state(name: str) -> Any:
            return sorted(folders.get(name.removeprefix("folder:"), []), key=repr)

        units = [Unit(folder, partial(evaluate, folder)) for folder in sorted(folders)]
        return Units(units, assemble, state=state)


def network(parsed: NetFile) -> Network:
    location = SourceLocation(file=parsed.display)
    return Network(
        key=parsed.display,
        address=parsed.display,
        kind="netlines",
        provider="aws",
        location=location,
        name=parsed.display,
        ipv4_blocks=(AddressBlock(cidr=parsed.cidr, location=location, version=4),),
    )


def lint(root: Path) -> tuple[list[str], dict[str, str | None]]:
    said: list[str] = []
    request = RunRequest(
        paths=[root], project_root=root, cache_dir=root / ".vpclint_cache", verbose=said.append
    )
    topology = run(request, [], frontends=[NetLines()]).topology
    networks = {net.key: net.ipv4_blocks[0].cidr for net in topology.networks}
    return [line for line in said if line.startswith("netlines:")], networks


def test_a_warm_run_evaluates_only_the_units_an_edit_reaches(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"a/one.net.yaml": "10.0.0.0/16\n", "b/two.net.yaml": "10.1.0.0/16\n"})
    cold = {"a/one.net.yaml": "10.0.0.0/16", "b/two.net.yaml": "10.1.0.0/16"}
    assert lint(tmp_path) == (["netlines: 2 units evaluated, 0 reused from the last run"], cold)
    assert lint(tmp_path) == (["netlines: 0 units evaluated, 2 reused from the last run"], cold)

    write(tmp_path, {"a/one.net.yaml": "10.9.0.0/16\n"})
    edited = {**cold, "a/one.net.yaml": "10.9.0.0/16"}
    assert lint(tmp_path) == (["netlines: 1 unit evaluated, 1 reused from the last run"], edited)

    write(tmp_path, {"b/three.net.yaml": "10.2.0.0/16\n"})  # read by no unit, but in b's state
    added = {**edited, "b/three.net.yaml": "10.2.0.0/16"}
    assert lint(tmp_path) == (["netlines: 1 unit evaluated, 1 reused from the last run"], added)


def test_parse_results_in_hand_are_evaluated_without_a_cache(tmp_path: Path) -> None:
    parsed = [NetFile("a/one.net.yaml", "10.0.0.0/16"), NetFile("b/two.net.yaml", "10.1.0.0/16")]
    topology = evaluate_parsed(NetLines(), parsed, EvaluationSettings(project_root=tmp_path))
    assert [net.ipv4_blocks[0].cidr for net in topology.networks] == ["10.0.0.0/16", "10.1.0.0/16"]
