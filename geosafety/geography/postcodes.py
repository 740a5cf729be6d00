"""Postcodes and postcode districts.

Postcode districts (L20, PR8, ...) have no official boundary. geosafety builds them from
OS Code-Point Open postcode-unit centroids: every LSOA goes to the district that holds most
of its postcode centroids (a best fit, like ONS's LSOA-to-ward best fit), and the district is
the union of its LSOAs. Districts therefore nest exactly in LSOAs, so their resident
population is an exact sum of Census counts and never a share of (sea-filled) area.
"""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd

from geosafety._errors import GeosafetyError
from geosafety.geography.assign import points_in_polygons
from geosafety.geography.status import Placement, outside_authority

#: A UK postcode once spaces are removed and letters upper-cased: outward code + inward code.
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def normalise_postcode(postcode: object) -> str | None:
    """Return a postcode in the standard ``"L20 3AB"`` form, or None if it is not one.

    Parameters
    ----------
    postcode : object
        Any spacing or case: ``"l20 3ab"``, ``"L203AB"`` and ``" L20  3AB "`` are all accepted.

    Returns
    -------
    str or None

    Examples
    --------
    >>> normalise_postcode("l203ab"), normalise_postcode("PR8  1AA"), normalise_postcode("NFA")
    ('L20 3AB', 'PR8 1AA', None)
    """
    if not isinstance(postcode, str):
        return None
    match = _POSTCODE.match(re.sub(r"\s+", "", postcode).upper())
    return f"{match.group(1)} {match.group(2)}" if match else None


def postcode_district(postcode: object) -> str | None:
    """Return the district (outward code) of a postcode, or None if it is not a postcode.

    Examples
    --------
    >>> postcode_district("l20 3ab"), postcode_district("PR9 0AA"), postcode_district("")
    ('L20', 'PR9', None)
    """
    normal = normalise_postcode(postcode)
    return normal.split(" ")[0] if normal else None


