"""The assessment report: HTML and Word from one content, pinned to the tables it quotes."""

from __future__ import annotations

import html
import re
from pathlib import Path

import docx
import pandas as pd
import pypdf
import pytest

from geosafety.report.document import (
    Chapter,
    Document,
    Figure,
    Heading,
    Paragraph,
    Table,
    numbered,
)
from geosafety.report.docx_document import document_docx
from geosafety.report.html_document import document_html

NASTY = 'Bootle <script>alert(1)</script> & "Orrell"\x0b'


@pytest.fixture(scope="module")
def report(default_written):
    folder, written = default_written
    pages = {p.suffix: p for p in written if p.parent.name == "report"}
    assert set(pages) == {".html", ".docx"}
    assert pages[".html"].name == "sefton_2025_assessment.html"
    page = pages[".html"].read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)>.*?</\1>", "", page,
                                                        flags=re.S)))
    return folder / "out", pages, page, re.sub(r"\s+", " ", text)


def test_three_summary_sentences_quote_the_tables(report):
    """The volume, ward and deprivation sentences carry the figures of their table rows."""
    out, pages, _, text = report
    summary = text.split("2. Crime and anti-social behaviour ")[0]
    reconciliation = pd.read_csv(out / "reconciliation.csv").set_index("category")
    lsoa = pd.read_csv(out / "measures_lsoa.csv")
    crimes = reconciliation.loc["All crime", "records"]
    residents = lsoa[lsoa["category"] == "All crime"]["residents"].sum()
    said = (f"police.uk recorded {crimes:,} crimes in Sefton ({crimes / residents * 1000:.1f} "
            "per 1,000 residents)")
    assert said == "police.uk recorded 21,699 crimes in Sefton (77.7 per 1,000 residents)"
    asb = reconciliation.loc["Anti-social behaviour", "records"]
    assert f"and {asb:,} incidents of anti-social behaviour" in text

    ward = pd.read_csv(out / "measures_ward.csv")
    crime = ward[ward["category"] == "All crime"].sort_values("rate", ascending=False)
    top = crime.iloc[0]
    higher = int((crime["compared_with_area"] == "higher").sum())
    ward_said = (f"{top['area_name']} had the highest all crime rate of Sefton's wards: "
                 f"{top['rate']:.1f} per 1,000 residents (95% CI {top['rate_low']:.1f} to "
                 f"{top['rate_high']:.1f}), {top['rate'] / (crimes / residents * 1000):.1f} "
                 f"times the Sefton rate of 77.7; {higher} of 22 wards had rates "
                 "significantly higher than Sefton's")
    assert ward_said.startswith("Duke's had the highest all crime rate of Sefton's wards: 201.3")

    inequality = pd.read_csv(out / "inequality.csv")
    row = inequality[(inequality["category"] == "All crime")
                     & (inequality["quintiles"] == "local")].iloc[0]
    deprived = (f"The all crime rate in the most deprived fifth of Sefton's LSOAs (IMD 2025) "
                f"was {row['rate_most_deprived']:.1f} per 1,000 residents, "
                f"{row['rate_ratio']:.1f} times the {row['rate_least_deprived']:.1f} of the "
                f"least deprived fifth (95% CI {row['rate_ratio_low']:.1f} to "
                f"{row['rate_ratio_high']:.1f})")
    assert "164.6 per 1,000 residents, 4.5 times the 36.9" in deprived
    word = " ".join(p.text for p in docx.Document(str(pages[".docx"])).paragraphs)
    for sentence in (said, ward_said, deprived):
        assert sentence in summary
        assert sentence in word


