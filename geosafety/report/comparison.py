"""Writing the comparison of authorities: a table, a chart and sentences to cite."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geosafety.analysis.comparison import AUTHORITY, FORCE, Comparison
from geosafety.io.datasets import ATTRIBUTION
from geosafety.io.police_uk import POLICE_UK_SOURCE
from geosafety.measures.categories import slug
from geosafety.render.charts import comparison_chart, funnel_chart
from geosafety.render.drawing import draw
from geosafety.report.markdown import write_markdown
from geosafety.report.tables import write_csv

#: Categories the chart shows, when present.
CHART_CATEGORIES = ("All crime", "Anti-social behaviour", "Violence and sexual offences",
                    "Burglary", "Criminal damage and arson", "Drugs")


def comparison_sentences(comparison: Comparison) -> list[str]:
    """One sentence per assessed authority and category: rate, rank, and ratio to the force.

    Each rate carries its confidence interval; the ratio to the force area says whether the
    authority's interval lies wholly above or below the force area's rate, e.g. "Wirral: All
    crime 71.7 per 1,000 residents (95% CI 70.8 to 72.6; 22,947 records), rank 5 of 5
    authorities; 0.74 times Merseyside police force area's rate (96.5), significantly lower."
    """
    table = comparison.table
    forces = table[table["area_type"] == FORCE].set_index(["area_name", "category"])["rate"]
    lines = []
    for row in table[table["assessed"]].itertuples(index=False):
        force_rate = next((forces[(f, row.category)] for f in comparison.force_names
                           if (f, row.category) in forces.index), None)
        verdict = {"higher": ", significantly higher", "lower": ", significantly lower",
                   "similar": ", not significantly different"}.get(
            str(row.compared_with_force), "")
        ratio = (f"; {row.rate_ratio_to_force:.2f} times {comparison.force_names[0]} police "
                 f"force area's rate ({force_rate:,.1f}){verdict}" if force_rate is not None
                 and pd.notna(row.rate_ratio_to_force) else "")
        lines.append(f"{row.area_name}: {row.category} {row.rate:,.1f} {row.rate_unit} "
                     f"({row.confidence} CI {row.rate_low:,.1f} to {row.rate_high:,.1f}; "
                     f"{row.count:,} records), rank {row.rank} of {row.n_areas} authorities"
                     f"{ratio}.")
    return lines


def write_comparison(comparison: Comparison, folder: Path) -> list[Path]:
    """Write ``comparison.csv``, ``comparison.md`` and the chart into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [write_csv(comparison.table, folder / "comparison.csv")]
    shown = [c for c in CHART_CATEGORIES if c in set(comparison.table["category"])]
    footnote = (f"Source: {POLICE_UK_SOURCE}; Census 2021 residents (ONS). "
                f"{comparison.period.describe()}. {ATTRIBUTION}")
    written += draw(comparison_chart, comparison.table, path=folder / "comparison.png",
                    categories=shown, period=comparison.period.describe(), footnote=footnote)
    funnels = comparison.funnels()
    if funnels:
        rows = []
        for category, found in funnels:
            table = found.areas.rename_axis("area_code").reset_index()
            table.insert(0, "category", category)
            table["target_rate"] = found.target
            table["phi"] = found.phi
            table["overdispersed"] = found.overdispersed
            rows.append(table)
        written.append(write_csv(pd.concat(rows, ignore_index=True),
                                 folder / "comparison_funnel.csv"))
        against = (f"{comparison.force_names[0]}'s rate" if comparison.force_names
                   else "their pooled rate")
        for category, found in funnels:
            if category in CHART_CATEGORIES[:2]:
                written += draw(
                    funnel_chart, found, path=folder / f"funnel_{slug(category)}.png",
                    title=f"{category}: authorities against {against}", footnote=footnote)
    lines = [f"# How the authorities compare, {comparison.period.describe()}", "",
             "Counts are police.uk records by the authority of each record's LSOA; rates are "
             "per 1,000 Census 2021 residents, with confidence intervals by Public Health "
             "England's method (Byar's, exact below 10 events); rank 1 is the highest rate "
             f"among the authorities compared ({', '.join(comparison.force_names)} police "
             "force area). An authority is significantly higher or lower than its force "
             "area when its whole interval lies above or below the force area's rate. The "
             "table behind every figure is `comparison.csv`.", "",
             "![Rates by authority](comparison.png)", ""]
    lines += [f"- {s}" for s in comparison_sentences(comparison)]
    if funnels:
        lines += ["", "## Funnel plots", "",
                  "Each authority's rate against its residents, with 95% and 99.8% control "
                  "limits around the force area's rate, widened for the variation between "
                  "authorities when it exceeds chance (Spiegelhalter 2005; "
                  "`comparison_funnel.csv`):", ""]
        for category, found in funnels:
            outside = found.outside
            verdict = ("; ".join(f"{r.area_name} {r.verdict}" for r in outside.itertuples())
                       if len(outside) else "every authority is within the 95% limits")
            spread = (f"over-dispersion {found.phi:,.0f} times Poisson" if found.overdispersed
                      else "no significant over-dispersion")
            lines.append(f"- {category} ({spread}): {verdict}.")
        lines += ["", "![All crime funnel](funnel_all-crime.png)"]
    if comparison.notes:
        lines += ["", "Notes:", ""] + [f"- {n}" for n in comparison.notes]
    all_crime = comparison.table[comparison.table["category"] == "All crime"]
    if not all_crime.empty:
        level = all_crime["confidence"].iloc[0]
        lines += ["", "## All crime", "", f"| area | type | records | residents | rate per 1,000 "
                  f"| {level} CI | rank | ratio to force area | compared with force area |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for row in all_crime.itertuples(index=False):
            rank = "" if row.area_type == FORCE else f"{row.rank} of {row.n_areas}"
            compared = "" if pd.isna(row.compared_with_force) else row.compared_with_force
            lines.append(f"| {row.area_name} | {row.area_type.lower()} | {row.count:,} | "
                         f"{row.residents:,} | {row.rate:,.1f} | {row.rate_low:,.1f} to "
                         f"{row.rate_high:,.1f} | {rank} | {row.rate_ratio_to_force:.2f} | "
                         f"{compared} |")
    lines += ["", ATTRIBUTION, ""]
    report = folder / "comparison.md"
    write_markdown(report, "\n".join(lines))
    written.append(report)
    return written


__all__ = ["AUTHORITY", "comparison_sentences", "write_comparison"]
