"""Trends: financial years, gaps in the data, changes between complete periods only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geosafety.analysis.trends import area_changes, borough_trends, choose_basis, first_to_last
from geosafety.measures import period_coverage, period_label


def records(spec: dict[str, dict[str, int]]) -> pd.DataFrame:
    """{month: {crime type: n}} -> located-like records (all in ward W1)."""
    rows = [(month, crime) for month, kinds in spec.items()
            for crime, n in kinds.items() for _ in range(n)]
    frame = pd.DataFrame(rows, columns=["month", "crime_type"])
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M")
    frame["ward_code"] = "W1"
    return frame


def test_financial_year_assignment_at_the_april_boundary():
    months = pd.Series(pd.PeriodIndex(["2024-03", "2024-04", "2025-03", "2025-04"], freq="M"))
    assert period_label(months, "financial-year").tolist() == [
        "2023/24", "2024/25", "2024/25", "2025/26"]
    with pytest.raises(ValueError, match="'financial-year' or 'year'"):
        period_label(months, "quarter")


def test_coverage_names_the_missing_months():
    present = pd.Series(pd.period_range("2018-04", "2020-03", freq="M")).drop(15)  # 2019-07
    coverage = period_coverage(present, "financial-year")
    assert coverage.loc["2018/19", "complete"]
    assert coverage.loc["2019/20", "months_missing"] == ["2019-07"]


def test_changes_only_between_complete_periods():
    spec = {f"{y}-{m:02d}": {"Burglary": 10} for y in (2018, 2019, 2020)
            for m in range(1, 13)}
    spec["2020-06"] = {"Burglary": 40}  # 2020: 11 x 10 + 40 = 150
    del spec["2019-07"]                  # 2019 incomplete
    trends = borough_trends(records(spec), by="year")
    burglary = trends[trends["category"] == "Burglary"].set_index("period")
    assert burglary["count"].tolist() == [120, 110, 150]
    assert burglary["complete"].tolist() == [True, False, True]
    assert np.isnan(burglary.loc["2019", "change_on_previous_pc"])
    assert burglary.loc["2020", "change_on_previous_pc"] == pytest.approx(25.0)  # vs 2018
    assert burglary.loc["2020", "previous_period"] == "2018"
    assert burglary.loc["2019", "months_missing"] == "2019-07"
    assert first_to_last(trends).set_index("category").loc["Burglary", "change_pc"] == 25.0
    allcrime = trends[trends["category"] == "All crime"]
    assert allcrime["count"].tolist() == [120, 110, 150]


def test_basis_prefers_financial_years_unless_calendar_years_span_further():
    fy = pd.DataFrame({"period": ["2018/19", "2020/21"], "complete": [True, True]})
    cy = pd.DataFrame({"period": ["2018", "2025"], "complete": [True, True]})
    assert choose_basis(fy, cy) == "year"
    assert choose_basis(fy, fy.assign(period=["2018", "2020"])) == "financial-year"


def test_area_changes_rank_rises_and_falls():
    frame = records({"2018-01": {"Drugs": 10}, "2020-01": {"Drugs": 2}})
    frame.loc[frame["month"] == pd.Period("2020-01", "M"), "ward_code"] = "W2"
    areas = pd.DataFrame({"area_name": ["One", "Two"], "residents": [1000, 1000]},
                         index=["W1", "W2"])
    changes = area_changes(frame, areas, area_col="ward_code", first="2018", last="2020",
                           by="year").set_index(["category", "direction"])
    assert changes.loc[("Drugs", "fell"), "area_code"] == "W1"
    assert changes.loc[("Drugs", "fell"), "rate_change"] == -10.0
    assert changes.loc[("Drugs", "rose"), "rate_change"] == 2.0


def test_default_run_has_real_multi_year_trends(default_outputs):
    result, folder = default_outputs
    trends = result.trends
    assert trends.basis == "year" and trends.span == ("2018", "2025")
    years = trends.by_year[trends.by_year["category"] == "All crime"].set_index("period")
    assert years.index.tolist() == ["2018", "2019", "2020", "2021", "2025"]
    assert years["complete"].tolist() == [True, False, True, False, True]
    assert years.loc["2019", "months_missing"] == "2019-07"
    assert years.loc["2021", "months_missing"] == "2021-10, 2021-11"
    assert years.loc["2025", "count"] == 21699
    change = trends.first_to_last.set_index("category")
    assert round(change.loc["Burglary", "change_pc"], 1) == -64.4  # 1,835 -> 654
    fy = trends.by_financial_year[trends.by_financial_year["category"] == "All crime"]
    assert fy.set_index("period").loc["2019/20", "complete"] == False  # noqa: E712
    out = folder / "out"
    for name in ("trends_financial_year.csv", "trends_calendar_year.csv",
                 "trends_first_to_last.csv", "trends_wards_rose_fell.csv",
                 "plots/trend_all-crime.png"):
        assert (out / name).exists(), name
