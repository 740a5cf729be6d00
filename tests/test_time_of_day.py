"""Time of day: aoristic weights, force extracts, financial years, NTE areas, flags, outputs."""

from __future__ import annotations

import json
import re
import warnings

import pandas as pd
import pytest
from conftest import centre

from geosafety._errors import DataQualityWarning, InputFileError
from geosafety.analysis import NightTime, assess_time_of_day
from geosafety.io import read_force_crimes, read_premises
from geosafety.io.offences import CRIMINAL_DAMAGE, VIOLENCE, offence_group
from geosafety.measures import aoristic_weights, parse_period, week_profile

HEADER = ("Crime Reference,Committed From Date,Committed From Time,Committed To Date,"
          "Committed To Time,Offence Description,Qualifiers,Easting,Northing\n")


def _window(start: str, end: str | None = None, **kwargs) -> pd.DataFrame:
    s = pd.Series(pd.to_datetime([start]))
    e = pd.Series(pd.to_datetime([end or start]))
    return aoristic_weights(s, e, **kwargs)


# --- aoristic weights -----------------------------------------------------------------------

def test_minutes_share_a_window_by_the_time_in_each_hour():
    w = _window("2025-03-07 22:30", "2025-03-08 01:30")  # Friday night into Saturday
    assert w["hour"].tolist() == [22, 23, 0, 1]
    assert w["weekday"].tolist() == [4, 4, 5, 5]
    assert w["weight"].round(6).tolist() == [0.166667, 0.333333, 0.333333, 0.166667]


def test_hours_method_gives_each_touched_hour_an_equal_share():
    w = _window("2025-03-07 22:30", "2025-03-08 01:30", method="hours")
    assert w["weight"].tolist() == [0.25] * 4


def test_an_exact_time_puts_all_its_weight_in_one_hour():
    w = _window("2025-03-09 14:10")
    assert (w["weekday"].item(), w["hour"].item(), w["weight"].item()) == (6, 14, 1.0)


def test_windows_are_half_open_so_a_whole_hour_stays_in_that_hour():
    w = _window("2025-03-07 22:00", "2025-03-07 23:00")
    assert (w["hour"].tolist(), w["weight"].tolist()) == ([22], [1.0])


def test_a_whole_day_spreads_evenly_and_every_record_sums_to_one():
    starts = pd.Series(pd.to_datetime(["2025-03-10 00:00", "2025-03-10 09:05"]))
    ends = pd.Series(pd.to_datetime(["2025-03-11 00:00", "2025-03-10 17:50"]))
    w = aoristic_weights(starts, ends)
    day = w[w["record"] == 0]
    assert len(day) == 24 and day["weight"].round(9).eq(round(1 / 24, 9)).all()
    assert w.groupby("record")["weight"].sum().round(12).tolist() == [1.0, 1.0]
    work = w[w["record"] == 1].set_index("hour")["weight"]  # 09:05-17:50 = 525 minutes
    assert work.loc[9] == pytest.approx(55 / 525) and work.loc[17] == pytest.approx(50 / 525)


def test_windows_longer_than_the_limit_are_left_out():
    starts = pd.Series(pd.to_datetime(["2025-03-01 08:00", "2025-03-01 08:00"]))
    ends = pd.Series(pd.to_datetime(["2025-03-09 08:00", "2025-03-01 09:00"]))
    assert set(aoristic_weights(starts, ends)["record"]) == {1}
    assert set(aoristic_weights(starts, ends, max_hours=1000)["record"]) == {0, 1}


def test_a_window_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends before it starts"):
        _window("2025-03-07 22:00", "2025-03-07 21:00")


def test_week_profile_is_seven_days_by_24_hours():
    w = _window("2025-03-07 22:30", "2025-03-08 01:30")
    table = week_profile(w)
    assert table.shape == (7, 24)
    assert table.loc["Saturday", 0] == pytest.approx(1 / 3)
    assert table.to_numpy().sum() == pytest.approx(1.0)


# --- offences -------------------------------------------------------------------------------

@pytest.mark.parametrize(("description", "group"), [
    ("Assault with injury", VIOLENCE), ("Common assault and battery", VIOLENCE),
    ("Criminal damage to a vehicle", CRIMINAL_DAMAGE), ("Arson endangering life", CRIMINAL_DAMAGE),
    ("Assault with intent to rob", "Robbery"), ("Sexual assault on a male", "Sexual offences"),
    ("Affray", "Public order offences"), ("Possession of article with blade or point",
                                          "Possession of weapons offences"),
    ("Theft from a motor vehicle", "Vehicle offences"), ("Shoplifting", "Theft"),
    ("Possession of cannabis", "Drug offences"), ("Burglary - residential", "Burglary"),
])
def test_offence_descriptions_fall_in_their_home_office_groups(description, group):
    assert offence_group(description) == group


