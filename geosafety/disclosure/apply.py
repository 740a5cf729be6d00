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

import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from geosafety._processes import can_start_processes, process_pool, usable_cores
from geosafety.analysis.analyse import Analyses
from geosafety.analysis.associations import (
    Associations,
    adjust_for_multiple_tests,
    figures_from_estimates,
)
from geosafety.analysis.partners import PartnerLayer
from geosafety.disclosure.cells import (
    THRESHOLD,
    AreaLinks,
    CategoryCells,
    category_cells,
    placement_consistent,
    source_model,
)
from geosafety.disclosure.ranges import LinearModel, protect_ranges
from geosafety.geography import StudyArea
from geosafety.geography.status import Placement
from geosafety.measures.by_area import rank_visible

logger = logging.getLogger(__name__)

#: Published groupings of LSOAs protected with the area levels.
GROUPING_NAMES = ("quintile_local", "quintile_national")


def _categories(measures: dict[str, pd.DataFrame], reconciliation: pd.DataFrame,
                groupings: dict[str, pd.Series]) -> list[CategoryCells]:
    """Return the true cells of every category of a layer, in the reconciliation's order."""
    out = []
    for _, row in reconciliation.iterrows():
        cells = category_cells(measures, row, published=False)
        lsoa = cells.counts.get("lsoa")
        if lsoa is not None:
            cells.groups = {name: lsoa.groupby(grouping.reindex(lsoa.index)).sum()
                            for name, grouping in groupings.items()}
        # a level with a cell unknown at source has no known total
        cells.totals = {level: np.nan if count.isna().any() else cells.totals[level]
                        for level, count in cells.counts.items()}
        out.append(cells)
    return out


@dataclass
class SourceProblem:
    """A sensitive layer's disclosure problem: its cells, how they relate, and their values.

    :meth:`solve` chooses the cells to hide (the linear programs, by far the costliest part
    of protection); it needs nothing but this object, so another process can run it.
    """

    categories: list[CategoryCells]
    linked: bool
    model: LinearModel
    values: dict[str, float]
    totals: set[str]
    threshold: int

    def solve(self) -> set[str]:
        """Return the cells to hide (see :func:`~geosafety.disclosure.protect_ranges`)."""
        return protect_ranges(self.model, self.values, threshold=self.threshold,
                              totals=self.totals)


def source_problem(layer: PartnerLayer, area: StudyArea, *, threshold: int = THRESHOLD,
                   groupings: dict[str, pd.Series] | None = None) -> SourceProblem | None:
    """Set out a partner layer's disclosure problem; None for a layer that is not sensitive.

    ``groupings`` are published groupings of LSOAs (deprivation quintiles) protected with
    the levels of a layer of records.
    """
    if not layer.spec.sensitive:
        return None
    groupings = groupings if not layer.pre_aggregated and groupings else {}
    categories = _categories(layer.measures, layer.reconciliation, groupings)
    record_category = next((c for c in categories if not c.distinct), None)
    placement = layer.placement.astype(float) if len(layer.placement) else None
    linked = (placement is not None and record_category is not None
              and placement_consistent(placement, record_category))
    model, values, totals = source_model(
        categories, AreaLinks.of(area, groupings), placement=placement if linked else None,
        by_postcode=Placement.BY_POSTCODE in layer.placement.index)
    return SourceProblem(categories, linked, model, values, set(totals), threshold)


def _mark_hidden(measures: dict[str, pd.DataFrame], reconciliation: pd.DataFrame,
                 categories: list[CategoryCells], hidden: set[str]) -> dict[str, set[str]]:
    """Flag hidden cells in place; return the hidden grouping cells by category."""
    hidden_groups: dict[str, set[str]] = {}
    for number, category in enumerate(categories):
        prefix = f"c{number}|"
        mine = {c[len(prefix):] for c in hidden if c.startswith(prefix)}
        row = reconciliation["category"] == category.name
        for level, frame in measures.items():
            cells = (f"{level}:" + frame.index.to_series(index=range(len(frame)))).to_numpy()
            rows = (frame["category"] == category.name).to_numpy() & pd.Series(cells).isin(
                mine).to_numpy()
            frame.loc[rows, "suppressed"] = True
            if f"{level}:TOTAL" in mine:
                column = f"placed_{level}"
                reconciliation[column] = reconciliation[column].astype("Int64")
                reconciliation.loc[row, column] = pd.NA
        if "records" in mine and "records" in reconciliation:
            reconciliation["records"] = reconciliation["records"].astype("Int64")
            reconciliation.loc[row, "records"] = pd.NA
        hidden_groups[category.name] = {c for c in mine if c.split(":")[0] in GROUPING_NAMES}
    for frame in measures.values():
        rank_visible(frame)
    return hidden_groups


def _shown_placement(counts: pd.Series, hidden: set[str]) -> pd.Series:
    return pd.Series({k: "suppressed" if f"placement:{k}" in hidden else str(int(n))
                      for k, n in counts.items()}, dtype=object).rename("records")


