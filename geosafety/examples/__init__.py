"""Example data and the bundled demo run.

SYNTHETIC generators for the data no one may publish (fire incidents, MARAC and CJIT
records, a police force extract with times, night-time premises), documented in
``data/synthetic/README.md``, and :func:`with_examples`, which wires the bundled data into
the default run.
"""

from geosafety.examples.demo import EXAMPLE_PERIOD, with_examples
from geosafety.examples.synthetic_force import make_synthetic_force
from geosafety.examples.synthetic_partners import make_synthetic

__all__ = ["EXAMPLE_PERIOD", "make_synthetic", "make_synthetic_force", "with_examples"]
