"""Any English authority: building every study area, naming areas, several areas and their
comparison, and the clear errors when data and area do not match."""

from __future__ import annotations

import json
import re
from hashlib import sha256

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import DATA

import geosafety
from geosafety.cli import main
from geosafety.geography import StudyArea, authorities, find_authorities
from geosafety.io import get_path

CHECKS = pd.read_csv(DATA / "checks_per_lad_england.csv").set_index("lad25_code")
MERSEYSIDE = DATA / "2025-01-merseyside-street.csv.gz"


def test_every_authority_builds_from_the_bundled_reference():
    totals = {"lsoas": 0, "wards": 0, "residents": 0}
    for code in authorities().index:
        area = StudyArea.for_authority(code)
        check = CHECKS.loc[code]
        assert len(area.lsoas) == check["lsoa21_in_bestfit_lookup"], area.name
        assert area.lsoas["residents"].sum() == check["census2021_residents"], area.name
        assert len(area.wards) == check["wd25_polygons"], area.name
        assert set(area.lsoas["ward_code"]) <= set(area.wards.index), area.name
        assert area.lsoas["postcode_district"].isin(area.postcode_districts.index).all()
        assert area.postcode_districts["n_lsoas"].sum() == len(area.lsoas), area.name
        assert area.areas("ward")["residents"].sum() == check["census2021_residents"]
        totals["lsoas"] += len(area.lsoas)
        totals["wards"] += len(area.wards)
        totals["residents"] += int(area.lsoas["residents"].sum())
    # England: 33,755 LSOAs, 6,826 wards (May 2025), 56,490,108 usual residents (Census 2021).
    assert totals == {"lsoas": 33_755, "wards": 6_826, "residents": 56_490_108}


def test_wards_without_a_best_fit_lsoa_are_mapped_with_no_population():
    liverpool = StudyArea.for_authority("Liverpool")
    wards = liverpool.areas("ward")
    assert wards.loc["E05015332", "area_name"] == "Waterfront North"
    assert wards.loc["E05015332", "residents"] == 0
    assert liverpool.wards_without_lsoas == ["Waterfront North"]
    assert len(StudyArea.for_authority("City of London").wards_without_lsoas) == 20


@pytest.mark.parametrize(("name", "code"), [
    ("Wirral", "E08000015"), ("wirral", "E08000015"), ("St Helens", "E08000013"),
    ("ST. HELENS", "E08000013"), ("Brighton & Hove", "E06000043"),
    ("Brighton and Hove", "E06000043"), ("Kingston upon Hull", "E06000010"),
    ("e08000015", "E08000015"), ("Barnsley", "E08000038")])
def test_area_names_are_forgiving(name, code):
    assert find_authorities(name) == [code]


def test_a_force_area_stands_for_its_authorities_and_misspellings_get_suggestions():
    assert authorities().loc[find_authorities("Merseyside"), "lad_name"].tolist() == [
        "Knowsley", "Liverpool", "St. Helens", "Sefton", "Wirral"]
    with pytest.raises(geosafety.UnknownAreaError, match=r"called 'Wirall'\. Closest: Wirral "
                                                         r"\(E08000015\)"):
        find_authorities("Wirall")
    with pytest.raises(geosafety.UnknownAreaError, match="covers 5 local authorities"):
        StudyArea.for_authority("Merseyside")


@pytest.fixture(scope="module")
def merseyside():
    return geosafety.assess_areas(MERSEYSIDE, areas=["Merseyside"])


def test_merseyside_in_one_run_matches_an_independent_count(merseyside):
    raw = pd.read_csv(MERSEYSIDE, dtype=str)
    lsoas = pd.read_parquet(get_path("england_lsoa21_table")).set_index("lsoa21_code")
    raw["lad"] = raw["LSOA code"].map(lsoas["lad_code"])
    asb = raw["Crime type"] == "Anti-social behaviour"
    expected = {code: (int((~asb & (raw["lad"] == code)).sum()),
                       int((asb & (raw["lad"] == code)).sum()))
                for code in find_authorities("Merseyside")}
    found = {}
    for result in merseyside.assessments:
        totals = result.reconciliation.set_index("category")["records"]
        found[result.area.code] = (int(totals["All crime"]),
                                   int(totals["Anti-social behaviour"]))
        assert result.reconciliation["reconciles"].all()
    assert found == expected
    # Checked figures for January 2025 (all crime, ASB).
    assert found == {"E08000011": (961, 129), "E08000012": (4639, 553),
                     "E08000013": (1205, 134), "E08000014": (1616, 154),
                     "E08000015": (1568, 225)}