def protect_placement(counts: pd.Series, *, threshold: int = THRESHOLD) -> pd.Series:
    """Show records-by-placement counts of a sensitive source safely, on their own.

    Counts from 1 to ``threshold - 1`` are hidden, and further counts until every hidden
    one's feasible range (given the total) is protected. Hidden counts read "suppressed":
    "fewer than 5" would itself narrow a count to 1-4.

    Examples
    --------
    >>> counts = pd.Series({"placed": 40, "malformed": 9, "no fixed abode": 2})
    >>> protect_placement(counts).to_dict()
    {'placed': '40', 'malformed': 'suppressed', 'no fixed abode': 'suppressed'}
    """
    model = LinearModel()
    model.add_sum("TOTAL", [f"placement:{k}" for k in counts.index])
    values = {f"placement:{k}": float(n) for k, n in counts.items()} | {
        "TOTAL": float(counts.sum())}
    hidden = protect_ranges(model, values, threshold=threshold, totals={"TOTAL"})
    return _shown_placement(counts, hidden)


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
    problem = source_problem(layer, area, threshold=threshold, groupings=groupings)
    if problem is None:
        return layer
    return protected_layer(layer, problem, problem.solve())


def protected_layer(layer: PartnerLayer, problem: SourceProblem, hidden: set[str]
                    ) -> PartnerLayer:
    """Return ``layer`` with the cells ``hidden`` that solving ``problem`` chose."""
    measures = {level: frame.copy() for level, frame in layer.measures.items()}
    reconciliation = layer.reconciliation.copy()
    hidden_groups = _mark_hidden(measures, reconciliation, problem.categories, hidden)
    if not len(layer.placement):
        placement = layer.placement
    elif problem.linked:
        placement = _shown_placement(layer.placement, hidden)
    else:
        placement = protect_placement(layer.placement, threshold=problem.threshold)
    return replace(layer, measures=measures, reconciliation=reconciliation,
                   placement=placement, threshold=problem.threshold,
                   hidden_groups=hidden_groups)


def _blank(frame: pd.DataFrame, rows: pd.Series, columns: list[str]) -> None:
    """Set ``columns`` of ``rows`` to NaN (as floats), in place."""
    columns = [c for c in columns if c in frame.columns]
    if rows.any() and columns:
        frame[columns] = frame[columns].astype(float)
        frame.loc[rows, columns] = np.nan


def published_estimate(lsoa: pd.DataFrame, ward: pd.DataFrame | None, area: StudyArea,
                       population: str, lsoa_total: float) -> pd.Series:
    """LSOA counts as published, each hidden one estimated from published figures only.

    A hidden LSOA gets a share of its ward's remainder (the ward's published count less
    its LSOAs shown), in proportion to its population; LSOAs of hidden wards share what is
    left of the published LSOA total the same way. Being a function of published figures
    alone, anything computed from the estimate reveals nothing the tables do not.

    Examples
    --------
    >>> area = StudyArea.sefton()
    >>> codes = area.lsoas.index[area.lsoas["ward_code"] == "E05000932"][:3]
    >>> lsoa = pd.DataFrame({"count": [6.0, np.nan, np.nan], "suppressed": [False, True, True],
    ...                      "adults": [1000, 1000, 3000]}, index=codes)
    >>> ward = pd.DataFrame({"count": [14.0], "suppressed": [False]}, index=["E05000932"])
    >>> published_estimate(lsoa, ward, area, "adults", np.nan).tolist()
    [6.0, 2.0, 6.0]
    """
    hidden = lsoa["suppressed"].astype(bool)
    estimate = lsoa["count"].astype(float).where(~hidden)
    weight = lsoa[population].astype(float).clip(lower=1)
    ward_of = area.lsoas["ward_code"].reindex(lsoa.index)

    def share(rows: pd.Series, amount: float) -> None:
        if rows.any():
            estimate[rows] = max(amount, 0.0) * weight[rows] / weight[rows].sum()

    if ward is not None:
        shown = ward["count"].where(~ward["suppressed"].astype(bool)).dropna()
        visible = estimate.groupby(ward_of).sum()
        for code, count in shown.items():
            share(hidden & ward_of.eq(code), count - visible.get(code, 0.0))
    rest = hidden & estimate.isna()
    left = lsoa_total - estimate.sum() if not np.isnan(lsoa_total) else rest.sum() * 2.0
    share(rest, left)
    return estimate


