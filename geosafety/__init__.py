"""geosafety: geospatial evidence for Community Safety Strategic Assessments.

Load police.uk crime and anti-social behaviour and partner data (fire, MARAC, CJIT, police
force extracts), place every record in an LSOA, ward and postcode district, and compute
counts, rates, rate ranks and local deciles, with deprivation and housing statistics,
trends, the time-of-day picture and disclosure control, written as tables, reports and
choropleth maps that open offline.

The package follows the data: :mod:`geosafety.io` (read) -> :mod:`geosafety.geography`
(place) -> :mod:`geosafety.measures` -> :mod:`geosafety.analysis` ->
:mod:`geosafety.disclosure` (protect) -> :mod:`geosafety.render` ->
:mod:`geosafety.report`; :func:`assess` runs the stages in order. Importing geosafety
loads no plotting library and leaves matplotlib's backend alone.

Examples
--------
>>> import geosafety
>>> area = geosafety.StudyArea.sefton()
>>> area.name, len(area.lsoas), geosafety.parse_period("2024/25").describe()
('Sefton', 191, 'April 2024 to March 2025')
"""

from __future__ import annotations

from geosafety._errors import (
    AreaNotChosenError,
    DataQualityWarning,
    DatasetNotFoundError,
    GeosafetyError,
    InputFileError,
    InvalidOptionError,
    MissingReferenceDataError,
    NoRecordsInPeriodError,
    NoRecordsInStudyAreaError,
    RecordsExcludedWarning,
    UnknownAreaError,
)
from geosafety._version import __version__
from geosafety.analysis import (
    AORISTIC_METHODS,
    Assessment,
    NightTime,
    PartnerLayer,
    assess_cases,
    assess_counts,
    assess_fire,
    assess_time_of_day,
)
from geosafety.cluster import assess_areas_on_cluster
from geosafety.config import (
    EXAMPLE_CONFIG,
    RunConfig,
    config_template,
    config_values,
    load_config,
)
from geosafety.config import KEYS as CONFIG_KEYS
from geosafety.disclosure import THRESHOLD, audit_outputs, protect_partner
from geosafety.examples import make_synthetic, make_synthetic_force
from geosafety.geography import (
    LEVELS,
    Localities,
    Placement,
    StudyArea,
    assign_lsoa,
    assign_postcode_district,
    assign_ward,
    authorities,
    detect_lsoa_vintage,
    find_authorities,
    locate_records,
    points_from_xy,
    read_localities,
)
from geosafety.io import (
    COLUMN_SECTIONS,
    DATASETS,
    PARTNER_KINDS,
    Inputs,
    LocalLayer,
    cache_at,
    get_path,
    load_columns,
    read_area_counts,
    read_band_a,
    read_cases,
    read_fire_incidents,
    read_force_crimes,
    read_layer_definition,
    read_local_layer,
    read_police_uk,
    read_police_uk_bulk,
    read_premises,
    split_crime_asb,
)
from geosafety.io import GROUPS as OFFENCE_GROUPS
from geosafety.measures import (
    MAX_HOURS,
    SPLITS,
    Period,
    area_measures,
    count_events,
    local_decile,
    national_measures,
    parse_period,
    rank_highest_first,
    rate,
    split_period,
)
from geosafety.pipeline import AreaAssessments, Options, assess, assess_areas
from geosafety.render.drawing import DEFAULT_FORMATS, FIGURE_FORMATS, figure_formats
from geosafety.report import (
    areas_summary_lines,
    done_line,
    read_manifest,
    run_name,
    summary_lines,
    write_areas,
    write_assessment,
    write_manifest,
    write_report,
    write_run,
    write_runs,
)

__all__ = [
    "AORISTIC_METHODS", "CONFIG_KEYS", "EXAMPLE_CONFIG", "RunConfig", "config_template",
    "config_values", "load_config", "write_manifest", "write_report", "write_run", "run_name",
    "read_manifest", "read_police_uk_bulk", "national_measures", "assess_areas_on_cluster",
    "DEFAULT_FORMATS", "FIGURE_FORMATS", "figure_formats",
    "write_runs", "Localities",
    "LocalLayer", "read_layer_definition", "read_local_layer", "read_localities",
    "COLUMN_SECTIONS", "DATASETS", "LEVELS", "MAX_HOURS", "OFFENCE_GROUPS",
    "PARTNER_KINDS", "SPLITS", "THRESHOLD", "AreaAssessments", "AreaNotChosenError",
    "Assessment", "areas_summary_lines", "assess_areas", "write_areas",
    "DataQualityWarning", "UnknownAreaError", "authorities", "find_authorities",
    "DatasetNotFoundError", "GeosafetyError", "InputFileError", "Inputs", "InvalidOptionError",
    "MissingReferenceDataError", "NightTime", "NoRecordsInPeriodError",
    "NoRecordsInStudyAreaError", "Options", "PartnerLayer", "Period", "Placement",
    "RecordsExcludedWarning", "StudyArea", "__version__", "area_measures", "assess",
    "assess_cases", "assess_counts", "assess_fire", "assess_time_of_day", "assign_lsoa",
    "assign_postcode_district", "assign_ward", "audit_outputs", "count_events",
    "detect_lsoa_vintage", "done_line", "get_path", "load_columns", "local_decile",
    "locate_records", "make_synthetic", "make_synthetic_force", "parse_period",
    "points_from_xy", "protect_partner", "rank_highest_first", "rate", "read_area_counts",
    "cache_at", "read_band_a", "read_cases", "read_fire_incidents", "read_force_crimes",
    "read_police_uk",
    "read_premises", "split_crime_asb", "split_period", "summary_lines", "write_assessment",
]
