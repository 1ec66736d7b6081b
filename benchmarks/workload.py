"""The benchmark workload: the shared generator's synthetic repository, and what it must yield.

Shared by ``run.py`` and ``profile_parse.py``. The generator lives outside the project, in the
``shared`` folder beside the project root (``../shared/bench/gen_corpus.py``).
"""

from __future__ import annotations

import ipaddress
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = PROJECT_ROOT / "benchmarks"
DEFAULT_WORK = BENCHMARKS / ".work"
GENERATOR = PROJECT_ROOT.parent / "shared" / "bench" / "gen_corpus.py"
BASE_MODULES = 500
BASE_TEMPLATES = 500

# A config file at the workload's root makes that folder the project root, so the run does not
# climb into whatever repository holds the scratch folder (here: vpclint's own checkout).
PROJECT_CONFIG = "# vpclint benchmark workload: this folder is the project root.\n"

# Ground truth is read from the generated text itself rather than from the generator's index
# rule, so the check still holds if the generator changes which networks collide.
_TF_VARIABLE = re.compile(
    r'variable\s+"(?P<name>vpc_cidr|peer_cidr)"\s*\{[^}]*?default\s*=\s*"(?P<cidr>[^"]+)"'
)
_CFN_VPC_PARAMETER = re.compile(
    r'"?VpcCidr"?\s*:\s*\{?\s*"?Type"?\s*:\s*"String"\s*,?\s*"?Default"?\s*:\s*"(?P<cidr>[^"]+)"'
)
_CFN_PEER_VPC = re.compile(
    r'"?PeerVpc"?\s*:\s*\{?\s*"?Type"?\s*:\s*"AWS::EC2::VPC"\s*,?\s*"?Properties"?\s*:\s*\{?\s*'
    r'"?CidrBlock"?\s*:\s*"(?P<cidr>[^"]+)"'
)
_TF_MODULE_IN_PATH = re.compile(r"(?:^|/)terraform/(?P<unit>mod_\d+)/")
_CFN_TEMPLATE_IN_PATH = re.compile(r"(?:^|/)cloudformation/(?P<unit>net_\d+)\.")


class WorkloadError(Exception):
    """The workload cannot be generated or does not look like the generator's output."""


@dataclass(frozen=True)
class Workload:
    """One generated repository: where it is, its size, and the overlaps it holds."""

    scale: int
    root: Path
    modules: int
    templates: int
    terraform_files: int
    terraform_bytes: int
    cloudformation_files: int
    cloudformation_bytes: int
    expected_overlaps: frozenset[tuple[str, str]]  # ("terraform", "mod_0009"), ...
    manifest_overlaps: dict[str, int]
    # Deliberate overlaps whose shared CIDR is not a valid block (the generator's address plan
    # holds 2,048 networks per side; beyond that it writes 10.256.x.x): vpclint must report
    # those as invalid CIDRs, not as overlaps, so they are not expected as VPC203.
    invalid_overlaps: frozenset[tuple[str, str]] = frozenset()
    # Terraform networks whose block equals a CloudFormation network's (same overflow).
    cross_side_collisions: int = 0

    @property
    def terraform(self) -> Path:
        return self.root / "terraform"

    @property
    def cloudformation(self) -> Path:
        return self.root / "cloudformation"

    def terraform_sources(self) -> list[Path]:
        return sorted(self.terraform.rglob("*.tf"))

    def cloudformation_sources(self) -> list[Path]:
        return sorted(path for path in self.cloudformation.iterdir() if path.is_file())


def generator_available() -> bool:
    return GENERATOR.is_file()


def generate(scale: int, work: Path = DEFAULT_WORK) -> Workload:
    """Write a fresh workload of ``scale`` x (500 modules + 500 templates) under ``work``."""
    root = work / f"workload-{scale}x"
    if root.exists():
        shutil.rmtree(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        str(GENERATOR),
        str(root),
        "--modules",
        str(BASE_MODULES * scale),
        "--templates",
        str(BASE_TEMPLATES * scale),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise WorkloadError(f"{GENERATOR.name} failed: {completed.stderr.strip()[-500:]}")
    (root / ".vpclint.toml").write_text(PROJECT_CONFIG, encoding="utf-8")
    return load(scale, root)


def load(scale: int, root: Path) -> Workload:
    manifest = json.loads((root / "MANIFEST.json").read_text(encoding="utf-8"))
    networks = _networks(root)
    deliberate = {unit for unit, (own, peer) in networks.items() if own == peer}
    invalid = {unit for unit in deliberate if not _valid_block(networks[unit][0])}
    counts = {
        side: sum(1 for kind, _ in deliberate if kind == side)
        for side in ("terraform", "cloudformation")
    }
    declared = {side: int(count) for side, count in manifest["peered_overlaps"].items()}
    if counts != declared:
        raise WorkloadError(
            f"the files hold {counts} peered overlaps but MANIFEST.json declares {declared}; "
            "has the generator's output format changed?"
        )
    tf_files = sorted((root / "terraform").rglob("*.tf"))
    cfn_files = sorted(p for p in (root / "cloudformation").iterdir() if p.is_file())
    return Workload(
        scale=scale,
        root=root,
        modules=int(manifest["modules"]),
        templates=int(manifest["templates"]),
        terraform_files=len(tf_files),
        terraform_bytes=sum(path.stat().st_size for path in tf_files),
        cloudformation_files=len(cfn_files),
        cloudformation_bytes=sum(path.stat().st_size for path in cfn_files),
        expected_overlaps=frozenset(deliberate - invalid),
        manifest_overlaps=declared,
        invalid_overlaps=frozenset(invalid),
        cross_side_collisions=_cross_side_collisions(networks),
    )


def _networks(root: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """Each module's and template's own CIDR and its peer's CIDR, read from the files."""
    networks: dict[tuple[str, str], tuple[str, str]] = {}
    for module in sorted((root / "terraform").iterdir()):
        text = (module / "variables.tf").read_text(encoding="utf-8")
        defaults = {match["name"]: match["cidr"] for match in _TF_VARIABLE.finditer(text)}
        if len(defaults) != 2:
            raise WorkloadError(f"{module}/variables.tf: vpc_cidr/peer_cidr defaults not found")
        networks[("terraform", module.name)] = (defaults["vpc_cidr"], defaults["peer_cidr"])
    for template in sorted((root / "cloudformation").iterdir()):
        text = template.read_text(encoding="utf-8")
        own = _CFN_VPC_PARAMETER.search(text)
        peer = _CFN_PEER_VPC.search(text)
        if own is None or peer is None:
            raise WorkloadError(f"{template}: VpcCidr default or PeerVpc block not found")
        networks[("cloudformation", template.name.split(".")[0])] = (own["cidr"], peer["cidr"])
    return networks


def _valid_block(cidr: str) -> bool:
    try:
        ipaddress.ip_network(cidr)
    except ValueError:
        return False
    return True


def _cross_side_collisions(networks: dict[tuple[str, str], tuple[str, str]]) -> int:
    cloudformation = {own for (side, _), (own, _) in networks.items() if side == "cloudformation"}
    return sum(
        1
        for (side, _), (own, _) in networks.items()
        if side == "terraform" and own in cloudformation
    )


def unit_of(path: str) -> tuple[str, str] | None:
    """The module or template a reported file belongs to: ("terraform", "mod_0009")."""
    posix = path.replace("\\", "/")
    match = _TF_MODULE_IN_PATH.search(posix)
    if match:
        return ("terraform", match["unit"])
    match = _CFN_TEMPLATE_IN_PATH.search(posix)
    if match:
        return ("cloudformation", match["unit"])
    return None