# --- reading force extracts -----------------------------------------------------------------

def _write(path, body: str, header: str = HEADER):
    path.write_text(header + body, encoding="utf-8")
    return path


def test_force_extract_windows_flags_and_places(tmp_path, toy_area):
    x, y = centre(0, 1)  # LSOA A, ward West
    path = _write(tmp_path / "force.csv", "\n".join([
        f"C1,07/03/2025,22:30,08/03/2025,01:30,Assault with injury,ALC; STR,{x},{y}",
        f"C2,08/03/2025,1410,,,Common assault,DA,{x},{y}",
        f"C3,09/03/2025,,,,Criminal damage to a dwelling,,{x},{y}",
        f"C4,10/03/2025,23:00,,02:00,Theft from the person,CSE,{x},{y}",
        f"C5,11/03/2025,08:00,11/03/2025,,Burglary - residential,,{x},{y}",
    ]) + "\n")
    with pytest.warns(DataQualityWarning, match=r"flag codes not understood.*'cse'"):
        crimes = read_force_crimes(path, toy_area).set_index("crime_ref")
    assert crimes["window_hours"].to_dict() == {"C1": 3.0, "C2": 0.0, "C3": 24.0, "C4": 3.0,
                                                "C5": 16.0}
    assert crimes["time_known"].tolist() == ["time window", "exact time", "date only",
                                             "time window", "time window"]
    assert str(crimes.loc["C4", "committed_to"]) == "2025-03-11 02:00:00"  # the next day
    assert crimes.loc["C1", ["flag_alcohol", "flag_stranger", "flag_domestic"]].tolist() == [
        True, True, False]
    assert crimes.loc["C2", "flag_domestic"] and not crimes.loc["C4"].filter(like="flag_").any()
    assert set(crimes["lsoa21_code"]) == {"E01000001"} and set(crimes["ward_code"]) == {
        "E05000001"}


def test_force_extract_with_date_time_columns_and_yes_no_flags(tmp_path, toy_area):
    x, y = centre(1, 1)
    path = _write(tmp_path / "force.csv",
                  f"X1,2025-03-07 22:30:00,2025-03-07 23:30:00,Wounding with intent,Y,N,{x},{y}\n"
                  f"X2,2025-03-08T01:15:00,,Common assault,n,yes,{x},{y}\n",
                  header="Crime Number,Committed From,Committed To,Offence,Alcohol Flag,"
                         "Domestic Abuse Flag,X,Y\n")
    crimes = read_force_crimes(path, toy_area)
    assert crimes["window_hours"].tolist() == [1.0, 0.0]
    assert crimes["flag_alcohol"].tolist() == [True, False]
    assert crimes["flag_domestic"].tolist() == [False, True]


def test_force_extract_from_excel(tmp_path, toy_area):
    x, y = centre(0, 0)
    frame = pd.DataFrame({
        "Crime Reference": ["E1"], "Date From": [pd.Timestamp("2025-03-07 21:00")],
        "Date To": [pd.Timestamp("2025-03-07 23:00")], "Offence Type": ["Common assault"],
        "Easting": [x], "Northing": [y]})
    frame.to_excel(tmp_path / "force.xlsx", index=False)
    crimes = read_force_crimes(tmp_path / "force.xlsx", toy_area,
                               columns={"from_datetime": "Date From", "to_datetime": "Date To"})
    assert crimes["window_hours"].tolist() == [2.0]


def test_bad_dates_times_and_flags_are_all_named_with_row_and_column(tmp_path, toy_area):
    x, y = centre(0, 1)
    path = _write(tmp_path / "bad.csv", "\n".join([
        f"B1,07/03/2025,22:30,07/03/2025,21:00,Common assault,,{x},{y}",
        f"B2,31/02/2025,22:30,,,Common assault,,{x},{y}",
        f"B3,08/03/2025,25:10,,,Common assault,,{x},{y}",
        f"B4,,10:00,,,Common assault,,{x},{y}",
    ]) + "\n")
    with pytest.raises(InputFileError) as caught:
        read_force_crimes(path, toy_area)
    message = str(caught.value)
    assert "bad.csv: 4 problems" in message
    assert "column 'Committed From Date': row 3 has '31/02/2025'" in message
    assert "column 'Committed From Time': row 4 has '25:10'" in message
    assert "column 'Committed From Date': row 5 has ''" in message
    assert re.search(r"column 'Committed To Date': row 2 has '07/03/2025'; expected an end no "
                     "earlier than the start", message)


