"""Writing Markdown reports with every data-borne string made inert.

Category names, area names, file names and sources come from input files, and Markdown
passes raw HTML through to the page it is converted to. So before a report is written,
anything that would open an HTML tag, comment or declaration (``<`` followed by a letter,
``/``, ``!`` or ``?``) has its ``<`` written as ``&lt;``, which Markdown renders as the text
``<``. A lone ``<`` as in "p < 0.001" is left as it is.
"""

from __future__ import annotations

import re
from pathlib import Path

_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def inert_html(text: str) -> str:
    """Return ``text`` with every HTML tag opening escaped, so no data runs as markup.

    Examples
    --------
    >>> inert_html("Burglary<script>alert(1)</script>, p < 0.001")
    'Burglary&lt;script>alert(1)&lt;/script>, p < 0.001'
    >>> inert_html('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror="alert(1)">'
    """
    return _TAG_START.sub("&lt;", text)


def write_markdown(path: Path, text: str) -> None:
    """Write a Markdown report (UTF-8) with data-borne HTML made inert."""
    path.write_text(inert_html(text), encoding="utf-8")
