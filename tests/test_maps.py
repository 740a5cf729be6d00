"""Maps: self-contained, escaped, and drawn by a real browser with networking disabled."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import centre, street_row, write_street_csv

from geosafety import assess
from geosafety.outputs import write_assessment

NASTY = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>'


@pytest.fixture(scope="module")
def toy_maps(tmp_path_factory, toy_area):
    tmp = tmp_path_factory.mktemp("maps")
    area = toy_area
    lsoas = area.lsoas.copy()
    lsoas.loc["E01000001", "lsoa21_name"] = NASTY
    wards = area.wards.copy()
    wards.loc["E05000002", "ward_name"] = NASTY
    nasty_area = type(area)(area.name, lsoas, area.lsoas_2011, area.lsoa_lookup, wards,
                            area.postcode_districts, area.vintages)
    rows = [street_row("E01000001", at=centre(0, 1))] * 3 + [
        street_row("E01000002", at=centre(1, 1))]
    result = assess(write_street_csv(tmp / "2025-01-toy-street.csv", rows), area=nasty_area)
    write_assessment(result, tmp / "out", tmp / "maps")
    return tmp / "maps"


def test_maps_need_no_network(toy_maps):
    for page in toy_maps.glob("*.html"):
        text = page.read_text()
        assert not re.search(r'<(script|link)[^>]+(src|href)="https?:', text), page.name
    assert "L.geoJSON" in (toy_maps / "lsoa_all-crime.html").read_text()


def test_map_text_names_period_source_and_vintage(toy_maps):
    text = (toy_maps / "ward_burglary.html").read_text()
    assert "Burglary: rate rank by Ward, Toyton" in text
    assert "January 2025" in text
    assert "police.uk street-level crime" in text
    assert "toy wards" in text


def test_data_text_is_escaped_in_the_page_source(toy_maps):
    text = (toy_maps / "lsoa_all-crime.html").read_text()
    assert NASTY not in text
    assert "onerror" in text  # present only inside JSON strings, escaped


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found and os.environ.get("CI"):
        pytest.fail("chromium is required in CI (.ci/run installs it)")
    return found


def _render(browser: str, page: Path, tmp_path: Path, extra_js: str = "") -> tuple[str, str]:
    if extra_js:
        copy = tmp_path / page.name
        wrapped = f"<script>window.addEventListener('load', function () {{ {extra_js} }});</script>"
        copy.write_text(page.read_text().replace("</html>", wrapped + "</html>"))
        page = copy
    proc = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom",
         page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    return proc.stdout, proc.stderr


def test_browser_draws_every_area_and_runs_no_injected_code(toy_maps, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium not installed (CI installs it)")
    open_tooltips = ("geosafety.areas.eachLayer(function (l) {"
                     " l.openTooltip(l.getBounds().getCenter()); });")
    dom, log = _render(browser, toy_maps / "lsoa_all-crime.html", tmp_path, open_tooltips)
    assert "Uncaught" not in log, log
    assert len(re.findall(r'<path[^>]*class="leaflet-interactive"', dom)) == 4
    assert "<title>All crime: rate rank by LSOA, Toyton</title>" in dom
    assert "pwned" not in dom.split("</title>")[0]
    assert "&lt;img src=x onerror=" in dom  # the name shows as text in tooltip and label
    assert not re.search(r"<img[^>]+onerror", dom)
    assert "1 of 3" in dom and " of 4" not in dom  # D has no residents: not ranked


def test_district_maps_name_their_districts_and_ward_maps_their_wards(toy_maps):
    district = (toy_maps / "postcode_district_all-crime.html").read_text()
    assert '["T1",' in district and '"gs-area-label"]' in district
    assert '"gs-ward-label"]' not in district  # wards are faint dashed context there
    ward = (toy_maps / "ward_all-crime.html").read_text()
    assert '["West",' in ward and '"gs-ward-label"]' in ward
