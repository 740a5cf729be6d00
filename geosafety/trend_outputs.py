"""Trend tables and charts for an assessment."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from geosafety.categories import slug  # noqa: E402
from geosafety.study_area import StudyArea  # noqa: E402
from geosafety.trends import (  # noqa: E402
    area_changes,
    borough_trends,
    choose_basis,
    complete_span,
    first_to_last,
)


@dataclass
class Trends:
    """Multi-year series: by financial year, by calendar year, and ward changes."""

    by_financial_year: pd.DataFrame
    by_year: pd.DataFrame
    basis: str
    first_to_last: pd.DataFrame
    ward_changes: pd.DataFrame
    span: tuple[str, str] | None


def compute_trends(records: pd.DataFrame, area: StudyArea) -> Trends:
    """Compute the trend tables from located police.uk records of several years."""
    financial = borough_trends(records, by="financial-year")
    calendar = borough_trends(records, by="year")
    basis = choose_basis(financial, calendar)
    table = financial if basis == "financial-year" else calendar
    span = complete_span(table)
    changes = (area_changes(records, area.areas("ward"), area_col="ward_code", first=span[0],
                            last=span[1], by=basis) if span else pd.DataFrame())
    return Trends(financial, calendar, basis, first_to_last(table), changes, span)


def write_trends(trends: Trends, folder: Path, *, area_name: str, footnote: str) -> list[Path]:
    """Write trend tables into ``folder`` and a chart per category into ``folder/plots``."""
    written = []
    tables = {"trends_financial_year.csv": trends.by_financial_year,
              "trends_calendar_year.csv": trends.by_year,
              "trends_first_to_last.csv": trends.first_to_last.assign(basis=trends.basis),
              "trends_wards_rose_fell.csv": trends.ward_changes.assign(basis=trends.basis)}
    for name, frame in tables.items():
        frame.to_csv(folder / name, index=False, float_format="%.6g")
        written.append(folder / name)
    plots = folder / "plots"
    plots.mkdir(exist_ok=True)
    table = trends.by_financial_year if trends.basis == "financial-year" else trends.by_year
    for category, rows in table.groupby("category", sort=False):
        written += _chart(rows, plots / f"trend_{slug(category)}.png", category=category,
                          area_name=area_name, basis=trends.basis, footnote=footnote)
    return written


def _chart(rows: pd.DataFrame, path: Path, *, category: str, area_name: str, basis: str,
           footnote: str) -> list[Path]:
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=150)
    x = [int(p[:4]) for p in rows["period"]]  # true positions: gaps in the data stay visible
    counts = rows["count"].tolist()
    for i in range(len(x) - 1):
        if x[i + 1] - x[i] == 1:
            ax.plot(x[i:i + 2], counts[i:i + 2], color="#2c7fb8", linewidth=1.2,
                    linestyle=":", zorder=1)
        else:
            ax.axvspan(x[i] + 0.5, x[i + 1] - 0.5, color="#f0f0f0", zorder=0)
            ax.text((x[i] + x[i + 1]) / 2, 0.5, "no data", transform=ax.get_xaxis_transform(),
                    ha="center", fontsize=8, color="#777")
    complete = rows["complete"].to_numpy()
    ax.scatter([i for i, c in zip(x, complete, strict=True) if c],
               rows.loc[rows["complete"], "count"], s=40, color="#2c7fb8", zorder=2,
               label="complete period")
    ax.scatter([i for i, c in zip(x, complete, strict=True) if not c],
               rows.loc[~rows["complete"], "count"], s=40, facecolor="white",
               edgecolor="#2c7fb8", zorder=2, label="incomplete: months missing from the data")
    for i, row in zip(x, rows.itertuples(), strict=True):
        if not row.complete:
            ax.annotate(f"{row.months_present}/12", (i, row.count), textcoords="offset points",
                        xytext=(0, 7), ha="center", fontsize=7, color="#555")
    ax.set_xticks(x, rows["period"], rotation=0, fontsize=8)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("Recorded incidents")
    ax.set_title(f"{category}: {area_name}, by "
                 f"{'financial year (April-March)' if basis == 'financial-year' else 'year'}",
                 loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.text(0.01, 0.01, footnote, fontsize=6.5, color="#333", wrap=True)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.savefig(path)
    fig.savefig(path.with_suffix(".svg"))
    plt.close(fig)
    return [path, path.with_suffix(".svg")]