def test_html_is_self_contained_and_numbered(report):
    _, _, page, text = report
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing fetched
    images = re.findall(r'<img src="([^"]{0,30})', page)
    assert images and all(src.startswith("data:image/png;base64,") for src in images)
    figures = re.findall(r"Figure (\d+): ", text)
    assert [int(n) for n in dict.fromkeys(figures)] == list(range(1, len(images) + 1))
    tables = [int(n) for n in dict.fromkeys(re.findall(r"Table (\d+): ", text))]
    assert tables == list(range(1, len(tables) + 1)) and len(tables) >= 10
    assert len(tables) == len(re.findall(r"Source of Table \d+: ", text))
    links = re.findall(r'<a href="([^"#]+)"', page)
    assert links == ["../../maps/index.html", "../../maps/lsoa.html", "../../maps/ward.html",
                     "../../maps/locality.html", "../../maps/hotspots.html"]
    for heading in ("Executive summary", "Crime and anti-social behaviour", "Partner data",
                    "Deprivation and housing", "Time of day and the night-time economy",
                    "Hot spots and areas that stand out", "Data quality and methods"):
        assert f"{heading}</a>" in page and f". {heading}</h2>" in page


def test_word_file_holds_the_same_headings_figures_and_tables(report):
    _, pages, page, text = report
    word = docx.Document(str(pages[".docx"]))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    in_html = [html.unescape(h) for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", page)
               if h != "Contents"]
    assert headings == in_html
    assert len(word.inline_shapes) == len(re.findall(r"<figure ", page))
    assert len(word.tables) == len(re.findall(r"<table>", page))
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert captions == [html.unescape(c) for c in re.findall(
        r'<(?:figcaption|div class="caption")>(.*?)</', page)]
    first = word.tables[0]
    assert [c.text for c in first.rows[1].cells][:2] == ["All crime", "21,699"]


def test_synthetic_inputs_are_flagged_on_every_page_that_uses_them(report, tmp_path,
                                                                  run_browser):
    """Printed to A4: no figure or table split by a page edge; SYNTHETIC wherever used."""
    _, pages, page, _ = report
    pdf = tmp_path / "report.pdf"
    run_browser(pages[".html"], "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    reader = pypdf.PdfReader(str(pdf))
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4 portrait
    figures = len(re.findall(r"<figure ", page))
    placed = 0
    uses = re.compile(r"MARAC cases|MARAC victims|CJIT contacts|CJIT individuals|[Ff]ires\b|"
                      r"[Ff]ire and rescue|force crime extract|offences by hour|18:00-03:59")
    for number, sheet in enumerate(reader.pages, 1):
        text = sheet.extract_text()
        images = len(sheet.images)
        placed += images
        captions = re.findall(r"Figure \d+:", text)
        assert len(captions) == images, f"page {number}: {captions} with {images} images"
        for table in re.findall(r"Table (\d+):", text):
            assert f"Source of Table {table}" in text, f"table {table} split at page {number}"
        if uses.search(text) and "Contents" not in text:
            assert "SYNTHETIC" in text, f"page {number} uses SYNTHETIC data unflagged"
    assert placed == figures  # each figure printed once, whole


def _hostile_document(tmp_path: Path) -> Document:
    image = tmp_path / "x.png"
    from PIL import Image

    Image.new("RGB", (40, 30), "red").save(image)
    frame = pd.DataFrame({"Ward": [NASTY], "Count": ["5"]})
    return Document(NASTY, "subtitle", [Chapter(NASTY, [
        Heading(NASTY), Paragraph(NASTY, source=NASTY, synthetic=True),
        Figure(image, NASTY), Figure(tmp_path / "missing.png", "gone"),
        Table(frame, NASTY, NASTY)])], links=[(NASTY, "maps/index.html")], synthetic=True)


def test_data_borne_text_is_inert_in_html_and_kept_as_text_in_word(tmp_path):
    document = _hostile_document(tmp_path)
    page = document_html(document)
    assert "<script>" not in page and "&lt;script&gt;" in page
    path = document_docx(document, tmp_path / "x.docx")
    word = docx.Document(str(path))
    clean = NASTY.replace("\x0b", "")
    assert word.paragraphs[0].text == clean  # the title
    assert clean in [p.text for p in word.paragraphs]
    assert word.tables[0].cell(1, 0).text == clean
    assert len(word.inline_shapes) == 1  # the missing figure is left out, numbers run on
    assert [f.number for f in numbered(document).figures()] == [1]
    assert "SYNTHETIC" in word.sections[0].header.paragraphs[0].text