def test_bad_flag_values_are_named(tmp_path, toy_area):
    x, y = centre(0, 1)
    path = _write(tmp_path / "flags.csv", f"F1,2025-03-07 22:30,Common assault,maybe,{x},{y}\n",
                  header="Crime Reference,Committed From,Offence,Knife Flag,Easting,Northing\n")
    with pytest.raises(InputFileError, match=r"column 'Knife Flag': row 2 has 'maybe'; "
                                             r"expected Y/N"):
        read_force_crimes(path, toy_area)


def test_missing_time_columns_say_what_was_looked_for(tmp_path, toy_area):
    path = _write(tmp_path / "none.csv", "N1,Common assault,Linacre\n",
                  header="Crime Reference,Offence,Ward\n")
    with pytest.raises(InputFileError, match=r"no column says when the offence was committed"):
        read_force_crimes(path, toy_area)


# --- assessment of a hand-built extract -----------------------------------------------------

@pytest.fixture
def toy_crimes(tmp_path, toy_area):
    a, b = centre(0, 1), centre(1, 1)  # LSOA A (1,000 residents), LSOA B (2,000)
    rows = [
        # Friday 22:30 to Saturday 01:30: all 3 hours at night; alcohol and stranger
        f"T1,07/03/2025,22:30,08/03/2025,01:30,Assault with injury,ALC; STR,{a[0]},{a[1]}",
        # Saturday 14:00 exact: daytime; domestic
        f"T2,08/03/2025,14:00,,,Common assault,DA,{b[0]},{b[1]}",
        # Sunday 17:00 to 19:00: half at night
        f"T3,09/03/2025,17:00,09/03/2025,19:00,Criminal damage to a vehicle,,{b[0]},{b[1]}",
        # Monday 23:00 exact theft: not an NTE offence group
        f"T4,10/03/2025,23:00,,,Theft from the person,,{a[0]},{a[1]}",
        # 31 March 2025 23:30 to 1 April 00:30: financial year 2024/25 by its start
        f"T5,31/03/2025,23:30,01/04/2025,00:30,Common assault,ALC; DA,{a[0]},{a[1]}",
        # 1 April 2025 00:10: financial year 2025/26
        f"T6,01/04/2025,00:10,,,Common assault,,{a[0]},{a[1]}",
    ]
    path = _write(tmp_path / "toy_force.csv", "\n".join(rows) + "\n")
    return read_force_crimes(path, toy_area)


def test_financial_year_follows_the_committed_from_date(toy_crimes, toy_area):
    early = assess_time_of_day(toy_crimes, toy_area, parse_period("2024/25"), source="toy")
    late = assess_time_of_day(toy_crimes, toy_area, parse_period("2025/26"), source="toy")
    assert sorted(early.crimes["crime_ref"]) == ["T1", "T2", "T3", "T4", "T5"]
    assert late.crimes["crime_ref"].tolist() == ["T6"]
    table = early.by_financial_year.groupby("period")["offences"].sum().to_dict()
    assert table == {"2024/25": 5, "2025/26": 1}
    assert not early.by_financial_year["complete"].any()  # one month of each year only


def test_nte_counts_by_area_are_the_night_share_of_each_window(toy_crimes, toy_area):
    result = assess_time_of_day(toy_crimes, toy_area, parse_period("2024/25"), source="toy")
    lsoa = result.nte_measures["lsoa"]
    combined = lsoa[lsoa["category"] == "Violence and criminal damage, 18:00-03:59"]
    # A: T1 (3 of 3 hours at night) + T5 (1 of 1) = 2; B: T2 (0) + T3 (1 of 2 hours) = 0.5
    assert combined["count"].round(9).to_dict() == {"E01000001": 2.0, "E01000002": 0.5,
                                                    "E01000003": 0.0, "E01000004": 0.0}
    assert combined.loc["E01000001", "rate"] == pytest.approx(2.0)
    assert combined.loc["E01000002", "rate"] == pytest.approx(0.25)
    assert set(combined["rate_unit"]) == {"per 1,000 residents"}
    assert combined.loc["E01000001", "rank"] == 1
    ward = result.nte_measures["ward"]
    west = ward[(ward.index == "E05000001") & (ward["category"].str.startswith(
        "Violence and"))]
    assert west["count"].item() == pytest.approx(2.0)
    night = result.profiles["Violence and criminal damage"]
    night_cells = night[[18, 19, 20, 21, 22, 23, 0, 1, 2, 3]].to_numpy().sum()
    assert combined["count"].sum() == pytest.approx(night_cells)


