"""Disclosure control: suppression with known answers, partner rates, and the output audit."""

from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest

from geosafety.analysis import assess_cases
from geosafety.disclosure import (
    Equation,
    audit_outputs,
    linked_cells,
    protect,
    protect_partner,
    protect_placement,
    recoverable,
)
from geosafety.io import get_path
from geosafety.measures import parse_period

# --- the suppression engine ------------------------------------------------------------------


def test_one_small_cell_in_a_row_takes_a_second_with_it():
    eq = [Equation("T", ("a", "b", "c", "d"))]
    assert protect({"T": 30, "a": 3, "b": 12, "c": 7, "d": 8}, eq) == {"a", "c"}


def test_two_small_cells_need_nothing_more_and_zeros_stay_visible():
    eq = [Equation("T", ("a", "b", "c", "d"))]
    assert protect({"T": 25, "a": 3, "b": 2, "c": 0, "d": 20}, eq) == {"a", "b"}


def test_threshold_is_configurable():
    eq = [Equation("T", ("a", "b", "c"))]
    assert protect({"T": 30, "a": 6, "b": 9, "c": 15}, eq, threshold=10) == {"a", "b"}


def test_cell_recovered_through_two_levels_is_protected():
    # Ward W = a + b; district D = a + b + c. With W, D visible, c = D - W is recoverable.
    eqs = [Equation("W", ("a", "b")), Equation("D", ("a", "b", "c"))]
    values = {"a": 10, "b": 10, "c": 3, "W": 20, "D": 23}
    hidden = protect(values, eqs)
    assert "c" in hidden and not (recoverable(hidden, eqs) & hidden)
    assert hidden & {"a", "b", "W", "D"}  # a second cell had to go


def test_cells_unknown_at_source_count_as_hidden():
    eq = [Equation("T", ("a", "b", "c"))]
    hidden = protect({"T": np.nan, "a": np.nan, "b": 12, "c": 40}, eq)
    assert hidden == {"T", "a"}


def test_linked_cells_add_residuals_only_when_records_are_placed_at_ward_only():
    lsoa = pd.Series([3, 7], index=["A", "B"])
    parents = {"ward": pd.Series(["W", "W"], index=["A", "B"])}
    _, eqs, never = linked_cells({"lsoa": lsoa, "ward": pd.Series([10], index=["W"])},
                                 lsoa_parent=parents)
    assert never == set() and Equation("ward:W", ("lsoa:A", "lsoa:B")) in eqs
    _, eqs, never = linked_cells({"lsoa": lsoa, "ward": pd.Series([12], index=["W"])},
                                 lsoa_parent=parents)
    assert never == {"ward:residual:W"}


def test_placement_counts_of_sensitive_sources_are_protected():
    shown = protect_placement(pd.Series(["placed"] * 40 + ["nfa"] * 2 + ["bad"] * 9)
                              .value_counts())
    assert shown.to_dict() == {"placed": "40", "bad": "suppressed", "nfa": "fewer than 5"}


# --- partner layers on the hand-built area -----------------------------------------------------

def toy_marac(tmp_path, area, rows):
    from geosafety.io import read_cases

    path = tmp_path / "marac.csv"
    path.write_text("Date,Victim ID,LSOA\n" + "\n".join(rows) + "\n")
    return protect_partner(assess_cases(read_cases(path, area), area, parse_period("2025"),
                                        "marac"), area)


def test_marac_rates_per_10000_adults_with_safelives_expectation(tmp_path, toy_area):
    # A: 12 cases (1 victim), B: 20 (1 victim), C: 7 (2 victims). No case count is small.
    rows = (["2025-01-05,V1,E01000001"] * 12 + ["2025-02-05,V2,E01000002"] * 20
            + ["2025-03-05,V3,E01000003"] * 6 + ["2025-03-09,V4,E01000003"])
    layer = toy_marac(tmp_path, toy_area, rows)
    wards = layer.measures["ward"].set_index("category", append=True).swaplevel()
    west = wards.loc[("MARAC cases", "E05000001")]  # A + C = 19 cases, 1,200 adults
    assert west["count"] == 19 and not west["suppressed"]
    assert west["rate"] == pytest.approx(19 / 1200 * 10_000)
    assert west["expected_safelives"] == pytest.approx(4.8)  # 40 per 10,000 x 1,200
    assert west["rate_unit"] == "per 10,000 adults aged 18+"
    assert wards.loc[("MARAC cases", "E05000002"), "rank"] == 2  # 20 / 1,600 adults
    people = wards.loc["MARAC victims (individuals)"]
    assert people["suppressed"].all()  # 3 and 1 people
    assert layer.reconciliation["records"].tolist() == [39, 4]


