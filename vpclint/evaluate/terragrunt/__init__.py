"""Terragrunt's own evaluation: a unit's ``terragrunt.hcl`` (its includes, locals, functions,
dependencies, inputs and module source), as Terragrunt evaluates it.

:mod:`.config` reads one configuration; :mod:`.units` finds the units of a project and the module
each one runs. The module itself is evaluated by the Terraform evaluator as a root module whose
variables are the unit's ``inputs`` (:meth:`vpclint.evaluate.terraform.project.Project.
evaluate_unit`).
"""
