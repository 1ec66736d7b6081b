"""Package layout only (metadata lives in pyproject.toml).

The built-in rules live in the top-level folder ``rules/`` but install as ``vpclint.rules``, so that
nothing named plain ``rules`` lands in site-packages.
"""

from setuptools import find_packages, setup

packages = find_packages(include=["vpclint", "vpclint.*"])
packages += ["vpclint.rules", *(f"vpclint.rules.{name}" for name in find_packages("rules"))]

setup(packages=packages, package_dir={"vpclint.rules": "rules"})
