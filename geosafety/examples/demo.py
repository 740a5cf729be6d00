"""The bundled example run: real police.uk data for Sefton with SYNTHETIC partner data.

With no input at all, :func:`geosafety.assess` assesses Sefton for 2025 from the bundled
police.uk files, trends from every bundled police.uk year, and the SYNTHETIC fire, MARAC,
CJIT, force extract and premises files (no real records of those are public; every output
made from them says SYNTHETIC). Given any data, only what is given is used, unless the
examples are asked for.
"""

from __future__ import annotations

from dataclasses import replace

from geosafety.io.datasets import get_path
from geosafety.io.inputs import Inputs

#: The period of the bundled police.uk data.
EXAMPLE_PERIOD = "2025"


def with_examples(inputs: Inputs, *, examples: bool | None = None) -> tuple[Inputs, str | None]:
    """Fill in the bundled example inputs where ``inputs`` leaves them out.

    Parameters
    ----------
    inputs : Inputs
        What the user gave.
    examples : bool, optional
        Add the SYNTHETIC partner, force extract and premises examples. Default: only when
        no data at all is given.

    Returns
    -------
    inputs : Inputs
        With the bundled police.uk data when none is given (and every bundled year for the
        trends), and the SYNTHETIC examples when asked for.
    period : str or None
        The bundled data's period when the bundled police.uk data is used, else None.

    Examples
    --------
    >>> inputs, period = with_examples(Inputs())
    >>> period, inputs.marac.name
    ('2025', 'SYNTHETIC_marac_cases_sefton_2025.csv')
    >>> with_examples(Inputs(police_uk="my_data/"))[0].marac is None
    True
    """
    if examples is None:
        examples = not inputs.any_data
    if examples:
        inputs = replace(
            inputs,
            fire=inputs.fire or get_path("synthetic_fire"),
            marac=inputs.marac or get_path("synthetic_marac"),
            cjit=inputs.cjit or get_path("synthetic_cjit"),
            force=inputs.force or get_path("synthetic_force_crime"),
            premises=inputs.premises or get_path("synthetic_nte_premises"),
            layers=inputs.layers or (get_path("synthetic_fly_tipping"),))
    if inputs.police_uk is not None:
        return inputs, None
    trend = inputs.trend or [get_path("police_uk_2018_2021"), get_path("police_uk_2025")]
    localities = inputs.localities or (get_path("sefton_localities_example") if examples
                                       else None)
    return replace(inputs, police_uk=get_path("police_uk_2025"), trend=trend,
                   localities=localities), EXAMPLE_PERIOD
