"""The assessment document's content, independent of the format it is written in.

A :class:`Document` is a title page and chapters of blocks: headings, paragraphs (each with
the table and row it comes from), bullet lists, figures, tables and notices (the SYNTHETIC
flag). :func:`numbered` gives every figure and table its number once, so the HTML page
(:mod:`geosafety.report.html_document`) and the Word document
(:mod:`geosafety.report.docx_document`) say the same thing in the same order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from geosafety.render.drawing import palette_png

#: Characters XML 1.0 does not allow (C0 controls except tab, newline and carriage return,
#: and the non-characters U+FFFE and U+FFFF); a Word file cannot hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def printable(text: object) -> str:
    r"""Return ``text`` as a string with characters that XML cannot hold removed.

    Data-borne names reach the Word document, whose XML refuses control characters.

    Examples
    --------
    >>> printable("Bootle\x0b North")
    'Bootle North'
    >>> printable(12.5)
    '12.5'
    """
    return _NOT_XML.sub("", str(text))


def compact_png(path: Path) -> bytes:
    """Return the image as an up-to-256-colour PNG, for the HTML page and the Word file.

    geosafety's figures are written as palette PNGs already
    (:func:`~geosafety.render.drawing.save_figure`) and are embedded as they are; any other
    image is converted (:func:`~geosafety.render.drawing.palette_png`).
    """
    from PIL import Image

    with Image.open(path) as image:
        ready = image.format == "PNG" and image.mode == "P"
    return path.read_bytes() if ready else palette_png(path)


@dataclass(frozen=True)
class Heading:
    """A chapter (level 1) or section (level 2) heading."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """A paragraph and, for a figure quoted from a table, where it comes from.

    ``source`` names the table file and row (e.g. ``"measures_ward.csv: Bootle, All crime"``)
    so every sentence can be traced to the figure it quotes.
    """

    text: str
    source: str = ""
    synthetic: bool = False


@dataclass(frozen=True)
class Bullets:
    """A bullet list of sentences, with the table they come from."""

    items: tuple[str, ...]
    source: str = ""
    synthetic: bool = False


@dataclass(frozen=True)
class Notice:
    """A boxed notice, such as the SYNTHETIC flag on a chapter using example data."""

    text: str


@dataclass(frozen=True)
class Figure:
    """An image with its caption, optionally linking to the interactive map it comes from."""

    path: Path
    caption: str
    synthetic: bool = False
    number: int = 0


@dataclass(frozen=True)
class Table:
    """A table with its caption and the file it is taken from."""

    frame: pd.DataFrame
    caption: str
    source: str
    synthetic: bool = False
    number: int = 0


Block = Heading | Paragraph | Bullets | Notice | Figure | Table


@dataclass
class Chapter:
    """A chapter: a title and its blocks."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> Chapter:
        """Append blocks and return the chapter (for chaining)."""
        self.blocks.extend(blocks)
        return self


@dataclass
class Document:
    """The whole assessment document.

    Attributes
    ----------
    title, subtitle : str
    chapters : list of Chapter
    links : list of (str, str)
        Text and relative address of the interactive maps and other files it refers to.
    attribution : list of str
        Copyright and licence statements the sources ask for.
    synthetic : bool
        True when any chapter uses SYNTHETIC example data.
    notices : list of str
        Further notices for the title page (e.g. example localities).
    """

    title: str
    subtitle: str
    chapters: list[Chapter]
    links: list[tuple[str, str]] = field(default_factory=list)
    attribution: list[str] = field(default_factory=list)
    synthetic: bool = False
    notices: list[str] = field(default_factory=list)

    def figures(self) -> list[Figure]:
        """Every figure, in order."""
        return [b for c in self.chapters for b in c.blocks if isinstance(b, Figure)]

    def tables(self) -> list[Table]:
        """Every table, in order."""
        return [b for c in self.chapters for b in c.blocks if isinstance(b, Table)]

    def headings(self) -> list[str]:
        """Chapter titles and section headings, in order."""
        out = []
        for chapter in self.chapters:
            out.append(chapter.title)
            out += [b.text for b in chapter.blocks if isinstance(b, Heading)]
        return out


def caption_text(block: Figure | Table) -> str:
    """Return the numbered caption, e.g. ``"Figure 3: All crime rate by LSOA"``.

    Examples
    --------
    >>> caption_text(Table(pd.DataFrame(), "Wards", "measures_ward.csv", number=2))
    'Table 2: Wards'
    >>> caption_text(Figure(Path("x.png"), "Fires", synthetic=True, number=1))
    'Figure 1: Fires (SYNTHETIC example data)'
    """
    kind = "Figure" if isinstance(block, Figure) else "Table"
    flag = " (SYNTHETIC example data)" if block.synthetic and "SYNTHETIC" not in \
        block.caption else ""
    return f"{kind} {block.number}: {block.caption}{flag}"


def numbered(document: Document) -> Document:
    """Return the document with figures and tables numbered in reading order.

    Figures that point at missing files are left out (a run without maps has no
    choropleths), so numbers never skip.

    Examples
    --------
    >>> doc = Document("T", "S", [Chapter("One", [Table(pd.DataFrame(), "a", "a.csv"),
    ...                                            Table(pd.DataFrame(), "b", "b.csv")])])
    >>> [t.number for t in numbered(doc).tables()]
    [1, 2]
    """
    figures = tables = 0
    chapters = []
    for chapter in document.chapters:
        blocks: list[Block] = []
        for block in chapter.blocks:
            if isinstance(block, Figure):
                if not block.path.is_file():
                    continue
                figures += 1
                block = replace(block, number=figures)
            elif isinstance(block, Table):
                tables += 1
                block = replace(block, number=tables)
            blocks.append(block)
        chapters.append(Chapter(chapter.title, blocks))
    return replace(document, chapters=chapters)
