"""The assessment: everything computed for one area and period, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from geosafety.analysis.associations import Associations
from geosafety.analysis.comparison import Comparison
from geosafety.analysis.data_quality import DataQuality
from geosafety.analysis.partners import PartnerLayer
from geosafety.analysis.small_areas import SmallAreaStatistics
from geosafety.analysis.time_of_day import TimeOfDay
from geosafety.analysis.trends import Trends
from geosafety.geography import LocationReport, StudyArea
from geosafety.geography.localities import Localities
from geosafety.measures.categories import category_order
from geosafety.measures.periods import Period


@dataclass
class Assessment:
    """Everything an assessment computed, before anything is written.

    Attributes
    ----------
    area : StudyArea
    period : Period
        The whole reporting period.
    periods : list of Period
        ``period`` and any sub-periods tabulated.
    records : pandas.DataFrame
        The police.uk records kept, with their areas.
    report : LocationReport
        What was read, kept and excluded, and why.
    measures : dict of str to pandas.DataFrame
        police.uk measures per level (``"lsoa"``, ``"ward"``, ``"postcode_district"``),
        indexed by area code.
    reconciliation : pandas.DataFrame
        Records per category and period against the sum of counts at each level.
    files : pandas.DataFrame
        Each file read, with its records, months and LSOA vintage.
    warnings : list of str
        Every warning raised while assessing, in order.
    partners : list of PartnerLayer
        Fire, MARAC, CJIT and pre-aggregated layers, disclosure-controlled where sensitive.
    associations : Associations, optional
        Deprivation and housing statistics (None when the area has no IoD figures).
    trends : Trends, optional
        Multi-year series (None without data of several years).
    time_of_day : TimeOfDay, optional
        The force extract's time-of-day picture (None without one).
    premises : pandas.DataFrame, optional
        Night-time premises drawn on the maps.
    similar : pandas.DataFrame, optional
        The authorities most like this one (or the partnership's own comparators).
    comparison : Comparison, optional
        This authority beside its police force area's others (and comparators) when the
        police.uk data covers them.
    small_areas : SmallAreaStatistics, optional
        Funnels, hot spots and hot-spot change of the non-sensitive sources.
    quality : DataQuality, optional
        Completeness and consistency of the police.uk data (the data-quality chapter).
    localities : Localities, optional
        The partnership's wards grouped into localities, when given.
    locality_measures : dict of str to pandas.DataFrame
        Measures by locality: ``""`` for police.uk, each partner layer's file stem for its
        own (summed from published ward figures).
    """

    area: StudyArea
    period: Period
    periods: list[Period]
    records: pd.DataFrame
    report: LocationReport
    measures: dict[str, pd.DataFrame]
    reconciliation: pd.DataFrame
    files: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    partners: list[PartnerLayer] = field(default_factory=list)
    associations: Associations | None = None
    trends: Trends | None = None
    time_of_day: TimeOfDay | None = None
    premises: pd.DataFrame | None = None
    similar: pd.DataFrame | None = None
    comparison: Comparison | None = None
    small_areas: SmallAreaStatistics | None = None
    quality: DataQuality | None = None
    localities: Localities | None = None
    locality_measures: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def categories(self) -> list[str]:
        """police.uk categories in reading order (All crime, ASB, then A-Z)."""
        return category_order(self.measures["lsoa"]["category"].unique())
