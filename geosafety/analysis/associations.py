"""Associated factors: every category's LSOA rate against deprivation and Band A housing.

Produces the figures a CSSA's "associated factors" chapter cites, each with what it means:
correlations (Pearson, Spearman, intervals on the effective sample size, naive and
spatially corrected p-values, Benjamini-Hochberg adjusted across the whole table, with and
without high-rate outliers, and for Council Tax Band A the range the suppressed "-" cells
allow), quintile comparisons (local and national quintiles, each quintile's rate with its
interval, rate ratio with a quasi-Poisson interval, share in the most deprived fifth, PHE's
slope and relative index of inequality and a log-linear RII) and population-weighted
deprivation summaries for wards and the borough.

**Multiple testing.** Every row of the correlation table is one test (categories x
measures). ``pearson_q_spatial`` and ``spearman_q_spatial`` are Benjamini-Hochberg adjusted
p-values (false discovery rate) over all rows of the table: a q-value below 0.05 keeps the
expected share of false findings among those called significant at 5%.

The figures here are true. For sensitive sources the quintile totals are published cells
under disclosure control: :func:`geosafety.disclosure.withhold_associations` protects them
with the area levels, withholds every comparison built on a hidden one and leaves outlier
LSOAs unnamed; plots of sensitive sources show no LSOA points.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geosafety.analysis.correlation import correlate, distance_classes, high_rate_outliers
from geosafety.analysis.deprivation import (
    DOMAIN_NAMES,
    NATIONAL_LSOAS,
    exponential_transform,
    summaries,
)
from geosafety.analysis.inequality import (
    dispersion,
    loglinear_rii,
    quintile_rates,
    rate_ratio,
    slope_index,
)
from geosafety.analysis.partners import PartnerLayer
from geosafety.geography import StudyArea
from geosafety.measures.crime import RATE_PER
from geosafety.measures.intervals import rate_limits
from geosafety.measures.periods import Period

QUINTILE_TYPES = {"local": "local_quintile", "national": "national_quintile"}


@dataclass
class CategoryRates:
    """One category's true LSOA counts, with how to express and protect its figures.

    ``hidden_groups`` holds the grouping cells (e.g. ``"quintile_local:1"``) disclosure
    control hides for a sensitive category (set by :mod:`geosafety.disclosure`).
    """

    source: str
    category: str
    counts: pd.Series
    population: pd.Series
    per: int
    unit: str
    sensitive: bool = False
    hidden_groups: set[str] = field(default_factory=set)

    @property
    def rates(self) -> pd.Series:
        """Rate per LSOA (NaN without population)."""
        return self.counts / self.population.where(self.population > 0) * self.per


@dataclass
class Associations:
    """The associated-factors tables, and the data behind them.

    ``plot_data`` maps ``"source|category"`` to each category's rates; the sentences an
    author cites are written from these tables by :mod:`geosafety.report.citations`.
    """

    edition: int
    correlations: pd.DataFrame
    quintiles: pd.DataFrame
    inequality: pd.DataFrame
    summaries: pd.DataFrame
    measures: dict[str, str]
    plot_data: dict[str, CategoryRates] = field(default_factory=dict, repr=False)
    iod: pd.DataFrame | None = field(default=None, repr=False)
    confidence: float = 0.95


def deprivation_measures(iod: pd.DataFrame, edition: int,
                         band: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Return the measures each rate is correlated with (higher = more deprived)."""
    measures = pd.DataFrame(index=iod.index)
    labels = {}
    measures["IMD_score"] = iod["IMD_score"]
    labels["IMD_score"] = f"IMD {edition} score"
    measures["IMD_without_crime"] = iod["IMD_without_crime"]
    labels["IMD_without_crime"] = f"IMD {edition} score without the crime domain (rebuilt)"
    for domain, name in DOMAIN_NAMES.items():
        if domain == "IMD":
            continue
        if f"{domain}_score" in iod.columns:
            measures[domain] = iod[f"{domain}_score"]
            labels[domain] = f"{name} domain score ({edition})"
        else:
            measures[domain] = exponential_transform(iod[f"{domain}_rank"],
                                                     NATIONAL_LSOAS[edition])
            labels[domain] = f"{name} domain, exponentially transformed rank ({edition})"
    band = band.reindex(iod.index)
    measures["band_a_share"] = band["band_a_share"]
    labels["band_a_share"] = "share of homes in Council Tax Band A (VOA, March 2023)"
    measures["band_a_homes"] = band["band_a"]
    labels["band_a_homes"] = "number of Council Tax Band A homes (VOA, March 2023)"
    return measures, labels


def _suppressed_range(measure: str, rates: pd.Series, band: pd.DataFrame,
                      classes: np.ndarray) -> dict[str, float]:
    """Correlations with every suppressed Band A cell ("-", 0 to 4 homes) at 0 and at 4."""
    suppressed = band["band_a_suppressed"].fillna(False).astype(bool)
    out: dict[str, float] = {"band_a_cells_suppressed": int(suppressed.sum())}
    values = []
    for homes in (0, 4):
        count = band["band_a"].where(~suppressed, homes)
        value = (count / band["all_properties"].where(band["all_properties"] > 0)).clip(
            upper=1) if measure == "band_a_share" else count
        values.append(correlate(value, rates, classes=classes))
    for name in ("pearson", "spearman"):
        found = [v[name] for v in values]
        out[f"{name}_if_suppressed_low"] = float(np.nanmin(found))
        out[f"{name}_if_suppressed_high"] = float(np.nanmax(found))
    return out


