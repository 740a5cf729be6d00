"""The analysis stage: partner layers, time of day, trends, deprivation and housing.

Everything here works on true figures; disclosure control comes after
(:func:`geosafety.disclosure.protect_analyses`). An optional layer whose data has nothing in the
reporting period is left out with a :class:`~geosafety.DataQualityWarning`; so is the
deprivation chapter of an area without IoD figures.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

import pandas as pd

from geosafety._errors import DataQualityWarning, MissingReferenceDataError, NoRecordsInPeriodError
from geosafety.analysis.associations import Associations, associated_factors, category_rates
from geosafety.analysis.deprivation import edition_for, iod_for_area
from geosafety.analysis.partners import (
    PartnerLayer,
    assess_cases,
    assess_counts,
    assess_fire,
    assess_local_layer,
)
from geosafety.analysis.similar import similar_authorities
from geosafety.analysis.small_areas import SmallAreaStatistics, small_area_statistics
from geosafety.analysis.time_of_day import NightTime, TimeOfDay, assess_time_of_day
from geosafety.analysis.trends import Trends, assess_trends
from geosafety.geography import StudyArea
from geosafety.io.inputs import PartnerData
from geosafety.io.labels import is_synthetic, source_label
from geosafety.measures.aoristic import MAX_HOURS
from geosafety.measures.periods import Period


@dataclass
class Analyses:
    """What the analysis stage found, before disclosure control.

    Attributes
    ----------
    partners : list of PartnerLayer
        True figures of every partner layer with records in the period.
    time_of_day : TimeOfDay, optional
    trends : Trends, optional
    associations : Associations, optional
    similar : pandas.DataFrame, optional
        The authorities most like the study area (or the partnership's own comparators), see
        :func:`~geosafety.analysis.similar.similar_authorities`.
    groupings : dict of str to pandas.Series
        Published groupings of LSOAs (deprivation quintiles, local and national) that
        disclosure control protects with the area levels.
    small_areas : SmallAreaStatistics, optional
        Funnels, hot spots and hot-spot change of the non-sensitive sources.
    iod : pandas.DataFrame, optional
        The IoD edition matching the police.uk LSOA vintage, on the area's LSOAs.
    """

    partners: list[PartnerLayer] = field(default_factory=list)
    time_of_day: TimeOfDay | None = None
    trends: Trends | None = None
    associations: Associations | None = None
    groupings: dict[str, pd.Series] = field(default_factory=dict)
    similar: pd.DataFrame | None = None
    small_areas: SmallAreaStatistics | None = None
    iod: pd.DataFrame | None = field(default=None, repr=False)


_Layer = TypeVar("_Layer", PartnerLayer, TimeOfDay)


def _optional(build: Callable[[], _Layer], what: str) -> _Layer | None:
    """Build an optional layer; with nothing in the period, warn and leave it out."""
    try:
        return build()
    except NoRecordsInPeriodError as error:
        warnings.warn(f"{what} left out: {error}", DataQualityWarning, stacklevel=3)
        return None


def partner_layers(data: PartnerData, area: StudyArea, period: Period, *,
                   confidence: float = 0.95, smooth: str | None = None) -> list[PartnerLayer]:
    """Assess every partner source read (true figures): fire, MARAC, CJIT, tables, local layers."""
    layers: list[PartnerLayer | None] = []
    if data.fire is not None:
        layers.append(_optional(partial(assess_fire, data.fire, area, period,
                                        confidence=confidence, smooth=smooth), "Fire layer"))
    for kind, cases in data.cases.items():
        layers.append(_optional(partial(assess_cases, cases, area, period, kind,
                                        confidence=confidence), f"{kind.upper()} layer"))
    for kind, level, files, table in data.counts:
        layers.append(assess_counts(table, area, period, kind, level, files,
                                    confidence=confidence))
    for layer, records in data.layers:
        layers.append(_optional(partial(assess_local_layer, layer, records, area, period,
                                        confidence=confidence, smooth=smooth),
                                f"{layer.title} layer"))
    return [layer for layer in layers if layer is not None]


def assess_force_extract(crimes: pd.DataFrame, area: StudyArea, period: Period, *,
                         night: NightTime | None = None, method: str = "minutes",
                         max_hours: float = MAX_HOURS,
                         confidence: float = 0.95) -> TimeOfDay | None:
    """Assess the force extract's time of day, labelled SYNTHETIC where it is."""
    synthetic = is_synthetic(crimes["source_file"].unique().tolist())
    return _optional(lambda: assess_time_of_day(
        crimes, area, period, source=source_label("Police force crime extract", synthetic),
        synthetic=synthetic, night=night, method=method, max_hours=max_hours,
        confidence=confidence),
        "Time-of-day chapter")


def iod_for_vintages(area: StudyArea, vintages: Iterable[str]) -> pd.DataFrame | None:
    """Return the IoD edition matching the LSOA vintage; None (and a warning) without one."""
    edition = edition_for(vintages)
    try:
        return iod_for_area(area, edition)
    except MissingReferenceDataError as error:
        warnings.warn(f"Deprivation and housing chapter left out: {error}",
                      DataQualityWarning, stacklevel=3)
        return None


def analyse(
    records: pd.DataFrame,
    measures: dict[str, pd.DataFrame],
    data: PartnerData,
    area: StudyArea,
    period: Period,
    *,
    vintages: Iterable[str],
    night: NightTime | None = None,
    aoristic: str = "minutes",
    max_window_hours: float = MAX_HOURS,
    comparators: list[str] | None = None,
    confidence: float = 0.95,
    smooth: str | None = None,
    located: pd.DataFrame | None = None,
) -> Analyses:
    """Run every analysis an assessment makes, on true figures.

    Parameters
    ----------
    records : pandas.DataFrame
        Every police.uk record read (all months), for trends when no trend data is given.
    measures : dict of str to pandas.DataFrame
        police.uk measures per level (see :func:`~geosafety.measures.measure_police_uk`).
    data : PartnerData
        Partner files read (see :func:`~geosafety.io.read_partner_inputs`).
    area : StudyArea
    period : Period
    vintages : iterable of str
        LSOA vintages of the police.uk files: they choose the IoD edition.
    night, aoristic, max_window_hours
        Time-of-day options (see :func:`~geosafety.analysis.assess_time_of_day`).
    comparators : list of str, optional
        The partnership's own comparator authorities (default: the ten most similar).
    confidence : float
        Level of the rates' confidence intervals.
    smooth : {None, "global", "spatial"}
        Rank non-sensitive layers by empirical Bayes smoothed rates.
    located : pandas.DataFrame, optional
        The period's located police.uk records: with them, funnels and hot spots
        (:mod:`~geosafety.analysis.small_areas`) are computed.
    """
    out = analyse_partners(data, area, period, vintages=vintages, confidence=confidence,
                           smooth=smooth)
    return analyse_further(out, records, measures, data, area, period, night=night,
                           aoristic=aoristic, max_window_hours=max_window_hours,
                           comparators=comparators, confidence=confidence, located=located)


def analyse_partners(data: PartnerData, area: StudyArea, period: Period, *,
                     vintages: Iterable[str], confidence: float = 0.95,
                     smooth: str | None = None) -> Analyses:
    """Begin :func:`analyse`: the partner layers and the deprivation groupings.

    These are all that disclosure control needs, so it can start while
    :func:`analyse_further` does the rest. Parameters are as for :func:`analyse`.
    """
    out = Analyses(partners=partner_layers(data, area, period, confidence=confidence,
                                           smooth=smooth))
    out.iod = iod_for_vintages(area, vintages)
    if out.iod is not None:
        out.groupings = {"quintile_local": out.iod["local_quintile"],
                         "quintile_national": out.iod["national_quintile"]}
    return out


def analyse_further(
    out: Analyses,
    records: pd.DataFrame,
    measures: dict[str, pd.DataFrame],
    data: PartnerData,
    area: StudyArea,
    period: Period,
    *,
    night: NightTime | None = None,
    aoristic: str = "minutes",
    max_window_hours: float = MAX_HOURS,
    comparators: list[str] | None = None,
    confidence: float = 0.95,
    located: pd.DataFrame | None = None,
) -> Analyses:
    """Finish :func:`analyse` after :func:`analyse_partners`: everything else, in place.

    Parameters are as for :func:`analyse`; returns ``out``.
    """
    if area.code:
        out.similar = similar_authorities(area.code, comparators=comparators)
    if data.force is not None:
        out.time_of_day = assess_force_extract(data.force, area, period, night=night,
                                               method=aoristic, max_hours=max_window_hours,
                                               confidence=confidence)
    history = data.trend if data.trend is not None else (
        records if records["month"].dt.year.nunique() >= 2 else None)
    if history is not None:
        out.trends = assess_trends(history, area)
    if located is not None:
        out.small_areas = small_area_statistics(measures, located, area, period,
                                                partners=out.partners, trends=out.trends)
    if out.iod is not None:
        out.associations = associated_factors(
            category_rates(measures["lsoa"], period, out.partners), area, out.iod,
            confidence=confidence)
    return out
