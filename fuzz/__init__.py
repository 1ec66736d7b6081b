"""Coverage-guided fuzz targets (atheris), one per parser; not part of the installed package.

Run one with ``python -m fuzz.hcl -max_total_time=600`` (``fuzz.cloudformation``, ``fuzz.tfjson``);
every libFuzzer flag passes through. See :mod:`fuzz.harness` for what counts as a crash.
"""
