"""The assessment document: executive summary and chapters written from an assessment.

:func:`assessment_document` turns an :class:`~geosafety.analysis.assessment.Assessment`
and the figures already written for it into a
:class:`~geosafety.report.document.Document`; :func:`write_report` writes it as a
self-contained HTML page and a Word file. Every sentence quotes figures from the tables the
run writes and names the table and row; sensitive sources contribute published
(disclosure-controlled) figures only, and SYNTHETIC inputs are flagged wherever they are
used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geosafety._levels import LEVELS
from geosafety.analysis.assessment import Assessment
from geosafety.analysis.partners import PartnerLayer
from geosafety.analysis.small_areas import POLICE_UK
from geosafety.io.datasets import ATTRIBUTION
from geosafety.io.police_uk import POLICE_UK_SOURCE
from geosafety.measures.categories import figure_stem, slug
from geosafety.report.citations import sentences
from geosafety.report.comparison import comparison_sentences
from geosafety.report.document import (
    Bullets,
    Chapter,
    Document,
    Figure,
    Heading,
    Notice,
    Paragraph,
    Table,
)
from geosafety.report.docx_document import document_docx
from geosafety.report.html_document import write_html
from geosafety.report.localities import locality_file
from geosafety.report.metadata import METHODS
from geosafety.report.small_areas import (
    FUNNEL_PLOTS,
    METHOD_NOTES,
    change_lines,
    funnel_lines,
    hotspot_lines,
)
from geosafety.report.time_of_day import time_file_stem

#: Trend changes quoted in the summary need at least this many records in both periods.
MIN_TREND_COUNT = 100
#: Categories given their own section besides those with the largest volumes.
FEATURED = FUNNEL_PLOTS
ALL_CRIME, ASB = "All crime", "Anti-social behaviour"
_SYNTHETIC_NOTICE = ("SYNTHETIC example data: the figures in this {what} are made up to show "
                     "the method, and describe no real incidents or people. Replace the "
                     "example file with the partner's extract to assess real data.")


@dataclass(frozen=True)
class FigureFolders:
    """Where the run's figures were written: choropleths and charts."""

    choropleths: Path | None
    charts: Path


def lower_first(name: str) -> str:
    """Lower-case a category's first letter to use it mid-sentence, sparing acronyms.

    Examples
    --------
    >>> lower_first("All crime"), lower_first("MARAC cases (SYNTHETIC)")
    ('all crime', 'MARAC cases (SYNTHETIC)')
    """
    first = name.split(" ", 1)[0]
    return name if first.isupper() else name[:1].lower() + name[1:]


def _n(value: float) -> str:
    return f"{int(round(value)):,}"


