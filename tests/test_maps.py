"""Maps: self-contained, one geometry with many layers, escaped, and tested in a real browser
(headless Debian Chromium with networking disabled). Screenshots go to tests/artefacts/."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from conftest import centre, street_row, write_street_csv

from geosafety import DataQualityWarning, assess, write_assessment

NASTY = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>'
ARTEFACTS = Path(__file__).parent / "artefacts"
AREAS = {"lsoa": 4, "ward": 2, "postcode_district": 2}


@pytest.fixture(scope="module")
def toy_maps(tmp_path_factory, toy_area):
    tmp = tmp_path_factory.mktemp("maps")
    area = toy_area
    lsoas = area.lsoas.copy()
    lsoas.loc["E01000001", "lsoa21_name"] = NASTY
    wards = area.wards.copy()
    wards.loc["E05000002", "ward_name"] = NASTY
    nasty_area = type(area)(area.name, lsoas, area.lsoa_lookup, wards,
                            area.postcode_districts, area.vintages)
    # Burglary leads in A (West, T1); drugs only in D (East, T2), so the leading area flips
    # between All crime and Drugs at every level.
    rows = ([street_row("E01000001", at=centre(0, 1))] * 30
            + [street_row("E01000004", at=centre(1, 0), crime_type="Drugs")] * 3)
    with pytest.warns(DataQualityWarning, match="Deprivation and housing chapter left out"):
        result = assess(write_street_csv(tmp / "2025-01-toy-street.csv", rows), area=nasty_area)
    write_assessment(result, tmp / "out", tmp / "maps")
    return tmp / "maps"


def page_data(page: Path) -> dict:
    found = re.search(r"var D = (\{.*?\});\n", page.read_text(), re.DOTALL)
    return json.loads(found.group(1))


def test_one_map_per_level_plus_index_and_figures(toy_maps):
    assert sorted(p.name for p in toy_maps.glob("*.html")) == [
        "index.html", "lsoa.html", "postcode_district.html", "ward.html"]
    figures = sorted(p.name for p in (toy_maps / "figures").iterdir())
    assert figures == ["lsoa_all-crime.png", "lsoa_burglary.png", "lsoa_drugs.png"]
    index = (toy_maps / "index.html").read_text()
    assert 'href="lsoa.html"' in index and "police.uk: Burglary" in index


def test_maps_need_no_network(toy_maps):
    for page in toy_maps.glob("*.html"):
        text = page.read_text()
        assert not re.search(r'<(script|link)[^>]+(src|href)="https?:', text), page.name


def test_geometry_is_embedded_once_with_a_value_column_per_layer(toy_maps):
    data = page_data(toy_maps / "lsoa.html")
    assert len(data["areas"]["features"]) == 4
    assert [layer["name"] for layer in data["layers"]] == ["All crime", "Burglary", "Drugs"]
    allcrime = data["layers"][0]
    codes = [f["properties"]["code"] for f in data["areas"]["features"]]
    values = allcrime["values"]
    row = {name: values[name][codes.index("E01000001")] for name in values}
    # count, rate per 1,000 with its 95% interval (Byar's: 30 (1 - 1/270 - 1.96/(3 sqrt 30))^3
    # = 20.24 and 31 (1 - 1/279 + 1.96/(3 sqrt 31))^3 = 42.83), higher than the area's rate,
    # rank 1, decile 4 (3 ranked), not suppressed; no expected count
    smoothed = row.pop("smoothed")  # spatial empirical Bayes: pulled towards its neighbours
    assert 0 < smoothed < 30
    assert row == {"count": 30, "rate": 30.0, "rate_low": 20.24, "rate_high": 42.83,
                   "compared": "higher", "small": False, "hotspot": "not significant",
                   "rank": 1, "decile": 4, "suppressed": False}
    assert allcrime["confidence"] == "95%"
    assert allcrime["n"] == 3  # D has no residents: not ranked
    assert (toy_maps / "lsoa.html").read_text().count('"type": "Polygon"') == 4 + 2  # + wards


def test_data_text_is_escaped_in_the_page_source(toy_maps):
    text = (toy_maps / "lsoa.html").read_text()
    assert NASTY not in text


BROWSER_CHECK = """
window.addEventListener('load', function () {
  setTimeout(function () {
    var g = window.geosafety, out = {};
    out.paths = document.querySelectorAll('path.leaflet-interactive').length;
    out.points = g.points ? g.points.getLayers().length : 0;
    out.pointsShown = g.points ? g.map.hasLayer(g.points) : false;
    out.before = g.shapes.map(function (s) { return s.options.fillColor; });
    var select = document.getElementById('gs-layer');
    select.value = String(g.data.layers.findIndex(function (l) { return l.name === 'Drugs'; }));
    select.dispatchEvent(new Event('change'));
    out.after = g.shapes.map(function (s) { return s.options.fillColor; });
    out.legend = document.getElementById('gs-legend-items').textContent;
    select.value = '0';
    select.dispatchEvent(new Event('change'));
    var shape = g.shapes[0];
    shape.openTooltip(shape.getBounds().getCenter());
    var tip = document.querySelector('.leaflet-tooltip');
    out.tooltip = tip ? tip.textContent : '';
    out.tooltipImgs = tip ? tip.querySelectorAll('img').length : -1;
    out.found = g.find(g.data.areas.features[1].properties.name);
    out.title = document.title;
    var nte = g.data.layers.findIndex(function (l) { return l.group.indexOf('Night-time') === 0; });
    if (nte >= 0) {
      select.value = String(nte);
      select.dispatchEvent(new Event('change'));
      out.nteShown = g.map.hasLayer(g.points);
      out.nteBanner = document.getElementById('gs-banner').style.display;
      out.nteLegend = document.getElementById('gs-legend-items').textContent;
      out.ntePaths = document.querySelectorAll('path.leaflet-interactive').length;
    }
    var pre = document.createElement('pre');
    pre.id = 'gs-test';
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  }, 200);
});
"""


@pytest.mark.parametrize("level", list(AREAS))
def test_browser_draws_switches_and_escapes(toy_maps, tmp_path, level, run_browser):
    page = tmp_path / f"{level}.html"
    page.write_text((toy_maps / f"{level}.html").read_text().replace(
        "</html>", f"<script>{BROWSER_CHECK}</script></html>"))
    proc = run_browser(page, "--dump-dom")
    errors = [line for line in proc.stderr.splitlines()
              if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)]
    assert not errors, errors
    found = re.search(r'<pre id="gs-test">(.*?)</pre>', proc.stdout, re.DOTALL)
    assert found, proc.stdout[-2000:]
    out = json.loads(html.unescape(found.group(1)))
    assert out["paths"] == AREAS[level]
    assert out["before"] != out["after"]  # All crime -> Drugs re-colours the areas
    assert "Local decile of rate rank" in out["legend"]
    names = {"lsoa": "LSOA", "ward": "Ward", "postcode_district": "Postcode district"}
    assert out["title"] == f"Community safety: rates by {names[level]}, Toyton"
    assert out["tooltipImgs"] == 0  # names with HTML show as text, never as elements
    if level == "lsoa":
        assert NASTY in out["tooltip"]  # shown literally
        assert "Count30" in out["tooltip"]
        assert "30 per 1,000 residents (residents 1,000)" in out["tooltip"]
        assert "Rank (1 = highest)1 of 3" in out["tooltip"]
    if level == "ward":  # West = A + C: 30 crimes, 1,500 residents
        assert "Count30" in out["tooltip"] and "20 per 1,000 residents (residents 1,500)" in (
            out["tooltip"]) and "1 of 2" in out["tooltip"]
    assert out["found"] is True
    ARTEFACTS.mkdir(exist_ok=True)
    shot = ARTEFACTS / f"map_{level}.png"
    run_browser(toy_maps / f"{level}.html", f"--screenshot={shot}")
    assert shot.exists() and shot.stat().st_size > 10_000


@pytest.mark.parametrize(("level", "shapes"), [("lsoa", 191), ("ward", 22),
                                              ("postcode_district", 11)])
def test_real_sefton_maps_in_the_browser(default_outputs, tmp_path, level, shapes,
                                         run_browser):
    _, folder = default_outputs
    source = folder / "maps" / f"{level}.html"
    assert source.stat().st_size < 1_000_000
    page = tmp_path / f"{level}.html"
    page.write_text(source.read_text().replace("</html>", f"<script>{BROWSER_CHECK}</script>"
                                               "</html>"))
    proc = run_browser(page, "--dump-dom")
    errors = [line for line in proc.stderr.splitlines()
              if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)]
    assert not errors, errors
    out = json.loads(html.unescape(re.search(r'<pre id="gs-test">(.*?)</pre>', proc.stdout,
                                             re.DOTALL).group(1)))
    assert out["points"] == 64  # the SYNTHETIC night-time premises
    assert out["pointsShown"] is False and out["paths"] == shapes  # not with police.uk layers
    assert out["nteShown"] is True and out["ntePaths"] == shapes + 64  # with the NTE layers
    assert out["nteBanner"] == "block"
    assert "Night-time premises (SYNTHETIC)" in out["nteLegend"]
    assert out["before"] != out["after"]  # All crime -> Drugs
    assert "police.uk: All crime" in out["tooltip"] and "of " in out["tooltip"]
    data = page_data(source)
    assert len(data["layers"]) == 36  # 15 police.uk, 7 fire, 4 MARAC and CJIT, 3 NTE, 7 fly-tipping
    ARTEFACTS.mkdir(exist_ok=True)
    shot = ARTEFACTS / f"sefton_{level}.png"
    run_browser(source, f"--screenshot={shot}")
    assert shot.stat().st_size > 50_000
