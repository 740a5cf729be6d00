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
    AreaLinks,
    CategoryCells,
    LinearModel,
    audit_outputs,
    category_cells,
    protect_analyses,
    protect_partner,
    protect_placement,
    protect_ranges,
    source_model,
    unprotected,
)
from geosafety.io import get_path
from geosafety.measures import parse_period

# --- the suppression engine: feasible ranges by linear programming -----------------------------


def row(total, *cells):
    model = LinearModel()
    model.add_sum(total, cells)
    return model


def test_one_small_cell_in_a_row_takes_a_second_with_it():
    model = row("T", "a", "b", "c", "d")
    values = {"T": 30, "a": 3, "b": 12, "c": 7, "d": 8}
    assert protect_ranges(model, values, threshold=5) == {"a", "c"}
    ranges = model.ranges(values, {"a", "c"})
    assert (ranges["a"].low, ranges["a"].high) == (1, 9)  # a + c = 10, each at least 1


def test_two_small_cells_that_pin_each_other_to_1_4_take_a_third():
    # a + b = 25 - 20 = 5 and both >= 1 (zeros are shown): a is 1..4, known to be small.
    model = row("T", "a", "b", "c", "d")
    values = {"T": 25, "a": 3, "b": 2, "c": 0, "d": 20}
    assert unprotected(model, values, {"a", "b"}, threshold=5).keys() == {"a", "b"}
    assert protect_ranges(model, values, threshold=5) == {"a", "b", "d"}  # zero c stays shown


def test_threshold_is_configurable():
    model = row("T", "a", "b", "c")
    assert protect_ranges(model, {"T": 30, "a": 6, "b": 9, "c": 15}, threshold=10) == {"a", "b"}


def _two_way_table(counts):
    """A table of counts with its row, column and grand totals, as a model and values."""
    model, values = LinearModel(), {}
    rows, columns = counts.shape
    for i in range(rows):
        model.add_sum(f"r{i}", [f"x{i}{j}" for j in range(columns)])
        values[f"r{i}"] = float(counts[i].sum())
    for j in range(columns):
        model.add_sum(f"c{j}", [f"x{i}{j}" for i in range(rows)])
        values[f"c{j}"] = float(counts[:, j].sum())
    model.add_sum("T", [f"r{i}" for i in range(rows)])
    values["T"] = float(counts.sum())
    values.update({f"x{i}{j}": float(counts[i, j]) for i in range(rows) for j in range(columns)})
    return model, values


def _all_ranges(model, values, hidden):
    return {cell: (r.low, r.high, r.binding,
                   None if r.witnesses is None else {k: w.tolist() for k, w in r.witnesses.items()})
            for cell, r in model.ranges(values, hidden).items()}


def test_programs_given_straight_to_highs_match_linprog_to_the_last_digit(monkeypatch):
    # Two-way tables have many tied optima: both routes must pick the same vertex, or the
    # binding cells (and so the cells hidden) could differ. Cases include an unbounded cell
    # and HiGHS's presolve calling an unbounded problem infeasible (solved again without).
    from geosafety.disclosure import _lp

    assert _lp.uses_bundled_highs(), "SciPy's HiGHS module moved: every program is slower"
    generator = np.random.default_rng(7)
    cases = []
    for shape in ((3, 4), (4, 4), (5, 3)):
        model, values = _two_way_table(generator.integers(0, 9, size=shape))
        cases.append((model, values, protect_ranges(model, values, threshold=5)))
    one_record = row("T", "a", "b")
    cases.append((one_record, {"T": 1, "a": 1, "b": 0}, {"T", "a"}))
    parts = LinearModel()
    parts.add_at_most_sum("people", ["p1", "p2"])
    parts.add_unpublished("p2")
    cases.append((parts, {"people": 3, "p1": 2}, {"people", "p1"}))
    direct = [_all_ranges(*case) for case in cases]
    monkeypatch.setattr(_lp, "_HIGHS", None)
    through_linprog = [_all_ranges(*case) for case in cases]
    assert direct == through_linprog
    assert any(r[1] == np.inf for found in direct for r in found.values())
    assert sum(len(found) for found in direct) > 15


