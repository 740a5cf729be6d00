"""Allow ``python -m geosafety``."""

from geosafety.cli import main

main()
