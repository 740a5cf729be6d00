"""Reading Council Tax Band A homes by LSOA (VOA, Council Tax stock of properties, CTSOP1.1).

VOA rounds counts to the nearest 10 and shows "-" for fewer than 5. geosafety keeps both
facts explicit:

* ``band_a`` is the published count, with "-" read as 2 (the middle of 0-4);
* ``band_a_low``/``band_a_high`` bound the true count: a rounded count ``c`` lies in
  ``[c - 5, c + 4]`` (never below 0) and "-" in ``[0, 4]``; the same for all properties;
* ``band_a_share`` is ``band_a / all_properties`` and ``band_a_share_low``/``_high`` the
  widest shares the bounds allow.
"""

from __future__ import annotations

from os import PathLike

import numpy as np
import pandas as pd

SUPPRESSED_MIDPOINT = 2.0


def _bounds(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    text = values.astype(str).str.strip()
    suppressed = text.eq("-")
    number = pd.to_numeric(text.where(~suppressed), errors="coerce")
    point = number.fillna(SUPPRESSED_MIDPOINT).where(~suppressed, SUPPRESSED_MIDPOINT)
    low = (number - 5).clip(lower=0).where(~suppressed, 0.0)
    high = (number + 4).where(~suppressed, 4.0)
    return point, low, high, suppressed


def band_a_table(table: pd.DataFrame) -> pd.DataFrame:
    """Band A counts, shares and their bounds from CTSOP1.1 LSOA rows as published.

    Parameters
    ----------
    table : pandas.DataFrame
        Indexed by LSOA code, with ``band_a`` and ``all_properties`` as published (strings:
        counts rounded to 10, ``"-"`` for fewer than 5).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``lsoa21_code``: ``band_a``, ``band_a_suppressed``, ``band_a_low``,
        ``band_a_high``, ``all_properties``, ``band_a_share``, ``band_a_share_low``,
        ``band_a_share_high``.

    Examples
    --------
    >>> rows = pd.DataFrame({"band_a": ["650", "-"], "all_properties": ["650", "400"]},
    ...                     index=["A", "B"])
    >>> band_a_table(rows)[["band_a", "band_a_low", "band_a_high", "band_a_share"]].values.tolist()
    [[650.0, 645.0, 654.0, 1.0], [2.0, 0.0, 4.0, 0.005]]
    """
    band, band_low, band_high, suppressed = _bounds(table["band_a"])
    total, total_low, total_high, _ = _bounds(table["all_properties"])
    out = pd.DataFrame({
        "band_a": band, "band_a_suppressed": suppressed, "band_a_low": band_low,
        "band_a_high": band_high, "all_properties": total,
    })
    out["band_a_share"] = (band / total.where(total > 0)).clip(upper=1)
    out["band_a_share_low"] = band_low / total_high.where(total_high > 0)
    out["band_a_share_high"] = np.minimum(1.0, band_high / total_low.where(total_low > 0))
    out.index.name = "lsoa21_code"
    return out


def read_band_a(path: str | PathLike[str]) -> pd.DataFrame:
    r"""Read Band A counts and shares per LSOA from a CTSOP1.1 table (a CSV as VOA publishes it).

    Parameters
    ----------
    path : str or PathLike
        A CTSOP1.1 CSV (``geography``, ``ecode``, ``band_a``, ..., ``all_properties``);
        newer editions are published by the Valuation Office Agency as "Council Tax: stock
        of properties".

    Returns
    -------
    pandas.DataFrame
        Its LSOA rows, as :func:`band_a_table` returns them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ctsop.csv"
    >>> _ = path.write_text("geography,ecode,band_a,all_properties\nLSOA,E01007003,650,650\n"
    ...                     "MSOA,E02001,900,1200\n")
    >>> read_band_a(path)["band_a_share"].to_dict()
    {'E01007003': 1.0}
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return band_a_table(table[table["geography"] == "LSOA"].set_index("ecode"))
