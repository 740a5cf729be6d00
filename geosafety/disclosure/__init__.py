"""Stage 5, protect: statistical disclosure control of sensitive sources (MARAC, CJIT).

Every published figure is a cell and every "parent = sum of children" an equation
(:mod:`~geosafety.disclosure.cells`); small cells and any that published ones would reveal
are hidden, with all that derives from them (:mod:`~geosafety.disclosure.apply`); and the
written outputs can be audited as an outsider would read them
(:func:`audit_outputs`).
"""

from geosafety.disclosure.apply import (
    protect_analyses,
    protect_partner,
    protect_placement,
    withhold_associations,
)
from geosafety.disclosure.audit import audit_outputs
from geosafety.disclosure.cells import THRESHOLD, Equation, linked_cells, protect, recoverable

__all__ = [
    "THRESHOLD", "Equation", "audit_outputs", "linked_cells", "protect", "protect_analyses",
    "protect_partner", "protect_placement", "recoverable", "withhold_associations",
]
