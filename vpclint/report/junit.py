"""JUnit XML, as CI systems show test results: one test suite per file with findings, one
failing test case per finding; a clean run is one passing test case."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from itertools import groupby

from vpclint.report.base import Report


def render_junit(report: Report) -> str:
    active = report.active
    root = ElementTree.Element(
        "testsuites", name="vpclint", tests=str(max(len(active), 1)), failures=str(len(active))
    )
    by_file = groupby(sorted(active, key=lambda finding: finding.sort_key), lambda f: f.file)
    for file, grouped in by_file:
        findings = list(grouped)
        suite = ElementTree.SubElement(
            root, "testsuite", name=file, tests=str(len(findings)), failures=str(len(findings))
        )
        for finding in findings:
            case = ElementTree.SubElement(
                suite,
                "testcase",
                name=f"{finding.code} {finding.name}",
                classname=file,
                file=file,
                line=str(finding.line),
            )
            resource = f" [{finding.resource}]" if finding.resource else ""
            failure = ElementTree.SubElement(
                case, "failure", message=finding.message, type=finding.severity.value
            )
            failure.text = (
                f"{file}:{finding.line}:{finding.column}: {finding.code} "
                f"{finding.message}{resource}"
            )
    if not active:
        suite = ElementTree.SubElement(root, "testsuite", name="vpclint", tests="1", failures="0")
        ElementTree.SubElement(suite, "testcase", name="no problems found", classname="vpclint")
    ElementTree.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + ElementTree.tostring(root, encoding="unicode")
        + "\n"
    )