def test_one_small_lsoa_hides_what_would_reveal_it(tmp_path, toy_area):
    # A: 12, B: 3, C: 7, D: 0. Wards: West = A + C = 19, East = B + D = 3.
    rows = (["2025-01-05,V1,E01000001"] * 12 + ["2025-02-05,V2,E01000002"] * 3
            + ["2025-03-05,V3,E01000003"] * 7)
    layer = toy_marac(tmp_path, toy_area, rows)
    frames = {level: frame[frame["category"] == "MARAC cases"]
              for level, frame in layer.measures.items()}
    assert frames["lsoa"].loc["E01000002", "suppressed"]  # B = 3: primary
    assert frames["ward"]["suppressed"].all()  # East = 3, and West = total - East
    assert pd.isna(frames["ward"]["rate"]).all() and frames["ward"]["rank"].isna().all()
    assert not frames["postcode_district"]["suppressed"].any()  # T1 = 15, T2 = 7
    hidden_lsoas = set(frames["lsoa"].index[frames["lsoa"]["suppressed"]])
    assert "E01000001" in hidden_lsoas  # else B = T1 - A
    # Nothing hidden can be worked out from what is shown and the published totals.
    counts = {level: frame["count"].astype(float) for level, frame in frames.items()}
    _, equations, never = linked_cells(counts, lsoa_parent={
        "ward": toy_area.lsoas["ward_code"], "postcode_district": toy_area.lsoas[
            "postcode_district"]})
    hidden = {f"{level}:{code}" for level, frame in frames.items()
              for code in frame.index[frame["suppressed"]]}
    assert not recoverable(hidden | never, equations) & hidden


# --- the audit on real outputs ---------------------------------------------------------------

def record_values() -> set[str]:
    values = set()
    for key, columns in (("synthetic_marac", ["Referral Date", "Victim ID", "Postcode"]),
                         ("synthetic_cjit", ["Episode Start Date", "Client ID", "Postcode"])):
        table = pd.read_csv(get_path(key), dtype=str, keep_default_na=False)
        for column in columns:
            values |= set(table[column])
    return values


def test_default_run_has_every_partner_layer_at_every_level(default_outputs):
    result, _ = default_outputs
    keys = {layer.spec.key: layer for layer in result.partners}
    assert set(keys) == {"fire", "marac", "cjit"}
    for layer in keys.values():
        assert layer.synthetic and set(layer.measures) == {"lsoa", "ward", "postcode_district"}
    fire = keys["fire"].reconciliation.set_index("category")
    assert fire.loc["All fires (SYNTHETIC)", "records"] == 1100
    assert fire.loc["Deliberate fires (SYNTHETIC)", "records"] == 700
    assert keys["marac"].reconciliation["records"].tolist() == [537, 420]
    assert keys["cjit"].reconciliation["records"].tolist() == [247, 170]
    fire_ward = keys["fire"].measures["ward"]
    row = fire_ward[fire_ward["category"] == "All fires (SYNTHETIC)"].iloc[0]
    assert row["rate"] == pytest.approx(row["count"] / row["residents"] * 100_000)


def test_default_outputs_pass_the_audit(default_outputs, sefton):
    _, folder = default_outputs
    assert audit_outputs(folder / "out", folder / "maps", sefton,
                         record_values=record_values()) == []


