"""The command line, run in-process."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from conftest import DATA

import geosafety
from geosafety.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def shared_default_run(monkeypatch, default_result, default_written):
    """Let the CLI's calls of the default run return the session's one real run.

    Records the arguments the CLI passed, so the tests can check them.
    """
    calls = {}
    folder, written = default_written

    def assess(*args, **kwargs):
        calls["assess"] = (args, kwargs)
        return default_result

    def write_assessment(_result, out_dir, maps_dir, **kwargs):
        calls["write"] = (out_dir, maps_dir, kwargs)
        return written if maps_dir is not None else [
            p for p in written if p.is_relative_to(folder / "out")]

    monkeypatch.setattr(geosafety, "assess", assess)
    monkeypatch.setattr(geosafety, "write_assessment", write_assessment)
    return folder, calls


def test_default_assess_prints_summary_and_reconciliation(tmp_path, shared_default_run):
    folder, calls = shared_default_run
    result = run("assess", "--out-dir", str(tmp_path / "out"), "--maps-dir", str(tmp_path / "m"))
    assert result.exit_code == 0, result.output
    (inputs,), options = calls["assess"]
    # the bundled example's configuration (geosafety/examples/sefton.toml) names every input
    assert inputs.police_uk == [geosafety.get_path("police_uk_2025")]
    assert inputs.marac == [geosafety.get_path("synthetic_marac")]
    assert inputs.trend == [geosafety.get_path("police_uk_2018_2021"),
                            geosafety.get_path("police_uk_2025")]
    assert options["examples"] is None and options["area"].name == "Sefton"
    assert options["period"] == "2025" and options["options"] == geosafety.Options()
    assert calls["write"][:2] == (tmp_path / "out", tmp_path / "m")
    out = result.output
    assert "geosafety assessment: Sefton, January to December 2025 (period 2025)" in out
    assert "Files read: 12 (2025-01 to 2025-12); LSOA codes: 2021 in 12 file(s)" in out
    assert "Records read: 24,064" in out
    assert "All crime                       21,699    21,699    21,699     21,699  yes" in out
    assert "Wrote 5 interactive maps (every layer in each) and an index" in out
    # 26 categories, 3 NTE, 7 fly-tipping, and 2 categories zoomed to each of 3 localities
    assert "Wrote 42 print-ready figures (PNG) to" in out
    assert "Wrote the assessment report (HTML, opens offline): " in out
    assert "Time of day (Police force crime extract (SYNTHETIC example data" in out
    assert "night-time premises on the maps: 64" in out
    assert "MARAC cases (SYNTHETIC): 537 records" in out
    assert "disclosure control:" in out
    maps = folder / "maps"
    assert (maps / "index.html").exists()
    assert (maps / "figures" / "lsoa_violence-and-sexual-offences.png").exists()
    assert (maps / "figures" / "ward_marac-cases_SYNTHETIC.png").exists()
    assert not list(maps.rglob("*.svg"))  # SVG only when asked (--formats png,svg)
    assert (folder / "out" / "measures_postcode_district.csv").exists()
    assert (maps / "figures" / "lsoa_violence-and-criminal-damage-18-00-03-59_SYNTHETIC.png"
            ).exists()


def test_mixed_file_reports_records_outside_the_area(tmp_path):
    result = run("assess", "--area", "sefton", "--data",
                 str(DATA / "2025-01-merseyside-street_sample.csv"), "--no-maps", "--out-dir",
                 str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "kept: 30" in result.output
    assert ("excluded, outside the study area: 68 [68 records (Knowsley 15, Liverpool 15, "
            "St. Helens 15, Wirral 15") in result.output
    assert "period 2025-01" in result.output


def test_file_with_no_records_in_the_area_exits_2_with_a_report(tmp_path):
    result = CliRunner().invoke(main, [
        "assess", "--area", "Sefton", "--data",
        str(DATA / "2025-01-merseyside-street_no-sefton.csv"), "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "Nothing to assess: None of the 40 records falls inside Sefton" in result.output
    assert ("The records are in Knowsley 35, Cheshire West and Chester 3, Halton 2: choose the "
            "study area with --area, e.g. --area 'Knowsley'.") in result.output
    assert not (tmp_path / "out").exists()


def test_bad_file_exits_2_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text((DATA / "2025-01-merseyside-street_sample.csv").read_text()
                   .replace("2025-01", "2025-1", 1))
    result = CliRunner().invoke(main, ["assess", "--data", str(bad), "--out-dir",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "column 'Month': row 2 has '2025-1'" in result.output
    assert "Nothing was written." in result.output
    assert not (tmp_path / "out").exists()


def test_bad_period_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["assess", "--period", "2025Q7", "--out-dir",
                                       str(tmp_path)])
    assert result.exit_code == 2
    assert "Period '2025Q7' is not recognised" in result.output


def test_the_default_run_writes_into_the_current_folder(tmp_path, monkeypatch,
                                                         shared_default_run):
    from pathlib import Path

    _, calls = shared_default_run
    monkeypatch.chdir(tmp_path)
    result = run("assess", "--quiet")
    assert result.exit_code == 0, result.output
    assert calls["write"][:2] == (Path("output"), Path("maps"))
    assert (tmp_path / "output" / "manifest.json").exists()


def test_quiet_prints_one_line(tmp_path, shared_default_run):
    folder, calls = shared_default_run  # the session's files stand for those written
    result = run("assess", "-q", "--no-maps", "--by", "quarter", "--out-dir", str(tmp_path))
    assert result.output.strip() == (
        f"Done: 24,064 of 24,064 records kept; 67 table files in {folder / 'out'}/, "
        f"67 plots; report in {folder / 'out' / 'report'}/")
    assert calls["assess"][1]["by"] == "quarter" and calls["assess"][1]["progress"] is False
    assert calls["write"][1] is None


def test_datasets_lists_bundled_files():
    result = run("datasets")
    assert "police_uk_2025" in result.output and "lsoa21" in result.output


def test_partner_files_counts_and_column_mapping(tmp_path):
    marac = tmp_path / "marac.csv"
    marac.write_text("When,Who,Home\n" + "".join(
        f"0{1 + i % 9}/03/2025,P{i},L20 3AB\n" for i in range(12)))
    counts = tmp_path / "cjit_by_ward.csv"
    counts.write_text("Ward,Clients\nLinacre,12\nDerby,<5\nFord,9\n")
    mapping = tmp_path / "columns.toml"
    mapping.write_text('[marac]\ndate = "When"\nclient_id = "Who"\npostcode = "Home"\n')
    result = run("assess", "--area", "Sefton", "--data",
                 str(DATA / "2025-01-merseyside-street_sample.csv"), "--period", "2025-01:2025-03",
                 "--marac", str(marac), "--counts", f"cjit:ward:{counts}",
                 "--columns", str(mapping), "--no-maps", "--out-dir", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "MARAC cases: 12 records; placed in LSOAs 12, Wards 12, Postcode districts 12" in (
        result.output)
    assert "note: CJIT clients: 19 wards not in the table were taken as 0" in result.output
    assert "fire" not in result.output.lower().split("cjit")[0].split("marac")[0]
    ward = (tmp_path / "out" / "cjit_measures_ward.csv").read_text()
    assert "Linacre" in ward and ",12," in ward
    assert not (tmp_path / "out" / "fire_SYNTHETIC_measures_ward.csv").exists()


def test_partner_records_outside_the_period_are_reported(tmp_path):
    # A partner file with nothing in the period is left out with a warning the summary shows,
    # never published as a layer of zeros.
    marac = tmp_path / "marac.csv"
    marac.write_text("Date,Postcode\n" + "05/03/2025,L20 3AB\n" * 6)
    result = run("assess", "--area", "Sefton", "--data",
                 str(DATA / "2025-01-merseyside-street_sample.csv"), "--marac", str(marac),
                 "--no-maps", "--out-dir", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert ("\n  - MARAC layer left out: No MARAC case records fall in the period 2025-01 "
            "(January 2025); the data covers 2025-03 to 2025-03.") in result.output
    assert not list((tmp_path / "out").glob("marac*"))


def test_bad_counts_option_exits_2():
    result = CliRunner().invoke(main, ["assess", "--counts", "cjit:street:x.csv"])
    assert result.exit_code == 2
    assert "expected KIND:LEVEL:FILE" in result.output


def test_bad_nte_hours_are_refused_before_any_work(tmp_path):
    result = CliRunner().invoke(main, ["assess", "--nte-hours", "18-24", "--out-dir",
                                       str(tmp_path)])
    assert result.exit_code == 2
    assert "expected FIRST-LAST hours 0-23, e.g. 18-3" in result.output


def test_bad_force_extract_writes_nothing(tmp_path):
    bad = tmp_path / "force.csv"
    bad.write_text("Crime Reference,Committed From,Offence,Ward\n"
                   "C1,2025-02-30 22:00,Common assault,Linacre\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["assess", "--force", str(bad), "--no-maps",
                                       "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "column 'Committed From': row 2 has '2025-02-30 22:00'" in result.output
    assert "Nothing was written." in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_run_folder_holds_tables_figures_maps_report_and_manifest(tmp_path, monkeypatch,
                                                                   default_result):
    """``--run-folder`` writes one folder named by area and period, every link inside it."""
    monkeypatch.setattr(geosafety, "assess", lambda *_, **__: default_result)
    result = run("assess", "--run-folder", str(tmp_path / "runs"), "-q")
    assert result.exit_code == 0, result.output
    run_dir = tmp_path / "runs" / "sefton_2025"
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["sefton_2025"]
    assert sorted(p.name for p in run_dir.iterdir()) == [
        "figures", "manifest.json", "maps", "report", "tables"]
    assert result.output.strip() == (
        f"Done: 24,064 of 24,064 records kept; 67 table files in {run_dir}/tables/, "
        f"109 figures, 5 maps in {run_dir}/maps/; report in {run_dir}/report/")
    for name in ("figures/lsoa_all-crime.png", "figures/trend_all-crime.png",
                 "figures/locality_crosby-bootle_all-crime.png", "maps/lsoa.html",
                 "tables/measures_lsoa.csv", "report/sefton_2025_assessment.docx"):
        assert (run_dir / name).is_file(), name
    for report in (run_dir / "tables").glob("*.md"):  # every chart a chapter shows is there
        for link in re.findall(r"\]\(([^)]+\.png)\)", report.read_text()):
            assert (report.parent / link).is_file(), (report.name, link)
    page = (run_dir / "report" / "sefton_2025_assessment.html").read_text()
    assert '<a href="../maps/index.html">' in page
    assert "<code>../figures</code>" in (run_dir / "maps" / "index.html").read_text()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert "report/sefton_2025_assessment.html" in manifest["outputs"]
    # a second run replaces the folder; its manifest still compares with the first
    previous = geosafety.read_manifest(run_dir)
    _, again = geosafety.write_manifest(run_dir, written=[], inputs=geosafety.Inputs(),
                                        previous=previous)
    assert again["compared"]["previous_run"] == manifest["created"]
    assert not list((tmp_path / "runs").glob(".geosafety-staging*"))
