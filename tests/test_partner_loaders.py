"""Fire, MARAC/CJIT and pre-aggregated loaders: every path and every error with its message."""

from __future__ import annotations

import pandas as pd
import pytest

from geosafety import InputFileError
from geosafety.io import load_columns, read_area_counts, read_cases, read_fire_incidents

FIRE_HEADER = "IncidentNumber,TimeOfCall,IncidentType,PropertyType,Cause,Easting,Northing\n"
IN_L20 = "334674,394895"  # the L20 3AB postcode centroid, LSOA E01006961, Derby ward


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


# --- fire -----------------------------------------------------------------------------------

def test_fire_groups_and_placement(tmp_path, sefton):
    path = write(tmp_path, "fires.csv", FIRE_HEADER + "\n".join([
        f"F1,2025-03-01 21:15,Primary Fire,Dwelling - House,Accidental,{IN_L20}",
        f"F2,01/03/2025 22:00,Secondary Fire,Refuse container,Deliberate,{IN_L20}",
        f"F3,2025-03-02 01:00,Primary fire,Car,Deliberate - others property,{IN_L20}",
        f"F4,2025-03-02 02:00,Secondary Fire,Derelict vehicle,Deliberate,{IN_L20}",
        f"F5,2025-03-02 03:00,Primary Fire,Non Residential - Shop,Deliberate,{IN_L20}",
        "F6,2025-03-02 04:00,Chimney Fire,Dwelling,Not known,0,0",
        "F7,2025-03-02 05:00,Chimney Fire,Dwelling,Accidental,350000,380000",
    ]) + "\n")
    fires = read_fire_incidents(path, sefton).set_index("incident_id")
    sums = fires[["All fires", "Accidental dwelling fires", "Deliberate fires",
                  "Deliberate property fires", "Deliberate vehicle fires",
                  "Deliberate secondary fires", "Small ASB fires"]].sum().to_dict()
    assert sums == {"All fires": 7, "Accidental dwelling fires": 1, "Deliberate fires": 4,
                    "Deliberate property fires": 1, "Deliberate vehicle fires": 2,
                    "Deliberate secondary fires": 2, "Small ASB fires": 1}
    assert fires.loc["F1", ["lsoa21_code", "ward_code", "postcode_district"]].tolist() == [
        "E01006961", "E05000937", "L20"]
    assert fires.loc["F6", "placement"] == "no location"
    assert fires.loc["F7", "placement"] == "outside the study area"
    assert str(fires.loc["F2", "call_datetime"]) == "2025-03-01 22:00:00"


def test_fire_column_mapping_excel_and_lonlat(tmp_path, sefton):
    frame = pd.DataFrame({"Ref": ["X1"], "When": ["2025-05-05 10:00"], "Kind": ["Primary"],
                          "What": ["Dwelling"], "Why": ["Accidental"], "lat": [53.4623],
                          "lon": [-2.9942]})
    path = tmp_path / "fires.xlsx"
    frame.to_excel(path, index=False)
    fires = read_fire_incidents(path, sefton, columns={
        "incident_id": "Ref", "call_datetime": "When", "incident_category": "Kind",
        "property_type": "What", "cause": "Why"})
    assert fires["Accidental dwelling fires"].tolist() == [True]
    assert fires["lsoa21_code"].notna().all()


def test_fire_ward_only_location(tmp_path, sefton):
    path = write(tmp_path, "f.csv", "Incident Number,Call Date,Call Time,Incident Type,"
                 "Property Type,Cause,Ward\nA,05/05/2025,1405,Secondary,Grassland,Deliberate,"
                 "Linacre\n")
    fires = read_fire_incidents(path, sefton)
    assert fires[["ward_code", "placement"]].values.tolist() == [["E05000942", "ward only"]]
    assert str(fires["call_datetime"].iloc[0]) == "2025-05-05 14:05:00"