def _correlation_rows(item: CategoryRates, measures: pd.DataFrame, labels: dict[str, str],
                      classes: np.ndarray, band: pd.DataFrame,
                      confidence: float) -> list[dict]:
    rates = item.rates.reindex(measures.index)
    outliers = high_rate_outliers(rates.dropna())
    rows = []
    for column, label in labels.items():
        stats = correlate(measures[column], rates, classes=classes, confidence=confidence)
        # without outliers (the same coefficients as ``stats`` when there are none)
        without = (correlate(measures[column].drop(outliers), rates.drop(outliers))
                   if len(outliers) else stats)
        suppressed = (_suppressed_range(column, rates, band, classes)
                      if column in ("band_a_share", "band_a_homes") else {})
        rows.append({
            "source": item.source, "category": item.category, "measure": column,
            "measure_label": label, **stats, **suppressed,
            "n_high_rate_outliers": len(outliers),
            "high_rate_outliers": " ".join(outliers),
            "pearson_without_outliers": without.get("pearson"),
            "spearman_without_outliers": without.get("spearman"),
            "outliers_drive_result": bool(
                len(outliers) and abs((stats.get("pearson") or 0) - (without.get("pearson")
                                                                       or 0)) >= 0.1),
        })
    return rows


def _quintile_rows(item: CategoryRates, iod: pd.DataFrame, confidence: float,
                   lsoa_counts: pd.Series | None = None) -> tuple[list[dict], list[dict]]:
    """Return quintile and inequality rows.

    ``lsoa_counts`` (default the true counts) feed the LSOA-level figures: the dispersion
    factor and the log-linear RII.
    """
    quintile_rows, inequality_rows = [], []
    counts = item.counts.reindex(iod.index)
    population = item.population.reindex(iod.index)
    lsoa = counts if lsoa_counts is None else lsoa_counts.reindex(iod.index)
    loglinear = loglinear_rii(lsoa, population, iod["IMD_score"], confidence=confidence)
    for kind, column in QUINTILE_TYPES.items():
        table = quintile_rates(counts, population, iod[column], per=item.per)
        limits = rate_limits(table["events"], table["population"], per=item.per,
                             confidence=confidence)
        for quintile, row in table.iterrows():
            quintile_rows.append({
                "source": item.source, "category": item.category, "quintiles": kind,
                "quintile": int(quintile), "population": int(row["population"]),
                "events": int(row["events"]), "rate": row["rate"],
                "rate_low": limits.loc[quintile, "rate_low"],
                "rate_high": limits.loc[quintile, "rate_high"], "suppressed": False})
        phi = dispersion(lsoa, population, iod[column])
        missing = pd.Series({"events": np.nan, "population": np.nan, "rate": np.nan})
        q1 = table.loc[1] if 1 in table.index else missing  # a quintile without LSOAs
        q5 = table.loc[5] if 5 in table.index else missing
        rr = (rate_ratio(q1["events"], q1["population"], q5["events"], q5["population"],
                         scale=phi, confidence=confidence)
              if 1 in table.index and 5 in table.index else (np.nan,) * 3)
        sii = (slope_index(table["rate"], table["population"], events=table["events"],
                           scale=phi, confidence=confidence) if len(table) == 5 else {})
        total = table["events"].sum()
        ends = limits.reindex([1, 5])
        inequality_rows.append({
            "source": item.source, "category": item.category, "quintiles": kind,
            "rate_most_deprived": q1["rate"],
            "rate_most_deprived_low": ends.loc[1, "rate_low"],
            "rate_most_deprived_high": ends.loc[1, "rate_high"],
            "rate_least_deprived": q5["rate"],
            "rate_least_deprived_low": ends.loc[5, "rate_low"],
            "rate_least_deprived_high": ends.loc[5, "rate_high"],
            "rate_ratio": rr[0], "rate_ratio_low": rr[1], "rate_ratio_high": rr[2],
            "dispersion": phi,
            "share_in_most_deprived_20pc": q1["events"] / total if total else np.nan,
            **sii, **loglinear, "rate_unit": item.unit, "suppressed": False,
        })
    return quintile_rows, inequality_rows


def adjust_for_multiple_tests(correlations: pd.DataFrame) -> pd.DataFrame:
    """Add Benjamini-Hochberg q-values of the spatial p-values, over the whole table.

    Examples
    --------
    >>> table = pd.DataFrame({"pearson_p_spatial": [0.01, 0.04, 0.03, 0.5],
    ...                       "spearman_p_spatial": [0.001, np.nan, 0.2, 0.02]})
    >>> adjust_for_multiple_tests(table)["pearson_q_spatial"].round(3).tolist()
    [0.04, 0.053, 0.053, 0.5]
    """
    from scipy.stats import false_discovery_control

    out = correlations.copy()
    for test in ("pearson", "spearman"):
        column = f"{test}_p_spatial"
        q = pd.Series(np.nan, index=out.index)
        if column in out:
            known = out[column].notna()
            if known.any():
                q[known] = false_discovery_control(out.loc[known, column].to_numpy(float))
        out[f"{test}_q_spatial"] = q
    return out