def postcode_lsoa_counts(
    postcodes: gpd.GeoDataFrame, lsoas: gpd.GeoDataFrame, *, lsoa_col: str = "lsoa21_code"
) -> pd.DataFrame:
    """Count postcode centroids of each district inside each LSOA (point in polygon).

    Parameters
    ----------
    postcodes : geopandas.GeoDataFrame
        Postcode centroids with a ``postcode`` column.
    lsoas : geopandas.GeoDataFrame
        LSOA polygons with ``lsoa_col``.
    lsoa_col : str
        The LSOA code column.

    Returns
    -------
    pandas.DataFrame
        Columns ``lsoa_col``, ``district``, ``n_postcodes``. Centroids that fall in no LSOA
        (for example just off a generalised coastline) go to the nearest LSOA.
    """
    points = postcodes.to_crs(lsoas.crs)[["postcode", "geometry"]]
    joined = gpd.sjoin(points, lsoas[[lsoa_col, "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    outside = joined[lsoa_col].isna()
    if outside.any():
        nearest = gpd.sjoin_nearest(points[outside], lsoas[[lsoa_col, "geometry"]], how="left")
        nearest = nearest[~nearest.index.duplicated(keep="first")]
        joined.loc[outside, lsoa_col] = nearest[lsoa_col]
    joined["district"] = joined["postcode"].map(postcode_district)
    return (
        joined.groupby([lsoa_col, "district"]).size().rename("n_postcodes").reset_index()
    )


def best_fit_districts(
    postcodes: gpd.GeoDataFrame, lsoas: gpd.GeoDataFrame, *, lsoa_col: str = "lsoa21_code",
    nearest_when_empty: bool = False,
) -> pd.DataFrame:
    """Give each LSOA the postcode district holding most of its postcode centroids.

    Parameters
    ----------
    postcodes : geopandas.GeoDataFrame
        Geographic postcode-unit centroids (Code-Point Open) with a ``postcode`` column.
        Leave out non-geographic (large-user) districts; they have no area of their own.
    lsoas : geopandas.GeoDataFrame
        LSOA polygons with ``lsoa_col``.
    lsoa_col : str
        The LSOA code column.
    nearest_when_empty : bool
        Give an LSOA holding no postcode centroid the district of the nearest one (its
        ``share_of_lsoa_postcodes`` is then 0); otherwise such an LSOA is an error.

    Returns
    -------
    pandas.DataFrame
        One row per LSOA: ``lsoa_col``, ``district``, ``share_of_lsoa_postcodes`` (the
        fraction of the LSOA's postcodes in its best-fit district). Ties go to the district
        that sorts first.

    Raises
    ------
    GeosafetyError
        If an LSOA holds no postcode centroid and ``nearest_when_empty`` is False.
    """
    counts = postcode_lsoa_counts(postcodes, lsoas, lsoa_col=lsoa_col)
    counts["share_of_lsoa_postcodes"] = counts["n_postcodes"] / counts.groupby(lsoa_col)[
        "n_postcodes"
    ].transform("sum")
    best = (
        counts.sort_values(
            [lsoa_col, "n_postcodes", "district"], ascending=[True, False, True]
        )
        .drop_duplicates(lsoa_col)[[lsoa_col, "district", "share_of_lsoa_postcodes"]]
        .reset_index(drop=True)
    )
    missing = sorted(set(lsoas[lsoa_col]) - set(best[lsoa_col]))
    if missing and not nearest_when_empty:
        raise GeosafetyError(
            f"{len(missing)} LSOAs contain no postcode centroid (first: {missing[:3]}); "
            "a best-fit district cannot be chosen for them."
        )
    if missing:
        empty = lsoas[lsoas[lsoa_col].isin(missing)]
        centres = gpd.GeoDataFrame({lsoa_col: empty[lsoa_col].to_numpy()},
                                   geometry=empty.geometry.representative_point().to_numpy(),
                                   crs=lsoas.crs)
        points = postcodes.to_crs(lsoas.crs)[["postcode", "geometry"]]
        nearest = gpd.sjoin_nearest(centres, points, how="left")
        nearest = nearest[~nearest[lsoa_col].duplicated(keep="first")]
        filled = pd.DataFrame({lsoa_col: nearest[lsoa_col].to_numpy(),
                               "district": nearest["postcode"].map(postcode_district).to_numpy(),
                               "share_of_lsoa_postcodes": 0.0})
        best = pd.concat([best, filled], ignore_index=True).sort_values(lsoa_col,
                                                                          ignore_index=True)
    return best


def district_polygons(lsoas: gpd.GeoDataFrame, district: pd.Series) -> gpd.GeoDataFrame:
    """Union each district's LSOAs: the district polygons, in people's order (L9 before L10).

    Parameters
    ----------
    lsoas : geopandas.GeoDataFrame
        LSOA polygons.
    district : pandas.Series
        Each LSOA's district, aligned to ``lsoas``.

    Returns
    -------
    geopandas.GeoDataFrame
        ``district``, ``n_lsoas`` and ``geometry``.
    """
    frame = gpd.GeoDataFrame({"district": district.to_numpy()}, geometry=lsoas.geometry.to_numpy(),
                             crs=lsoas.crs)
    districts = frame.dissolve(by="district", as_index=False)[["district", "geometry"]]
    districts["n_lsoas"] = districts["district"].map(frame["district"].value_counts())
    districts = districts.sort_values("district", key=_district_sort_key).reset_index(drop=True)
    return districts[["district", "n_lsoas", "geometry"]]


def build_postcode_districts(
    postcodes: gpd.GeoDataFrame, lsoas: gpd.GeoDataFrame, *, lsoa_col: str = "lsoa21_code"
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Build postcode district polygons as best-fit unions of LSOAs.

    Parameters are as for :func:`best_fit_districts`.

    Returns
    -------
    districts : geopandas.GeoDataFrame
        ``district``, ``n_lsoas``, ``n_postcodes`` (postcode centroids of that district
        inside the study area), ``geometry``.
    lsoa_to_district : pandas.DataFrame
        See :func:`best_fit_districts`.

    Notes
    -----
    A district whose postcodes are a minority in every LSOA they touch (in Sefton, L9 and
    L29 at the borough's edge) gets no polygon; its postcodes are counted under the
    district that holds most of their LSOA. Ties are broken by district name.
    """
    best = best_fit_districts(postcodes, lsoas, lsoa_col=lsoa_col)
    aligned = lsoas[[lsoa_col, "geometry"]].merge(best, on=lsoa_col)
    districts = district_polygons(aligned, aligned["district"])
    counts = postcode_lsoa_counts(postcodes, lsoas, lsoa_col=lsoa_col)
    districts["n_postcodes"] = districts["district"].map(
        counts.groupby("district")["n_postcodes"].sum())
    return districts[["district", "n_lsoas", "n_postcodes", "geometry"]], best


def _district_sort_key(districts: pd.Series) -> pd.Series:
    """Sort districts as people do: L9 before L10, L before PR."""
    parts = districts.str.extract(r"^([A-Z]+)(\d+)")
    return parts[0] + parts[1].str.zfill(3)


#: Values partners use for "no fixed abode" (NHS uses the pseudo-postcode ZZ99 3VZ).
_NO_FIXED_ABODE = re.compile(
    r"^(n\.?\s*f\.?\s*a\.?|no\s+fixed\s+(abode|address)|homeless|zz99\s*3vz)$", re.IGNORECASE)
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")



def postcode_centroid_lsoas(postcodes: pd.DataFrame, lsoas: gpd.GeoDataFrame) -> pd.Series:
    """Place postcode centroids (``easting``/``northing``) in LSOAs by point in polygon.

    Centroids just off a generalised boundary (within 25 m) go to the nearest LSOA.

    Returns
    -------
    pandas.Series
        LSOA code by postcode (NA outside every LSOA).
    """
    points = gpd.GeoSeries(
        gpd.points_from_xy(postcodes["easting"], postcodes["northing"]),
        index=postcodes.index, crs="EPSG:27700")
    return points_in_polygons(points, lsoas, nearest_within=25.0)


def classify_postcodes(
    values: pd.Series,
    centroid_lsoas: pd.Series,
    authorities: pd.DataFrame,
    *,
    area_name: str,
) -> pd.DataFrame:
    """Place postcodes of residence in LSOAs, or say why they cannot be placed.

    Parameters
    ----------
    values : pandas.Series
        Postcodes as written (any case and spacing), postcode districts, "NFA" and so on.
    centroid_lsoas : pandas.Series
        LSOA code of each study-area postcode (see :func:`postcode_centroid_lsoas`).
    authorities : pandas.DataFrame
        The authority of known postcodes outside the study area (``authority``),
        indexed by postcode.
    area_name : str
        The study area's name, for the out-of-area reason.

    Returns
    -------
    pandas.DataFrame
        ``postcode`` (normalised or None), ``district`` (the postcode's own outward code),
        ``lsoa21_code`` (None unless placed) and ``status``: "placed by postcode",
        "postcode district only", "no fixed abode", "malformed postcode", "unknown postcode
        ...", "no postcode" or "outside <area> (<authority>)".

    Examples
    --------
    >>> lsoas = pd.Series({"L20 3AB": "E01007007"})
    >>> others = pd.DataFrame({"authority": ["Liverpool"]}, index=["L1 0AA"])
    >>> out = classify_postcodes(pd.Series(["l203ab", "L1 0AA", "NFA", "L20", "L20 3A"]),
    ...                          lsoas, others, area_name="Sefton")
    >>> out["status"].astype(str).tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['placed by postcode', 'outside Sefton (Liverpool)', 'no fixed abode',
     'postcode district only', 'malformed postcode']
    """
    raw = values.fillna("").astype(str).str.strip()
    normal = raw.map(normalise_postcode)
    compact = raw.str.replace(r"\s+", "", regex=True).str.upper()
    out = pd.DataFrame({"postcode": normal, "district": normal.map(
        lambda p: p.split(" ")[0] if isinstance(p, str) else None)}, index=values.index)
    out["lsoa21_code"] = normal.map(centroid_lsoas)
    status = pd.Series(Placement.MALFORMED_POSTCODE, index=values.index, dtype=object)
    status[raw.eq("")] = Placement.NO_POSTCODE
    status[raw.map(lambda v: bool(_NO_FIXED_ABODE.match(v)))] = Placement.NO_FIXED_ABODE
    district_only = normal.isna() & compact.map(lambda v: bool(_DISTRICT.match(v)))
    status[district_only] = Placement.DISTRICT_ONLY
    out.loc[district_only, "district"] = compact[district_only]
    valid = normal.notna()
    status[valid] = Placement.UNKNOWN_POSTCODE
    # Known postcodes elsewhere: look them up by position (the table is large and its index
    # keeps its hash table between calls, which isin would rebuild every time).
    unplaced = normal[valid & out["lsoa21_code"].isna()]
    position = authorities.index.get_indexer(unplaced.to_numpy())
    known = position >= 0
    names = authorities["authority"].to_numpy()[position[known]]
    status[unplaced.index[known]] = [
        outside_authority(area_name, n if isinstance(n, str) else "another authority")
        for n in names]
    placed = valid & out["lsoa21_code"].notna()
    status[placed] = Placement.BY_POSTCODE
    out["status"] = status
    return out
