"""Print-ready charts: rate against deprivation, trends over years, weekday x hour heat maps.

Each chart is a matplotlib ``Figure`` saved directly (never through pyplot), so drawing one
leaves the user's backend and open figures alone; matplotlib is imported on first use.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geosafety.analysis.associations import CategoryRates
from geosafety.analysis.funnel import Funnel
from geosafety.analysis.inequality import quintile_rates
from geosafety.analysis.time_of_day import TimeOfDay
from geosafety.io.labels import SYNTHETIC_LABEL
from geosafety.render.drawing import figure_note, save_figure

_BANDS = ["#f0f0f0", "#ffffff"]


def _figure(width: float, height: float):  # noqa: ANN202 (matplotlib is imported lazily)
    """Make a new figure and its axes, outside pyplot."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=150)
    return fig, fig.subplots()


def rate_against_deprivation(item: CategoryRates, iod: pd.DataFrame, path: Path, *,
                             area_name: str, edition: int, footnote: str) -> list[Path]:
    """Draw rate against IMD score with local quintile bands (see :func:`save_figure`).

    Sensitive sources show only each quintile's rate (a bar across its band), never an
    LSOA's; others show every LSOA as a point with the quintile rates over them.
    """
    score = iod["IMD_score"]
    fig, ax = _figure(8, 5.2)
    for quintile in range(1, 6):
        members = score[iod["local_quintile"] == quintile]
        ax.axvspan(members.min(), members.max(), color=_BANDS[quintile % 2], zorder=0)
        ax.text((members.min() + members.max()) / 2, 1.01, f"Q{quintile}",
                transform=ax.get_xaxis_transform(), ha="center", fontsize=8, color="#444")
    table = quintile_rates(item.counts, item.population, iod["local_quintile"], per=item.per)
    hidden = {int(c.split(":")[1]) for c in item.hidden_groups
              if c.startswith("quintile_local:") and c.split(":")[1] != "TOTAL"}
    if not item.sensitive:
        ax.scatter(score, item.rates.reindex(score.index), s=14, color="#2c7fb8", alpha=0.75,
                   edgecolor="white", linewidth=0.4, label="LSOA", zorder=2)
    for quintile, row in table.iterrows():
        if quintile in hidden:
            continue
        members = score[iod["local_quintile"] == quintile]
        ax.hlines(row["rate"], members.min(), members.max(), color="#d95f0e", linewidth=2.5,
                  zorder=3, label="Quintile rate" if quintile == 1 else None)
    ax.set_xlabel(f"IMD {edition} score (higher = more deprived); bands: local quintiles, "
                  "Q1 = most deprived fifth")
    ax.set_ylabel(f"Rate {item.unit}")
    ax.set_ylim(bottom=0)
    ax.set_title(f"{item.category}: rate against deprivation, {area_name} LSOAs", fontsize=11,
                 loc="left", pad=16)
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    figure_note(fig, footnote, color="#333")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return save_figure(fig, path)


def trend_chart(rows: pd.DataFrame, path: Path, *, category: str, area_name: str, basis: str,
                footnote: str) -> list[Path]:
    """Draw one category's counts by period; gaps and incomplete periods show.

    Periods sit at their true positions, so years with no data leave a shaded gap; periods
    with months missing are hollow points labelled with the months present.
    """
    fig, ax = _figure(8, 4.5)
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
    figure_note(fig, footnote, color="#333")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return save_figure(fig, path)


def heat_map(profile: pd.DataFrame, path: Path, *, result: TimeOfDay, name: str,
             area_name: str, footnote: str) -> list[Path]:
    """Draw a weekday x hour heat map with the night-time hours outlined."""
    from matplotlib.patches import Rectangle

    fig, ax = _figure(11, 4.6)
    values = profile.to_numpy()
    image = ax.imshow(values, cmap="YlOrRd", aspect="auto")
    for (row, col), value in np.ndenumerate(values):
        ax.text(col, row, f"{value:.0f}", ha="center", va="center", fontsize=6.5,
                color="white" if value > 0.6 * values.max() else "#222")
    ax.set_xticks(range(24), [f"{h:02d}" for h in range(24)], fontsize=8)
    ax.set_yticks(range(7), profile.index, fontsize=8)
    ax.set_xlabel("Hour band (e.g. 18 = 18:00-18:59)", fontsize=8)
    night = result.night
    spans = ([(night.first_hour, night.last_hour)] if night.first_hour <= night.last_hour
             else [(night.first_hour, 23), (0, night.last_hour)])
    for first, last in spans:
        ax.add_patch(Rectangle((first - 0.5, -0.5), last - first + 1, 7, fill=False,
                               edgecolor="#08306b", linewidth=1.6, linestyle="--"))
    totals = profile.sum(axis=1)
    for row, total in enumerate(totals):
        ax.text(24, row, f"{total / totals.sum():.0%}", va="center", fontsize=7.5)
    ax.text(24, -0.9, "share", fontsize=7.5)
    fig.colorbar(image, ax=ax, pad=0.06, shrink=0.8, label="offences (aoristic)")
    title = f"{name}: offences by weekday and hour, {area_name}, {result.period.describe()}"
    fig.suptitle(title, x=0.01, ha="left", fontsize=10.5)
    subtitle = (f"Dashed box: night-time hours {night.hours}. "
                + (f"{SYNTHETIC_LABEL} example data, not real records." if result.synthetic
                   else ""))
    ax.set_title(subtitle, loc="left", fontsize=8, color="#5e3c99" if result.synthetic else
                 "#333", fontweight="bold" if result.synthetic else "normal")
    figure_note(fig, f"Source: {result.source}. {footnote}", color="#333")
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    return save_figure(fig, path)


