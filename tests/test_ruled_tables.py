"""Born-digital ruled tables of real PDFs (../shared/realworld/ruled-tables: camelot's lattice
test cases, with the cells a person reads off them), converted as a user converts them, and one
test for each way such a page went wrong: a page set sideways, two tables on one page, cells
drawn as white boxes over the grid, rules drawn as thin boxes, Latin words whose spaces must
stay.  bench/tables_peers.py prints the same scores beside camelot's and pdfplumber's."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from gongwen.ocr import pdftext
from gongwen.pipeline.run.convert import Settings, convert

from helpers import realworld

FOLDER = "ruled-tables"


def _bare(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """(truths by JSON name, gongwen's tables by (pdf name, page)) of the folder, as
    bench/tables_peers.py reads them."""
    folder = realworld(FOLDER)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        import tables_peers
    finally:
        sys.path.pop(0)
    truths = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}
    pdfs = sorted({folder / t["pdf"] for t in truths.values()})
    return truths, tables_peers.gongwen_tables(pdfs, tmp_path_factory.mktemp("ruled-out")), tables_peers


def test_every_expected_cell_of_every_table(converted):
    truths, found, peers = converted
    assert truths, "no ruled-table truths"
    for name, t in truths.items():
        tables = found.get((t["pdf"], t["page"]), [])
        best = max(tables, key=lambda g: peers.score(t["rows"], g, peers.bare), default=[])
        n = sum(len(r) for r in t["rows"])
        assert peers.score(t["rows"], best, peers.exact) == n, name
        assert (len(best), len(best[0])) == (len(t["rows"]), len(t["rows"][0])), name


def test_a_page_set_sideways_is_turned_before_its_rulings_and_text_are_read(converted):
    _, found, _ = converted
    (table,) = found[("clockwise_table_1.pdf", 1)]
    assert (len(table), len(table[0])) == (13, 10)  # not a 13×16 grid of reversed text
    assert table[0][0] == "State" and table[2][:2] == ["Kerala", "5738"] and table[12][-1] == "18519"
    page = pdfium.PdfDocument(str(realworld(FOLDER) / "clockwise_table_1.pdf"))[0]
    textpage = page.get_textpage()
    assert pdftext.text_turn(textpage) == 90  # the text is set sideways on an unturned frame
    frame = pdftext.page_frame(page, textpage)
    assert frame.size == (792.0, 612.0)  # landscape, as read
    assert frame.point(0, 792) == (792, 0)  # the page's top left is the turned page's top right


def test_two_tables_on_a_page_are_two_tables_without_the_titles_above_them(converted):
    _, found, _ = converted
    first, second = found[("twotables_2.pdf", 1)]
    assert [len(first), len(second)] == [13, 13]
    assert first[0][0] == second[0][0] == "State"  # not the "Table 6 :" title line above it
    assert first[2][:3] == ["Kerala", "2400", "7.2"] and second[2][:3] == ["Kerala", "2400", "8.8"]


def test_latin_words_keep_their_spaces_and_chinese_stays_without(converted):
    _, found, _ = converted
    (table,) = found[("row_span_1.pdf", 1)]
    assert table[1][2] == "Anthem Blue Cross"
    (us,) = found[("us-030.pdf", 2)]
    assert _bare(us[0][1]) == "KI (1/km)" and _bare(us[1][3]) == "Improved Speed"
    from gongwen.parsers.layout import row_text
    from gongwen.parsers.model import Line
    from gongwen.parsers.tables import join_wrapped

    # words of one row a word space apart, in a PDF: Latin keeps the space, Chinese none
    assert row_text([Line("Ann", (0, 0, 20, 10), 1.0), Line("Arbor", (22.5, 0, 50, 10), 1.0)]) == "Ann Arbor"
    assert row_text([Line("省统计", (0, 0, 30, 10), 1.0), Line("局", (32.5, 0, 42, 10), 1.0)]) == "省统计局"
    assert join_wrapped("Read &", "Write") == "Read & Write" and join_wrapped("KI", "(1/km)") == "KI (1/km)"
    assert join_wrapped("省统计", "局") == "省统计局" and join_wrapped("12", "345") == "12345"


def test_a_white_box_over_the_grid_hides_the_rule_under_it_and_draws_none():
    from gongwen.ocr.grid import Segment

    rule = Segment(81.0, 118.4, 279.0, 118.4)  # drawn first, across three columns
    cover = (83.0, 102.0, 179.0, 145.0)  # a cell's white background painted over it later
    (left, right) = pdftext.uncovered([rule], cover)
    assert (left.x0, left.x1) == (81.0, 84.0) and (right.x0, right.x1) == (178.0, 279.0)
    border = Segment(81.0, 102.0, 279.0, 102.0)  # the box's own border stays
    assert pdftext.uncovered([border], cover) == [border]


def test_a_rule_drawn_as_a_thin_box_is_one_ruling_and_corner_specks_are_none():
    frame = pdftext.PageFrame(0.0, 0.0, 612.0, 792.0)
    thin = [(229.0, 792 - 118.6), (279.0, 792 - 118.6), (279.0, 792 - 118.1), (229.0, 792 - 118.1), (229.0, 792 - 118.6)]
    speck = [(81.0, 792 - 118.6), (83.0, 792 - 118.6), (83.0, 792 - 118.1), (81.0, 792 - 118.1), (81.0, 792 - 118.6)]
    (rule,) = pdftext.rulings_of([thin, speck], frame)
    assert rule.horizontal and (rule.x0, rule.x1) == (229.0, 279.0) and rule.pos == pytest.approx(118.35)


def test_a_stray_rule_touching_a_tables_border_adds_no_row_or_column():
    from gongwen.ocr.grid import Segment, grid_cells

    hs = [Segment(50, y, 250, y) for y in (100, 120, 140)]
    vs = [Segment(x, 100, x, 140) for x in (50, 150, 250)]
    stray = Segment(45, 125, 45, 150)  # a footnote mark's box beside the table
    ys, xs, cells = grid_cells(hs, vs + [stray], 3.0)
    assert xs == [50, 150, 250] and len(cells) == 4
