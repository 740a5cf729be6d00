"""Every input of an assessment, and reading them all.

:class:`Inputs` names the files (police.uk data, partner extracts and tables, a force
extract, premises) and their column mappings; :func:`read_partner_inputs` reads and
validates every partner file in one go, placing records through the study area. police.uk
data is read on its own first (:func:`~geosafety.io.read_police_uk`), because the period
follows from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from os import PathLike

import pandas as pd

from geosafety.io.area_counts import read_area_counts
from geosafety.io.cases import read_cases
from geosafety.io.columns import COLUMN_SECTIONS as COLUMN_SECTIONS
from geosafety.io.fire import read_fire_incidents
from geosafety.io.force_crime import read_force_crimes
from geosafety.io.local_layers import LocalLayer, read_layer_definition, read_local_layer
from geosafety.io.placing import Placer
from geosafety.io.police_uk import read_police_uk
from geosafety.io.premises import read_premises
from geosafety.io.sources import Source

#: Kinds of partner data, each with its own loader and rates.
PARTNER_KINDS = ("fire", "marac", "cjit")


@dataclass(frozen=True)
class Inputs:
    """The files an assessment reads: each a path, folder, archive or list of them.

    Attributes
    ----------
    police_uk : path or list of paths, optional
        police.uk street-level files (see :func:`~geosafety.io.read_police_uk`).
    trend : path or list of paths, optional
        police.uk data of several years for the trend tables.
    fire, marac, cjit : path or list of paths, optional
        Partner record files (CSV or Excel).
    counts : tuple of (kind, level, source)
        Pre-aggregated partner tables, e.g. ``("cjit", "ward", "cjit_by_ward.csv")``.
    force : path or list of paths, optional
        Police force crime extracts with offence times.
    premises : path or list of paths, optional
        Night-time premises drawn as points on the maps.
    comparators : path, optional
        A partnership's own list of comparator authorities (CSV or Excel of codes or
        names), used instead of the similar authorities geosafety finds.
    layers : tuple of paths
        Local layers: TOML definitions read by
        :func:`~geosafety.io.local_layers.read_layer_definition`.
    localities : path, optional
        Wards grouped into localities (CSV or Excel with ward and locality columns), see
        :func:`~geosafety.geography.localities.read_localities`.
    columns : mapping
        Column mappings per section (``"fire"``, ``"marac"``, ``"cjit"``, ``"counts"``,
        ``"force"``, ``"premises"``), see :func:`~geosafety.io.load_columns`.
    """

    police_uk: Source | None = None
    trend: Source | None = None
    fire: Source | None = None
    marac: Source | None = None
    cjit: Source | None = None
    counts: tuple[tuple[str, str, Source], ...] = ()
    force: Source | None = None
    premises: Source | None = None
    columns: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    comparators: str | PathLike[str] | None = None
    localities: str | PathLike[str] | None = None
    layers: tuple[str | PathLike[str], ...] = ()

    @property
    def any_data(self) -> bool:
        """True when any data file at all is given."""
        return bool(self.counts) or bool(self.layers) or any(x is not None for x in (
            self.police_uk, self.fire, self.marac, self.cjit, self.force, self.premises))


@dataclass
class PartnerData:
    """Partner files read, validated and placed.

    Attributes
    ----------
    fire : pandas.DataFrame, optional
        From :func:`~geosafety.io.read_fire_incidents`.
    cases : dict of str to pandas.DataFrame
        ``"marac"`` and ``"cjit"`` records from :func:`~geosafety.io.read_cases`.
    counts : list of (kind, level, file names, table)
        Tables from :func:`~geosafety.io.read_area_counts`.
    force : pandas.DataFrame, optional
        From :func:`~geosafety.io.read_force_crimes`.
    premises : pandas.DataFrame, optional
        From :func:`~geosafety.io.read_premises`.
    trend : pandas.DataFrame, optional
        police.uk records of several years, from ``Inputs.trend``.
    layers : list of (LocalLayer, pandas.DataFrame)
        Each local layer and its records, from :func:`~geosafety.io.read_local_layer`.
    """

    fire: pd.DataFrame | None = None
    cases: dict[str, pd.DataFrame] = field(default_factory=dict)
    counts: list[tuple[str, str, list[str], pd.DataFrame]] = field(default_factory=list)
    force: pd.DataFrame | None = None
    premises: pd.DataFrame | None = None
    trend: pd.DataFrame | None = None
    layers: list[tuple[LocalLayer, pd.DataFrame]] = field(default_factory=list)


def _names(source: Source) -> list[str]:
    if isinstance(source, str | PathLike):
        return [str(source)]
    return [str(item) for item in source]


def read_partner_inputs(inputs: Inputs, area: Placer, *, progress: bool = False) -> PartnerData:
    """Read every input except the police.uk data assessed, placing records in ``area``.

    Raises
    ------
    InputFileError
        For the first file that cannot be used, naming its problems.
    """
    columns = inputs.columns
    data = PartnerData()
    if inputs.fire is not None:
        data.fire = read_fire_incidents(inputs.fire, area, columns=columns.get("fire"))
    for kind in ("marac", "cjit"):
        files = getattr(inputs, kind)
        if files is not None:
            data.cases[kind] = read_cases(files, area, columns=columns.get(kind))
    for kind, level, files in inputs.counts:
        table = read_area_counts(files, area, level=level, columns=columns.get("counts"))
        data.counts.append((kind, level, _names(files), table))
    if inputs.force is not None:
        data.force = read_force_crimes(inputs.force, area, columns=columns.get("force"))
    if inputs.premises is not None:
        data.premises = read_premises(inputs.premises, area, columns=columns.get("premises"))
    for definition in inputs.layers:
        layer = read_layer_definition(definition)
        data.layers.append((layer, read_local_layer(layer, area)))
    if inputs.trend is not None:
        data.trend = read_police_uk(inputs.trend, progress=progress)
    return data
