"""Writing the associated-factors chapter: its tables, plots and Markdown report."""

from __future__ import annotations

from pathlib import Path

from geosafety.analysis.assessment import Assessment
from geosafety.analysis.associations import Associations
from geosafety.io.datasets import ATTRIBUTION
from geosafety.measures.categories import figure_stem
from geosafety.render.charts import rate_against_deprivation
from geosafety.render.drawing import draw
from geosafety.report.citations import sentences
from geosafety.report.markdown import write_markdown
from geosafety.report.tables import Charts, write_csv

METHOD_NOTES = """\
- **Rates** use each layer's denominator (crime and ASB per 1,000 Census 2021 residents; fires
  per 100,000 residents; MARAC per 10,000 and CJIT per 100,000 adults aged 18+), with
  Public Health England's intervals (Byar's; exact Poisson below 10 events).
- **Correlations** are across LSOAs. Spearman (ranks) is given with Pearson because rates are
  skewed. Neighbouring LSOAs are not independent, so each coefficient is tested with
  **Dutilleul's modified t-test** (Dutilleul 1993), computed as SpatialPack's
  `modified.ttest` does: each variable's Moran autocorrelation in 13 equal-width distance
  classes between LSOA representative points gives its correlation matrix R, and the
  effective sample size is 1 + tr(BRx) tr(BRy) / tr(BRx BRy), B = I - 11'/n (Spearman gets
  its own, from the ranks). The intervals use Fisher's z with that effective sample size
  (Bonett-Wright standard error for Spearman), so interval and p-value agree; naive ones are
  in `correlations.csv`. **Multiple testing**: Benjamini-Hochberg q-values over every row of
  `correlations.csv` (each coefficient separately); a finding is called significant at a 5%
  false discovery rate.
- **High-rate outliers**: a few LSOAs (at most 5%) above the upper quartile plus three
  interquartile ranges, usually town centres with few residents. Coefficients are shown
  without them where they move Pearson by 0.1 or more.
- **IMD without crime** is rebuilt from the exponentially transformed domain ranks with the
  official weights, the crime domain's 9.3% shared among the others. Correlating crime with it
  avoids correlating crime with itself.
- **Quintiles**: local = fifths of the borough's LSOAs ranked by IMD score; national = IMD
  deciles 1-2, 3-4, ... of England. **Rate ratio** of the most to the least deprived fifth
  with a quasi-Poisson interval: LSOA counts vary far more than Poisson counts, so the
  Poisson interval is widened by the square root of their dispersion about the quintile rates
  (Pearson chi-squared over its degrees of freedom, shown). **Slope index of inequality** as
  PHE computes it (PHEindicatormethods `phe_sii`): a population-weighted regression of
  quintile rates on the midpoint of each quintile's cumulative population share (0 = least,
  1 = most deprived; PHE orders the other way, so its SII has the opposite sign), with a
  simulated interval (100,000 draws of each quintile's log rate from its interval, widened by
  the same dispersion). **Relative index** as PHE defines it: the fitted rate at the most
  deprived end over the fitted rate at the least deprived end; when that fitted rate nears
  zero the ratio is unstable and the report says so. Beside it, a **log-linear RII**:
  exp(slope) of a quasi-Poisson regression of LSOA counts on each LSOA's relative
  deprivation rank.
- **Summaries** for wards (best-fit LSOAs) and the borough are population weighted (Census
  2021 residents): average score, extent (MHCLG's definition: residents of LSOAs in England's
  most deprived 10% count fully, then a weight stepping down by national percentile from 0.95
  at the 11th to 0.05 at the 30th; within 0.7 points of MHCLG's published extent for every
  authority) and local concentration (population-weighted mean national rank of the most
  deprived LSOAs holding 10% of residents; lower = more deprived).
- **Council Tax Band A** (VOA CTSOP1.1, March 2023): counts are rounded to 10 and "-" (fewer
  than 5) is read as 2; the correlations are also computed with every "-" cell at 0 and at 4,
  and the report gives the range when it moves a coefficient.
- **Sensitive sources** (MARAC, CJIT): quintile totals are protected with the area figures
  (disclosure control); any comparison resting on a hidden one is withheld, outlier LSOAs are
  not named, and plots show quintile rates only, never an LSOA. Their correlations, the
  dispersion factor behind their intervals and the log-linear RII are computed from the
  **published** LSOA table, each suppressed LSOA estimated from published figures only (its
  ward's remainder shared by adults), so they cannot be inverted to recover a hidden count;
  they are estimates, and may differ from figures on the full records.
"""


def write_deprivation(result: Assessment, assoc: Associations, folder: Path,
                      charts: Charts | None = None) -> list[Path]:
    """Write the associated-factors tables and report into ``folder``, plots to ``charts``."""
    charts = charts or Charts.beside(folder)
    tables = {"correlations.csv": assoc.correlations, "quintiles.csv": assoc.quintiles,
              "inequality.csv": assoc.inequality,
              "deprivation_summary.csv": assoc.summaries}
    written = [write_csv(frame, folder / name) for name, frame in tables.items()]
    iod = assoc.iod
    images = {}
    for key, item in assoc.plot_data.items():
        stem = figure_stem(item.category)
        footnote = (f"Source: {item.source}; IoD{assoc.edition} (MHCLG); Census 2021 (ONS). "
                    f"{result.period.describe()}. {ATTRIBUTION}")
        drawn = draw(rate_against_deprivation, item, iod,
                     path=charts.path(f"rate_vs_imd_{stem}.png"), area_name=result.area.name,
                     edition=assoc.edition, footnote=footnote)
        images[key] = drawn[0]
        written += drawn
    report = folder / "associated_factors.md"
    write_markdown(report, _markdown(result, assoc, images, charts))
    written.append(report)
    return written


def _markdown(result: Assessment, assoc: Associations, images: dict[str, Path],
              charts: Charts) -> str:
    area = result.area
    cited = sentences(assoc, area)
    summary = assoc.summaries.copy()
    lines = [
        f"# Associated factors: deprivation and housing, {area.name}",
        "",
        f"Period: {result.period.describe()}. Deprivation: English Indices of Deprivation "
        f"{assoc.edition} (chosen to match the police data's LSOA codes). Every figure below "
        "is recomputed by `geosafety assess`; the tables behind them are `correlations.csv`, "
        "`inequality.csv`, `quintiles.csv` and `deprivation_summary.csv`.",
        "",
        "## Deprivation in the borough and its wards (population weighted)",
        "",
        "| area | residents | average IMD score | extent | local concentration | residents in "
        "England's most deprived 20% | Band A share of homes |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in summary.itertuples(index=False):
        lines.append(f"| {row.area_name} | {row.residents:,} | {row.average_score:.1f} | "
                     f"{row.extent:.1%} | {row.local_concentration:,.0f} | "
                     f"{row.share_most_deprived_20pc:.0%} | {row.band_a_share:.0%} |")
    lines += ["", "## Findings by category", ""]
    for key, item in assoc.plot_data.items():
        lines += [f"### {item.category}", "", f"Source: {item.source}.", ""]
        lines += [f"- {sentence}" for sentence in cited[key]]
        image = images.get(key)
        if image is not None:
            lines += ["", f"![{item.category} against IMD score]({charts.href(image.name)})"]
        lines.append("")
    lines += ["## How to read these figures", "", METHOD_NOTES, "", ATTRIBUTION, ""]
    return "\n".join(lines)


__all__ = ["write_deprivation"]
