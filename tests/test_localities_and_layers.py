"""Localities (wards grouped by the partnership) and local layers (the generic loader)."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pandas as pd
import pytest

import geosafety
from geosafety import InputFileError
from geosafety.geography.localities import read_localities
from geosafety.io.local_layers import LocalLayer, read_layer_definition, read_local_layer

IN_L20 = "334674,394895"  # the L20 3AB postcode centroid, LSOA E01006961, Derby ward


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- localities -------------------------------------------------------------------------------

def _sefton_rows(sefton, *, skip=(), rename=None):
    names = sefton.wards["ward_name"].tolist()
    rows = [f"{rename.get(n, n) if rename else n},{'North' if i < 9 else 'South'}"
            for i, n in enumerate(names) if n not in skip]
    return names, "ward,locality\n" + "\n".join(f'"{r.split(",")[0]}",{r.split(",")[1]}'
                                                 for r in rows) + "\n"


def test_localities_need_every_ward_once_with_clear_errors(tmp_path, sefton):
    _, text = _sefton_rows(sefton, rename={"Duke's": "Dukse"}, skip=("Park",))
    text += '"Linacre",South\n"Kew",\n'
    with pytest.raises(InputFileError) as caught:
        read_localities(write(tmp_path, "loc.csv", text), sefton)
    message = str(caught.value)
    assert "loc.csv" in message
    assert "row 8, column 'ward': 'Dukse' is not a ward of Sefton (did you mean \"Duke's\"?)" \
        in message
    assert "ward 'Linacre' is already in row" in message
    assert "column 'locality': no locality given" in message
    assert "ward(s) of Sefton in no locality: Duke's, Park" in message
    with pytest.raises(InputFileError, match="no locality column"):
        read_localities(write(tmp_path, "x.csv", "ward,area_name\nKew,North\n"), sefton)


def test_localities_sum_their_wards(default_result):
    """The bundled EXAMPLE localities: each locality is the sum of its wards, every crime once."""
    result = default_result
    assert result.localities.names == ["Southport & Formby", "Crosby & Bootle",
                                       "Maghull & Lydiate"]
    assert "EXAMPLE" in result.localities.note
    table = result.locality_measures[""]
    crime = table[(table["category"] == "All crime") & (table["period"] == "2025")]
    ward = result.measures["ward"]
    ward = ward[(ward["category"] == "All crime") & (ward["period"] == "2025")]
    for name, row in crime.iterrows():
        wards = ward.loc[result.localities.wards_of(name)]
        assert row["count"] == wards["count"].sum()
        assert row["residents"] == wards["residents"].sum()
        assert row["rate"] == pytest.approx(row["count"] / row["residents"] * 1000)
    assert crime["count"].sum() == 21_699
    assert crime.loc["Crosby & Bootle", ["count", "rank", "compared_with_area"]].tolist() == [
        11_686, 1, "higher"]
    assert crime.loc["Crosby & Bootle", "rate_low"] == pytest.approx(91.33, abs=0.01)


def test_sensitive_localities_publish_only_sums_of_published_wards(default_result):
    result = default_result
    hidden = []
    for layer in result.partners:
        if not layer.spec.sensitive:
            continue
        table = result.locality_measures[layer.file_stem]
        ward = layer.measures["ward"]
        for (name, category), row in table.set_index("category", append=True).iterrows():
            cells = ward[ward["category"] == category].loc[result.localities.wards_of(name)]
            if cells["suppressed"].any():
                assert row["suppressed"] and pd.isna(row["count"]) and pd.isna(row["rate"])
            else:
                assert row["count"] == cells["count"].sum()
        hidden += table["suppressed"].tolist()
    assert any(hidden) and not all(hidden)  # MARAC shows two localities, hides one


def test_localities_are_written_and_drawn(default_written):
    folder, written = default_written
    names = {p.name for p in written}
    assert {"measures_locality.csv", "fire_SYNTHETIC_measures_locality.csv",
            "marac_SYNTHETIC_measures_locality.csv"} <= names
    for town in ("southport-formby", "crosby-bootle", "maghull-lydiate"):
        assert f"locality_{town}_all-crime.png" in names
    table = pd.read_csv(folder / "out" / "measures_locality.csv")
    assert table["locality_definition"].str.startswith("EXAMPLE grouping").all()
    assert set(table["level"]) == {"Locality"}
    layer = gpd.read_file(folder / "out" / "assessment.gpkg", layer="locality")
    assert layer.set_index("area_code")["all_crime__count"].to_dict() == {
        "Southport & Formby": 8_156, "Crosby & Bootle": 11_686, "Maghull & Lydiate": 1_857}
    wards = gpd.read_file(folder / "out" / "assessment.gpkg", layer="ward")
    assert layer.area.sum() == pytest.approx(wards.area.sum(), rel=1e-9)
    page = (folder / "maps" / "locality.html").read_text()
    data = json.loads(re.search(r"var D = (\{.*?\});\n", page, re.DOTALL).group(1))
    crime = next(x for x in data["layers"] if x["name"] == "All crime")
    assert crime["values"]["count"] == [8_156, 11_686, 1_857]
    assert crime["values"]["rank"] == [2, 1, 3]
    marac = next(x for x in data["layers"] if x["name"] == "MARAC cases (SYNTHETIC)")
    assert marac["values"]["suppressed"] == [True, False, False]
    assert marac["values"]["count"][0] is None  # a hidden locality shows no count


# --- local layers -----------------------------------------------------------------------------

def test_layer_definition_errors_name_every_problem(tmp_path):
    path = write(tmp_path, "layer.toml", 'titel = "x"\nfiles = ["missing.csv"]\n'
                 'rate_base = "households"\nper = 7\nsensitive = "yes"\n'
                 '[columns]\ndate = "When"\nplace = "Where"\n')
    with pytest.raises(InputFileError) as caught:
        read_layer_definition(path)
    message = str(caught.value)
    for said in ("titel: unknown key (did you mean 'title'?)", "title: give what the records",
                 "missing.csv does not exist", "rate_base: 'households' is not one of",
                 "per: 7 is not 100", "sensitive: expected true or false",
                 "[columns] place: unknown field"):
        assert said in message


def test_fly_tipping_example_definition_reads_and_places():
    layer = read_layer_definition(geosafety.get_path("synthetic_fly_tipping"))
    assert layer.synthetic and layer.files[0].name == "SYNTHETIC_fly_tipping_sefton_2025.csv"
    assert dict(layer.columns) == {"date": "Date Reported", "id": "Reference",
                                   "category": "Waste Type"}


def test_layer_by_postcode_and_by_area_code(tmp_path, sefton):
    by_postcode = write(tmp_path, "assaults.csv", "Admission Date,Postcode\n"
                        "2025-02-01,L20 3AB\n2025-02-02,l203ab\n2025-02-03,NFA\n"
                        "2025-02-04,L1 8JQ\n2025-02-05,L20\n")
    layer = LocalLayer("Hospital admissions for assault", [by_postcode], rate_base="adults",
                       per=100_000, sensitive=True)
    records = read_local_layer(layer, sefton)
    assert records["lsoa21_code"].tolist()[:2] == ["E01006961", "E01006961"]
    assert records["postcode_district"].tolist()[4] == "L20"
    assert pd.isna(records["lsoa21_code"].iloc[4])
    assert records["placement"].iloc[2] == "no fixed abode"
    assert records["placement"].iloc[3].startswith("outside")
    assert "postcode" not in records.columns
    by_code = write(tmp_path, "casualties.csv", "Ref,Collision Date,LSOA Code,Severity\n"
                    "C1,2025-06-01,E01006961,Serious\nC2,2025-06-02,E01006961,Slight\n"
                    "C1,2025-06-01,E01006961,Serious\n")
    with pytest.warns(UserWarning, match="repeat"):
        casualties = read_local_layer(LocalLayer("Road casualties", [by_code],
                                                 columns={"category": "Severity"}), sefton)
    assert sorted(casualties["id"]) == ["C1", "C2"]  # the row exported twice is read once
    assert sorted(casualties["category"]) == ["Serious", "Slight"]


def test_layer_bad_dates_and_points_are_named(tmp_path, sefton):
    path = write(tmp_path, "bad.csv", f"Date,Easting,Northing\n2025-13-45,{IN_L20}\n"
                 "2025-01-01,-2.99,53.46\n")
    with pytest.raises(InputFileError) as caught:
        read_local_layer(LocalLayer("Reports", [path]), sefton)
    assert "bad.csv" in str(caught.value) and "row 2" in str(caught.value)


def test_a_sensitive_local_layer_is_disclosure_controlled(tmp_path):
    """Thirty records in a handful of LSOAs: small cells are hidden and nothing is narrower."""
    lsoas = ["E01006961"] * 12 + ["E01006962"] * 2 + ["E01007009"] * 9 + ["E01006510"] * 7
    write(tmp_path, "yot.csv", "Date,LSOA\n" + "".join(
        f"2025-{(i % 12) + 1:02d}-10,{code}\n" for i, code in enumerate(lsoas)))
    definition = write(tmp_path, "yot.toml", 'title = "Youth offending"\n'
                       'files = ["yot.csv"]\nrate_base = "adults"\nper = 10000\n'
                       "sensitive = true\n")
    result = geosafety.assess(geosafety.Inputs(police_uk=geosafety.get_path("police_uk_2025"),
                                               layers=(definition,)), period="2025")
    layer = next(x for x in result.partners if x.spec.title == "Youth offending")
    assert layer.spec.unit == "per 10,000 adults aged 18+" and layer.threshold == 5
    for frame in layer.measures.values():
        shown = frame.loc[~frame["suppressed"], "count"]
        assert not shown.between(1, 4).any()
        assert frame.loc[frame["suppressed"], "rate"].isna().all()
    assert layer.measures["lsoa"].loc["E01006962", "suppressed"]  # 2 records: hidden
    assert int(layer.reconciliation.set_index("category").loc["Youth offending",
                                                              "records"]) == 30