def _r(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def _ci(row: pd.Series, label: str) -> str:
    return f"{label} CI {_r(row['rate_low'])} to {_r(row['rate_high'])}"


def borough_rate(measures: pd.DataFrame, category: str, population: str = "residents",
                 per: float = 1000) -> tuple[float, float]:
    """Return the study area's count and rate of a category from its LSOA measures.

    Examples
    --------
    >>> lsoa = pd.DataFrame({"category": ["A", "A"], "count": [3, 5],
    ...                      "residents": [1000, 1000]})
    >>> borough_rate(lsoa, "A")
    (8.0, 4.0)
    """
    rows = measures[measures["category"] == category]
    count = float(rows["count"].sum())
    people = float(rows[population].sum())
    return count, (count / people * per if people else float("nan"))


def _period_rows(frame: pd.DataFrame, period: str) -> pd.DataFrame:
    return frame[frame["period"].astype(str) == period]


# --- the executive summary --------------------------------------------------------------


def volume_sentence(result: Assessment) -> Paragraph:
    """Crimes and ASB recorded, with rates per 1,000 residents (reconciliation.csv)."""
    lsoa = _period_rows(result.measures["lsoa"], result.period.label)
    crimes, crime_rate = borough_rate(lsoa, ALL_CRIME)
    asb, asb_rate = borough_rate(lsoa, ASB)
    return Paragraph(
        f"In {result.period.describe()}, police.uk recorded {_n(crimes)} crimes in "
        f"{result.area.name} ({_r(crime_rate)} per 1,000 residents) and {_n(asb)} incidents "
        f"of anti-social behaviour" + (f" ({_r(asb_rate)} per 1,000 residents)."
                                       if asb else "."),
        source="reconciliation.csv: All crime, Anti-social behaviour; residents: "
               "measures_lsoa.csv")


def largest_types_sentence(result: Assessment, most: int = 3) -> Paragraph:
    """Name the crime types with the largest volumes and their shares of all crime."""
    table = result.reconciliation[result.reconciliation["period"] == result.period.label]
    counts = table.set_index("category")["records"]
    total = counts.get(ALL_CRIME, 0)
    types = counts.drop([ALL_CRIME, ASB], errors="ignore").sort_values(ascending=False)
    named = [f"{lower_first(c) if i else c} ({_n(n)}, {n / total:.0%} of all crime)"
             for i, (c, n) in enumerate(types.head(most).items())]
    return Paragraph(f"{', '.join(named[:-1])} and {named[-1]} were the largest crime types.",
                     source="reconciliation.csv: records per category")


def change_sentence(result: Assessment) -> Paragraph | None:
    """Change since the first complete trend period: all crime, ASB and the biggest movers."""
    if result.trends is None or result.trends.first_to_last.empty:
        return None
    change = result.trends.first_to_last.set_index("category")
    if ALL_CRIME not in change.index:
        return None
    first = change.loc[ALL_CRIME]
    sizeable = change[(change["first_count"] >= MIN_TREND_COUNT)
                      & (change["last_count"] >= MIN_TREND_COUNT)].drop(
        [ALL_CRIME, ASB], errors="ignore")
    rise = sizeable["change_pc"].idxmax() if len(sizeable) else None
    fall = sizeable["change_pc"].idxmin() if len(sizeable) else None

    def moved(category: str) -> str:
        row = change.loc[category]
        return (f"{lower_first(category)} {row['change_pc']:+.0f}% ({_n(row['first_count'])} to "
                f"{_n(row['last_count'])})")

    parts = [f"From {first['first_period']} to {first['last_period']}, recorded crime "
             f"changed by {first['change_pc']:+.0f}% ({_n(first['first_count'])} to "
             f"{_n(first['last_count'])})"]
    if ASB in change.index:
        parts.append(f"anti-social behaviour by {change.loc[ASB, 'change_pc']:+.0f}%")
    text = " and ".join(parts) + "."
    if rise is not None and fall is not None and rise != fall:
        text += (f" Among crime types with at least {MIN_TREND_COUNT} records in both years, "
                 f"the largest rise was {moved(rise)} and the largest fall {moved(fall)}.")
    return Paragraph(text, source="trends_first_to_last.csv")


def ward_sentence(result: Assessment, category: str = ALL_CRIME) -> Paragraph | None:
    """Name the highest-rate ward of a category, its interval, and the wards standing out."""
    ward = _period_rows(result.measures["ward"], result.period.label)
    rows = ward[(ward["category"] == category) & ward["rate"].notna()]
    if rows.empty:
        return None
    top = rows.sort_values("rate", ascending=False).iloc[0]
    _, area_rate = borough_rate(_period_rows(result.measures["lsoa"], result.period.label),
                                category)
    higher = int((rows["compared_with_area"] == "higher").sum())
    level = str(top["confidence"])
    return Paragraph(
        f"{top['area_name']} had the highest {lower_first(category)} rate of {result.area.name}'s "
        f"wards: {_r(top['rate'])} per 1,000 residents ({_ci(top, level)}), "
        f"{top['rate'] / area_rate:.1f} times the {result.area.name} rate of {_r(area_rate)}; "
        f"{higher} of {len(rows)} wards had rates significantly higher than "
        f"{result.area.name}'s (the whole {level} interval above it).",
        source=f"measures_ward.csv: {top['area_name']}, {category}")


def locality_sentence(result: Assessment, category: str = ALL_CRIME) -> Paragraph | None:
    """Name the locality with the highest rate of a category, with its interval."""
    table = result.locality_measures.get("")
    if table is None:
        return None
    rows = _period_rows(table, result.period.label)
    rows = rows[(rows["category"] == category) & rows["rate"].notna()].sort_values("rank")
    if rows.empty:
        return None
    top = rows.iloc[0]
    compared = {"higher": "higher than", "lower": "lower than",
                "similar": "not significantly different from"}.get(
        str(top["compared_with_area"]), "compared with")
    return Paragraph(
        f"{top['area_name']} had the highest {lower_first(category)} rate of the "
        f"{len(rows)} localities: {_r(top['rate'])} per 1,000 residents "
        f"({_ci(top, str(top['confidence']))}), {compared} {result.area.name} as a whole.",
        source=f"measures_locality.csv: {top['area_name']}, {category}")


def lsoa_sentence(result: Assessment) -> Paragraph | None:
    """How many LSOAs lie above the funnel plot's 99.8% limit for all crime."""
    stats = result.small_areas
    if stats is None:
        return None
    for source, level, category, found in stats.funnels:
        if source == POLICE_UK and level == "lsoa" and category == ALL_CRIME:
            above = found.areas[found.areas["verdict"] == "above 99.8%"].sort_values(
                "z", ascending=False)
            named = ", ".join(f"{r.area_name} ({_r(r.rate)})" for r in above.head(3).itertuples())
            return Paragraph(
                f"{len(above)} of {result.area.name}'s {len(found.areas)} LSOAs had all-crime "
                "rates above the 99.8% funnel-plot limit, allowing for over-dispersion"
                + (f", the highest {named} per 1,000 residents" if named else "") + ".",
                source="funnel_lsoa.csv: All crime, verdict 'above 99.8%'")
    return None


def deprivation_sentence(result: Assessment, category: str = ALL_CRIME) -> Paragraph | None:
    """Give the rate ratio of the most to the least deprived local fifth, with its interval."""
    assoc = result.associations
    if assoc is None:
        return None
    table = assoc.inequality
    rows = table[(table["source"] == POLICE_UK) & (table["category"] == category)
                 & (table["quintiles"] == "local")]
    if rows.empty or pd.isna(rows.iloc[0]["rate_ratio"]):
        return None
    row = rows.iloc[0]
    return Paragraph(
        f"The {lower_first(category)} rate in the most deprived fifth of {result.area.name}'s "
        f"LSOAs (IMD {assoc.edition}) was {_r(row['rate_most_deprived'])} per 1,000 "
        f"residents, {_r(row['rate_ratio'])} times the {_r(row['rate_least_deprived'])} of the "
        f"least deprived fifth (95% CI {_r(row['rate_ratio_low'])} to "
        f"{_r(row['rate_ratio_high'])}); {row['share_in_most_deprived_20pc']:.0%} of "
        f"{lower_first(category)} was in the most deprived fifth.",
        source=f"inequality.csv: police.uk, {category}, local quintiles")


def correlation_sentence(result: Assessment, category: str = ALL_CRIME) -> Paragraph | None:
    """Quote the citation-ready correlation of a category's rate with the IMD score."""
    if result.associations is None:
        return None
    cited = sentences(result.associations, result.area).get(f"{POLICE_UK}|{category}", [])
    return Paragraph(cited[0], source=f"correlations.csv: {category}, IMD score") if cited \
        else None


def night_sentence(result: Assessment) -> Paragraph | None:
    """Give the night-time economy's share of its offence groups (force extract)."""
    times = result.time_of_day
    if times is None:
        return None
    night = times.statements[times.statements["profile"] == times.night.name]
    if night.empty:
        return None
    picked = night[night["measure"].isin(["share in night-time hours",
                                          "share on Friday and Saturday nights"])]
    said = "; ".join(picked["statement"]) if len(picked) else night["statement"].iloc[0]
    return Paragraph(f"{times.night.name}: {said}.", synthetic=times.synthetic,
                     source=f"{time_file_stem(times)}_time_statements.csv: "
                            f"{times.night.name}")


def partner_sentence(layer: PartnerLayer) -> Paragraph:
    """Give the headline of a partner layer: its records by category."""
    table = layer.reconciliation.assign(name=layer.reconciliation["category"].str.replace(
        " (SYNTHETIC)", "", regex=False))
    first = table.iloc[0]
    records = first.get("records")
    said = f"{layer.spec.source[:1].upper()}{layer.spec.source[1:]}: "
    said += (f"{_n(records)} {lower_first(first['name'])}" if pd.notna(records)
             else f"{first['category']}")
    rest = table.iloc[1:]
    parts = rest["name"].str.startswith(f"{first['name']}: ")
    if len(rest) and parts.all() and "records" in rest:  # a local layer split by category
        rest = rest.assign(name=rest["name"].str.removeprefix(f"{first['name']}: ")
                           ).sort_values("records", ascending=False)
    others = [f"{_n(r.records)} {lower_first(r.name)}" for r in rest.head(2).itertuples()
              if pd.notna(getattr(r, "records", None))]
    if others:
        said += (" (most often " if parts.all() else " (") + ", ".join(others) + ")"
    if layer.spec.sensitive:
        said += (f"; counts below {layer.threshold} in any area are suppressed, with "
                 "further counts hidden so none can be worked back")
    return Paragraph(said + ".", synthetic=layer.synthetic,
                     source=f"{layer.file_stem}_reconciliation.csv")


def executive_summary(result: Assessment) -> Chapter:
    """Write the executive summary: headline sentences, each naming the table it quotes."""
    chapter = Chapter("Executive summary")
    chapter.add(Paragraph(
        f"This assessment describes crime, anti-social behaviour and partner data for "
        f"{result.area.name} in {result.period.describe()}, by LSOA and ward. Each sentence "
        "names, in brackets, the table and row its figures come from."))
    chapter.add(Heading("Volumes and change"))
    chapter.add(*[p for p in (volume_sentence(result), largest_types_sentence(result),
                              change_sentence(result)) if p is not None])
    chapter.add(Heading("Places that stand out"))
    chapter.add(*[p for p in (locality_sentence(result), ward_sentence(result),
                              ward_sentence(result, ASB), lsoa_sentence(result))
                  if p is not None])
    found = [p for p in (deprivation_sentence(result), correlation_sentence(result))
             if p is not None]
    if found:
        chapter.add(Heading("Deprivation"), *found)
    night = night_sentence(result)
    if night is not None:
        chapter.add(Heading("The night-time picture"), night)
    if result.partners:
        chapter.add(Heading("Partner data"))
        chapter.add(*[partner_sentence(layer) for layer in result.partners])
    if result.quality is not None:
        gaps = [s for s in result.quality.statements() if "missing" in s]
        if gaps:
            chapter.add(Heading("Data quality"),
                        Paragraph(" ".join(gaps), source="police_uk_quality_months.csv"))
    return chapter


# --- chapters ----------------------------------------------------------------------------


def ward_table(measures: pd.DataFrame, category: str, *, period: str,
               population: str = "residents", label: str = "Ward") -> pd.DataFrame:
    """Tabulate the wards (or ``label`` areas) of a category, highest rate first, formatted.

    Suppressed cells read "suppressed" and carry no rate or rank.
    """
    rows = _period_rows(measures, period)
    rows = rows[rows["category"] == category].sort_values(["rank", "area_name"],
                                                          na_position="last")
    unit = str(rows["rate_unit"].iloc[0]) if len(rows) else ""
    hidden = rows.get("suppressed", pd.Series(False, index=rows.index)).fillna(False)

    def shown(value: object, text: str) -> str:
        return text if pd.notna(value) else "-"

    return pd.DataFrame({
        label: rows["area_name"].astype(str),
        "Count": [("suppressed" if h else shown(c, _n(c) if pd.notna(c) else ""))
                  for c, h in zip(rows["count"], hidden, strict=True)],
        population.capitalize(): [_n(p) for p in rows[population]],
        f"Rate ({unit})": [shown(r, _r(r) if pd.notna(r) else "") for r in rows["rate"]],
        "Interval": [f"{_r(lo)} to {_r(hi)}" if pd.notna(lo) else "-"
                     for lo, hi in zip(rows["rate_low"], rows["rate_high"], strict=True)],
        "Compared with area": rows["compared_with_area"].fillna("-").astype(str),
        "Rank": [shown(k, str(int(k)) if pd.notna(k) else "") for k in rows["rank"]],
    })


def _category_overview(result: Assessment) -> pd.DataFrame:
    lsoa = _period_rows(result.measures["lsoa"], result.period.label)
    ward = _period_rows(result.measures["ward"], result.period.label)
    change = (result.trends.first_to_last.set_index("category")["change_pc"]
              if result.trends is not None and not result.trends.first_to_last.empty
              else pd.Series(dtype=float))
    total, _ = borough_rate(lsoa, ALL_CRIME)
    rows = []
    for category in result.categories:
        count, rate = borough_rate(lsoa, category)
        wards = ward[(ward["category"] == category) & ward["rate"].notna()]
        top = wards.sort_values("rate", ascending=False)["area_name"].iloc[0] if len(wards) \
            else "-"
        rows.append({"Category": category, "Records": _n(count),
                     "Rate (per 1,000 residents)": _r(rate, 2),
                     "Share of all crime": "-" if category in (ALL_CRIME, ASB)
                     else f"{count / total:.1%}",
                     "Change since first year": (f"{change[category]:+.0f}%"
                                                 if category in change.index else "-"),
                     "Highest-rate ward": top})
    return pd.DataFrame(rows)


def _featured(result: Assessment) -> list[str]:
    table = result.reconciliation[result.reconciliation["period"] == result.period.label]
    by_volume = table[~table["category"].isin([ALL_CRIME, ASB])].sort_values(
        "records", ascending=False)["category"].head(3).tolist()
    present = set(result.categories)
    return [c for c in dict.fromkeys([*FEATURED, *by_volume]) if c in present]


def _choropleth(folders: FigureFolders, level: str, category: str, synthetic: bool,
                caption: str) -> list[Figure]:
    if folders.choropleths is None:
        return []
    path = folders.choropleths / f"{level}_{figure_stem(category, synthetic)}.png"
    return [Figure(path, caption, synthetic=synthetic)]


def crime_chapter(result: Assessment, folders: FigureFolders) -> Chapter:
    """Crime and ASB: an overview of every type, then a section per featured category."""
    chapter = Chapter("Crime and anti-social behaviour")
    chapter.add(Paragraph(
        f"Source: {POLICE_UK_SOURCE}. Rates are per 1,000 Census 2021 residents, with "
        "confidence intervals by Public Health England's method; a ward is higher or lower "
        "than the area when its whole interval lies above or below the area's rate. Maps "
        "rank LSOAs by rate: decile 1 is the highest tenth."))
    chapter.add(Table(_category_overview(result),
                      f"Recorded crime and ASB by type, {result.area.name}, "
                      f"{result.period.describe()}",
                      source="reconciliation.csv, measures_lsoa.csv, measures_ward.csv, "
                             "trends_first_to_last.csv"))
    for category in _featured(result):
        chapter.add(Heading(category))
        said = ward_sentence(result, category)
        if said is not None:
            chapter.add(said)
        chapter.add(*_choropleth(folders, "lsoa", category, False,
                                 f"{category}: rate rank by LSOA, {result.area.name}, "
                                 f"{result.period.describe()}"))
        chapter.add(Table(ward_table(result.measures["ward"], category,
                                     period=result.period.label),
                          f"{category} by ward, {result.period.describe()}",
                          source=f"measures_ward.csv: category {category}"))
        trend = folders.charts / f"trend_{slug(category)}.png"
        chapter.add(Figure(trend, f"{category}: recorded per year, {result.area.name}"))
    return chapter


def locality_chapter(result: Assessment, folders: FigureFolders) -> Chapter | None:
    """Localities: what they are, their rates, and LSOA figures zoomed to each."""
    localities = result.localities
    if localities is None or "" not in result.locality_measures:
        return None
    chapter = Chapter("Localities")
    if "EXAMPLE" in localities.note.upper():
        chapter.add(Notice(f"{localities.note}. Give the partnership's own localities with "
                           "--localities, or localities in the configuration."))
    names = result.area.wards["ward_name"]
    chapter.add(Bullets(tuple(f"{name}: " + ", ".join(names[localities.wards_of(name)])
                              for name in localities.names),
                        source=Path(localities.source).name))
    table = result.locality_measures[""]
    for category in (ALL_CRIME, ASB):
        rows = _period_rows(table, result.period.label)
        rows = rows[rows["category"] == category].sort_values("rank")
        if rows.empty:
            continue
        chapter.add(Heading(category), *[p for p in [locality_sentence(result, category)]
                                         if p is not None])
        chapter.add(Table(ward_table(table, category, period=result.period.label,
                                     label="Locality"),
                          f"{category} by locality, {result.period.describe()}",
                          source=f"measures_locality.csv: category {category}"))
    for layer in result.partners:
        stem = layer.file_stem
        if stem in result.locality_measures:
            first = layer.categories[0]
            chapter.add(Table(ward_table(result.locality_measures[stem], first,
                                         period=result.period.label,
                                         population=layer.spec.population,
                                         label="Locality"),
                              f"{first} by locality" + (" (disclosure-controlled: a "
                                                        "locality with a suppressed ward is "
                                                        "suppressed)" if layer.spec.sensitive
                                                        else ""),
                              source=f"{locality_file(stem)}: {first}",
                              synthetic=layer.synthetic))
    if folders.choropleths is not None:
        for name in localities.names:
            for category in (ALL_CRIME, ASB):
                path = folders.choropleths / (f"locality_{slug(name)}_"
                                              f"{figure_stem(category)}.png")
                chapter.add(Figure(path, f"{category}: rate rank by LSOA, {name}"))
    return chapter


def partner_chapter(result: Assessment, folders: FigureFolders) -> Chapter | None:
    """Partner layers: fire, MARAC, CJIT and pre-aggregated counts."""
    if not result.partners:
        return None
    chapter = Chapter("Partner data")
    for layer in result.partners:
        chapter.add(Heading(layer.label))
        if layer.synthetic:
            chapter.add(Notice(_SYNTHETIC_NOTICE.format(what="section")))
        chapter.add(partner_sentence(layer))
        chapter.add(*[Paragraph(n, synthetic=layer.synthetic) for n in layer.notes])
        first = layer.categories[0]
        level = "ward" if layer.spec.sensitive else "lsoa"
        chapter.add(*_choropleth(folders, level, first, layer.synthetic,
                                 f"{first}: rate rank by {LEVELS[level]}, "
                                 f"{result.area.name}, {result.period.describe()}"))
        if "ward" in layer.measures:
            population = "adults" if "adults" in layer.measures["ward"] else "residents"
            chapter.add(Table(ward_table(layer.measures["ward"], first,
                                         period=result.period.label, population=population),
                              f"{first} by ward" + (" (disclosure-controlled)"
                                                    if layer.spec.sensitive else ""),
                              source=f"{layer.file_stem}_measures_ward.csv: {first}",
                              synthetic=layer.synthetic))
    return chapter


def deprivation_chapter(result: Assessment, folders: FigureFolders) -> Chapter | None:
    """Deprivation and housing: the gradient, correlations and the ward summary."""
    assoc = result.associations
    if assoc is None:
        return None
    chapter = Chapter("Deprivation and housing")
    chapter.add(Paragraph(
        f"Deprivation is the English Indices of Deprivation {assoc.edition} (MHCLG) by LSOA; "
        "housing is the share of homes in Council Tax Band A (VOA). Correlations allow for "
        "spatial autocorrelation (Dutilleul's modified t-test) and are adjusted for multiple "
        "testing (Benjamini-Hochberg). The full chapter, with every category, is "
        "associated_factors.md."))
    summary = assoc.summaries
    if not summary.empty:
        table = summary.copy()
        chapter.add(Table(_format_frame(table),
                          f"Deprivation of {result.area.name} and its wards (population "
                          "weighted)", source="deprivation_summary.csv"))
    cited = sentences(assoc, result.area)
    for category in (ALL_CRIME, ASB, "Violence and sexual offences"):
        said = cited.get(f"{POLICE_UK}|{category}", [])
        if not said:
            continue
        chapter.add(Heading(category))
        gradient = deprivation_sentence(result, category)
        chapter.add(*([gradient] if gradient is not None else []))
        chapter.add(Bullets(tuple(said), source=f"correlations.csv, inequality.csv: {category}"))
        chapter.add(Figure(folders.charts / f"rate_vs_imd_{figure_stem(category)}.png",
                           f"{category}: LSOA rate against IMD {assoc.edition} score"))
    for layer in result.partners:
        first = layer.categories[0]
        said = next((v for k, v in cited.items() if k.endswith(f"|{first}")), [])
        if said:
            chapter.add(Heading(first))
            chapter.add(Bullets(tuple(said), synthetic=layer.synthetic,
                                source=f"correlations.csv, inequality.csv: {first}"))
            chapter.add(Figure(folders.charts / f"rate_vs_imd_{figure_stem(first)}.png",
                               f"{first}: LSOA rate against IMD {assoc.edition} score",
                               synthetic=layer.synthetic))
    return chapter


def _format_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_float_dtype(values):
            share = values.dropna().between(0, 1).all() and ("share" in column
                                                            or "extent" in column)
            out[column] = [("-" if pd.isna(v) else f"{v:.0%}" if share else _r(v))
                           for v in values]
        elif pd.api.types.is_integer_dtype(values):
            out[column] = [_n(v) for v in values]
    out.columns = [str(c).replace("_", " ") for c in out.columns]
    return out


def time_chapter(result: Assessment, folders: FigureFolders) -> Chapter | None:
    """Time of day and the night-time economy (force extract)."""
    times = result.time_of_day
    if times is None:
        return None
    chapter = Chapter("Time of day and the night-time economy")
    if times.synthetic:
        chapter.add(Notice(_SYNTHETIC_NOTICE.format(what="chapter")))
    chapter.add(Paragraph(f"Source: {times.source}. Night-time hours are {times.night.hours}; "
                          f"night-time economy crime is {times.night.name.lower()} in those "
                          "hours.", synthetic=times.synthetic))
    for name, rows in times.statements.groupby("profile", sort=False):
        chapter.add(Heading(str(name)))
        chapter.add(Bullets(tuple(f"{s}." for s in rows["statement"]),
                            synthetic=times.synthetic,
                            source=f"{time_file_stem(times)}_time_statements.csv: {name}"))
        path = folders.charts / f"heatmap_{slug(str(name))}_SYNTHETIC.png" if times.synthetic \
            else folders.charts / f"heatmap_{slug(str(name))}.png"
        chapter.add(Figure(path, f"{name}: offences by hour and day of the week",
                           synthetic=times.synthetic))
    name = f"{times.night.name}, {times.night.hours}"
    if name in set(times.nte_measures["ward"]["category"]):
        chapter.add(Heading("Night-time economy crime by ward"))
        chapter.add(*_choropleth(folders, "lsoa", name, times.synthetic,
                                 f"{name}: rate rank by LSOA"))
        chapter.add(Table(ward_table(times.nte_measures["ward"], name,
                                     period=result.period.label),
                          f"{name} by ward", synthetic=times.synthetic,
                          source=f"{time_file_stem(times)}_nte_measures_ward.csv: {name}"))
    return chapter


def small_areas_chapter(result: Assessment, folders: FigureFolders) -> Chapter | None:
    """Funnel plots, hot spots and hot-spot change."""
    stats = result.small_areas
    if stats is None:
        return None
    chapter = Chapter("Hot spots and areas that stand out")
    area = result.area.name
    funnels = funnel_lines(stats, area)
    if funnels:
        chapter.add(Heading("Funnel plots"), Paragraph(METHOD_NOTES["Funnel plots"].format(
            area=area)), Bullets(tuple(s.removeprefix("- ") for s in funnels),
                                 source="funnel_summary.csv, funnel_lsoa.csv, funnel_ward.csv"))
        for category in (ALL_CRIME, ASB):
            chapter.add(Figure(folders.charts / f"funnel_lsoa_{slug(category)}.png",
                               f"{category}: funnel plot of {area}'s LSOAs"))
    hot = hotspot_lines(stats)
    if hot:
        chapter.add(Heading("Hot spots"), Bullets(tuple(s.removeprefix("- ") for s in hot),
                                                  source="hotspots_lsoa.csv"))
    change = change_lines(stats)
    if change:
        chapter.add(Heading("Hot-spot change"),
                    Bullets(tuple(s.removeprefix("- ") for s in change),
                            source="hotspot_change.csv"))
    return chapter


def comparison_chapter(result: Assessment) -> Chapter | None:
    """Similar authorities, and the comparison with them when the data covers them."""
    if result.similar is None and result.comparison is None:
        return None
    chapter = Chapter("Comparisons")
    if result.similar is not None:
        similar = result.similar
        columns = [c for c in ("rank", "lad_name", "residents", "imd_average_score",
                               "imd_extent", "share_urban") if c in similar.columns]
        chapter.add(Table(_format_frame(similar[columns].head(10)),
                          f"The authorities most like {result.area.name}",
                          source="similar_areas.csv"))
    if result.comparison is not None:
        chapter.add(Bullets(tuple(comparison_sentences(result.comparison)[:12]),
                            source="comparison/comparison.csv"))
    return chapter


def _term(key: str) -> str:
    """Name a level or method key for a reader.

    Examples
    --------
    >>> _term("lsoa"), _term("rate_interval")
    ('LSOA', 'Rate interval')
    """
    return LEVELS.get(key) or key.replace("_", " ").capitalize()


def quality_chapter(result: Assessment) -> Chapter:
    """Write data quality and methods: coverage, exclusions, vintages, disclosure control."""
    chapter = Chapter("Data quality and methods")
    if result.quality is not None:
        chapter.add(Heading("police.uk data quality"),
                    Bullets(tuple(result.quality.statements()),
                            source="police_uk_quality_months.csv, "
                                   "police_uk_quality_by_month.csv"))
        by_month = result.quality.by_month
        columns = [c for c in ("month", "records_read", "crimes", "asb", "no_location",
                               "outside_area", "crime_types") if c in by_month.columns]
        chapter.add(Table(_format_frame(by_month[columns]),
                          f"police.uk records by month, {result.period.describe()}",
                          source="police_uk_quality_by_month.csv"))
    report = result.report
    excluded = [f"{reason}: {count:,}" for reason, count in report.exclusions().items()]
    chapter.add(Heading("Records read, kept and excluded"), Paragraph(
        f"{report.rows_read:,} records read, {report.kept:,} kept"
        + (f"; excluded: {'; '.join(excluded)}" if excluded else "; none excluded") + ".",
        source="reconciliation.csv, excluded_records.csv"))
    chapter.add(Heading("Boundaries and populations"), Bullets(tuple(
        f"{_term(level)}: {vintage}" for level, vintage in
        result.area.vintages.items()), source="metadata.json: boundary_vintages"))
    sensitive = [layer for layer in result.partners if layer.spec.sensitive]
    if sensitive:
        chapter.add(Heading("Disclosure control"), Bullets(tuple(
            f"{layer.label}: counts below {layer.threshold} suppressed, with further cells "
            f"hidden until no hidden count can be narrowed from published figures to fewer "
            f"than {layer.threshold} values; {layer.suppressed_cells} area cells hidden."
            for layer in sensitive)))
    chapter.add(Heading("Methods"), Bullets(tuple(
        f"{_term(name)}: {text}." for name, text in METHODS.items())))
    return chapter


def assessment_document(result: Assessment, folders: FigureFolders, *,
                        links: list[tuple[str, str]] | None = None) -> Document:
    """Build the assessment document from an assessment and the figures written for it.

    Parameters
    ----------
    result : Assessment
    folders : FigureFolders
        Where the choropleths (``None`` when maps were not drawn) and charts are.
    links : list of (str, str), optional
        Text and relative address of the interactive maps.
    """
    synthetic = any(layer.synthetic for layer in result.partners) or bool(
        result.time_of_day is not None and result.time_of_day.synthetic)
    notices = []
    if result.localities is not None and "EXAMPLE" in result.localities.note.upper():
        notices.append(f"The localities are an {result.localities.note}.")
    chapters = [executive_summary(result), crime_chapter(result, folders),
                locality_chapter(result, folders), partner_chapter(result, folders),
                deprivation_chapter(result, folders),
                time_chapter(result, folders), small_areas_chapter(result, folders),
                comparison_chapter(result), quality_chapter(result)]
    return Document(
        title=f"Community safety strategic assessment: {result.area.name}",
        subtitle=f"Geospatial evidence, {result.period.describe()} (period "
                 f"{result.period.label}). Made with geosafety from police.uk and partner data.",
        chapters=[c for c in chapters if c is not None], links=links or [],
        attribution=[f"Crime and ASB: {POLICE_UK_SOURCE}.", ATTRIBUTION],
        synthetic=synthetic, notices=notices)


def report_stem(result: Assessment) -> str:
    """Name the report files by area and period, e.g. ``sefton_2025_assessment``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> report_stem(SimpleNamespace(area=SimpleNamespace(name="St. Helens"),
    ...                             period=SimpleNamespace(label="2025-26")))
    'st-helens_2025-26_assessment'
    """
    return f"{slug(result.area.name)}_{slug(result.period.label)}_assessment"


def map_links(maps: Path, report_folder: Path, *,
              written_to: Path | None = None) -> list[tuple[str, str]]:
    """Name the interactive maps in ``maps`` by their address relative to the report.

    ``written_to`` is where the maps are now, when they are still being written (in a
    staging folder) before being moved to ``maps``.

    Examples
    --------
    >>> import tempfile
    >>> now = Path(tempfile.mkdtemp())
    >>> _ = (now / "ward.html").write_text("<html></html>")
    >>> map_links(Path("run/maps"), Path("run/report"), written_to=now)
    [('ward map', '../maps/ward.html')]
    """
    present = maps if written_to is None else written_to
    links = []
    for name, text in (("index.html", "all maps"), ("lsoa.html", "LSOA map"),
                       ("ward.html", "ward map"), ("locality.html", "locality map"),
                       ("hotspots.html", "hot-spot map")):
        if (present / name).is_file():
            links.append((text, Path(os.path.relpath(maps / name, report_folder)).as_posix()))
    return links


def write_report(result: Assessment, folder: Path, folders: FigureFolders, *,
                 links: list[tuple[str, str]] | None = None) -> list[Path]:
    """Write the assessment document as HTML and Word files into ``folder``.

    ``links`` name the interactive maps by relative address (see :func:`map_links`), so
    the run's folders travel together.
    """
    folder.mkdir(parents=True, exist_ok=True)
    document = assessment_document(result, folders, links=links)
    stem = report_stem(result)
    return [write_html(document, folder / f"{stem}.html"),
            document_docx(document, folder / f"{stem}.docx")]
