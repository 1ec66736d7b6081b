"""What a rule code looks like, for built-in rules and packs alike: capital letters, then digits.

``VPC203`` and a pack's ``ACME001`` are codes; their letters, with or without some leading
digits (``VPC2``, ``ACME``), are prefixes that ``select`` and ``ignore`` accept, and ``ALL``
is every code. One shape everywhere (the command line upper-cases what it is given), so that a
code a pack declares can always be selected, configured and suppressed.
"""

from __future__ import annotations

import re

RULE_CODE = re.compile(r"^[A-Z]+[0-9]+$")
CODE_PREFIX = re.compile(r"^(ALL|[A-Z]+[0-9]*)$")
EXAMPLE = "capital letters then digits, such as VPC203 or ACME001"
