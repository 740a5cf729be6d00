"""Writing the assessment document as a Word file (``.docx``) with python-docx.

The same :class:`~geosafety.report.document.Document` as the HTML page: headings, numbered
captions, figures at text width, tables in Word's grid style, notices in red. Every
string passes through :func:`~geosafety.report.document.printable`, since Word's XML cannot
hold control characters; python-docx escapes the rest.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from geosafety.report.document import (
    Block,
    Bullets,
    Document,
    Figure,
    Heading,
    Notice,
    Paragraph,
    Table,
    caption_text,
    compact_png,
    numbered,
    printable,
)

_RED = (0xB0, 0x00, 0x20)
_GREY = (0x55, 0x55, 0x55)


def _run(paragraph: Any, text: str, *, bold: bool = False, size: float | None = None,
         colour: tuple[int, int, int] | None = None) -> Any:
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(printable(text))
    run.bold = bold
    if size is not None:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = RGBColor(*colour)
    return run


def _keep_with_next(paragraph: Any) -> None:
    paragraph.paragraph_format.keep_with_next = True


def _table(doc: Any, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    caption = doc.add_paragraph(style="Caption")
    _run(caption, caption_text(table), bold=True)
    _keep_with_next(caption)
    frame = table.frame
    grid = doc.add_table(rows=len(frame) + 1, cols=len(frame.columns))
    grid.style = "Table Grid"
    rows = grid.rows  # each row's cells once: Table.cell(i, j) walks the table every time
    for cell, column in zip(rows[0].cells, frame.columns, strict=True):
        _run(cell.paragraphs[0], str(column), bold=True, size=8)
    for row, values in zip(rows[1:], frame.itertuples(index=False), strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            _run(paragraph, str(value), size=8)
            if isinstance(value, int | float) and not isinstance(value, bool):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in grid.rows:  # keep the table on one page where Word can
        row.cells[0].paragraphs[0].paragraph_format.keep_with_next = True
    _run(doc.add_paragraph(), f"Source of Table {table.number}: {table.source}", size=8,
         colour=_GREY)


def _block(doc: Any, block: Block) -> None:
    from docx.shared import Cm

    if isinstance(block, Heading):
        doc.add_heading(printable(block.text), level=block.level)
    elif isinstance(block, Paragraph):
        paragraph = doc.add_paragraph()
        if block.synthetic:
            _run(paragraph, "[SYNTHETIC] ", bold=True, colour=_RED)
        _run(paragraph, block.text)
        if block.source:
            _run(paragraph, f" [{block.source}]", size=8, colour=_GREY)
    elif isinstance(block, Bullets):
        for item in block.items:
            paragraph = doc.add_paragraph(style="List Bullet")
            if block.synthetic:
                _run(paragraph, "[SYNTHETIC] ", bold=True, colour=_RED)
            _run(paragraph, item)
        if block.source:
            _run(doc.add_paragraph(), f"[{block.source}]", size=8, colour=_GREY)
    elif isinstance(block, Notice):
        _run(doc.add_paragraph(), block.text, bold=True, colour=_RED)
    elif isinstance(block, Figure):
        picture = doc.add_paragraph()
        _keep_with_next(picture)
        width, height = _image_size(block.path)
        fit = min(Cm(16) / width, Cm(19) / height)
        picture.add_run().add_picture(io.BytesIO(compact_png(block.path)),
                                      width=int(width * fit))
        _run(doc.add_paragraph(style="Caption"), caption_text(block), bold=True)
    else:
        _table(doc, block)


def _image_size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def document_docx(document: Document, path: Path) -> Path:
    """Write the document as a Word file at ``path`` and return it."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    document = numbered(document)
    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    if document.synthetic:
        header = section.header.paragraphs[0]
        _run(header, "Uses SYNTHETIC example data for some partner layers: not real records",
             bold=True, size=8, colour=_RED)
    doc.add_heading(printable(document.title), level=0)
    _run(doc.add_paragraph(), document.subtitle, size=12)
    for notice in document.notices:
        _run(doc.add_paragraph(), notice, bold=True, colour=_RED)
    if document.links:
        _run(doc.add_paragraph(), "Interactive maps (HTML files in the run's maps folder): "
             + ", ".join(f"{text} ({href})" for text, href in document.links), size=9)
    for i, chapter in enumerate(document.chapters, 1):
        if i > 1:
            doc.add_page_break()
        doc.add_heading(f"{i}. {printable(chapter.title)}", level=1)
        for block in chapter.blocks:
            _block(doc, block)
    if document.attribution:
        doc.add_heading("Sources and attribution", level=2)
        for line in document.attribution:
            _run(doc.add_paragraph(), line, size=8)
    doc.core_properties.title = printable(document.title)
    doc.core_properties.subject = printable(document.subtitle)
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(stable_zip(buffer.getvalue()))
    return path


def stable_zip(data: bytes) -> bytes:
    """Rewrite a zip (a .docx) with fixed entry times, so the same content gives the same bytes.

    Examples
    --------
    >>> def made(year: int) -> bytes:
    ...     buffer = io.BytesIO()
    ...     with zipfile.ZipFile(buffer, "w") as z:
    ...         z.writestr(zipfile.ZipInfo("a.xml", date_time=(year, 1, 1, 0, 0, 0)), "<a/>")
    ...     return buffer.getvalue()
    >>> made(2020) == made(2021), stable_zip(made(2020)) == stable_zip(made(2021))
    (False, True)
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()
