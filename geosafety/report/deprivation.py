"""Writing the associated-factors chapter: its tables, plots and Markdown report."""

from __future__ import annotations

from pathlib import Path

from geosafety.analysis.assessment import Assessment
from geosafety.analysis.associations import Associations
from geosafety.io.datasets import ATTRIBUTION
from geosafety.measures.categories import slug
from geosafety.render.charts import rate_against_deprivation
from geosafety.report.citations import sentences
from geosafety.report.tables import write_csv

METHOD_NOTES = """\
- **Rates** use each layer's denominator (crime and ASB per 1,000 Census 2021 residents; fires
  per 100,000 residents; MARAC per 10,000 and CJIT per 100,000 adults aged 18+).
- **Correlations** are across LSOAs. Spearman (ranks) is given with Pearson because rates are
  skewed. 95% intervals use Fisher's z (Bonett-Wright standard error for Spearman).
  Neighbouring LSOAs are not independent, so each coefficient also gets Dutilleul's modified
  t-test: the Clifford-Richardson-Hemon effective sample size from the two variables'
  spatial autocorrelation (Moran-type, in distance classes). Use the spatial p-value.
- **High-rate outliers**: a few LSOAs (at most 5%) above the upper quartile plus three
  interquartile ranges, usually town centres with few residents. Coefficients are shown
  without them where they move Pearson by 0.1 or more.
- **IMD without crime** is rebuilt from the exponentially transformed domain ranks with the
  official weights, the crime domain's 9.3% shared among the others. Correlating crime with it
  avoids correlating crime with itself.
- **Quintiles**: local = fifths of the borough's LSOAs ranked by IMD score; national = IMD
  deciles 1-2, 3-4, ... of England. Rate ratio of the most to the least deprived fifth with
  a Poisson 95% interval. Slope index of inequality: population-weighted regression of
  quintile rates on cumulative population rank (0 = least, 1 = most deprived); relative
  index = slope / overall rate. With five points its interval is wide.
- **Summaries** for wards (best-fit LSOAs) and the borough are population weighted (Census
  2021 residents): average score, extent (residents in England's most deprived 30%, weighted
  1 in the most deprived 10% falling to 0 at 30%) and local concentration (population-weighted
  mean national rank of the most deprived LSOAs holding 10% of residents; lower = more
  deprived).
- **Council Tax Band A** (VOA CTSOP1.1, March 2023): counts are rounded to 10 and "-" (fewer
  than 5) is read as 2; `band_a_share_low`/`_high` in the bundled table give the bounds.
- **Sensitive sources** (MARAC, CJIT): quintile totals are protected with the area figures
  (disclosure control); any comparison resting on a hidden one is withheld, outlier LSOAs are
  not named, and plots show quintile rates only, never an LSOA.
"""


def write_deprivation(result: Assessment, assoc: Associations, folder: Path) -> list[Path]:
    """Write the associated-factors tables, plots and report into ``folder``."""
    tables = {"correlations.csv": assoc.correlations, "quintiles.csv": assoc.quintiles,
              "inequality.csv": assoc.inequality,
              "deprivation_summary.csv": assoc.summaries}
    written = [write_csv(frame, folder / name) for name, frame in tables.items()]
    plots = folder / "plots"
    plots.mkdir(exist_ok=True)
    iod = assoc.iod
    images = {}
    for key, item in assoc.plot_data.items():
        stem = slug(item.category.replace("(SYNTHETIC)", "")) + (
            "_SYNTHETIC" if "SYNTHETIC" in item.category else "")
        footnote = (f"Source: {item.source}; IoD{assoc.edition} (MHCLG); Census 2021 (ONS). "
                    f"{result.period.describe()}. {ATTRIBUTION}")
        images[key] = rate_against_deprivation(
            item, iod, plots / f"rate_vs_imd_{stem}.png", area_name=result.area.name,
            edition=assoc.edition, footnote=footnote)
        written.append(images[key])
    report = folder / "associated_factors.md"
    report.write_text(_markdown(result, assoc, images), encoding="utf-8")
    written.append(report)
    return written


def _markdown(result: Assessment, assoc: Associations, images: dict[str, Path]) -> str:
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
            lines += ["", f"![{item.category} against IMD score](plots/{image.name})"]
        lines.append("")
    lines += ["## How to read these figures", "", METHOD_NOTES, "", ATTRIBUTION, ""]
    return "\n".join(lines)


__all__ = ["write_deprivation"]
