"""How complete and consistent the police.uk data is: the data-quality chapter's figures.

An assessment's counts are only as good as the data behind them, and police.uk has known
gaps: forces missing months (Greater Manchester published nothing from July 2019 to
2020 after a system change), records without a location, records snapped outside the
area, LSOA codes of two vintages, and changes in how forces record anti-social behaviour.
:func:`police_uk_quality` measures each for the data read, so the report can say what a
reader should allow for:

* **months present** per force and calendar year (from every record read);
* **per month** of the period: records read, crimes, ASB incidents and ASB's share, records
  left out for having no location or for falling outside the area, and crime types absent;
* **crime types missing in a month** while recorded in the period's other months;
* **ASB recording changes**: months whose ASB count is under half or over one and a half
  times the period's median month, which is more often a recording change than a change
  in behaviour;
* the LSOA vintage of every file (2011 or 2021 codes, or both).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geosafety.geography.locate import LocationReport
from geosafety.geography.status import Placement
from geosafety.io.police_uk import ASB
from geosafety.measures.periods import Period

#: A month's ASB count outside these multiples of the period's median month is flagged.
ASB_CHANGE = (0.5, 1.5)


@dataclass
class DataQuality:
    """The data-quality figures of one assessment's police.uk data.

    Attributes
    ----------
    months : pandas.DataFrame
        Per force (``falls_within``) and year: ``months_present``, ``months_missing``
        (names, within the months the data spans that year), ``records``.
    by_month : pandas.DataFrame
        Per month of the period: ``records_read``, ``crimes``, ``asb``, ``asb_share``,
        ``no_location``, ``outside_area``, ``crime_types``, ``types_missing`` and
        ``asb_flag`` ("" or why the month's ASB count looks like a recording change).
    missing_types : pandas.DataFrame
        Per crime type absent from some month of the period: ``months_missing``.
    vintages : pandas.Series
        Files per LSOA vintage.
    period : str
        The period's label.
    """

    months: pd.DataFrame
    by_month: pd.DataFrame
    missing_types: pd.DataFrame
    vintages: pd.Series
    period: str

    def statements(self) -> list[str]:
        """Sentences for the report, each traceable to a row of the tables.

        Examples
        --------
        >>> quality = DataQuality(
        ...     pd.DataFrame({"falls_within": ["Toy"], "year": [2025], "months_present": [11],
        ...                   "months_missing": ["2025-06"], "records": [10]}),
        ...     pd.DataFrame({"month": ["2025-05"], "records_read": [10], "crimes": [8],
        ...                   "asb": [2], "asb_share": [20.0], "no_location": [0],
        ...                   "outside_area": [1], "crime_types": [3], "types_missing": [""],
        ...                   "asb_flag": [""]}),
        ...     pd.DataFrame(columns=["crime_type", "months_missing"]),
        ...     pd.Series({"2021": 1}), "2025")
        >>> quality.statements()[0]
        'Toy: 11 of 12 months of 2025 present; missing 2025-06.'
        """
        lines = []
        for row in self.months.itertuples(index=False):
            span = 12 if row.months_missing or row.months_present == 12 else row.months_present
            missing = f"; missing {row.months_missing}" if row.months_missing else ""
            lines.append(f"{row.falls_within}: {row.months_present} of {span} months of "
                         f"{row.year} present{missing}.")
        month = self.by_month
        lines.append(
            f"In {self.period}, {int(month['no_location'].sum()):,} records had no location "
            f"and {int(month['outside_area'].sum()):,} fell outside the area; both are left "
            "out of every count.")
        for row in self.missing_types.itertuples(index=False):
            lines.append(f"{row.crime_type} has no records in {row.months_missing}.")
        flagged = month[month["asb_flag"].ne("")]
        for row in flagged.itertuples(index=False):
            lines.append(f"ASB in {row.month}: {row.asb:,} incidents, {row.asb_flag}.")
        if flagged.empty and len(month) > 2:
            lines.append("No month's ASB count departs from the period's median month by half "
                         "or more, so no change in ASB recording shows in the period.")
        lines.append("LSOA codes: " + ", ".join(
            f"{vintage} in {n} file(s)" for vintage, n in self.vintages.items()) + ".")
        return lines


def _months_present(records: pd.DataFrame) -> pd.DataFrame:
    force = records.get("falls_within", pd.Series("", index=records.index)).fillna("").replace(
        "", "(no force named)")
    year = records["month"].dt.year
    counts = records.groupby([force.rename("force"), year.rename("year")]).size()
    months = pd.DataFrame({"force": force, "year": year, "month": records["month"]})
    rows = []
    for (name, each_year), group in months.drop_duplicates().groupby(["force", "year"],
                                                                      sort=True):
        present = set(group["month"])
        span = pd.period_range(f"{each_year}-01", f"{each_year}-12", freq="M")
        first, last = min(present), max(present)
        # months missing inside the data's span of the year, or at either end of a year the
        # data runs through
        expected = [m for m in span if (m >= first or each_year > first.year)
                    and (m <= last or each_year < last.year)]
        missing = [str(m) for m in expected if m not in present]
        rows.append({"falls_within": name, "year": int(each_year),
                     "months_present": len(present), "months_missing": ", ".join(missing),
                     "records": int(counts[(name, each_year)])})
    return pd.DataFrame(rows)


def police_uk_quality(records: pd.DataFrame, report: LocationReport,
                      period: Period, files: pd.DataFrame, *,
                      trend: pd.DataFrame | None = None) -> DataQuality:
    """Measure the completeness and consistency of police.uk data for one assessment.

    Parameters
    ----------
    records : pandas.DataFrame
        Every police.uk record read (any period), from :func:`geosafety.io.read_police_uk`.
    report : LocationReport
        What was kept and left out, and why.
    period : Period
    files : pandas.DataFrame
        Files read with their ``lsoa_vintage`` (:func:`geosafety.geography.files_read`).
    trend : pandas.DataFrame, optional
        police.uk records of other years read for the trends: their months are counted in
        the months-present table too (a file read for both is counted once).

    Returns
    -------
    DataQuality
    """
    in_period = records[period.contains(records["month"])]
    months = period.months
    excluded = report.excluded
    reasons = excluded.get("reason", pd.Series(dtype=object))
    excluded_month = excluded.get("month", pd.Series(dtype=object))

    def excluded_per_month(reason: str) -> pd.Series:
        chosen = excluded_month[reasons == reason]
        return chosen.value_counts().reindex(months, fill_value=0)

    crime = in_period[~in_period["is_asb"]]
    types = sorted(crime["crime_type"].unique())
    present = crime.groupby("month")["crime_type"].agg(lambda t: set(t))
    by_month = pd.DataFrame(index=months)
    by_month["records_read"] = in_period["month"].value_counts().reindex(months, fill_value=0)
    by_month["crimes"] = crime["month"].value_counts().reindex(months, fill_value=0)
    by_month["asb"] = in_period.loc[in_period["is_asb"], "month"].value_counts().reindex(
        months, fill_value=0)
    share = 100 * by_month["asb"] / by_month["records_read"].where(by_month["records_read"] > 0)
    by_month["asb_share"] = share.round(1)
    by_month["no_location"] = excluded_per_month(Placement.NO_CODE_OR_COORDINATES)
    by_month["outside_area"] = excluded_per_month(Placement.OUTSIDE_AREA)
    by_month["crime_types"] = [len(present.get(m, set())) for m in months]
    by_month["types_missing"] = ["; ".join(t for t in types if t not in present.get(m, set()))
                                 if by_month.at[m, "records_read"] else "(no records)"
                                 for m in months]
    median = by_month.loc[by_month["records_read"] > 0, "asb"].median()
    low, high = ASB_CHANGE
    shown = f"{median:,.0f}" if pd.notna(median) and median % 1 == 0 else f"{median:,.1f}"
    flags = []
    for month, count in by_month["asb"].items():
        if not by_month.at[month, "records_read"] or pd.isna(median) or median == 0:
            flags.append("")
        elif count < low * median:
            flags.append(f"under half the median month ({shown}): a possible change "
                         "in recording")
        elif count > high * median:
            flags.append(f"over one and a half times the median month ({shown}): a "
                         "possible change in recording")
        else:
            flags.append("")
    by_month["asb_flag"] = flags
    by_month.index = by_month.index.astype(str)
    by_month = by_month.rename_axis("month").reset_index()
    months_with_records = by_month.loc[by_month["records_read"] > 0, "month"]
    missing_types = pd.DataFrame([
        {"crime_type": t, "months_missing": ", ".join(
            m for m in months_with_records if t not in present.get(pd.Period(m, "M"), set()))}
        for t in types])
    if not missing_types.empty:
        missing_types = missing_types[missing_types["months_missing"].ne("")].reset_index(
            drop=True)
    vintages = files.loc[files["lsoa_vintage"].ne("(none in period)"),
                         "lsoa_vintage"].value_counts()
    every = records if trend is None else pd.concat([records, trend]).drop_duplicates(
        ["source_file", "source_row"])
    return DataQuality(_months_present(every), by_month, missing_types, vintages,
                       period.label)


__all__ = ["ASB", "ASB_CHANGE", "DataQuality", "police_uk_quality"]
