"""Stage 4, analyse: partner layers, trends, time of day, deprivation and housing statistics.

Every figure here is true; sensitive ones pass through :mod:`geosafety.disclosure` before
they are published. :func:`analyse` runs them all; :class:`Assessment` holds an
assessment's results.
"""

from geosafety.analysis.analyse import (
    Analyses,
    analyse,
    assess_force_extract,
    iod_for_vintages,
    partner_layers,
)
from geosafety.analysis.assessment import Assessment
from geosafety.analysis.associations import (
    Associations,
    CategoryRates,
    associated_factors,
    category_rates,
)
from geosafety.analysis.correlation import correlate, effective_sample_size, fisher_interval
from geosafety.analysis.deprivation import (
    DOMAIN_NAMES,
    NATIONAL_LSOAS,
    WEIGHTS,
    edition_for,
    imd_score,
    iod_for_area,
    summaries,
)
from geosafety.analysis.inequality import quintile_rates, rate_ratio, slope_index
from geosafety.analysis.partners import (
    SPECS,
    PartnerLayer,
    PartnerSpec,
    assess_cases,
    assess_counts,
    assess_fire,
)
from geosafety.analysis.time_of_day import (
    AORISTIC_METHODS,
    NightTime,
    TimeOfDay,
    assess_time_of_day,
    profile_table,
)
from geosafety.analysis.trends import Trends, assess_trends, compute_trends

__all__ = [
    "AORISTIC_METHODS", "DOMAIN_NAMES", "NATIONAL_LSOAS", "SPECS", "WEIGHTS", "Analyses",
    "Assessment", "Associations", "CategoryRates", "NightTime", "PartnerLayer", "PartnerSpec",
    "TimeOfDay", "Trends", "analyse", "assess_cases", "assess_counts", "assess_fire",
    "assess_force_extract", "assess_time_of_day", "assess_trends", "associated_factors",
    "category_rates", "compute_trends", "correlate", "edition_for", "effective_sample_size",
    "fisher_interval", "imd_score", "iod_for_area", "iod_for_vintages", "partner_layers",
    "profile_table", "quintile_rates", "rate_ratio", "slope_index", "summaries",
]