def test_default_outputs_label_synthetic_data(default_outputs):
    _, folder = default_outputs
    names = [p.name for p in (folder / "out").iterdir()] + [
        p.name for p in (folder / "maps").iterdir()]
    names += [p.name for p in (folder / "maps" / "figures").iterdir()]
    partner = [n for n in names if re.search("fire|marac|cjit", n)]
    assert partner and all("SYNTHETIC" in n for n in partner)
    table = pd.read_csv(folder / "out" / "marac_SYNTHETIC_measures_ward.csv")
    assert table["source"].str.contains("SYNTHETIC example data").all()
    page = (folder / "maps" / "ward.html").read_text()
    assert "SYNTHETIC EXAMPLE DATA" in page and "MARAC cases (SYNTHETIC)" in page
    data = json.loads(re.search(r"var D = (\{.*?\});\n", page, re.DOTALL).group(1))
    synthetic = {x["name"]: x["synthetic"] for x in data["layers"]}
    assert synthetic["All crime"] is False and synthetic["MARAC cases (SYNTHETIC)"] is True
    meta = json.loads((folder / "out" / "metadata.json").read_text())
    assert {p["key"]: p["synthetic"] for p in meta["partners"]} == {
        "fire": True, "marac": True, "cjit": True}


@pytest.fixture
def leaky(default_outputs, tmp_path):
    _, folder = default_outputs
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    return copy


def test_audit_catches_a_visible_small_count(leaky, sefton):
    path = leaky / "out" / "cjit_SYNTHETIC_measures_ward.csv"
    table = pd.read_csv(path)
    row = table.index[table["suppressed"]][0]
    table.loc[row, ["count", "suppressed"]] = [3, False]
    table.to_csv(path, index=False)
    problems = audit_outputs(leaky / "out", None, sefton)
    assert any(f"row {row + 2}: visible count 3" in p for p in problems)


def test_audit_catches_a_recoverable_cell(leaky, sefton):
    path = leaky / "out" / "marac_SYNTHETIC_measures_lsoa.csv"
    table = pd.read_csv(path)
    cases = table[table["category"] == "MARAC cases (SYNTHETIC)"]
    hidden = cases.index[cases["suppressed"]]
    assert len(hidden) >= 2
    # Publish every hidden LSOA but one, as a careless hand edit would (values >= threshold
    # so no primary check fires): the last one then follows from the total.
    for i in hidden[1:]:
        table.loc[i, ["count", "suppressed"]] = [7, False]
    table.to_csv(path, index=False)
    problems = audit_outputs(leaky / "out", None, sefton)
    code = table.loc[hidden[0], "area_code"]
    assert any(f"suppressed cell lsoa:{code} can be worked out" in p for p in problems)


def test_audit_catches_a_count_in_a_map_and_derived_figures(leaky, sefton):
    page = leaky / "maps" / "lsoa.html"
    text = page.read_text()
    found = re.search(r"var D = (\{.*?\});\n", text, re.DOTALL)
    data = json.loads(found.group(1))
    layer = next(x for x in data["layers"] if x["name"] == "MARAC cases (SYNTHETIC)")
    values = layer["values"]
    hidden = [i for i, suppressed in enumerate(values["suppressed"]) if suppressed]
    values["count"][hidden[0]] = 2  # a suppressed cell's count leaks into the map data
    values["suppressed"][hidden[1]] = False
    values["count"][hidden[1]] = 3  # and another is shown outright
    page.write_text(text.replace(found.group(1), json.dumps(data)))
    problems = audit_outputs(leaky / "out", leaky / "maps", sefton)
    assert any("lsoa.html: MARAC cases (SYNTHETIC)" in p and "suppressed area" in p
               for p in problems)
    assert any("lsoa.html: MARAC cases (SYNTHETIC)" in p and "shows count 3" in p
               for p in problems)


def test_audit_catches_record_level_values(leaky, sefton):
    postcode = next(v for v in sorted(record_values()) if re.fullmatch(r"L20 \d[A-Z]{2}", v))
    (leaky / "out" / "notes.txt").write_text(f"see the case at {postcode}\n")
    problems = audit_outputs(leaky / "out", None, sefton, record_values=record_values())
    assert problems == [f"notes.txt: contains record-level value {postcode!r}"]