def test_cell_narrowed_through_two_levels_is_protected():
    # Ward W = a + b; district D = a + b + c. With W, D visible, c = D - W exactly.
    model = LinearModel()
    model.add_sum("W", ["a", "b"])
    model.add_sum("D", ["a", "b", "c"])
    values = {"a": 10, "b": 10, "c": 3, "W": 20, "D": 23}
    hidden = protect_ranges(model, values, threshold=5, totals={"D"})
    assert "c" in hidden and len(hidden) >= 3
    assert unprotected(model, values, hidden, threshold=5) == {}
    assert model.ranges(values, hidden)["c"].width >= 5


def test_zeros_beside_one_hidden_cell_with_a_known_total_pin_it():
    model = row("T", "a", "b", "c")
    found = unprotected(model, {"T": 1, "a": 1, "b": 0, "c": 0}, {"a"}, threshold=5)
    assert (found["a"].low, found["a"].high) == (1, 1)


def test_cells_unknown_at_source_count_as_hidden():
    model = row("T", "a", "b", "c")
    values = {"T": np.nan, "a": np.nan, "b": 12, "c": 40}
    assert protect_ranges(model, values, threshold=5) == {"T", "a"}
    assert np.isinf(model.ranges(values, {"T", "a"})["a"].high)


def toy_links(area):
    return AreaLinks(area.lsoas["ward_code"], area.lsoas["postcode_district"],
                     {c: (d,) for c, d in area.lsoas["postcode_district"].items()})


def test_residual_parts_only_when_totals_show_records_placed_at_ward_only(toy_area):
    lsoa = pd.Series([3.0, 7, 0, 0], index=toy_area.lsoas.index)
    ward = pd.Series([3.0, 7], index=toy_area.wards.index)
    exact = CategoryCells("cases", {"lsoa": lsoa, "ward": ward},
                          {"lsoa": 10.0, "ward": 10.0}, 10.0)
    model, _, _ = source_model([exact], toy_links(toy_area))
    assert not model.unpublished
    more = CategoryCells("cases", {"lsoa": lsoa, "ward": ward + [0, 2]},
                         {"lsoa": 10.0, "ward": 12.0}, 12.0)
    model, _, _ = source_model([more], toy_links(toy_area))
    assert model.unpublished == {"c0|ward_only:E05000001", "c0|ward_only:E05000002"}


def test_people_are_bounded_by_the_cases_of_their_area(toy_area):
    # 9 cases in A, 0 elsewhere; individuals in A hidden: at most 9, at least 1.
    lsoa = pd.Series([9.0, 0, 0, 0], index=toy_area.lsoas.index)
    cases = CategoryCells("cases", {"lsoa": lsoa}, {"lsoa": 9.0}, 9.0)
    people = CategoryCells("people", {"lsoa": lsoa.where(lsoa == 0)}, {"lsoa": np.nan},
                           np.nan, distinct=True)
    model, values, _ = source_model([cases, people], toy_links(toy_area))
    hidden = {c for c, v in values.items() if np.isnan(v)}
    found = model.ranges(values, hidden)["c1|lsoa:E01000001"]
    assert (found.low, found.high) == (1, 9)


def test_placement_counts_of_sensitive_sources_are_protected():
    shown = protect_placement(pd.Series(["placed"] * 40 + ["nfa"] * 2 + ["bad"] * 9)
                              .value_counts())
    # "fewer than 5" would say 1-4 outright; a second count goes so nfa could be 1 to 10.
    assert shown.to_dict() == {"placed": "40", "bad": "suppressed", "nfa": "suppressed"}


# --- partner layers on the hand-built area -----------------------------------------------------

def toy_marac(tmp_path, area, rows):
    """Protect MARAC rows "date,victim,LSOA"; a row given n times is n cases on n days."""
    from geosafety.io import read_cases

    seen: dict[str, int] = {}
    cases = []
    for row in rows:
        seen[row] = seen.get(row, 0) + 1
        date, rest = row.split(",", 1)
        day = pd.Timestamp(date) + pd.Timedelta(days=seen[row] - 1)
        cases.append(f"{day:%Y-%m-%d},{rest}")
    path = tmp_path / "marac.csv"
    path.write_text("Date,Victim ID,LSOA\n" + "\n".join(cases) + "\n")
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
    assert layer.reconciliation["records"].iloc[0] == 39  # 4 victims in all: hidden
    assert pd.isna(layer.reconciliation["records"].iloc[1])


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
    hidden_lsoas = set(frames["lsoa"].index[frames["lsoa"]["suppressed"]])
    assert "E01000004" not in hidden_lsoas  # D = 0: zeros are always shown
    # No hidden cell can be narrowed below the threshold from what is shown.
    assert audit_layer(layer, toy_area) == []