def associated_factors(items: list[CategoryRates], area: StudyArea,
                       iod: pd.DataFrame, *, confidence: float = 0.95) -> Associations:
    """Compute every associated-factors figure for the given categories (true figures)."""
    edition = iod.attrs["edition"]
    band = area.band_a.reindex(area.lsoas.index)
    measures, labels = deprivation_measures(iod, edition, band)
    points = area.lsoas.geometry.representative_point().reindex(measures.index)
    classes = distance_classes(np.column_stack([points.x, points.y]))
    correlations, quintiles, inequality = [], [], []
    for item in items:
        correlations += _correlation_rows(item, measures, labels, classes, band, confidence)
        q_rows, i_rows = _quintile_rows(item, iod, confidence)
        quintiles += q_rows
        inequality += i_rows
    population = area.lsoas["residents"]
    wards = summaries(iod, population, area.lsoas["ward_code"], edition=edition)
    wards.insert(0, "area_name", wards.index.map(area.wards["ward_name"]))
    borough = summaries(iod, population, pd.Series(area.name, index=area.lsoas.index),
                        edition=edition)
    borough.insert(0, "area_name", area.name)
    table = pd.concat([borough.assign(level="Local authority"), wards.assign(level="Ward")])
    by_ward = band.groupby(area.lsoas["ward_code"])[["band_a", "all_properties"]].sum()
    shares = (by_ward["band_a"] / by_ward["all_properties"]).to_dict()
    shares[area.name] = band["band_a"].sum() / band["all_properties"].sum()
    table["band_a_share"] = table.index.map(shares)
    table = table.rename_axis("area_code").reset_index()
    return Associations(edition, adjust_for_multiple_tests(pd.DataFrame(correlations)),
                        pd.DataFrame(quintiles),
                        pd.DataFrame(inequality), table, labels,
                        {f"{i.source}|{i.category}": i for i in items}, iod, confidence)


def figures_from_estimates(associations: Associations, item: CategoryRates,
                           estimate: pd.Series, area: StudyArea) -> tuple[pd.DataFrame,
                                                                          pd.DataFrame]:
    """Recompute a sensitive category's LSOA-level figures from estimated counts.

    Correlations, the dispersion factor (and so the rate ratio's and SII's intervals) and
    the log-linear RII use ``estimate`` instead of the true LSOA counts; quintile totals stay
    true (they are published cells under disclosure control).

    Returns
    -------
    correlations, inequality : pandas.DataFrame
        The category's rows, in the tables' layout (q-values not yet adjusted).
    """
    iod = associations.iod
    if iod is None:
        raise ValueError("the associations carry no IoD table to recompute from")
    band = area.band_a.reindex(area.lsoas.index)
    measures, labels = deprivation_measures(iod, associations.edition, band)
    points = area.lsoas.geometry.representative_point().reindex(measures.index)
    classes = distance_classes(np.column_stack([points.x, points.y]))
    estimated = CategoryRates(item.source, item.category, estimate, item.population, item.per,
                              item.unit, item.sensitive, item.hidden_groups)
    correlations = _correlation_rows(estimated, measures, labels, classes, band,
                                     associations.confidence)
    _, inequality = _quintile_rows(item, iod, associations.confidence, lsoa_counts=estimate)
    return pd.DataFrame(correlations), pd.DataFrame(inequality)


def category_rates(lsoa: pd.DataFrame, period: Period,
                   partners: list[PartnerLayer]) -> list[CategoryRates]:
    """Each category's true LSOA counts and denominators, police.uk first, then partners.

    Parameters
    ----------
    lsoa : pandas.DataFrame
        police.uk LSOA measures, indexed by area code.
    period : Period
        The reporting period (sub-periods are left out).
    partners : list of PartnerLayer
        Layers with true LSOA counts (``lsoa_counts``); others are skipped.
    """
    items = []
    main = lsoa[lsoa["period"] == period.label]
    for category, rows in main.groupby("category", sort=False):
        items.append(CategoryRates("police.uk", str(category), rows["count"].astype(float),
                                   rows["residents"], RATE_PER, rows["rate_unit"].iloc[0]))
    for layer in partners:
        if layer.lsoa_counts is None:
            continue
        measures = layer.measures["lsoa"]
        population = measures[layer.spec.population][~measures.index.duplicated()]
        for category, rows in layer.lsoa_counts.groupby("category", sort=False):
            counts = rows.set_index("area_code")["count"].astype(float)
            items.append(CategoryRates(layer.label, str(category), counts, population,
                                       layer.spec.per, layer.spec.unit, layer.spec.sensitive))
    return items
