"""## What it does
Reported by the engine, not by a check of its own: a rule raised an exception while checking the
topology. The run goes on with the other rules; the message names the rule that crashed, the
resource it was looking at when vpclint can tell, and the error.

## Why is this bad?
The crashed rule checked nothing from the failing resource on, so its findings are missing from
the report. It is a bug in the rule (built-in or from a rule pack), not in your code: please
report it with the message.

## Example
A rule pack whose check does not expect a network without blocks:

```python
def check(topology, context):
    for network in topology.networks:
        first = network.ipv4_blocks[0]  # IndexError for a GCP network
        ...
```

## Use instead
A rule that handles every shape of the topology, including unknown and missing values:

```python
def check(topology, context):
    for network in topology.networks:
        if not network.ipv4_blocks:
            continue
        first = network.ipv4_blocks[0]
        ...
```

## Options
None. Like every rule it can be ignored (`ignore = ["VPC901"]`), which hides crashes from the
report but does not make the crashed rule's findings appear.

## References
- [vpclint rule API (`vpclint.api`)](https://github.com/vpclint/vpclint/blob/main/vpclint/api/__init__.py)
"""

from __future__ import annotations

from vpclint.api import Rule, Severity

RULE = Rule(
    code="VPC901",
    name="rule-crashed",
    severity=Severity.ERROR,
    summary="A rule raised; the run goes on",
    check=None,
    doc=__doc__,
)
