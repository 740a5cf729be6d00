"""Stage 5, protect: statistical disclosure control of sensitive sources (MARAC, CJIT).

Every published figure is a cell, and what a reader knows about how cells relate is a set
of linear relations (:mod:`~geosafety.disclosure.cells`). Small cells are hidden, then
further cells until no hidden one can be narrowed, by linear programming, to fewer values
than the threshold (:mod:`~geosafety.disclosure.ranges`); all that derives from a hidden
cell goes with it (:mod:`~geosafety.disclosure.apply`); and the written outputs can be
attacked the same way as an outsider would read them (:func:`audit_outputs`).
"""

from geosafety.disclosure.apply import (
    SourceProblem,
    protect_analyses,
    protect_partner,
    protect_placement,
    solve_beside,
    source_problem,
    withhold_associations,
)
from geosafety.disclosure.audit import audit_outputs, interval_attack
from geosafety.disclosure.cells import (
    THRESHOLD,
    AreaLinks,
    CategoryCells,
    category_cells,
    source_model,
)
from geosafety.disclosure.ranges import FeasibleRange, LinearModel, protect_ranges, unprotected

__all__ = [
    "THRESHOLD", "AreaLinks", "CategoryCells", "FeasibleRange", "LinearModel", "audit_outputs",
    "category_cells",
    "interval_attack", "protect_analyses", "protect_partner", "protect_placement",
    "protect_ranges", "source_model", "unprotected", "withhold_associations",
    "SourceProblem", "solve_beside", "source_problem",
]
