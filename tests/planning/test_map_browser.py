"""The HTML map in a real headless browser (Debian's chromium driven by Playwright).

Skipped only on a developer machine without chromium; in CI (CI=true) a missing browser fails,
since .ci/install-system-packages installs it.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.planning.conftest import subnet, topology, vpc
from vpclint.cli import main
from vpclint.planning.addressmap import build_map
from vpclint.planning.html import render_map_html

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.slow


def _browser_or_skip() -> Any:
    in_ci = os.environ.get("CI", "").lower() == "true"
    executable = CHROMIUM if CHROMIUM.exists() else None
    if executable is None and shutil.which("chromium"):
        executable = Path(str(shutil.which("chromium")))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci:
            pytest.fail("playwright is not installed (it is in the test extra)")
        pytest.skip("playwright is not installed: pip install -e '.[test]'")
    if executable is None:
        if in_ci:
            pytest.fail("chromium is missing in CI: .ci/install-system-packages should install it")
        pytest.skip("chromium not installed (apt-get install chromium) and not in CI")
    return sync_playwright, executable


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright, executable = _browser_or_skip()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(executable), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


def _page_of(browser: Any, html: str, folder: Path) -> tuple[Any, list[str]]:
    target = folder / "map.html"
    target.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(target.as_uri())
    page.wait_for_load_state("load")
    return page, requests


def test_map_page_draws_networks_subnets_free_space_and_overlaps(
    browser: Any, tmp_path: Path
) -> None:
    app = vpc("aws_vpc.app", "10.10.0.0/16", "10.11.0.0/24", name="app", line=7)
    shared = vpc("aws_vpc.shared", "10.10.128.0/20", line=40)
    subnets = (
        subnet(app, "aws_subnet.a", "10.10.0.0/24"),
        subnet(app, "aws_subnet.b", "10.10.1.0/24"),
        subnet(app, "aws_subnet.b_copy", "10.10.1.0/24"),
        subnet(app, "aws_subnet.batch", "10.20.0.0/24"),
        subnet(app, "aws_subnet.secondary", "10.11.0.0/25"),
    )
    page, requests = _page_of(
        browser, render_map_html(build_map(topology(app, shared, subnets=subnets))), tmp_path
    )
    sections = page.locator("section.network")
    assert sections.count() == 2
    assert sections.nth(0).get_attribute("data-address") == "aws_vpc.app"
    app_band = sections.nth(0).locator("svg.band")
    assert app_band.locator("rect.block").count() == 2  # the /16 and the secondary /24
    assert app_band.locator("rect.subnet").count() == 5
    assert app_band.locator("rect.subnet.overlap").count() == 2
    assert app_band.locator("rect.subnet.outside").count() == 1
    assert app_band.locator("rect.free").count() == 8
    assert app_band.locator("rect.network-overlap").count() == 1
    assert app_band.locator("rect.block.overlap").count() == 1
    shared_band = sections.nth(1).locator("svg.band")
    assert shared_band.locator("rect.network-overlap").count() == 1
    assert shared_band.locator("rect.free").count() == 1

    # Every drawn range is visible at its place: the free /17 takes the right half of the /16.
    block_box = app_band.locator("rect.block").first.bounding_box()
    free_box = app_band.locator(
        'rect.free:has(title:text-is("free 10.10.128.0/17"))'
    ).bounding_box()
    assert block_box is not None and free_box is not None
    assert free_box["width"] == pytest.approx(block_box["width"] / 2, rel=0.02)
    assert free_box["x"] == pytest.approx(block_box["x"] + block_box["width"] / 2, rel=0.02)

    # Hover shows the details of a subnet.
    details = page.locator("#details")
    assert not details.is_visible()
    app_band.locator("rect.subnet.outside").hover()
    assert details.is_visible()
    assert "aws_subnet.batch" in details.inner_text()
    assert "outside every block of the network" in details.inner_text()

    page.screenshot(path=str(tmp_path / "map.png"), full_page=True)
    assert (tmp_path / "map.png").stat().st_size > 10_000
    # Self-contained: the page itself is the only thing the browser loaded.
    assert requests == [(tmp_path / "map.html").as_uri()]
    page.close()


def test_empty_map_page(browser: Any, tmp_path: Path) -> None:
    page, _ = _page_of(browser, render_map_html(build_map(topology())), tmp_path)
    assert page.locator("section.network").count() == 0
    assert page.locator("p.empty").inner_text() == "No networks found."
    page.close()


def test_demo_map_page(browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    target = tmp_path / "demo.html"
    out, err = io.StringIO(), io.StringIO()
    assert (
        main(
            ["map", "--format", "html", "-o", str(target), "--no-cache", "fixtures/demo"], out, err
        )
        == 0
    )
    page, requests = _page_of(browser, target.read_text(encoding="utf-8"), tmp_path)
    sections = page.locator("section.network")
    assert sections.count() == 8
    app = page.locator('section.network[data-address="aws_vpc.app"]')
    assert app.locator("rect.subnet").count() == 7
    assert app.locator("rect.subnet.outside").count() == 1
    assert app.locator("rect.network-overlap").count() == 1
    data = page.locator('section.network[data-address="DataVpc"]')
    assert data.locator("rect.subnet.overlap").count() == 2
    assert page.locator("section.network.has-overlap").count() == 5
    data.locator("rect.subnet.overlap").first.hover()
    assert "overlaps" in page.locator("#details").inner_text()
    page.screenshot(path=str(tmp_path / "demo.png"), full_page=True)
    assert (tmp_path / "demo.png").stat().st_size > 10_000
    assert requests == [(tmp_path / "map.html").as_uri()]
    page.close()