def test_statements_count_weekends_and_night_hours(toy_crimes, toy_area):
    result = assess_time_of_day(toy_crimes, toy_area, parse_period("2024/25"), source="toy")
    facts = result.statements.set_index(["profile", "measure"])["value"]
    # violence and damage: T1 (1.5 h on Friday, 1.5 h after midnight on Saturday), T2 Sat,
    # T3 Sun, T5 Mon-Tue: weekend = 0.5 + 1 + 1 = 2.5 of 4
    assert facts[("Violence and criminal damage", "share at weekends")] == pytest.approx(0.625)
    # night hours: T1 1 + T3 0.5 + T5 1 = 2.5 of 4
    assert facts[("Violence and criminal damage", "share in night-time hours")] == (
        pytest.approx(0.625))
    # Friday and Saturday nights: all of T1 only
    assert facts[("Violence and criminal damage", "share on Friday and Saturday nights")] == (
        pytest.approx(0.25))
    assert facts[("All offences", "offences")] == 5


def test_flag_and_flag_pair_counts_within_violence(toy_crimes, toy_area):
    result = assess_time_of_day(toy_crimes, toy_area, parse_period("2024/25"), source="toy")
    flags = result.flags[result.flags["scope"] == VIOLENCE].set_index("flag")["count"]
    assert flags[["alcohol", "domestic", "stranger", "knife", "(no flag)"]].tolist() == [
        2, 2, 1, 0, 0]
    pairs = result.flag_pairs[result.flag_pairs["scope"] == VIOLENCE].set_index(
        ["flag_a", "flag_b"])["count"]
    assert pairs[("alcohol", "stranger")] == 1 and pairs[("alcohol", "domestic")] == 1
    assert pairs[("domestic", "stranger")] == 0


def test_configurable_night_hours_and_groups(toy_crimes, toy_area):
    night = NightTime(groups=(VIOLENCE,), first_hour=0, last_hour=5)
    result = assess_time_of_day(toy_crimes, toy_area, parse_period("2024/25"), source="toy",
                                night=night)
    lsoa = result.nte_measures["lsoa"]
    assert set(lsoa["category"]) == {"Violence against the person, 00:00-05:59"}
    a = lsoa.loc["E01000001", "count"]
    assert a == pytest.approx(1 / 2 + 1 / 2)  # T1's 1.5 h of 3 after midnight; T5's half hour


def test_no_offence_in_the_period_is_a_clear_error(toy_crimes, toy_area):
    with pytest.raises(ValueError, match=r"No offence in the force extract falls in 2023"):
        assess_time_of_day(toy_crimes, toy_area, parse_period("2023"), source="toy")


# --- premises -------------------------------------------------------------------------------

def test_premises_keep_night_time_classes_inside_the_area(tmp_path, toy_area):
    a = centre(0, 1)
    path = tmp_path / "llpg.csv"
    path.write_text(
        "UPRN,Organisation Name,Classification Code,Easting,Northing\n"
        f"1,The Toy Arms,CR06,{a[0]},{a[1]}\n"
        f"2,Toy Kebabs,CR10,{a[0] + 10},{a[1]}\n"
        f"3,Toy Bank,CR01,{a[0]},{a[1] + 10}\n"
        "4,Far Away Bar,CR06,300000,300000\n", encoding="utf-8")
    venues = read_premises(path, toy_area)
    assert venues["name"].tolist() == ["The Toy Arms", "Toy Kebabs"]
    assert set(venues["lsoa21_code"]) == {"E01000001"}
    assert venues["latitude"].between(53, 54).all()


# --- the default run ------------------------------------------------------------------------

