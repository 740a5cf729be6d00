"""The run's metadata: sources, vintages, methods, period, counts and attribution."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from geosafety._version import __version__
from geosafety.analysis.assessment import Assessment
from geosafety.io.datasets import ATTRIBUTION
from geosafety.io.police_uk import POLICE_UK_SOURCE

#: How each figure was made, as ``metadata.json`` states it.
METHODS = {
    "lsoa": "police.uk LSOA code of the record's anonymised map point; LSOA 2011 codes "
            "brought onto LSOA 2021 with the ONS lookup (split LSOAs: the record's "
            "coordinates pick the part); records without a code: point in polygon",
    "ward": "ONS best-fit LSOA 2021 to ward lookup (population-weighted centroid); the "
            "same best fit gives the ward population, so counts and denominators agree",
    "postcode_district": "best fit of the LSOA 2021: the district holding most of the LSOA's "
                         "Code-Point Open postcode centroids",
    "rate": "events per 1,000 Census 2021 usual residents",
    "rate_interval": "Public Health England's method: Byar's approximation for 10 events or "
                     "more, exact Poisson (chi-squared) limits below 10; compared_with_area "
                     "is higher/lower when the whole interval lies above/below the area's "
                     "rate",
    "smoothing": "empirical Bayes (Marshall 1991; esda), global and spatial (queen "
                 "contiguity); small_denominator: smallest tenth by population with a "
                 "top-decile rate",
    "funnels": "Spiegelhalter (2005): exact Poisson limits, and additive random-effects "
               "limits from Winsorised square-root z-scores when over-dispersed",
    "hotspots": "Getis-Ord Gi* and local Moran's I (esda), 9,999 conditional permutations, "
                "Benjamini-Hochberg false discovery rate; grid cells by the sfhotspot rule",
    "rank": "1 = highest rate in the study area (or smoothed rate, see ranked_by); tied "
            "areas share the best rank",
    "decile": "local decile of the rate, 1 = highest tenth; ties share the larger decile",
}


#: How similar authorities are chosen (see geosafety.analysis.similar).
SIMILAR_METHOD = ("nearest authorities by standardised, equally weighted characteristics: log "
                  "residents, log residents per km2, age profile (shares under 18 and 65+), "
                  "share of residents in urban LSOAs, IoD2025 average IMD score and extent; "
                  "or the partnership's own list")


def assessment_metadata(result: Assessment) -> dict[str, Any]:
    """Describe a run: sources, vintages, methods, period, counts and attribution."""
    associations, times = result.associations, result.time_of_day
    return {
        "generated_by": f"geosafety {__version__}",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "study_area": result.area.name,
        "period": {"label": result.period.label, "start": str(result.period.start),
                   "end": str(result.period.end), "described": result.period.describe()},
        "sub_periods": [p.label for p in result.periods if p != result.period],
        "data_source": POLICE_UK_SOURCE,
        "files_read": result.files["source_file"].tolist(),
        "boundary_vintages": result.area.vintages,
        "wards_without_lsoas": result.area.wards_without_lsoas,
        "authority_code": result.area.code,
        "similar_areas": (None if result.similar is None else {
            "authorities": result.similar["lad_name"].tolist(),
            "method": SIMILAR_METHOD}),
        "methods": METHODS,
        "confidence": str(result.measures["lsoa"]["confidence"].iloc[0])
        if "confidence" in result.measures["lsoa"] else None,
        "ranked_by": str(result.measures["lsoa"]["ranked_by"].iloc[0])
        if "ranked_by" in result.measures["lsoa"] else "rate",
        "records": {"read": result.report.rows_read, "kept": result.report.kept,
                    "excluded": {k: int(v) for k, v in result.report.exclusions().items()},
                    "identical_asb_rows_kept": result.report.identical_asb,
                    "location_methods": {k: int(v)
                                         for k, v in result.report.methods.items()}},
        "warnings": result.warnings,
        "deprivation": ({
            "edition": f"English Indices of Deprivation {associations.edition}",
            "measures": associations.measures,
            "quintiles": "local: fifths of the study area's LSOAs by IMD score; national: "
                         "IMD deciles 1-2 (most deprived fifth of England) ... 9-10",
            "population": "Census 2021 usual residents for summaries; rates use each "
                          "layer's own denominator",
        } if associations else None),
        "partners": [{
            "source": layer.label, "key": layer.spec.key, "file_stem": layer.file_stem,
            "synthetic": layer.synthetic,
            "sensitive": layer.spec.sensitive, "rate_unit": layer.spec.unit,
            "files": [f.replace("\\", "/").rsplit("/", 1)[-1] for f in layer.files],
            "disclosure_threshold": layer.threshold if layer.spec.sensitive else None,
            "placement": layer.placement.astype(str).to_dict(), "notes": layer.notes,
        } for layer in result.partners],
        "time_of_day": ({
            "source": times.source, "synthetic": times.synthetic,
            "night_time_hours": times.night.hours,
            "night_time_groups": list(times.night.groups),
            "aoristic_method": times.method,
            "longest_window_hours": times.max_hours,
            "period_assignment": "by the 'committed from' date",
            "weekend": "Saturday and Sunday",
            "premises": None if result.premises is None else len(result.premises),
        } if times else None),
        "attribution": ATTRIBUTION,
    }
