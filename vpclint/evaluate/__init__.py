"""The front ends, in the order the pipeline asks them about a file.

Terraform comes first: it claims ``.json`` files only when they are Terraform plans, and
CloudFormation gets every other ``.json``/``.yaml`` file to recognise by content.
"""

from __future__ import annotations

from vpclint.evaluate.contract import FrontEnd


def all_frontends() -> list[FrontEnd]:
    from vpclint.evaluate.cloudformation.frontend import CloudFormationFrontEnd
    from vpclint.evaluate.terraform.frontend import TerraformFrontEnd

    return [TerraformFrontEnd(), CloudFormationFrontEnd()]