def test_default_run_writes_the_time_of_day_outputs(default_outputs):
    result, folder = default_outputs
    out = folder / "out"
    times = result.time_of_day
    assert times.synthetic and "SYNTHETIC" in times.source
    assert len(times.crimes) == 21_699  # one per police.uk 2025 crime
    for name in ("time_of_week", "hour_bands", "time_statements", "flags", "flag_pairs",
                 "by_financial_year", "nte_measures_lsoa", "nte_measures_ward"):
        table = pd.read_csv(out / f"force_SYNTHETIC_{name}.csv")
        assert (table["source"].str.contains("SYNTHETIC")).all(), name
    week = pd.read_csv(out / "force_SYNTHETIC_time_of_week.csv")
    allocated = week[week["profile"] == "All offences"]["offences"].sum()
    left_out = times.timing.iloc[-1]["offences"]
    assert allocated == pytest.approx(21_699 - left_out)
    nte = pd.read_csv(out / "force_SYNTHETIC_nte_measures_lsoa.csv")
    combined = nte[nte["category"] == "Violence and criminal damage, 18:00-03:59"]
    night = week[(week["profile"] == "Violence and criminal damage")
                 & week["hour"].isin([18, 19, 20, 21, 22, 23, 0, 1, 2, 3])]
    assert combined["count"].sum() == pytest.approx(night["offences"].sum())
    for stem in ("heatmap_violence-and-criminal-damage_SYNTHETIC",
                 "heatmap_all-offences_SYNTHETIC"):
        assert (out / "plots" / f"{stem}.png").stat().st_size > 20_000
    report = (out / "force_SYNTHETIC_time_of_day.md").read_text()
    assert "SYNTHETIC example data, not real records" in report
    assert re.search(r"The most prevalent hour band was \d\d:00-\d\d:59", report)
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["time_of_day"]["night_time_hours"] == "18:00-03:59"
    assert meta["time_of_day"]["premises"] == len(result.premises) == 64


def test_default_maps_carry_the_nte_layers_and_premises_points(default_outputs):
    from test_maps import page_data

    _, folder = default_outputs
    data = page_data(folder / "maps" / "lsoa.html")
    nte = [layer for layer in data["layers"] if layer["group"].startswith("Night-time")]
    assert [layer["name"] for layer in nte] == [
        "Violence and criminal damage, 18:00-03:59", "Criminal damage and arson, 18:00-03:59",
        "Violence against the person, 18:00-03:59"]
    assert all(layer["synthetic"] and layer["digits"] == 1 for layer in nte)
    assert data["points"]["label"] == "Night-time premises (SYNTHETIC)"
    assert len(data["points"]["items"]) == 64
    assert data["points"]["groups"] == ["Night-time economy (SYNTHETIC)"]
    assert data["points"]["synthetic"] is True


def test_force_duplicates_are_counted_once_with_a_warning(tmp_path, toy_area):
    x, y = centre(0, 1)
    path = _write(tmp_path / "dup.csv", f"D1,07/03/2025,22:30,,,Common assault,,{x},{y}\n"
                                        f"D1,07/03/2025,22:30,,,Common assault,,{x},{y}\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        crimes = read_force_crimes(path, toy_area)
    assert len(crimes) == 1
    assert any("1 row repeats a crime reference already read and is counted once"
               in str(w.message) for w in caught)


def test_force_records_without_coordinates_are_placed_by_lsoa_code_or_ward(tmp_path, toy_area):
    path = _write(tmp_path / "codes.csv", "\n".join([
        "L1,2025-03-07 22:30,Common assault,,,E01000002,",  # LSOA 2021 code
        "L2,2025-03-07 22:30,Common assault,,,E01000003,",  # 2011 code of an unchanged LSOA
        "L3,2025-03-07 22:30,Common assault,,,E01000011,",  # split 2011 LSOA: bigger part
        "L4,2025-03-07 22:30,Common assault,,,E01999999,",  # not in the area
        "L5,2025-03-07 22:30,Common assault,,,E01999998,East",  # unknown code, but a ward
    ]) + "\n", header="Crime Reference,Committed From,Offence,Easting,Northing,LSOA Code,Ward\n")
    crimes = read_force_crimes(path, toy_area).set_index("crime_ref")
    assert crimes["placement"].to_dict() == {
        "L1": "placed by LSOA code", "L2": "placed by LSOA code", "L3": "placed by LSOA code",
        "L4": "LSOA code not in the study area", "L5": "ward only"}
    assert crimes["lsoa21_code"].tolist()[:3] == ["E01000002", "E01000003", "E01000002"]
    assert crimes.loc["L3", "ward_code"] == "E05000002"  # B (2,000 residents) over A (1,000)
    assert crimes.loc["L5", "ward_code"] == "E05000002"
    result = assess_time_of_day(crimes.reset_index(), toy_area, parse_period("2025"),
                                source="toy")
    assert sorted(result.crimes["crime_ref"]) == ["L1", "L2", "L3", "L5"]
    assert result.placement["LSOA code not in the study area"] == 1
