"""Looking values up once per distinct value (records repeat their codes)."""

from __future__ import annotations

import numpy as np
import pandas as pd


class DistinctValues:
    """Values numbered once, so that every lookup works on each distinct value once.

    Examples
    --------
    >>> codes = DistinctValues(pd.Series(["b", "b", "z", None]))
    >>> codes.positions_in(pd.Index(["a", "b"])).tolist()
    [1, 1, -1, -1]
    >>> codes.isin(pd.Index(["z"])).tolist()
    [False, False, True, False]
    """

    def __init__(self, values: pd.Series | np.ndarray) -> None:
        self.values = values
        #: Each value's number among the distinct values (-1 for a missing value).
        self.numbers, distinct = pd.factorize(values)
        self.distinct = pd.Index(distinct)

    def _each(self, per_distinct: np.ndarray, missing: int | bool) -> np.ndarray:
        """Spread one result per distinct value to every value (``missing`` for NaN)."""
        return np.append(per_distinct, missing)[self.numbers]

    def positions_in(self, index: pd.Index) -> np.ndarray:
        """Position of each value in ``index``, -1 where absent."""
        return self._each(index.get_indexer(self.distinct), -1)

    def isin(self, values: pd.Index | pd.Series) -> pd.Series:
        """``values_series.isin(values)`` (the values must be a series)."""
        assert isinstance(self.values, pd.Series)
        return pd.Series(self._each(self.distinct.isin(values), False),
                         index=self.values.index, name=self.values.name)


def positions_in(index: pd.Index, values: pd.Series | np.ndarray) -> np.ndarray:
    """Position of each value in ``index`` (-1 where absent), each distinct value found once.

    Examples
    --------
    >>> positions_in(pd.Index(["a", "b"]), pd.Series(["b", "b", "z", None])).tolist()
    [1, 1, -1, -1]
    """
    return DistinctValues(values).positions_in(index)


def looked_up(keys: pd.Series, table: pd.Series) -> pd.Series:
    """``keys.map(table)``, each distinct key looked up once.

    Examples
    --------
    >>> looked_up(pd.Series(["b", "a", "b", "z"]), pd.Series({"a": "A", "b": "B"})).tolist()
    ['B', 'A', 'B', nan]
    """
    coded = DistinctValues(keys)
    values = table.reindex(coded.distinct).array
    return pd.Series(values.take(coded.numbers, allow_fill=True), index=keys.index,
                     name=keys.name)