def comparison_chart(table: pd.DataFrame, path: Path, *, categories: list[str], period: str,
                     footnote: str) -> list[Path]:
    """Draw each category's rate by authority, with the force area's rate.

    ``table`` is :attr:`geosafety.analysis.comparison.Comparison.table`; authorities assessed
    in the run are drawn darker.
    """
    fig, axes = _figure_grid(len(categories))
    for ax, category in zip(axes, categories, strict=False):
        rows = table[table["category"] == category]
        own = rows[rows["area_type"] == "Local authority"].sort_values("rate")
        colours = ["#08519c" if assessed else "#9ecae1" for assessed in own["assessed"]]
        ax.barh(own["area_name"], own["rate"], color=colours)
        if "rate_low" in own:
            ax.errorbar(own["rate"], own["area_name"], fmt="none", ecolor="#333", elinewidth=0.8,
                        capsize=2, xerr=[own["rate"] - own["rate_low"],
                                         own["rate_high"] - own["rate"]])
        for force, rate in rows.loc[rows["area_type"] == "Police force area",
                                    ["area_name", "rate"]].itertuples(index=False):
            ax.axvline(rate, color="#d95f0e", linestyle="--", linewidth=1.2)
            ax.text(rate, len(own) - 0.4, f" {force}", color="#d95f0e", fontsize=7, va="top")
        ax.set_title(category, loc="left", fontsize=9)
        ax.tick_params(labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
    for ax in axes[len(categories):]:
        ax.set_visible(False)
    fig.suptitle(f"Rate per 1,000 residents by authority, {period}", x=0.01, ha="left",
                 fontsize=11)
    figure_note(fig, footnote, fontsize=6, color="#333")
    fig.tight_layout(rect=(0, 0.05, 1, 0.96))
    return save_figure(fig, path)


#: Funnel point colours by verdict.
_VERDICT_COLOURS = {"above 99.8%": "#b2182b", "above 95%": "#ef8a62", "within": "#8c8c8c",
                    "below 95%": "#67a9cf", "below 99.8%": "#2166ac"}


def funnel_chart(found: Funnel, path: Path, *, title: str, footnote: str,
                 population_label: str = "residents", synthetic: bool = False,
                 label_most: int = 8) -> list[Path]:
    """Draw a funnel plot: rate against population with control limits.

    Grey dashed lines are the Poisson 95% and 99.8% limits; with over-dispersion, the
    solid lines are the additive random-effects limits areas are judged against. The areas
    furthest above the 99.8% limit are named.
    """
    fig, ax = _figure(8, 5.2)
    curve = found.curve
    ax.axhline(found.target, color="#333", linewidth=1.2, label=f"target {found.target:,.1f}")
    for level, width in (("95", 0.9), ("99.8", 0.9)):
        ax.plot(curve["population"], curve[f"poisson_{level}_high"], "--", color="#999",
                linewidth=width, label=f"Poisson {level}%" if level == "95" else None)
        ax.plot(curve["population"], curve[f"poisson_{level}_low"], "--", color="#999",
                linewidth=width)
        if found.overdispersed:
            colour = "#e08214" if level == "95" else "#b35806"
            ax.plot(curve["population"], curve[f"additive_{level}_high"], color=colour,
                    linewidth=1.3, label=f"{level}%, allowing for over-dispersion")
            ax.plot(curve["population"], curve[f"additive_{level}_low"], color=colour,
                    linewidth=1.3)
    areas = found.areas
    ax.scatter(areas["population"], areas["rate"], s=14, zorder=3,
               c=[_VERDICT_COLOURS[v] for v in areas["verdict"]], edgecolors="none")
    named = areas[areas["verdict"] == "above 99.8%"].nlargest(label_most, "z")
    for code, row in named.iterrows():
        ax.annotate(f"{row['area_name']}" if row["area_name"] != code else code,
                    (row["population"], row["rate"]), fontsize=6, xytext=(3, 2),
                    textcoords="offset points")
    top = max(float(areas["rate"].max()), float(curve["additive_99.8_high"].max()
              if found.overdispersed else curve["poisson_99.8_high"].max()))
    ax.set_ylim(0, top * 1.08)
    ax.set_xlabel(f"Population ({population_label})", fontsize=8)
    ax.set_ylabel(f"Rate {found.unit}", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False, loc="upper right")
    ax.set_title(title + (f" {SYNTHETIC_LABEL}" if synthetic else ""), loc="left", fontsize=10)
    figure_note(fig, footnote, fontsize=6, color="#333")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return save_figure(fig, path)


def _figure_grid(panels: int):  # noqa: ANN202 (matplotlib is imported lazily)
    """Make a figure with up to six panels in two columns, outside pyplot."""
    from matplotlib.figure import Figure

    rows = max(1, -(-panels // 2))
    fig = Figure(figsize=(10, 2.6 * rows + 0.8), dpi=150)
    return fig, list(fig.subplots(rows, 2, squeeze=False).ravel())
