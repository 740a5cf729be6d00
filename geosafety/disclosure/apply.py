"""Applying disclosure control to what an assessment publishes about sensitive sources.

* **Partner layers** (:func:`protect_partner`): area counts at every level, their totals and
  the deprivation quintile totals are cells of one linked table; small and recoverable ones
  are hidden (:func:`~geosafety.disclosure.cells.protect`) with every rate, rank, decile and
  share derived from them, and ranks are recomputed among the areas shown.
* **Placement counts** (:func:`protect_placement`): "fewer than 5", and a second count hidden
  where the total would give the first away.
* **Deprivation comparisons** (:func:`withhold_associations`): a comparison resting on a
  hidden quintile total is withheld, and high-rate outlier LSOAs are counted, never named.

Non-sensitive layers pass through unchanged.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from geosafety.analysis.analyse import Analyses
from geosafety.analysis.associations import Associations
from geosafety.analysis.partners import PartnerLayer, counts_reconciliation
from geosafety.disclosure.cells import THRESHOLD, Equation, linked_cells, protect
from geosafety.geography import StudyArea
from geosafety.measures.by_area import rank_visible


def _suppress(measures: dict[str, pd.DataFrame], area: StudyArea, threshold: int,
              groupings: dict[str, pd.Series]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Hide small and recoverable cells across linked levels, and what derives from them.

    ``measures`` are changed in place. Returns the categories whose total is hidden, by
    level, and the hidden grouping cells by category.
    """
    if not measures:
        return {}, {}
    parents = {"ward": area.lsoas["ward_code"],
               "postcode_district": area.lsoas["postcode_district"]}
    if "lsoa" in measures:
        parents |= groupings
    hidden_groups: dict[str, set[str]] = {}
    categories = next(iter(measures.values()))["category"].unique()
    hidden_totals: dict[str, set[str]] = {}
    for category in categories:
        counts = {level: frame.loc[frame["category"] == category, "count"]
                  for level, frame in measures.items()}
        if "lsoa" in counts:
            for name, grouping in groupings.items():
                counts[name] = counts["lsoa"].groupby(grouping.reindex(counts["lsoa"].index)).sum()
        values, equations, never = linked_cells(counts, lsoa_parent=parents)
        hidden = protect(values, equations, threshold=threshold, unpublished=never)
        hidden_groups[str(category)] = {c for c in hidden if c.split(":")[0] in groupings}
        for level in measures:
            if f"{level}:TOTAL" in hidden:
                hidden_totals.setdefault(level, set()).add(str(category))
        for level, frame in measures.items():
            cells = f"{level}:" + frame.index.to_series(index=range(len(frame)))
            rows = (frame["category"] == category).to_numpy() & cells.isin(hidden).to_numpy()
            frame.loc[rows, "suppressed"] = True
    for frame in measures.values():
        rank_visible(frame)
    return hidden_totals, hidden_groups


def protect_placement(counts: pd.Series, *, threshold: int = THRESHOLD) -> pd.Series:
    """Show records-by-placement counts of a sensitive source safely.

    Counts from 1 to ``threshold - 1`` read "fewer than N", and a second count is hidden
    ("suppressed") where the total would give the first away.

    Examples
    --------
    >>> counts = pd.Series({"placed": 40, "malformed": 9, "no fixed abode": 2})
    >>> protect_placement(counts).to_dict()
    {'placed': '40', 'malformed': 'suppressed', 'no fixed abode': 'fewer than 5'}
    """
    values = {f"s:{k}": float(n) for k, n in counts.items()} | {"TOTAL": float(counts.sum())}
    hidden = protect(values, [Equation("TOTAL", tuple(f"s:{k}" for k in counts.index))],
                     threshold=threshold)
    shown = pd.Series({k: (f"fewer than {threshold}" if n < threshold else "suppressed")
                       if f"s:{k}" in hidden else str(n) for k, n in counts.items()},
                      dtype=object)
    return shown.rename("records")