def test_fire_missing_fields_are_all_named_with_the_fix(tmp_path, sefton):
    path = write(tmp_path, "f.csv", "Ref,Date,Easting,Northing\nA,2025-01-01,1,1\n")
    with pytest.raises(InputFileError) as error:
        read_fire_incidents(path, sefton)
    message = str(error.value)
    for field in ("incident_id", "incident_category", "property_type", "cause"):
        assert f"required field {field!r}" in message
    assert "columns found: ['Ref', 'Date', 'Easting', 'Northing']" in message
    assert "columns={incident_id='<column>'" in message


def test_fire_bad_values_name_rows_and_columns(tmp_path, sefton):
    path = write(tmp_path, "f.csv", FIRE_HEADER
                 + f"A,2025-01-01 10:00,Big fire,Dwelling,Accidental,{IN_L20}\n"
                 + f"B,2025-01-01 10:00,Primary,Dwelling,Arson?,{IN_L20}\n"
                 + "C,2025-01-01 10:00,Primary,Dwelling,Accidental,east,394895\n")
    with pytest.raises(InputFileError) as error:
        read_fire_incidents(path, sefton)
    message = str(error.value)
    assert "column 'IncidentType': row 2 has 'Big fire'; expected primary, secondary" in message
    assert "column 'Cause': row 3 has 'Arson?'; expected accidental, deliberate" in message
    assert "column 'Easting': row 4 has 'east'" in message


def test_fire_bad_date(tmp_path, sefton):
    path = write(tmp_path, "f.csv", FIRE_HEADER
                 + f"A,31/02/2025 10:00,Primary,Dwelling,Accidental,{IN_L20}\n")
    with pytest.raises(InputFileError, match=r"column 'TimeOfCall': row 2 has '31/02/2025 10:00'"):
        read_fire_incidents(path, sefton)


def test_fire_lonlat_given_as_easting_is_caught(tmp_path, sefton):
    path = write(tmp_path, "f.csv", FIRE_HEADER
                 + "A,2025-01-01 10:00,Primary,Dwelling,Accidental,-2.99,53.46\n")
    with pytest.raises(InputFileError, match=r"look like EPSG:4326 coordinates, not EPSG:27700"):
        read_fire_incidents(path, sefton)


def test_column_mapping_file(tmp_path):
    path = write(tmp_path, "map.toml", '[fire]\nincident_id = "IncNo"\n[marac]\ndate = "D"\n')
    assert load_columns(path) == {"fire": {"incident_id": "IncNo"}, "marac": {"date": "D"}}
    bad = write(tmp_path, "bad.toml", "[fire\n")
    with pytest.raises(InputFileError, match=r"bad\.toml: is not a readable TOML/JSON"):
        load_columns(bad)


# --- MARAC / CJIT -----------------------------------------------------------------------------

CASES = """Referral Date,Client Ref,Postcode,Ward
01/02/2025,A1,l203ab,
2025-02-03,A1,L20 3AB,
05/02/2025,B2,NFA,
06/02/2025,C3,L1 0AA,
07/02/2025,D4,L20,
08/02/2025,E5,,Linacre
09/02/2025,F6,XYZ,
10/02/2025,G7,L20 9ZZ,
11/02/2025,H8,PR9  9ZZ,
12/02/2025,I9,,Nowhere
13/02/2025,J0,m1 1ae,
"""


def test_cases_placement_and_reasons(tmp_path, sefton):
    cases = read_cases(write(tmp_path, "marac.csv", CASES), sefton)
    assert cases["placement"].tolist() == [
        "placed by postcode", "placed by postcode", "no fixed abode",
        "outside Sefton (Liverpool)", "postcode district only", "ward only",
        "malformed postcode", "unknown postcode (not live in Code-Point Open)",
        "unknown postcode (not live in Code-Point Open)", "unknown ward",
        "outside Sefton (Manchester)"]  # any postcode in Great Britain names its authority
    assert cases.loc[0, ["lsoa21_code", "ward_code", "postcode_district"]].tolist() == [
        "E01006961", "E05000937", "L20"]
    assert cases.loc[4, ["lsoa21_code", "postcode_district"]].tolist() == [None, "L20"]
    assert cases.loc[5, "ward_code"] == "E05000942"
    assert cases["client_id"].tolist()[:2] == ["A1", "A1"]
    assert "postcode" not in cases.columns  # used to place records, then dropped