def test_the_comparison_ranks_authorities_against_the_force_area(merseyside):
    table = merseyside.comparison.table
    crime = table[table["category"] == "All crime"].set_index("area_name")
    assert crime.loc["Merseyside", "area_type"] == "Police force area"
    assert crime.loc["Merseyside", "count"] == 961 + 4639 + 1205 + 1616 + 1568
    assert crime.loc["Liverpool", "rank"] == 1 and crime.loc["Liverpool", "n_areas"] == 5
    force_rate = crime.loc["Merseyside", "count"] / crime.loc["Merseyside", "residents"] * 1000
    assert crime.loc["Wirral", "rate_ratio_to_force"] == pytest.approx(
        crime.loc["Wirral", "rate"] / force_rate)
    assert crime.loc["Wirral", "residents"] == 320_168
    assert "records have no LSOA code" not in " ".join(merseyside.comparison.notes)


def test_several_areas_are_written_each_in_its_own_folder(tmp_path, merseyside):
    written = geosafety.write_areas(merseyside.assessments[:2], merseyside.comparison,
                                    tmp_path / "out", None)
    assert (tmp_path / "out" / "knowsley" / "measures_ward.csv").exists()
    assert (tmp_path / "out" / "liverpool" / "metadata.json").exists()
    meta = json.loads((tmp_path / "out" / "liverpool" / "metadata.json").read_text())
    assert meta["study_area"] == "Liverpool"
    report = (tmp_path / "out" / "comparison" / "comparison.md").read_text()
    found = re.search(r"Liverpool: All crime ([\d.]+) per 1,000 residents \(95% CI ([\d.]+) to "
                      r"([\d.]+); 4,639 records\), rank 1 of 5 authorities; [\d.]+ times "
                      r"Merseyside police force area's rate \([\d.]+\), significantly higher",
                      report)
    assert found, report
    rate, low, high = (float(v) for v in found.groups())
    assert low < rate < high and high - low < 0.1 * rate
    assert all(p.exists() for p in written)
    assert not list(tmp_path.glob("out/.geosafety-staging-*"))


