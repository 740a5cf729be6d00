"""Looking values up in an index once per distinct value (records repeat their codes)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def positions_in(index: pd.Index, values: pd.Series | np.ndarray) -> np.ndarray:
    """Position of each value in ``index`` (-1 where absent), each distinct value found once.

    Examples
    --------
    >>> positions_in(pd.Index(["a", "b"]), pd.Series(["b", "b", "z", None])).tolist()
    [1, 1, -1, -1]
    """
    found, distinct = pd.factorize(values)
    return np.append(index.get_indexer(pd.Index(distinct)), -1)[found]


def looked_up(keys: pd.Series, table: pd.Series) -> pd.Series:
    """``keys.map(table)``, each distinct key looked up once.

    Examples
    --------
    >>> looked_up(pd.Series(["b", "a", "b", "z"]), pd.Series({"a": "A", "b": "B"})).tolist()
    ['B', 'A', 'B', nan]
    """
    found, distinct = pd.factorize(keys)
    values = table.reindex(pd.Index(distinct)).array
    return pd.Series(values.take(found, allow_fill=True), index=keys.index, name=keys.name)
