"""Counts, rates, ranks, deciles and shares with answers worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geosafety import area_measures, count_events, local_decile, rank_highest_first, rate
from geosafety.measures import parse_period, split_period

AREAS = pd.DataFrame({"area_name": ["North", "South", "East", "Park"],
                      "residents": [1000, 2000, 500, 0]}, index=["N", "S", "E", "P"])


def events(spec: dict[str, int], category: str = "Burglary", period: str = "2025"):
    rows = [a for a, n in spec.items() for _ in range(n)]
    return pd.DataFrame({"area": rows, "category": category, "period": period})


def test_counts_fill_zero_for_areas_without_events():
    counts = count_events(events({"N": 2}), AREAS.index, area_col="area", by=["category"])
    assert counts["count"].to_dict() == {"N": 2, "S": 0, "E": 0, "P": 0}


def test_counts_reject_unknown_areas():
    with pytest.raises(ValueError, match=r"not in the level: \['Z'\]"):
        count_events(events({"Z": 1}), AREAS.index, area_col="area", by=["category"])


def test_rate_per_thousand_and_no_rate_without_population():
    assert rate(pd.Series([3, 1]), pd.Series([1000, 0])).tolist()[0] == 3.0
    assert np.isnan(rate(pd.Series([3, 1]), pd.Series([1000, 0])).iloc[1])
    assert rate(pd.Series([5]), pd.Series([50_000]), per=100_000).tolist() == [10.0]


def test_ranks_are_highest_first_with_shared_best_rank():
    assert rank_highest_first(pd.Series([1.0, 5.0, 5.0, 0.5])).tolist() == [3, 1, 1, 4]


def test_deciles_on_twenty_areas():
    values = pd.Series(np.arange(20, 0, -1, dtype=float))  # 20 (highest) .. 1
    assert local_decile(values).tolist() == [d for d in range(1, 11) for _ in range(2)]


def test_tied_zeros_share_the_lowest_decile():
    values = pd.Series([9.0, 8, 7] + [0.0] * 7)
    assert local_decile(values).tolist() == [1, 2, 3] + [10] * 7


def test_area_measures_known_answers():
    m = area_measures(events({"N": 3, "S": 2, "E": 1}), AREAS, area_col="area")
    assert m["count"].to_dict() == {"N": 3, "S": 2, "E": 1, "P": 0}
    assert m.loc["N", "rate"] == 3.0 and m.loc["S", "rate"] == 1.0 and m.loc["E", "rate"] == 2.0
    assert m["rank"].tolist()[:3] == [1, 3, 2]
    assert pd.isna(m.loc["P", "rank"])  # no residents: no rate, no rank
    assert (m["n_areas"] == 3).all()
    assert m["decile"].tolist()[:3] == [4, 10, 7]  # ceil(10*1/3), ceil(10*3/3), ceil(10*2/3)
    assert m["share_of_total"].tolist() == [0.5, 2 / 6, 1 / 6, 0.0]


def test_area_measures_groups_categories_and_periods_separately():
    ev = pd.concat([events({"N": 1}, "Burglary"), events({"S": 4}, "Drugs"),
                    events({"N": 2}, "Drugs", period="2025Q1")])
    m = area_measures(ev, AREAS, area_col="area")
    assert len(m) == 4 * 3  # four areas x three (category, period) groups
    drugs = m[(m["category"] == "Drugs") & (m["period"] == "2025")]
    assert drugs.loc["S", "rank"] == 1 and drugs.loc["N", "count"] == 0


def test_periods_financial_year_and_quarters():
    fy = parse_period("2024/25")
    assert (str(fy.start), str(fy.end)) == ("2024-04", "2025-03")
    months = pd.Series(pd.PeriodIndex(["2024-03", "2024-04", "2025-03", "2025-04"], freq="M"))
    assert fy.contains(months).tolist() == [False, True, True, False]
    assert [p.label for p in split_period(fy, "quarter")] == [
        "2024Q2", "2024Q3", "2024Q4", "2025Q1"]


@pytest.mark.parametrize("text", ["25", "2024/26", "2025Q5", "2025-13", "2025-06:2025-01"])
def test_bad_periods_are_refused_with_the_accepted_forms(text):
    with pytest.raises(ValueError, match=rf"Period '{text}'"):
        parse_period(text)


def test_group_codes_number_groups_as_pandas_groupby_does():
    from geosafety.measures.by_area import group_codes

    frame = pd.DataFrame({
        "category": pd.Categorical(["b", "a", None, "b", "c"], categories=["c", "b", "a"]),
        "period": ["2025", "2025Q1", "2025", None, "2025"],
    })
    group, keys = group_codes(frame, ["category", "period"])
    grouped = frame.groupby(["category", "period"], sort=True, dropna=False, observed=True)
    assert group.tolist() == grouped.ngroup().tolist()
    expected = grouped.size().index
    assert [str(v) for v in keys["category"]] == [str(v) for v in
                                                  expected.get_level_values("category")]
    assert [str(v) for v in keys["period"]] == [str(v) for v in
                                                expected.get_level_values("period")]


def test_coded_events_are_the_expanded_events_in_each_period():
    from geosafety.measures.categories import police_uk_events
    from geosafety.measures.crime import coded_events
    from geosafety.measures.periods import with_periods

    located = pd.DataFrame({
        "crime_type": ["Burglary", "Anti-social behaviour", "Drugs", "Burglary"],
        "lsoa21_code": ["A", "B", "A", "C"],
        "month": pd.PeriodIndex(["2025-01", "2025-02", "2025-05", "2024-12"], freq="M"),
    })
    periods = [parse_period("2025"), parse_period("2025Q1"), parse_period("2024/25")]
    coded = coded_events(located, periods, ["lsoa21_code"])
    expanded = with_periods(police_uk_events(located), periods)

    def tally(frame):
        return frame.astype(str).value_counts(["category", "period", "lsoa21_code"]).sort_index()

    pd.testing.assert_series_equal(tally(coded), tally(expanded))
    # 7 events (4 records, 3 of them crimes also under All crime): 5 in 2025 (January's 2,
    # February's 1, May's 2), 3 in 2025Q1 and 5 in 2024/25 (December 2024's 2 as well)
    assert len(coded) == 13


def test_reconciliation_refuses_counts_that_do_not_add_up():
    from geosafety.measures.crime import coded_events, reconcile

    located = pd.DataFrame({"crime_type": ["Burglary", "Drugs"], "area": ["N", "S"],
                            "month": pd.PeriodIndex(["2025-01", "2025-02"], freq="M")})
    coded = coded_events(located, [parse_period("2025")], ["area"])
    measures = area_measures(coded.rename(columns={"area": "a"}), AREAS, area_col="a")
    table = reconcile(coded, {"area": measures})
    assert table.set_index("category")["records"].to_dict() == {
        "All crime": 2, "Burglary": 1, "Drugs": 1}
    assert table["reconciles"].all() and table["sum_area"].dtype == "int64"
    measures.loc[measures.index == "N", "count"] += 1  # a bug's extra event
    with pytest.raises(RuntimeError, match="do not reconcile"):
        reconcile(coded, {"area": measures})


def test_weighted_counts_keep_pandas_compensated_sums():
    from geosafety.measures.by_area import column_sums

    rng = np.random.default_rng(3)
    grid = rng.random((500, 4)) * 1e-3 + rng.integers(0, 3, (500, 4))
    grid[7, 2] = np.nan
    by_pandas = pd.DataFrame(grid).groupby(np.zeros(500, dtype=int)).sum().to_numpy()[0]
    assert column_sums(grid).tolist() == by_pandas.tolist()  # to the last digit
    weighted = events({"N": 3, "S": 2}).assign(share=[0.1, 0.2, 0.3, 0.25, 0.15])
    m = area_measures(weighted, AREAS, area_col="area", weight="share")
    assert m["count"].round(12).tolist() == [0.6, 0.4, 0.0, 0.0]
    assert m.loc["N", "share_of_total"] == pytest.approx(0.6)