def test_dask_tasks_write_what_the_serial_run_writes(tmp_path, merseyside):
    """Two authorities as Dask tasks on a local cluster: their tables equal the serial run's."""
    result = CliRunner().invoke(main, [
        "assess", "--data", str(MERSEYSIDE), "--area", "Knowsley", "--area", "St Helens",
        "--no-maps", "--workers", "2", "--run-folder", str(tmp_path / "runs"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "Done: 2 authorities written to" in result.output
    serial = [r for r in merseyside.assessments if r.area.name in ("Knowsley", "St. Helens")]
    geosafety.write_runs(serial, None, tmp_path / "serial", maps=False)
    for folder in ("knowsley_2025-01", "st-helens_2025-01"):
        for table in ("measures_lsoa.csv", "measures_ward.csv", "reconciliation.csv",
                      "correlations.csv", "hotspots_lsoa.csv"):
            assert (tmp_path / "runs" / folder / "tables" / table).read_bytes() == (
                tmp_path / "serial" / folder / "tables" / table).read_bytes(), (folder, table)
        assert (tmp_path / "runs" / folder / "report").is_dir()
    assert (tmp_path / "runs" / "comparison_2025-01" / "comparison.csv").exists()
    assert not list((tmp_path / "runs").glob(".geosafety-staging-*"))


def test_workers_need_several_authorities(tmp_path):
    result = CliRunner().invoke(main, ["assess", "--data", str(MERSEYSIDE), "--area", "Sefton",
                                       "--workers", "2", "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "--workers and --scheduler assess several authorities at once" in result.output
    assert not (tmp_path / "out").exists()


def test_data_without_an_area_says_where_the_records_are(tmp_path):
    result = CliRunner().invoke(main, ["assess", "--data", str(MERSEYSIDE), "--no-maps",
                                       "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert ("The records fall in 9 local authorities (Liverpool 5,192, Wirral 1,793, Sefton "
            "1,770, St. Helens 1,339, Knowsley 1,090,") in result.output
    assert "Choose one: --area 'Liverpool'" in result.output
    assert "--area 'Merseyside'" not in result.output  # the records span several forces
    assert "Nothing was written." in result.output and not (tmp_path / "out").exists()


def test_unknown_area_and_wrong_authority_write_nothing(tmp_path):
    result = CliRunner().invoke(main, ["assess", "--area", "Wirall", "--data", str(MERSEYSIDE),
                                       "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Closest: Wirral (E08000015)" in result.output
    result = CliRunner().invoke(main, ["assess", "--area", "Wirral", "--data",
                                       str(DATA / "2025-01-merseyside-street_no-sefton.csv"),
                                       "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "None of the 40 records falls inside Wirral" in result.output
    result = CliRunner().invoke(main, ["assess", "--area", "Wirral", "--out-dir",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "The bundled example data covers Sefton only" in result.output
    assert not (tmp_path / "out").exists()


def test_partner_records_from_another_authority_are_named_or_refused(tmp_path, sefton):
    marac = tmp_path / "marac.csv"
    marac.write_text("Date,LSOA\n" + "05/01/2025,E01006512\n" * 3 + "05/01/2025,E01006920\n")
    cases = geosafety.read_cases(marac, sefton)
    assert cases["placement"].astype(str).tolist() == ["outside Sefton (Liverpool)"] * 3 + [
        "placed by LSOA code"]
    elsewhere = tmp_path / "marac_liverpool.csv"
    elsewhere.write_text("Date,LSOA\n" + "05/01/2025,E01006512\n" * 4)
    with pytest.raises(geosafety.NoRecordsInStudyAreaError,
                       match=r"none of the 4 records can be placed in Sefton \(outside Sefton "
                             r"\(Liverpool\) 4\)"):
        geosafety.read_cases(elsewhere, sefton)
    result = CliRunner().invoke(main, ["assess", "--marac", str(elsewhere), "--no-examples",
                                       "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Nothing was written." in result.output


def test_postcodes_anywhere_in_great_britain_name_their_authority(sefton):
    status = geosafety.geography.classify_postcodes(
        pd.Series(["L20 3AB", "CH41 5LH", "M1 1AE", "CF10 1EP"]), sefton.postcode_lsoas,
        sefton.postcode_authorities, area_name="Sefton")["status"].astype(str).tolist()
    assert status == ["placed by postcode", "outside Sefton (Wirral)",
                      "outside Sefton (Manchester)", "outside Sefton (Cardiff)"]


def test_the_reference_manifest_describes_every_file():
    manifest = json.loads(get_path("england_manifest").read_text())
    root = get_path("england_manifest").parents[2]
    assert sum(entry["bytes"] for entry in manifest.values()) < 40e6
    for name, entry in manifest.items():
        path = root / name
        assert {"source", "publisher", "licence", "vintage", "rows"} <= set(entry), name
        assert sha256(path.read_bytes()).hexdigest() == entry["sha256"], name
        if path.suffix == ".parquet":
            assert len(pd.read_parquet(path, columns=[]) if "boundaries" not in name
                       else pd.read_parquet(path, columns=["lad_code"])) == entry["rows"], name


def test_similar_authorities_from_open_data_or_the_partnerships_own_list(tmp_path):
    similar = geosafety.analysis.similar.similar_authorities("E08000014")
    assert len(similar) == 10 and similar["distance"].is_monotonic_increasing
    assert similar["lad_name"].tolist()[:3] == ["Wirral", "Wigan", "North Tyneside"]
    own = tmp_path / "comparators.csv"
    own.write_text("Authority\nWirral\nE08000012\n", encoding="utf-8")
    assert geosafety.geography.read_comparators(own) == ["E08000015", "E08000012"]
    bad = tmp_path / "bad.csv"
    bad.write_text("code\nE08000015\nE99999999\n", encoding="utf-8")
    with pytest.raises(geosafety.InputFileError, match=r"row 3 has 'E99999999'; expected "
                                                       r"English local authority codes"):
        geosafety.geography.read_comparators(bad)


def test_one_authority_is_compared_with_its_force_area_when_the_data_covers_it():
    with pytest.warns(geosafety.RecordsExcludedWarning):
        result = geosafety.assess(MERSEYSIDE, area=StudyArea.for_authority("Wirral"))
    table = result.comparison.table
    crime = table[table["category"] == "All crime"].set_index("area_name")
    assert crime.index.tolist() == ["Liverpool", "St. Helens", "Knowsley", "Sefton", "Wirral",
                                    "Merseyside"]
    assert crime.loc["Sefton", "comparator"] and not crime.loc["Knowsley", "comparator"]
    assert "Wigan" not in crime.index  # a few Merseyside records of Wigan are not Wigan
    assert any(n.startswith("8 records in authorities not compared (Cheshire West and Chester 3")
               for n in result.comparison.notes)
    assert result.similar.index[0] == "E08000010"  # Wigan is the most similar to Wirral


def test_the_areas_command_lists_and_finds_authorities():
    result = CliRunner().invoke(main, ["areas", "merseyside"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].split()[:2] == ["E08000011", "Knowsley"]
    assert len(result.output.splitlines()) == 5
    assert len(CliRunner().invoke(main, ["areas"]).output.splitlines()) == 296


def test_tasks_start_in_order_and_the_comparison_starts_once_all_are_assessed():
    from distributed import Client, LocalCluster

    from geosafety.cluster import run_in_order, task_sequence

    submitted: list[tuple[str, int]] = []
    assessed_at: list[int] = []
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as client:

        def submit(task):
            submitted.append(task)
            return client.submit(str, task, key=f"{task[0]}-{task[1]}", pure=False)

        run_in_order(client, task_sequence(3), submit,
                     when_assessed=lambda: assessed_at.append(len(submitted)))
    assert sorted(submitted) == sorted(task_sequence(3))
    assert all(submitted.index(("assess", k)) < submitted.index(("write", k)) for k in range(3))
    assert [t for t in submitted if t[0] == "assess"] == [("assess", k) for k in range(3)]
    assert len(assessed_at) == 1 and assessed_at[0] >= submitted.index(("assess", 2)) + 1