def _estimate_figures(associations: Associations, partners: list[PartnerLayer],
                      area: StudyArea) -> Associations:
    """Replace sensitive categories' LSOA-level figures by ones from published estimates."""
    correlations = associations.correlations.copy()
    inequality = associations.inequality.copy()
    for layer in partners:
        if not layer.spec.sensitive or "lsoa" not in layer.measures:
            continue
        for category in layer.categories:
            item = associations.plot_data.get(f"{layer.label}|{category}")
            if item is None:
                continue
            lsoa = layer.measures["lsoa"]
            ward = layer.measures.get("ward")
            total = layer.reconciliation.set_index("category").get("placed_lsoa")
            estimate = published_estimate(
                lsoa[lsoa["category"] == category],
                ward[ward["category"] == category] if ward is not None else None, area,
                layer.spec.population,
                float(total[category]) if total is not None and pd.notna(total[category])
                else np.nan)
            rows, unequal = figures_from_estimates(associations, item, estimate, area)
            for table, new in ((correlations, rows), (inequality, unequal)):
                mine = ((table["source"] == item.source)
                        & (table["category"] == item.category)).to_numpy()
                columns = [c for c in new.columns if c in table.columns]
                table.loc[mine, columns] = new[columns].to_numpy()
    return replace(associations, correlations=adjust_for_multiple_tests(correlations),
                   inequality=inequality)


def withhold_associations(associations: Associations, partners: list[PartnerLayer],
                          area: StudyArea | None = None) -> Associations:
    """Withhold deprivation figures that would disclose a sensitive source's hidden cells.

    With ``area``, a sensitive category's LSOA-level figures (correlations, dispersion,
    log-linear RII) are first recomputed from its published table, hidden LSOAs estimated
    from published figures only (:func:`published_estimate`), so they cannot be inverted to
    recover hidden counts. Then per sensitive category: quintile rows whose total is hidden
    lose their events and rate;
    the most/least deprived rates and rate ratio go if either end is hidden, the share in
    the most deprived fifth if that fifth is hidden, and the slope and relative index if
    any quintile is; outlier LSOAs are counted but not named.

    Returns
    -------
    Associations
        New tables; each category's ``CategoryRates.hidden_groups`` says what was hidden.
    """
    if area is not None:
        associations = _estimate_figures(associations, partners, area)
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


def protect_analyses(analyses: Analyses, area: StudyArea, *, threshold: int = THRESHOLD,
                     solving: Sequence[tuple[SourceProblem, Future[set[str]]] | None] | None
                     = None) -> Analyses:
    """Protect every sensitive layer and what is derived from it (the disclosure stage).

    Parameters
    ----------
    analyses : Analyses
        True figures.
    area : StudyArea
    threshold : int
        Counts from 1 to ``threshold - 1`` are hidden.
    solving : sequence, optional
        From :func:`solve_beside`: each partner layer's problem and its cells to hide,
        being solved in another process (None for a layer that is not sensitive). By
        default the problems are solved here.

    Returns
    -------
    Analyses
        With partner layers as they may be published and deprivation figures resting on
        hidden cells withheld.
    """
    if solving is None:
        partners = [protect_partner(layer, area, threshold=threshold,
                                    groupings=analyses.groupings)
                    for layer in analyses.partners]
    else:
        partners = [layer if found is None else protected_layer(layer, found[0],
                                                                _solved(*found))
                    for layer, found in zip(analyses.partners, solving, strict=True)]
    associations = (withhold_associations(analyses.associations, partners, area)
                    if analyses.associations is not None else None)
    return replace(analyses, partners=partners, associations=associations)


@contextmanager
def solve_beside(partners: Sequence[PartnerLayer], area: StudyArea, *,
                 threshold: int = THRESHOLD, groupings: dict[str, pd.Series] | None = None,
                 ) -> Iterator[list[tuple[SourceProblem, Future[set[str]]] | None]]:
    """Solve the partner layers' disclosure problems in another process, inside the block.

    The linear programs of disclosure control take longer than anything else an assessment
    computes, and need only the true partner figures: the caller can go on with the other
    analyses meanwhile, then pass what this yields to :func:`protect_analyses`. The cells
    hidden are the same as solving here. Where no other process may be started (a Dask
    worker, one core), the problems are solved here, as the block begins.

    Yields
    ------
    list
        Per partner layer, in order: its problem and a future of the cells to hide, or None
        for a layer that is not sensitive.
    """
    problems = [source_problem(layer, area, threshold=threshold, groupings=groupings)
                for layer in partners]
    wanted = [p for p in problems if p is not None]
    pool = (process_pool(1) if wanted and can_start_processes() and usable_cores() > 1
            else None)
    try:
        yield [None if p is None else (p, _submit(pool, p)) for p in problems]
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _solved(problem: SourceProblem, hidden: Future[set[str]]) -> set[str]:
    """Return the cells solved beside; if that process was lost, solve here instead."""
    try:
        return hidden.result()
    except BrokenProcessPool as error:
        logger.warning("The disclosure process stopped (%s); solving here instead.", error)
        return problem.solve()


def _submit(pool: ProcessPoolExecutor | None, problem: SourceProblem) -> Future[set[str]]:
    if pool is not None:
        return pool.submit(problem.solve)
    done: Future[set[str]] = Future()
    done.set_result(problem.solve())
    return done
