"""Drawing figures: formats asked for, drawn by worker processes, the same bytes each time."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from geosafety import InvalidOptionError, figure_formats
from geosafety.render.charts import trend_chart
from geosafety.render.drawing import draw, drawing


def _rows(counts: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"period": [str(2018 + i) for i in range(len(counts))],
                         "count": counts, "complete": [True] * len(counts),
                         "months_present": [12] * len(counts)})


def _trend(folder, name: str, counts: list[int]) -> list:
    return draw(trend_chart, _rows(counts), path=folder / f"{name}.png", category=name,
                area_name="Toyshire", basis="calendar-year", footnote="Source: made up. " * 30)


def test_figures_drawn_by_worker_processes_are_on_disk_in_the_order_asked(tmp_path):
    with drawing("png,svg", processes=2):
        first = _trend(tmp_path, "a", [5, 7, 9])
        second = _trend(tmp_path, "b", [9, 7, 5])
        assert [p.name for p in first + second] == ["a.png", "a.svg", "b.png", "b.svg"]
    for path in first + second:
        assert path.stat().st_size > 1000, path
    with Image.open(first[0]) as image:  # a palette PNG, ready for the report to embed
        assert (image.format, image.mode) == ("PNG", "P")
    assert "<dc:date>" not in first[1].read_text()


def test_png_only_unless_svg_is_asked_for_and_the_same_figure_gives_the_same_bytes(tmp_path):
    for name in ("x", "y"):
        (tmp_path / name).mkdir()
    with drawing(processes=1):
        once = _trend(tmp_path / "x", "a", [5, 7, 9])
    with drawing(["svg"], processes=2):
        again = _trend(tmp_path / "y", "a", [5, 7, 9])
    assert [p.name for p in once] == ["a.png"] and [p.name for p in again] == ["a.png", "a.svg"]
    assert once[0].read_bytes() == again[0].read_bytes()


def test_an_inner_block_draws_with_the_outer_processes_in_its_own_formats(tmp_path):
    with drawing("png", processes=1):
        with drawing("png,svg"):
            inner = _trend(tmp_path, "inner", [1, 2, 3])
        assert all(p.exists() for p in inner)  # waited for at the inner block's end
        outer = _trend(tmp_path, "outer", [1, 2, 3])
    assert [p.name for p in inner + outer] == ["inner.png", "inner.svg", "outer.png"]


def test_an_error_in_a_worker_is_raised_when_the_block_ends(tmp_path):
    with pytest.raises(KeyError, match="complete"), drawing(processes=2):
        draw(trend_chart, pd.DataFrame({"period": ["2020"], "count": [1]}),
             path=tmp_path / "bad.png", category="x", area_name="y", basis="year",
             footnote="z")


def test_unknown_formats_are_refused_by_name():
    assert figure_formats("PNG, .svg") == ("png", "svg")
    with pytest.raises(InvalidOptionError, match=r"\['pdf'\] not known; choose from"):
        figure_formats("png,pdf")


def _lattice_with_an_island():
    """An 8 x 8 queen lattice whose last cell has been cut off from its neighbours."""
    from libpysal.weights import W, lat2W

    neighbours = {k: list(v) for k, v in lat2W(8, 8, rook=False).neighbors.items()}
    for other in neighbours[63]:
        neighbours[other].remove(63)
    neighbours[63] = []
    return W(neighbours, silence_warnings=True)


def test_reused_permutation_draws_give_esda_s_own_answers():
    """Gi* and local Moran with shared draws and esda's loop quickened equal esda's own.

    Areas of two sizes, and a lattice of mostly zeros (simulated statistics tie with the
    observed one) with an island.
    """
    from esda import G_Local, Moran_Local
    from libpysal.weights import KNN

    from geosafety.analysis.hotspots import _DRAWS, SEED, getis_ord, local_moran

    rng = np.random.default_rng(7)
    cases = []
    for n in (40, 60, 40):
        weights = KNN(rng.random((n, 2)), k=4)
        values = pd.Series(rng.poisson(6, n).astype(float), index=weights.id_order)
        cases.append((weights, values))
    island = _lattice_with_an_island()
    cases.append((island, pd.Series(np.random.default_rng(3).poisson(0.4, 64).astype(float),
                                    index=island.id_order)))
    _DRAWS.clear()
    found = [(getis_ord(v, w, permutations=199), local_moran(v, w, permutations=199))
             for w, v in cases]
    assert len(_DRAWS) == 3  # one draw per size, shared by both statistics
    for (weights, values), (gi, moran) in zip(cases, found, strict=True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # esda: numba not installed
            own_gi = G_Local(values.to_numpy(), weights, transform="B", star=True,
                             permutations=199, seed=SEED, n_jobs=1)
            own_moran = Moran_Local(values.to_numpy(), weights, transformation="r",
                                    permutations=199, seed=SEED, n_jobs=1)
        for ours, theirs in ((gi["gi_p"], own_gi.p_sim), (moran["moran_p"], own_moran.p_sim)):
            # p-values are multiples of 1/200; esda keeps some in single precision
            np.testing.assert_array_equal(np.asarray(ours, np.float32),
                                          np.asarray(theirs, np.float32))


def test_quickened_esda_is_restored_after_use_from_several_threads():
    """Gi* from four threads at once: the same p-values as one after another, and esda's own
    functions back in place afterwards."""
    from concurrent.futures import ThreadPoolExecutor

    from esda import crand, getisord, moran
    from libpysal.weights import KNN

    from geosafety.analysis.hotspots import getis_ord

    own = (crand.vec_permutations, crand.compute_chunk, getisord._prepare_univariate,
           moran._prepare_univariate)
    rng = np.random.default_rng(11)
    cases = []
    for n in (30, 45, 30, 45):
        weights = KNN(rng.random((n, 2)), k=4, silence_warnings=True)
        cases.append((pd.Series(rng.poisson(5, n).astype(float), index=weights.id_order),
                      weights))
    one_by_one = [getis_ord(v, w, permutations=99)["gi_p"] for v, w in cases]
    with ThreadPoolExecutor(max_workers=4) as pool:
        at_once = list(pool.map(lambda case: getis_ord(*case, permutations=99)["gi_p"],
                                cases))
    for ours, serial in zip(at_once, one_by_one, strict=True):
        pd.testing.assert_series_equal(ours, serial)
    assert (crand.vec_permutations, crand.compute_chunk, getisord._prepare_univariate,
            moran._prepare_univariate) == own
