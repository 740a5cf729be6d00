"""Writing the assessment document as one self-contained HTML page.

Figures are embedded (PNG as ``data:`` addresses), the style sheet is inline and nothing is
fetched, so the page opens offline on a locked-down laptop. The print style sets A4 pages
and keeps every figure and table, with its caption and source line, on one page.
Every data-borne string is HTML-escaped.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

import pandas as pd

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
)

_STYLE = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; font-size: 10.5pt;
       line-height: 1.45; color: #1b1b1b; max-width: 185mm; margin: 0 auto; padding: 8mm; }
h1 { font-size: 20pt; margin: 0 0 2mm; color: #12355b; }
h2 { font-size: 15pt; color: #12355b; border-bottom: 2px solid #12355b;
     padding-bottom: 1mm; margin-top: 10mm; break-after: avoid; }
h3 { font-size: 12pt; color: #12355b; margin: 6mm 0 2mm; break-after: avoid; }
.subtitle { font-size: 12pt; color: #444; margin-bottom: 6mm; }
.source { font-size: 8.5pt; color: #555; }
.notice { border: 2px solid #b00020; background: #fff4f4; color: #7a0016; padding: 2mm 3mm;
          font-weight: 600; margin: 3mm 0; break-inside: avoid; }
.synthetic-tag { color: #b00020; font-weight: 700; }
figure { margin: 4mm 0; break-inside: avoid; page-break-inside: avoid; text-align: center; }
figure img { max-width: 100%; max-height: 200mm; height: auto; }
figcaption, .caption { font-size: 9.5pt; font-weight: 600; text-align: left; margin: 1mm 0; }
.table-block { margin: 4mm 0; break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
th, td { border: 1px solid #c8c8c8; padding: 0.8mm 1.6mm; text-align: left;
         vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
thead th { background: #e8eef5; }
nav ol { columns: 2; font-size: 10pt; }
.attribution { font-size: 8.5pt; color: #444; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; }
  h2 { break-before: page; } h2.first { break-before: auto; } }
"""


def embedded_png(path: Path) -> str:
    """Return a ``data:`` address holding the image (see :func:`compact_png`)."""
    return "data:image/png;base64," + base64.b64encode(compact_png(path)).decode("ascii")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _table_html(table: Table) -> str:
    frame = table.frame
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    head = "".join(f'<th class="{"num" if n else ""}">{escape(str(c))}</th>'
                   for c, n in zip(frame.columns, numeric, strict=True))
    rows = []
    for values in frame.itertuples(index=False):
        rows.append("<tr>" + "".join(
            f'<td class="{"num" if _is_number(v) else ""}">{escape(str(v))}</td>'
            for v in values) + "</tr>")
    return (f'<div class="table-block" id="table-{table.number}">'
            f'<div class="caption">{escape(caption_text(table))}</div>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f'<div class="source">Source of Table {table.number}: {escape(table.source)}'
            "</div></div>")


def _source_line(source: str) -> str:
    return f' <span class="source">[{escape(source)}]</span>' if source else ""


def _tag(synthetic: bool) -> str:
    return '<span class="synthetic-tag">[SYNTHETIC]</span> ' if synthetic else ""


def _block_html(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level + 1}>{escape(block.text)}</h{block.level + 1}>"
    if isinstance(block, Paragraph):
        return (f"<p>{_tag(block.synthetic)}{escape(block.text)}"
                f"{_source_line(block.source)}</p>")
    if isinstance(block, Bullets):
        items = "".join(f"<li>{_tag(block.synthetic)}{escape(i)}</li>" for i in block.items)
        return f"<ul>{items}</ul>" + (f'<p class="source">[{escape(block.source)}]</p>'
                                      if block.source else "")
    if isinstance(block, Notice):
        return f'<div class="notice">{escape(block.text)}</div>'
    if isinstance(block, Figure):
        return (f'<figure id="figure-{block.number}"><img src="{embedded_png(block.path)}" '
                f'alt="{escape(block.caption)}"><figcaption>{escape(caption_text(block))}'
                "</figcaption></figure>")
    return _table_html(block)


def document_html(document: Document) -> str:
    """Return the document as one self-contained HTML page (numbered figures and tables)."""
    document = numbered(document)
    contents = "".join(f'<li><a href="#chapter-{i}">{escape(c.title)}</a></li>'
                       for i, c in enumerate(document.chapters, 1))
    parts = [
        "<!DOCTYPE html>", '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(document.title)}</h1>",
        f'<div class="subtitle">{escape(document.subtitle)}</div>',
    ]
    if document.synthetic:
        parts.append('<div class="notice">This assessment uses SYNTHETIC example data for '
                     "some partner layers. Every chapter, figure, table and sentence that "
                     "uses it says SYNTHETIC; none of it describes real incidents or "
                     "people.</div>")
    if document.notices:
        parts += [f'<div class="notice">{escape(n)}</div>' for n in document.notices]
    if document.links:
        parts.append("<p>Interactive maps (open with the report's folder beside them): "
                     + " · ".join(f'<a href="{escape(href)}">{escape(text)}</a>'
                                  for text, href in document.links) + "</p>")
    parts.append(f"<nav><h3>Contents</h3><ol>{contents}</ol></nav>")
    for i, chapter in enumerate(document.chapters, 1):
        first = ' class="first"' if i == 1 else ""
        parts.append(f'<section id="chapter-{i}"><h2{first}>{i}. {escape(chapter.title)}</h2>')
        parts += [_block_html(b) for b in chapter.blocks]
        parts.append("</section>")
    if document.attribution:
        parts.append('<div class="attribution"><h3>Sources and attribution</h3>'
                     + "".join(f"<p>{escape(a)}</p>" for a in document.attribution) + "</div>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(document: Document, path: Path) -> Path:
    """Write the document as a self-contained HTML page and return its path."""
    path.write_text(document_html(document), encoding="utf-8")
    return path
