"""Stage 1, read: files and tables in, tidy validated frames out.

One reader per source, each validating its input up front and raising one
:class:`~geosafety.InputFileError` that names the file, rows, columns and the fix:
police.uk street files (:func:`read_police_uk`), fire incidents (:func:`read_fire_incidents`),
MARAC and CJIT records (:func:`read_cases`), pre-aggregated partner tables
(:func:`read_area_counts`), police force extracts (:func:`read_force_crimes`), night-time
premises (:func:`read_premises`) and VOA Council Tax stock (:func:`read_band_a`). Readers of
partner records place them through the study area they are given (see
:class:`~geosafety.io.placing.Placer`); nothing here imports a later stage.
"""

from geosafety.io.area_counts import read_area_counts
from geosafety.io.bulk import BULK_COLUMNS, BulkRead, read_police_uk_bulk
from geosafety.io.cache import CACHE_ENV, cache_at, cache_dir
from geosafety.io.cases import read_cases
from geosafety.io.columns import Field, load_columns, resolve_columns
from geosafety.io.ctsop import band_a_table, read_band_a
from geosafety.io.datasets import ATTRIBUTION, DATASETS, get_path
from geosafety.io.dates import parse_dates, parse_times
from geosafety.io.fire import FIRE_GROUPS, fire_groups, read_fire_incidents
from geosafety.io.force_crime import read_force_crimes, time_windows
from geosafety.io.inputs import (
    COLUMN_SECTIONS,
    PARTNER_KINDS,
    Inputs,
    PartnerData,
    read_partner_inputs,
)
from geosafety.io.labels import SYNTHETIC_LABEL, category_label, is_synthetic, source_label
from geosafety.io.local_layers import LocalLayer, read_layer_definition, read_local_layer
from geosafety.io.offences import FLAGS, GROUPS, offence_group, offence_groups
from geosafety.io.placing import Placer
from geosafety.io.police_uk import (
    ASB,
    POLICE_UK_SOURCE,
    STREET_COLUMNS,
    read_police_uk,
    split_crime_asb,
)
from geosafety.io.premises import NTE_CLASSES, read_premises
from geosafety.io.sources import Source, SourceFile, find_source_files
from geosafety.io.tabular import read_table

__all__ = [
    "ASB", "ATTRIBUTION", "BULK_COLUMNS", "CACHE_ENV", "cache_at", "cache_dir", "BulkRead",
    "read_police_uk_bulk",
    "COLUMN_SECTIONS", "DATASETS", "FIRE_GROUPS", "FLAGS", "GROUPS",
    "NTE_CLASSES", "PARTNER_KINDS", "POLICE_UK_SOURCE", "STREET_COLUMNS", "SYNTHETIC_LABEL",
    "Field", "Inputs", "LocalLayer", "PartnerData", "read_layer_definition",
    "read_local_layer", "Placer", "Source", "SourceFile", "category_label",
    "find_source_files", "fire_groups", "get_path", "is_synthetic", "load_columns",
    "offence_group", "offence_groups", "parse_dates", "parse_times", "read_area_counts",
    "band_a_table", "read_band_a", "read_cases", "read_fire_incidents", "read_force_crimes",
    "read_partner_inputs", "read_police_uk", "read_premises", "read_table", "resolve_columns",
    "source_label", "split_crime_asb", "time_windows",
]
