"""Print-ready scatter plots of a category's rate against IMD score, quintiles shaded."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from geosafety.associations import CategoryRates  # noqa: E402
from geosafety.inequality import quintile_rates  # noqa: E402

_BANDS = ["#f0f0f0", "#ffffff"]


def rate_against_deprivation(item: CategoryRates, iod: pd.DataFrame, path: Path, *,
                             area_name: str, edition: int, footnote: str) -> Path:
    """Draw rate against IMD score with local quintile bands; save it as a PNG.

    Sensitive sources show only each quintile's rate (a bar across its band), never an
    LSOA's; others show every LSOA as a point with the quintile rates over them.
    """
    score = iod["IMD_score"]
    fig, ax = plt.subplots(figsize=(8, 5.2), dpi=150)
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
    fig.text(0.01, 0.01, footnote, fontsize=6.5, color="#333", wrap=True)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.savefig(path)
    plt.close(fig)
    return path