def audit_layer(layer, area):
    categories = [category_cells(layer.measures, row, published=True)
                  for _, row in layer.reconciliation.iterrows()]
    model, values, _ = source_model(categories, toy_links(area))
    return list(unprotected(model, values, {c for c, v in values.items() if np.isnan(v)},
                            threshold=5))


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
    assert set(keys) == {"fire", "marac", "cjit", "fly_tipping_reports"}
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
        "fire": True, "marac": True, "cjit": True, "fly_tipping_reports": True}


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


def test_audit_catches_a_recoverable_cell(leaky, default_outputs, sefton):
    result, _ = default_outputs
    marac = next(layer for layer in result.partners if layer.spec.key == "marac")
    true = marac.lsoa_counts.set_index(["category", "area_code"])["count"]
    path = leaky / "out" / "marac_SYNTHETIC_measures_lsoa.csv"
    table = pd.read_csv(path)
    cases = table[table["category"] == "MARAC cases (SYNTHETIC)"]
    hidden = cases.index[cases["suppressed"]]
    assert len(hidden) >= 2
    # Publish every hidden LSOA but one with its true count, as a careless hand edit
    # would: the last one then follows from the totals.
    for i in hidden[1:]:
        key = ("MARAC cases (SYNTHETIC)", table.loc[i, "area_code"])
        table.loc[i, ["count", "suppressed"]] = [true[key], False]
    table.to_csv(path, index=False)
    problems = audit_outputs(leaky / "out", None, sefton)
    code = table.loc[hidden[0], "area_code"]
    assert any(f"hidden lsoa:{code} can be narrowed to" in p for p in problems)


def test_audit_catches_zeros_beside_one_hidden_count_whose_total_is_known(tmp_path, toy_area):
    # Published by hand, as a careless analyst might: A hidden, B C D shown as 0 and 6, the
    # LSOA total 7 shown. A = 7 - 6 = 1 exactly, though no cell shows a small count.
    out = tmp_path / "out"
    out.mkdir()
    (out / "metadata.json").write_text(json.dumps({"partners": [{
        "file_stem": "youth", "source": "youth offending", "sensitive": True,
        "disclosure_threshold": 5, "placement": {}}]}))
    pd.DataFrame({"area_code": toy_area.lsoas.index, "category": "referrals",
                  "count": [np.nan, 0, 0, 6], "rate": [np.nan, 0, 0, np.nan],
                  "suppressed": [True, False, False, False]}).to_csv(
        out / "youth_measures_lsoa.csv", index=False)
    pd.DataFrame({"category": ["referrals"], "records": [7], "placed_lsoa": [7]}).to_csv(
        out / "youth_reconciliation.csv", index=False)
    problems = audit_outputs(out, None, toy_area)
    assert problems == ["youth: referrals: hidden lsoa:E01000001 can be narrowed to 1 to 1 "
                        "from published figures"]


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


@pytest.mark.parametrize("kind", ["marac", "cjit"])
def test_solving_beside_hides_the_same_cells_as_solving_here(kind, sefton, monkeypatch):
    """The disclosure problems solved in another process (while the other analyses run)
    give the very layers protect_partner gives; so do they where no process may start."""
    from geosafety.analysis.analyse import Analyses
    from geosafety.disclosure import apply
    from geosafety.io import read_cases

    cases = read_cases(get_path(f"synthetic_{kind}"), sefton)
    layer = assess_cases(cases, sefton, parse_period("2025"), kind)
    here = protect_partner(layer, sefton)
    assert here.measures["lsoa"]["suppressed"].sum() > 0

    def beside() -> object:
        with apply.solve_beside([layer], sefton) as solving:
            return protect_analyses(Analyses(partners=[layer]), sefton,
                                    solving=solving).partners[0]

    found = [beside()]
    monkeypatch.setattr(apply, "can_start_processes", lambda: False)
    found.append(beside())
    for other in found:
        for level, frame in here.measures.items():
            pd.testing.assert_frame_equal(other.measures[level], frame)
        pd.testing.assert_frame_equal(other.reconciliation, here.reconciliation)
        assert other.placement.equals(here.placement)
        assert other.hidden_groups == here.hidden_groups