def test_cases_by_lsoa_code_including_2011_codes(tmp_path, sefton):
    path = write(tmp_path, "c.csv", "Date,LSOA\n2025-01-01,E01006920\n2025-01-02,E01033096\n"
                 "2025-01-03,E01999999\n")
    cases = read_cases(path, sefton)
    assert cases["lsoa21_code"].tolist()[0] == "E01006920"
    assert cases["lsoa21_code"].tolist()[1] in {"E01033799", "E01033800"}
    assert cases["placement"].tolist()[2] == "LSOA code not in the study area"


def test_cases_need_a_date_and_a_location(tmp_path, sefton):
    path = write(tmp_path, "c.csv", "Name,Age\nx,3\n")
    with pytest.raises(InputFileError) as error:
        read_cases(path, sefton)
    assert "required field 'date'" in str(error.value)
    assert "no location: needs lsoa or postcode or postcode_district or ward" in str(error.value)


def test_cases_bad_dates(tmp_path, sefton):
    path = write(tmp_path, "c.csv", "Date,Postcode\n2025-01-01,L20 3AB\nsoon,L20 3AB\n,L20 3AB\n")
    with pytest.raises(InputFileError, match=r"column 'Date': row 3 has 'soon', row 4 has ''"):
        read_cases(path, sefton)


def test_cases_mapping_names_an_absent_column(tmp_path, sefton):
    path = write(tmp_path, "c.csv", "D,Postcode\n2025-01-01,L20 3AB\n")
    with pytest.raises(InputFileError, match=r"column 'When' mapped to field 'date' is not in"):
        read_cases(path, sefton, columns={"date": "When"})


# --- pre-aggregated counts ------------------------------------------------------------------

def test_counts_keep_suppressed_cells_unknown(tmp_path, sefton):
    path = write(tmp_path, "c.csv", "Ward,Clients\nLinacre,12\nderby ward,<5\nFord,*\n"
                 "E05000949,0\nSt Oswald,~\n")
    counts = read_area_counts(path, sefton, level="ward")
    assert counts["area_code"].tolist() == ["E05000942", "E05000937", "E05000939", "E05000949",
                                            "E05000951"]
    assert counts["suppressed_at_source"].tolist() == [False, True, True, False, True]
    assert counts["count"].isna().tolist() == [False, True, True, False, True]


def test_counts_errors(tmp_path, sefton):
    path = write(tmp_path, "c.csv", "District,N\nL20,3.5\nL99,4\nL20,lots\n")
    with pytest.raises(InputFileError) as error:
        read_area_counts(path, sefton, level="postcode_district")
    message = str(error.value)
    assert "column 'N': row 2 has '3.5', row 4 has 'lots'; expected a whole number" in message
    assert "column 'District': row 3 has 'L99'; expected a postcode district of Sefton" in message


def test_counts_repeated_area(tmp_path, sefton):
    path = write(tmp_path, "c.csv", "Ward,N\nLinacre,12\nLINACRE,3\n")
    with pytest.raises(InputFileError, match=r"row 2 has 'Linacre', row 3 has 'LINACRE'; "
                                             r"expected each area once per category"):
        read_area_counts(path, sefton, level="ward")


def test_mapping_with_an_unknown_field(tmp_path, sefton):
    path = write(tmp_path, "c.csv", "Date,Postcode\n2025-01-01,L20 3AB\n")
    with pytest.raises(InputFileError, match=r"names unknown field\(s\) \['when'\]"):
        read_cases(path, sefton, columns={"when": "Date"})


def test_partner_file_with_header_only(tmp_path, sefton):
    path = write(tmp_path, "c.csv", "Date,Postcode\n")
    with pytest.raises(InputFileError, match=r"c\.csv: has a header row but no records"):
        read_cases(path, sefton)


def test_unreadable_excel(tmp_path, sefton):
    path = tmp_path / "fires.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(InputFileError, match=r"fires\.xlsx: is not a readable Excel workbook"):
        read_fire_incidents(path, sefton)
