"""Deprivation and housing evidence: the IMD rebuild, statistics with known answers, real runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geosafety.analysis.correlation import correlate, distance_classes, effective_sample_size
from geosafety.analysis.deprivation import (
    NATIONAL_LSOAS,
    WEIGHTS,
    edition_for,
    exponential_transform,
    imd_score,
    iod_for_area,
    local_concentration,
    summaries,
)
from geosafety.analysis.inequality import quintile_rates, rate_ratio, slope_index
from geosafety.io import get_path, read_band_a
from geosafety.report import sentences


def test_imd2025_rebuilt_for_every_lsoa_in_england():
    national = pd.read_parquet(get_path("iod2025_england"))
    assert len(national) == NATIONAL_LSOAS[2025] == 33755
    rebuilt = imd_score(national, NATIONAL_LSOAS[2025])
    assert (rebuilt - national["IMD_score"]).abs().max() < 0.001


def test_imd_without_crime_rescales_the_other_weights():
    ranks = pd.DataFrame({f"{d}_rank": [1000] for d in WEIGHTS})
    ranks["Crime_rank"] = 1  # most deprived on crime only
    n = 33755
    full = imd_score(ranks, n).iloc[0]
    without = imd_score(ranks, n, without=["Crime"]).iloc[0]
    x_other = exponential_transform(pd.Series([1000]), n).iloc[0]
    # Published weights sum to 0.999; without crime, the rest are rescaled to that total.
    assert without == pytest.approx(0.999 * x_other)
    assert full == pytest.approx((0.999 - 0.093) * x_other + 0.093 * 100.0)
    with pytest.raises(ValueError, match=r"Unknown domain\(s\) \['Crimes'\]"):
        imd_score(ranks, n, without=["Crimes"])


def test_edition_follows_the_lsoa_vintage(sefton):
    assert edition_for(["2021"]) == 2025 and edition_for(["2011", "2011"]) == 2019
    iod19 = iod_for_area(sefton, 2019)
    assert len(iod19) == 191 and iod19["IMD_score"].notna().all()
    # The two 2021 parts of a split LSOA 2011 carry its 2019 values.
    assert iod19.loc["E01033797", "IMD_score"] == iod19.loc["E01033798", "IMD_score"]
    assert iod19.attrs["edition"] == 2019


def test_population_weighted_summaries_on_hand_built_lsoas():
    iod = pd.DataFrame({"IMD_score": [60.0, 20.0, 10.0], "IMD_rank": [100, 5000, 30000],
                        "national_quintile": [1, 1, 5]}, index=["a", "b", "c"])
    people = pd.Series([1000, 1000, 2000], index=iod.index)
    out = summaries(iod, people, pd.Series("X", index=iod.index), edition=2025).loc["X"]
    assert out["average_score"] == pytest.approx((60 + 20 + 2 * 10) / 4)
    # extent: a (rank 100, top 10%) counts 1; b (percentile 15: 5000 / 33,755 = 14.8%) steps
    # down from 0.95 at the 11th percentile by 0.9 / 19 a percentile; c (89th) 0.
    b_weight = 0.95 - 4 * 0.9 / 19
    assert out["extent"] == pytest.approx((1000 + 1000 * b_weight) / 4000)
    # local concentration: the most deprived 10% of 4,000 people (400) all live in a.
    assert out["local_concentration"] == 100
    assert out["share_most_deprived_20pc"] == 0.5
    assert local_concentration(pd.Series([10, 20]), pd.Series([100, 100])) == 10


def test_correlations_with_known_coefficients():
    x = pd.Series([1.0, 2, 3, 4, 5])
    y = pd.Series([2.0, 4, 5, 4, 5])
    out = correlate(x, y)
    assert out["pearson"] == pytest.approx(6 / np.sqrt(60))  # textbook 0.7746
    assert correlate(x, -x)["spearman"] == pytest.approx(-1)
    assert correlate(x, x ** 3)["spearman"] == pytest.approx(1)
    assert out["n"] == 5


def test_missing_pairs_are_dropped():
    x = pd.Series([1.0, 2, 3, np.nan, 5, 6])
    y = pd.Series([1.0, 2, 3, 4, np.nan, 6])
    assert correlate(x, y)["n"] == 4


def test_effective_sample_size_shrinks_with_spatial_autocorrelation():
    rng = np.random.default_rng(7)
    coords = rng.uniform(0, 20_000, (150, 2))
    classes = distance_classes(coords)
    noise = effective_sample_size(rng.normal(size=150), rng.normal(size=150), classes)
    smooth_x = np.sin(coords[:, 0] / 5000) + 0.05 * rng.normal(size=150)
    smooth_y = np.sin(coords[:, 0] / 4000 + 1) + 0.05 * rng.normal(size=150)
    smooth = effective_sample_size(smooth_x, smooth_y, classes)
    assert noise > 120 and smooth < 20


def test_quintile_ratio_share_and_slope_with_known_answers():
    quintile = pd.Series([1, 1, 2, 3, 4, 5])
    counts = pd.Series([30, 30, 40, 30, 20, 10])
    people = pd.Series([1000, 1000, 1000, 1000, 1000, 1000])
    table = quintile_rates(counts, people, quintile, per=1000)
    assert table["rate"].tolist() == [30.0, 40.0, 30.0, 20.0, 10.0]
    rr, low, high = rate_ratio(60, 2000, 10, 1000)
    assert rr == pytest.approx(3.0)
    assert (low, high) == pytest.approx((3 * np.exp(-1.959964 * np.sqrt(1 / 60 + 1 / 10)),
                                         3 * np.exp(1.959964 * np.sqrt(1 / 60 + 1 / 10))))
    equal = slope_index(pd.Series([50.0, 40, 30, 20, 10], index=range(1, 6)),
                        pd.Series([1.0] * 5, index=range(1, 6)))
    # PHE's RII is the ratio of the line's fitted ends: 55 at x = 1 over 5 at x = 0.
    assert equal["sii"] == pytest.approx(50.0) and equal["rii"] == pytest.approx(55 / 5)
    assert (equal["fitted_least_deprived"], equal["fitted_most_deprived"]) == pytest.approx(
        (5.0, 55.0))


def test_band_a_handles_suppressed_and_rounded_counts(sefton, tmp_path):
    bands = sefton.band_a
    # The same from a CTSOP1.1 CSV as VOA publishes it (quoted, "-" for fewer than 5).
    ctsop = pd.read_parquet(get_path("ctsop2023_england"))
    ctsop = ctsop[ctsop["lsoa21_code"].isin(sefton.lsoas.index)]
    csv = tmp_path / "ctsop.csv"
    csv.write_text("geography,ecode,band_a,all_properties\n" + "".join(
        f'"LSOA","{r.lsoa21_code}","{r.band_a}","{r.all_properties}"\n'
        for r in ctsop.itertuples()), encoding="utf-8")
    pd.testing.assert_frame_equal(read_band_a(csv).sort_index(), bands.sort_index())
    suppressed = bands[bands["band_a_suppressed"]]
    assert len(suppressed) == 13
    assert (suppressed["band_a"] == 2).all()
    assert (suppressed["band_a_low"] == 0).all() and (suppressed["band_a_high"] == 4).all()
    row = bands.loc["E01007003"]  # 650 of 650 homes in Band A
    assert (row["band_a_low"], row["band_a_high"]) == (645, 654)
    assert row["band_a_share"] == 1.0 and row["band_a_share_low"] == pytest.approx(645 / 654)
    assert bands["band_a"].sum() == pytest.approx(39980 - 0 + 13 * 2)  # published LSOA sum


@pytest.fixture(scope="module")
def default_run(default_outputs):
    result, folder = default_outputs
    return result, folder / "out"


def test_real_sefton_figures(default_run):
    result, _ = default_run
    assoc = result.associations
    assert assoc.edition == 2025
    corr = assoc.correlations.set_index(["category", "measure"])
    allcrime = corr.loc[("All crime", "IMD_score")]
    assert allcrime["n"] == 191
    assert round(allcrime["spearman"], 2) == 0.76 and round(allcrime["pearson"], 2) == 0.54
    assert allcrime["n_effective_spearman"] < 100  # neighbouring LSOAs are not independent
    assert allcrime["n_high_rate_outliers"] == 3
    assert set(allcrime["high_rate_outliers"].split()) == {"E01007009", "E01033797",
                                                            "E01033798"}
    assert round(allcrime["pearson_without_outliers"], 2) == 0.73
    ineq = assoc.inequality.set_index(["category", "quintiles"])
    assert round(ineq.loc[("All crime", "local"), "rate_ratio"], 1) == 4.5
    assert round(ineq.loc[("Drugs", "national"), "rate_ratio"], 1) == 9.2
    summary = assoc.summaries.set_index("area_name")
    assert round(summary.loc["Sefton", "average_score"], 1) == 25.2
    assert summary.loc["Linacre", "extent"] == pytest.approx(1.0)


def test_every_category_gets_table_rows_sentences_and_a_plot(default_run):
    result, out = default_run
    assoc = result.associations
    categories = result.categories + [c for layer in result.partners for c in layer.categories]
    assert len(categories) == 33  # police.uk, fire, MARAC, CJIT; 7 fly-tipping (all, 6 types)
    assert set(assoc.correlations["category"]) == set(categories)
    assert len(assoc.correlations) == 33 * len(assoc.measures)
    assert len(sentences(assoc, result.area)) == 33
    assert len(list((out / "plots").glob("rate_vs_imd_*.png"))) == 33
    report = (out / "associated_factors.md").read_text()
    assert "All crime rate (per 1,000 residents) and IMD 2025 score across Sefton's 191 LSOAs:"\
        " Spearman 0.76 (95% CI" in report
    assert "times the rate of the least deprived fifth (95% CI" in report
    assert "| Linacre |" in report


def test_sensitive_sources_withhold_what_would_disclose(default_run):
    result, _ = default_run
    assoc = result.associations
    sensitive = assoc.correlations[assoc.correlations["source"].str.contains("MARAC|CJIT")]
    assert (sensitive["high_rate_outliers"].fillna("") == "").all()
    marac = next(layer for layer in result.partners if layer.spec.key == "marac")
    for category, hidden in marac.hidden_groups.items():
        rows = assoc.inequality[assoc.inequality["category"] == category]
        for row in rows.itertuples():
            if any(c.startswith(f"quintile_{row.quintiles}:") for c in hidden):
                assert row.suppressed and np.isnan(row.sii)
    quintiles = assoc.quintiles[assoc.quintiles["source"].str.contains("MARAC|CJIT")]
    visible = quintiles["events"].dropna()
    assert not visible.between(1, 4).any()
