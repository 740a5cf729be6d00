"""Remembering results worked out from particular objects, recognised by identity."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class IdentityMemo(Generic[T]):
    """Remember the last ``kept`` results, each by the objects it came from and a key.

    For results worked out from objects that do not change (shapely geometries, a cached
    reference table's index) and are slow to compare by value: the same objects give the
    remembered result. An entry keeps its objects alive, so no other object can take their
    identities while it lives.

    Examples
    --------
    >>> memo = IdentityMemo[int](kept=2)
    >>> shapes, calls = [object(), object()], []
    >>> memo.get(shapes, "n", lambda: calls.append(1) or len(shapes))
    2
    >>> memo.get(shapes, "n", lambda: calls.append(1) or len(shapes)), len(calls)
    (2, 1)
    """

    def __init__(self, *, kept: int) -> None:
        self._kept = kept
        self._entries: OrderedDict[tuple[Hashable, tuple[int, ...]],
                                   tuple[list[object], T]] = OrderedDict()

    def get(self, objects: Iterable[object], key: Hashable, compute: Callable[[], T]) -> T:
        """Return the result for ``objects`` and ``key``, computing it the first time."""
        objects = list(objects)
        entry = (key, tuple(map(id, objects)))
        if entry in self._entries:
            self._entries.move_to_end(entry)
            return self._entries[entry][1]
        result = compute()
        self._entries[entry] = (objects, result)
        if len(self._entries) > self._kept:
            self._entries.popitem(last=False)
        return result
