"""Stage 3, measure: counts, rates, ranks and deciles by area, and the vocabulary they use.

Pure functions over placed records: :func:`area_measures` (count, rate with its unit and
confidence interval, rank, local decile, share, indexed by area code), PHE's Poisson
intervals (:mod:`~geosafety.measures.intervals`), police.uk categories, reporting periods
(:class:`Period`), and aoristic weights for offences whose time is a window.
"""

from geosafety.measures.aoristic import (
    MAX_HOURS,
    WEEKDAYS,
    aoristic_weights,
    hour_band,
    in_hours,
    week_profile,
)
from geosafety.measures.by_area import (
    RATE_COLUMNS,
    add_rate_intervals,
    area_measures,
    count_events,
    local_decile,
    rank_highest_first,
    rank_visible,
    rate,
    rate_unit,
)
from geosafety.measures.categories import ALL_CRIME, category_order, police_uk_events, slug
from geosafety.measures.crime import RATE_PER, measure_police_uk
from geosafety.measures.intervals import (
    compare_with_benchmark,
    confidence_label,
    confidence_level,
    poisson_count_limits,
    rate_limits,
)
from geosafety.measures.national import NationalMeasures, lsoa21_of, national_measures
from geosafety.measures.periods import (
    SPLITS,
    Period,
    covering_period,
    missing_months,
    parse_period,
    period_coverage,
    period_label,
    require_in_period,
    split_period,
    with_periods,
)

__all__ = [
    "ALL_CRIME", "NationalMeasures", "lsoa21_of", "national_measures",
    "MAX_HOURS", "RATE_COLUMNS", "RATE_PER", "SPLITS", "WEEKDAYS", "Period",
    "add_rate_intervals", "aoristic_weights", "area_measures", "category_order",
    "compare_with_benchmark", "confidence_label", "confidence_level", "count_events",
    "covering_period", "hour_band", "in_hours", "local_decile", "measure_police_uk",
    "missing_months", "parse_period", "period_coverage", "period_label",
    "poisson_count_limits", "police_uk_events", "rank_highest_first", "rank_visible", "rate",
    "rate_limits", "rate_unit", "require_in_period", "slug", "split_period", "week_profile",
    "with_periods",
]