def protect_partner(layer: PartnerLayer, area: StudyArea, *, threshold: int = THRESHOLD,
                    groupings: dict[str, pd.Series] | None = None) -> PartnerLayer:
    """Return a partner layer as it may be published.

    Parameters
    ----------
    layer : PartnerLayer
        True figures (from :mod:`geosafety.analysis.partners`).
    area : StudyArea
        For the LSOA -> ward and district lookups that link the levels.
    threshold : int
        Counts from 1 to ``threshold - 1`` are suppressed.
    groupings : dict of str to pandas.Series, optional
        Further published groupings of LSOAs (deprivation quintiles) protected with the
        levels; the hidden ones are returned in ``hidden_groups``.

    Returns
    -------
    PartnerLayer
        A new layer: for sensitive sources, suppressed cells (flag ``suppressed``, count,
        rate, share, rank and decile blank), ranks among the areas shown, hidden totals in
        the reconciliation and protected placement counts. A non-sensitive layer is
        returned as it is.
    """
    if not layer.spec.sensitive:
        return layer
    measures = {level: frame.copy() for level, frame in layer.measures.items()}
    totals, hidden_groups = _suppress(measures, area, threshold,
                                      groupings if not layer.pre_aggregated and groupings
                                      else {})
    if layer.pre_aggregated:
        level = next(iter(measures))
        reconciliation = counts_reconciliation(measures[level], level)
    else:
        reconciliation = layer.reconciliation.copy()
        for level in measures:
            hidden = reconciliation["category"].isin(totals.get(level, set()))
            reconciliation.loc[hidden, f"placed_{level}"] = np.nan
    placement = (protect_placement(layer.placement, threshold=threshold)
                 if len(layer.placement) else layer.placement)
    return replace(layer, measures=measures, reconciliation=reconciliation,
                   placement=placement, threshold=threshold, hidden_groups=hidden_groups)


def _blank(frame: pd.DataFrame, rows: pd.Series, columns: list[str]) -> None:
    """Set ``columns`` of ``rows`` to NaN (as floats), in place."""
    columns = [c for c in columns if c in frame.columns]
    if rows.any() and columns:
        frame[columns] = frame[columns].astype(float)
        frame.loc[rows, columns] = np.nan


def withhold_associations(associations: Associations,
                          partners: list[PartnerLayer]) -> Associations:
    """Withhold deprivation figures that would disclose a sensitive source's hidden cells.

    Per sensitive category: quintile rows whose total is hidden lose their events and rate;
    the most/least deprived rates and rate ratio go if either end is hidden, the share in
    the most deprived fifth if that fifth is hidden, and the slope and relative index if
    any quintile is; outlier LSOAs are counted but not named.

    Returns
    -------
    Associations
        New tables; each category's ``CategoryRates.hidden_groups`` says what was hidden.
    """
    hidden_by_key = {f"{layer.label}|{category}": groups
                     for layer in partners for category, groups in layer.hidden_groups.items()}
    plot_data = {key: replace(item, hidden_groups=hidden_by_key.get(key, set()))
                 for key, item in associations.plot_data.items()}
    quintiles = associations.quintiles.copy()
    inequality = associations.inequality.copy()
    correlations = associations.correlations.copy()
    for item in plot_data.values():
        if not item.sensitive:
            continue
        of_item = (correlations["source"] == item.source) & (
            correlations["category"] == item.category)
        correlations.loc[of_item, "high_rate_outliers"] = ""
        for kind in ("local", "national"):
            hidden = {int(c.split(":")[1]) for c in item.hidden_groups
                      if c.startswith(f"quintile_{kind}:") and c.split(":")[1] != "TOTAL"}
            rows = ((quintiles["source"] == item.source)
                    & (quintiles["category"] == item.category) & (quintiles["quintiles"] == kind))
            withheld = rows & quintiles["quintile"].isin(hidden)
            _blank(quintiles, withheld, ["events", "rate", "rate_low", "rate_high"])
            quintiles.loc[withheld, "suppressed"] = True
            row = ((inequality["source"] == item.source)
                   & (inequality["category"] == item.category)
                   & (inequality["quintiles"] == kind))
            if hidden & {1, 5}:
                _blank(inequality, row, ["rate_most_deprived", "rate_most_deprived_low",
                                         "rate_most_deprived_high", "rate_least_deprived",
                                         "rate_least_deprived_low", "rate_least_deprived_high",
                                         "rate_ratio", "rate_ratio_low", "rate_ratio_high"])
            if 1 in hidden:
                _blank(inequality, row, ["share_in_most_deprived_20pc"])
            if hidden:
                _blank(inequality, row, ["sii", "sii_low", "sii_high", "rii", "rii_low",
                                         "rii_high", "fitted_least_deprived",
                                         "fitted_most_deprived"])
                inequality.loc[row, "suppressed"] = True
    return replace(associations, correlations=correlations, quintiles=quintiles,
                   inequality=inequality, plot_data=plot_data)


def protect_analyses(analyses: Analyses, area: StudyArea, *,
                     threshold: int = THRESHOLD) -> Analyses:
    """Protect every sensitive layer and what is derived from it (the disclosure stage).

    Returns
    -------
    Analyses
        With partner layers as they may be published and deprivation figures resting on
        hidden cells withheld.
    """
    partners = [protect_partner(layer, area, threshold=threshold, groupings=analyses.groupings)
                for layer in analyses.partners]
    associations = (withhold_associations(analyses.associations, partners)
                    if analyses.associations is not None else None)
    return replace(analyses, partners=partners, associations=associations)
