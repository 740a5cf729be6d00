"""Citation-ready sentences for the associated-factors chapter, one list per category.

Every sentence says what was compared, over which areas, with which edition and quintile
definition, and gives the interval and the spatially corrected significance, so an author
can paste it as it stands.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geosafety.analysis.associations import Associations
from geosafety.geography import StudyArea
from geosafety.measures.intervals import confidence_label

WITHHELD = "withheld by disclosure control"


def _p(value: float) -> str:
    if not np.isfinite(value):
        return "n/a"
    return "< 0.001" if value < 0.001 else f"= {value:.3f}"


def _r(row: pd.Series, name: str, level: str) -> str:
    if not np.isfinite(row[name]):
        return "n/a"
    spatial = row.get(f"n_effective_{name}", np.nan)
    basis = f"; effective sample size {spatial:.0f}" if np.isfinite(spatial) else ""
    return (f"{row[name]:.2f} ({level} CI {row[name + '_low']:.2f} to "
            f"{row[name + '_high']:.2f}{basis})")


def _after_adjustment(row: pd.Series) -> str:
    found = {name: row[f"{name}_q_spatial"] < 0.05 for name in ("spearman", "pearson")
             if np.isfinite(row.get(f"{name}_q_spatial", np.nan))}
    if len(found) < 2:
        return "cannot be judged"
    if all(found.values()):
        return "both remain significant"
    if not any(found.values()):
        return "neither is significant"
    kept = "Spearman" if found["spearman"] else "Pearson"
    return f"{kept} remains significant, the other does not"


def _correlation_sentence(row: pd.Series, area: StudyArea, subject: str, level: str,
                          tests: int) -> str:
    spatial = ""
    if np.isfinite(row.get("pearson_p_spatial", np.nan)):
        spatial = (f" Dutilleul's modified t-test, allowing for spatial autocorrelation: "
                   f"Spearman p {_p(row['spearman_p_spatial'])}, Pearson p "
                   f"{_p(row['pearson_p_spatial'])} (naive p {_p(row['spearman_p'])} and "
                   f"{_p(row['pearson_p'])}); after Benjamini-Hochberg adjustment across the "
                   f"{tests} correlations of this chapter, {_after_adjustment(row)} at a 5% "
                   "false discovery rate.")
    suppressed = ""
    if np.nan_to_num(row.get("band_a_cells_suppressed", 0)) > 0:
        ranges = {name: (row[f"{name}_if_suppressed_low"], row[f"{name}_if_suppressed_high"])
                  for name in ("spearman", "pearson")}
        steady = all(f"{low:.2f}" == f"{high:.2f}" for low, high in ranges.values())
        effect = ("neither coefficient changes at two decimal places" if steady else
                  "Spearman lies between {:.2f} and {:.2f} and Pearson between {:.2f} and "
                  "{:.2f}".format(*ranges["spearman"], *ranges["pearson"]))
        suppressed = (f" VOA shows {int(row['band_a_cells_suppressed'])} LSOA(s) as \"-\" "
                      f"(0 to 4 Band A homes): anywhere in that range, {effect}.")
    return (f"{subject} and {row['measure_label']} across {area.name}'s {row['n']} LSOAs: "
            f"Spearman {_r(row, 'spearman', level)}, Pearson {_r(row, 'pearson', level)}."
            f"{spatial}{suppressed}")


def _outlier_sentence(row: pd.Series) -> str | None:
    if not row["outliers_drive_result"]:
        return None
    named = f" ({row['high_rate_outliers']})" if row["high_rate_outliers"] else ""
    return (f"Caution: {row['n_high_rate_outliers']} LSOA(s) with very high rates{named}, "
            "typically town centres with few residents, drive the Pearson figure: without "
            f"them it is {row['pearson_without_outliers']:.2f} (Spearman "
            f"{row['spearman_without_outliers']:.2f}).")


def _quintile_sentence(local: pd.Series, national: pd.Series, subject: str,
                       level: str) -> str:
    def ratio(row: pd.Series) -> str:
        if not np.isfinite(row["rate_ratio"]):
            return WITHHELD if row["suppressed"] else "not estimable"
        return (f"{row['rate_ratio']:.1f} times the rate of the least deprived fifth ({level} "
                f"CI {row['rate_ratio_low']:.1f} to {row['rate_ratio_high']:.1f}, allowing "
                f"for over-dispersion {row['dispersion']:.0f} times Poisson)")

    def share(row: pd.Series) -> str:
        value = row["share_in_most_deprived_20pc"]
        return f"{value:.0%}" if np.isfinite(value) else WITHHELD

    sii = ""
    if np.isfinite(local.get("sii", np.nan)):
        interval = (f" ({level} CI {local['sii_low']:.1f} to {local['sii_high']:.1f})"
                    if np.isfinite(local.get("sii_low", np.nan)) else "")
        rii = (f" ({level} CI {local['rii_low']:.2f} to {local['rii_high']:.2f})"
               if np.isfinite(local.get("rii_low", np.nan)) else "")
        relative = f"relative index {local['rii']:.2f}{rii}"
        if local["rii_low"] <= 0:  # the fitted line reaches (or nears) 0: a ratio of noise
            relative = (f"PHE's relative index ({local['rii']:.1f}) is unstable here because "
                        "the fitted line comes close to zero at the least deprived end "
                        f"({local['fitted_least_deprived']:.1f} {local['rate_unit']}); use "
                        "the log-linear index")
        sii = (f" Slope index of inequality (local quintiles, PHE's method): "
               f"{local['sii']:.1f} {local['rate_unit']}{interval} more at the most deprived "
               f"end than at the least; {relative}.")
    loglinear = ""
    if np.isfinite(local.get("rii_loglinear", np.nan)) and np.isfinite(local["rate_ratio"]):
        loglinear = (f" Log-linear relative index across the LSOAs: "
                     f"{local['rii_loglinear']:.2f} ({level} CI "
                     f"{local['rii_loglinear_low']:.2f} to {local['rii_loglinear_high']:.2f}).")
    return (f"{subject}: the most deprived fifth of LSOAs (local quintiles, by IMD score within "
            f"the borough) has {ratio(local)}; with national quintiles (England's fifths), "
            f"{ratio(national)}. {share(local)} of incidents fall in the borough's most "
            f"deprived 20% of LSOAs and {share(national)} in LSOAs among England's most "
            f"deprived 20%.{sii}{loglinear}")


def sentences(result: Associations, area: StudyArea) -> dict[str, list[str]]:
    """Return, per ``"source|category"``, the sentences an author can cite.

    Figures withheld by disclosure control are said to be withheld, never given.
    """
    out: dict[str, list[str]] = {}
    level = confidence_label(result.confidence)
    tests = (int(result.correlations["pearson_p_spatial"].notna().sum())
             if "pearson_p_spatial" in result.correlations else 0)
    corr = result.correlations.set_index(["source", "category", "measure"])
    ineq = result.inequality.set_index(["source", "category", "quintiles"])
    for key, item in result.plot_data.items():
        subject = f"{item.category} rate ({item.unit})"
        lines = []
        for measure in ("IMD_score", "IMD_without_crime", "band_a_share"):
            row = corr.loc[(item.source, item.category, measure)]
            lines.append(_correlation_sentence(row, area, subject, level, tests))
            if measure == "IMD_score" and (note := _outlier_sentence(row)):
                lines.append(note)
        lines.append(_quintile_sentence(ineq.loc[(item.source, item.category, "local")],
                                        ineq.loc[(item.source, item.category, "national")],
                                        item.category, level))
        out[key] = lines
    return out
