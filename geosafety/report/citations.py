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

WITHHELD = "withheld by disclosure control"


def _p(value: float) -> str:
    if not np.isfinite(value):
        return "n/a"
    return "< 0.001" if value < 0.001 else f"= {value:.3f}"


def _r(row: pd.Series, name: str) -> str:
    return (f"{row[name]:.2f} (95% CI {row[name + '_low']:.2f} to {row[name + '_high']:.2f})"
            if np.isfinite(row[name]) else "n/a")


def _correlation_sentence(row: pd.Series, area: StudyArea, subject: str) -> str:
    spatial = ""
    if np.isfinite(row.get("pearson_p_spatial", np.nan)):
        spatial = (f" Allowing for spatial autocorrelation (effective sample size "
                   f"{row['n_effective_spearman']:.0f} of {row['n']}), Spearman p "
                   f"{_p(row['spearman_p_spatial'])}, Pearson p {_p(row['pearson_p_spatial'])}"
                   f" (naive p {_p(row['spearman_p'])} and {_p(row['pearson_p'])}).")
    return (f"{subject} and {row['measure_label']} across {area.name}'s {row['n']} LSOAs: "
            f"Spearman {_r(row, 'spearman')}, Pearson {_r(row, 'pearson')}.{spatial}")


def _outlier_sentence(row: pd.Series) -> str | None:
    if not row["outliers_drive_result"]:
        return None
    named = f" ({row['high_rate_outliers']})" if row["high_rate_outliers"] else ""
    return (f"Caution: {row['n_high_rate_outliers']} LSOA(s) with very high rates{named}, "
            "typically town centres with few residents, drive the Pearson figure: without "
            f"them it is {row['pearson_without_outliers']:.2f} (Spearman "
            f"{row['spearman_without_outliers']:.2f}).")


def _quintile_sentence(local: pd.Series, national: pd.Series, subject: str) -> str:
    def ratio(row: pd.Series) -> str:
        if not np.isfinite(row["rate_ratio"]):
            return WITHHELD if row["suppressed"] else "not estimable"
        return (f"{row['rate_ratio']:.1f} times the rate of the least deprived fifth (95% CI "
                f"{row['rate_ratio_low']:.1f} to {row['rate_ratio_high']:.1f})")

    def share(row: pd.Series) -> str:
        value = row["share_in_most_deprived_20pc"]
        return f"{value:.0%}" if np.isfinite(value) else WITHHELD

    sii = (f" Slope index of inequality (local quintiles): {local['sii']:.1f} {local['rate_unit']}"
           f" (95% CI {local['sii_low']:.1f} to {local['sii_high']:.1f}); relative index "
           f"{local['rii']:.2f}." if np.isfinite(local.get("sii", np.nan)) else "")
    return (f"{subject}: the most deprived fifth of LSOAs (local quintiles, by IMD score within "
            f"the borough) has {ratio(local)}; with national quintiles (England's fifths), "
            f"{ratio(national)}. {share(local)} of incidents fall in the borough's most "
            f"deprived 20% of LSOAs and {share(national)} in LSOAs among England's most "
            f"deprived 20%.{sii}")


def sentences(result: Associations, area: StudyArea) -> dict[str, list[str]]:
    """Return, per ``"source|category"``, the sentences an author can cite.

    Figures withheld by disclosure control are said to be withheld, never given.
    """
    out: dict[str, list[str]] = {}
    corr = result.correlations.set_index(["source", "category", "measure"])
    ineq = result.inequality.set_index(["source", "category", "quintiles"])
    for key, item in result.plot_data.items():
        subject = f"{item.category} rate ({item.unit})"
        lines = []
        for measure in ("IMD_score", "IMD_without_crime", "band_a_share"):
            row = corr.loc[(item.source, item.category, measure)]
            lines.append(_correlation_sentence(row, area, subject))
            if measure == "IMD_score" and (note := _outlier_sentence(row)):
                lines.append(note)
        lines.append(_quintile_sentence(ineq.loc[(item.source, item.category, "local")],
                                        ineq.loc[(item.source, item.category, "national")],
                                        item.category))
        out[key] = lines
    return out
