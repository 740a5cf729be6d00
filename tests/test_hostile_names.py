"""Data-borne text cannot run in any output (issue 14, part 5).

Every free-text field of every source is given markup that would run if an output wrote it
as-is: police.uk crime type, location, LSOA name, outcome and context; the fire property
type; the force extract's offence; premises names and descriptions; the category of a
table of counts. The whole assessment is then written, maps included, and every written
Markdown, HTML, SVG, JSON and CSV file is searched for the markup.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from geosafety.io import get_path

ROOT = Path(__file__).parents[1]
SCRIPT = "<script>alert('geosafety')</script>"
IMAGE = "<img src=x onerror=alert(1)>"
#: What must never appear in a written file: the markup as a reader's browser would run it.
LIVE = ("<script>alert", "<img src=x", "onerror=alert(1)>")
#: Text a spreadsheet would run as a formula.
FORMULA = "=HYPERLINK(\"http://example.invalid\",\"click\")"


def _police_uk(folder: Path) -> Path:
    march = get_path("police_uk_2025") / "2025-03" / "2025-03-merseyside-street.csv.gz"
    sefton = pd.read_csv(march, dtype=str, keep_default_na=False)
    crimes = sefton.index[sefton["Crime ID"].ne("")]
    sefton.loc[crimes[:40], "Crime type"] = f"Other crime {SCRIPT}"
    sefton.loc[crimes[40:80], "Crime type"] = FORMULA
    sefton.loc[crimes[:200], "Location"] = f"On or near {IMAGE}"
    sefton.loc[crimes[:200], "Last outcome category"] = SCRIPT
    sefton.loc[crimes[:200], "Context"] = IMAGE
    sefton.loc[sefton.index[:300], "LSOA name"] = f"Sefton {SCRIPT}"
    path = folder / "police" / "2025-03-merseyside-street.csv"
    path.parent.mkdir()
    sefton.to_csv(path, index=False)
    return path.parent


def _partners(folder: Path) -> dict[str, Path]:
    synthetic = ROOT / "data" / "synthetic"
    fire = pd.read_csv(synthetic / "SYNTHETIC_fire_incidents_sefton_2025.csv", dtype=str)
    fire.loc[:100, "PropertyType"] = f"Dwelling {IMAGE}"
    force = pd.read_csv(synthetic / "SYNTHETIC_force_crime_sefton_2025.csv.gz", dtype=str,
                        keep_default_na=False)
    offence = next(c for c in force.columns if "offence" in c.lower())
    force.loc[:300, offence] = force.loc[:300, offence] + f" {SCRIPT}"
    premises = pd.read_csv(synthetic / "SYNTHETIC_nte_premises_sefton.csv", dtype=str)
    premises["Organisation Name"] = f"SYNTHETIC bar {IMAGE}"
    premises["Classification Description"] = f"Public house {SCRIPT}"
    counts = pd.DataFrame({"Ward": ["Linacre", "Derby", "Litherland"], "Clients": [12, 9, 7],
                           "Measure": [f"CJIT clients {SCRIPT}"] * 3})
    paths = {"fire": folder / "SYNTHETIC_fire.csv", "force": folder / "SYNTHETIC_force.csv",
             "premises": folder / "SYNTHETIC_premises.csv",
             "counts": folder / "SYNTHETIC_cjit_by_ward.csv"}
    for key, frame in (("fire", fire), ("force", force), ("premises", premises),
                       ("counts", counts)):
        frame.to_csv(paths[key], index=False)
    return paths


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from geosafety.cli import main

    folder = tmp_path_factory.mktemp("hostile")
    police = _police_uk(folder)
    partners = _partners(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = CliRunner().invoke(main, [
            "assess", "--data", str(police), "--area", "Sefton", "--no-examples",
            "--fire", str(partners["fire"]), "--force", str(partners["force"]),
            "--premises", str(partners["premises"]),
            "--counts", f"cjit:ward:{partners['counts']}",
            "--out-dir", str(folder / "out"), "--maps-dir", str(folder / "maps"),
            "--formats", "png,svg"])
    assert result.exit_code == 0, result.output[-3000:]
    return folder


def _files(folder: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in suffixes and p.is_file()
                  and p.parent.name != "police")


def test_the_hostile_text_reached_the_outputs(written):
    """The test means something only if the text got through to the written files."""
    tables = " ".join(p.read_text(encoding="utf-8") for p in _files(written / "out", ".csv"))
    assert SCRIPT in tables  # a CSV is data: kept as given (only formulas are made inert)
    markdown = " ".join(p.read_text(encoding="utf-8") for p in _files(written, ".md"))
    assert "alert('geosafety')" in markdown
    maps = " ".join(p.read_text(encoding="utf-8") for p in _files(written / "maps", ".html"))
    assert "alert('geosafety')" in maps.replace("\\u0027", "'")  # crime type, in the data
    assert "onerror=alert(1)" in maps  # premises names, in the popups
    figures = " ".join(p.read_text(encoding="utf-8") for p in _files(written, ".svg"))
    assert "alert(" in figures


@pytest.mark.parametrize("suffix", [".md", ".html", ".svg", ".json"])
def test_no_written_file_holds_live_markup(written, suffix):
    files = _files(written, suffix)
    assert files, f"no {suffix} files were written"
    for path in files:
        text = path.read_text(encoding="utf-8")
        for live in LIVE:
            assert live not in text, f"{path.relative_to(written)} holds {live!r}"


def test_no_table_cell_would_run_as_a_spreadsheet_formula(written):
    files = _files(written / "out", ".csv")
    for path in files:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        cells = table.stack()
        running = cells[cells.str.match(r"^[=+@\t\r]") | cells.str.match(r"^-[^0-9.]")]
        assert running.empty, f"{path.name}: {running.head(3).tolist()}"
    assert any("'=HYPERLINK" in p.read_text(encoding="utf-8") for p in files)
