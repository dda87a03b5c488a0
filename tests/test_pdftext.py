"""Born-digital pages read with pdfium give the words and ruled tables pdfplumber gives.

pdfplumber (pdfminer) is the reference: the pages are read by both and compared, on a real
document and on PDFs drawn here the ways writers draw tables (separate lines, one path for the
whole grid, stroked rectangles, thin filled boxes, a merged cell)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from gongwen.ocr import grid, pdftext
from gongwen.ocr.pdftext import PdfChar, tables_from_rulings, words

from helpers import BODY_FONT, missing_tool, read_as_a_person_does, realworld

# pdfplumber's snapping moves a grid line by up to its snap tolerance (3 pt): on the real page
# one vertical rule drawn at x 368.47–368.95 comes out at 366.61 there, at 368.71 here
BBOX_TOL_PT = 2.5


def _ours(path: Path, index: int = 0):
    pdf = pdfium.PdfDocument(str(path))
    try:
        return pdftext.text_layer(pdf[index])
    finally:
        pdf.close()


def _plumber(path: Path, index: int = 0):
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[index]
        found = page.find_tables()
        tables = []
        for t in found:
            _, _, cells = grid.cells_from_boxes(t.cells, pdftext.TABLE_SNAP_PT)
            tables.append(cells)
        return page.extract_words(), tables


def _structure(cells):
    return sorted((c.row, c.col, c.row_span, c.col_span) for c in cells)


def _close(a, b, tol=BBOX_TOL_PT):
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def _same_tables(ours, theirs):
    assert len(ours) == len(theirs)
    for table, cells in zip(ours, theirs):
        assert _structure(table.cells) == _structure(cells)
        by_pos = {(c.row, c.col): c.bbox for c in cells}
        assert all(_close(c.bbox, by_pos[(c.row, c.col)]) for c in table.cells)


def test_real_document_words_and_tables_match_pdfplumber():
    path = realworld("land-standard-tables.pdf")
    lines, size, tables = _ours(path)
    plumber_words, plumber_tables = _plumber(path)
    assert size == pytest.approx((595.32, 841.92), abs=0.01)
    ours = {(l.text, tuple(round(v) for v in l.bbox)) for l in lines}
    theirs = [(w["text"], (w["x0"], w["top"], w["x1"], w["bottom"])) for w in plumber_words]
    same = sum(
        1 for text, box in theirs
        if any(t == text and _close(b, box, 2.0) for t, b in ours)
    )
    # one word of 155 is split by pdfplumber at a gap of exactly 3 pt (float noise)
    assert same >= len(theirs) - 2
    assert "".join(l.text for l in lines) == "".join(w["text"] for w in plumber_words)
    _same_tables(tables, plumber_tables)
    assert [max(c.row + c.row_span for c in t.cells) for t in tables] == [8, 11, 2]


def _pdf(path: Path, draw) -> Path:
    """A one-page PDF drawn as gongwen.samples.report_tables draws its pages."""
    from gongwen.samples.report_tables import draw_page

    if not Path(BODY_FONT).exists():
        missing_tool("Chinese fonts missing: make setup installs fonts-arphic-uming")
    draw_page(path, draw)
    return path


XS = [72, 172, 272, 372]
YS = [700, 680, 660, 640]


def _cell_text(c):
    for r in range(3):
        for k in range(3):
            c.drawString(XS[k] + 5, YS[r] - 14, f"第{r}行{k}列")


def _separate_lines(c):
    for y in YS:
        c.line(XS[0], y, XS[-1], y)
    for x in XS:
        c.line(x, YS[0], x, YS[-1])
    _cell_text(c)


def _one_path(c):
    p = c.beginPath()
    for y in YS:
        p.moveTo(XS[0], y)
        p.lineTo(XS[-1], y)
    for x in XS:
        p.moveTo(x, YS[0])
        p.lineTo(x, YS[-1])
    c.drawPath(p, stroke=1, fill=0)
    _cell_text(c)


def _rectangles(c):
    for r in range(3):
        for k in range(3):
            c.rect(XS[k], YS[r + 1], XS[k + 1] - XS[k], YS[r] - YS[r + 1], stroke=1, fill=0)
    _cell_text(c)


def _thin_boxes(c):
    c.setFillColorRGB(0, 0, 0)
    for y in YS:
        c.rect(XS[0], y - 0.25, XS[-1] - XS[0], 0.5, stroke=0, fill=1)
    for x in XS:
        c.rect(x - 0.25, YS[-1], 0.5, YS[0] - YS[-1], stroke=0, fill=1)
    _cell_text(c)


def _merged(c):
    # the first column's border between rows 1 and 2 is missing: one cell over two rows
    for k, y in enumerate(YS):
        start = XS[1] if k == 2 else XS[0]
        c.line(start, y, XS[-1], y)
    for x in XS:
        c.line(x, YS[0], x, YS[-1])
    c.drawString(XS[0] + 5, YS[1] - 24, "合并单元格")


@pytest.mark.parametrize("draw", [_separate_lines, _one_path, _rectangles, _thin_boxes, _merged])
def test_drawn_tables_match_pdfplumber(tmp_path, draw):
    path = _pdf(tmp_path / f"{draw.__name__}.pdf", draw)
    lines, _, tables = _ours(path)
    plumber_words, plumber_tables = _plumber(path)
    assert [l.text for l in lines] == [w["text"] for w in plumber_words]
    _same_tables(tables, plumber_tables)
    [table] = tables
    assert _structure(table.cells)[0] == ((0, 0, 1, 1))
    spans = [c for c in table.cells if c.row_span > 1]
    assert len(spans) == (1 if draw is _merged else 0)


def test_a_scan_with_an_ocr_text_layer_is_not_born_digital(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    image = tmp_path / "page.png"
    Image.new("RGB", (600, 840), "white").save(image)

    def scan(c):
        c.drawImage(ImageReader(str(image)), 0, 0, width=595, height=842)
        c.setFont("UMing", 12)
        t = c.beginText(72, 600)
        t.setTextRenderMode(3)  # invisible, as an OCR layer
        t.textLine("这是扫描件上的文字识别层，不是原生文本，要重新识别。")
        c.drawText(t)

    lines, _, tables = _ours(_pdf(tmp_path / "scan.pdf", scan))
    assert lines is None and tables == ()


def _chars(text: str, x0: float, top: float, step: float = 12.0, width: float = 12.0):
    return [PdfChar(ch, x0 + i * step, top, x0 + i * step + width, top + 12) for i, ch in enumerate(text)]


def test_words_split_at_spaces_and_wide_gaps_and_rows_by_top():
    chars = _chars("合计", 100, 50) + _chars("2000", 130.5, 50.8, 6, 6) + _chars("万元", 160, 51)
    chars += _chars("第二行", 100, 80) + [PdfChar(" ", 136, 80, 139, 92)] + _chars("备注", 139, 80)
    assert [w.text for w in words(chars)] == ["合计", "2000", "万元", "第二行", "备注"]
    # within 3 pt the characters stay one word
    assert [w.text for w in words(_chars("扶贫", 100, 50) + _chars("资金", 126.9, 50))] == ["扶贫资金"]


def test_rulings_that_do_not_cross_are_separate_tables():
    def box(x0, y0, x1, y1, rows=2):
        hs = [grid.Segment(x0, y, x1, y) for y in (y0 + (y1 - y0) * k / rows for k in range(rows + 1))]
        vs = [grid.Segment(x, y0, x, y1) for x in (x0, (x0 + x1) / 2, x1)]
        return hs + vs

    tables = tables_from_rulings(box(50, 400, 300, 500) + box(50, 100, 300, 200, rows=3))
    assert [len(t.cells) for t in tables] == [6, 4]  # top to bottom
    assert tables[0].cells[0].bbox == (50.0, 100.0, 175.0, 133.33)


def test_a_born_digital_circulars_red_mark_is_red_and_names_the_issuer(tmp_path):
    """A 发文机关标志 set as red text (no 文件 after the name, as a letter's is) is a red line, as
    red ink is on a scan, so the issuer is read from it; black text stays ``text``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from gongwen.parsers.circular import extract_circular
    from gongwen.parsers.classify import classify_pages
    from gongwen.parsers.model import Page

    if not Path(BODY_FONT).exists():
        missing_tool("Chinese fonts missing: make setup installs fonts-arphic-uming")
    pdfmetrics.registerFont(TTFont("UMing", BODY_FONT, subfontIndex=0))
    path = tmp_path / "letter.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    c.setFillColorRGB(0.85, 0.1, 0.1)
    c.setFont("UMing", 30)
    c.drawCentredString(width / 2, height - 90, "浙江省人民政府办公厅")
    c.setFillColorRGB(0, 0, 0)
    c.setFont("UMing", 16)
    c.drawRightString(width - 80, height - 150, "浙政办函〔2023〕12号")
    c.setFont("UMing", 22)
    c.drawCentredString(width / 2, height - 200, "关于做好档案数字化工作的函")
    c.setFont("UMing", 16)
    c.drawString(80, height - 240, "各市人民政府：")
    for k in range(10):
        c.drawString(112 if k % 3 == 0 else 80, height - 270 - 26 * k, "为进一步做好档案数字化工作，现将有关事项函告如下，请认真")
    c.save()
    lines, (w, h), _ = _ours(path)
    assert {l.layer for l in lines if "浙江省人民政府办公厅" in l.text} == {"red"}
    assert all(l.layer == "text" for l in lines if "浙江省人民政府办公厅" not in l.text)
    page = Page(number=1, width=int(w), height=int(h), dpi=72.0, engine="pdf-text", lines=lines)
    circular = extract_circular([page], classify_pages([page]))
    assert circular.issuer.value == "浙江省人民政府办公厅"
    assert circular.title.value == "关于做好档案数字化工作的函"


def test_a_frame_round_a_paragraph_is_no_table_and_its_text_stays_body_text(tmp_path):
    from gongwen.samples.report_tables import framed_paragraphs

    lines, _, tables = _ours(_pdf(tmp_path / "boxed.pdf", framed_paragraphs))
    assert tables == ()
    assert any("最高指示" in l.text for l in lines)


def test_white_cell_backgrounds_painted_over_the_grid_draw_no_rulings(tmp_path):
    def painted(c):
        _separate_lines(c)
        c.setFillColorRGB(1, 1, 1)
        # a white background over the first column's two lower cells, painted after the grid:
        # the border between them is hidden, so they are one merged cell
        c.rect(XS[0] + 1, YS[3] + 1, XS[1] - XS[0] - 2, YS[1] - YS[3] - 2, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.drawString(XS[0] + 5, YS[1] - 24, "合并单元格")

    _, _, tables = _ours(_pdf(tmp_path / "painted.pdf", painted))
    [table] = tables
    assert [(c.row, c.col, c.row_span) for c in table.cells if c.col == 0] == [(0, 0, 1), (1, 0, 2)]


def test_the_binding_line_down_the_margin_is_no_text_and_a_body_word_like_it_stays(tmp_path):
    def bound(c):
        for k, ch in enumerate("装订线"):  # 裝 訂 線 printed down the left margin, spaced out
            c.drawString(30, 600 - 150 * k, ch)
        c.drawString(72, 500, "线")  # the same character in the text block is text
        c.drawString(100, 500, "请按要求装订成册。")

    lines, _, _ = _ours(_pdf(tmp_path / "bound.pdf", bound))
    texts = [l.text for l in lines]
    assert "装" not in texts and "订" not in texts and texts.count("线") == 1
    assert "请按要求装订成册。" in texts


# -- how real reports draw their tables and set their numbers -------------------------------


def _tables(path: Path):
    """The page's tables filled with their text, as the parsers fill them."""
    from gongwen.parsers.model import Page
    from gongwen.parsers.tables import page_tables

    lines, (w, h), tables = _ours(path)
    return page_tables(Page(number=1, width=int(w), height=int(h), dpi=72.0, engine="pdf-text", lines=lines, tables=tables))


def _filled(path: Path) -> list[list[list[str]]]:
    """The page's tables as a user gets them: rows of cell texts (a merged cell's repeated)."""
    from gongwen.parsers.tables import grid

    return [grid(t) for t in _tables(path)]


def test_digits_set_in_a_smaller_latin_font_stay_in_their_place_in_the_line(tmp_path):
    """A Taiwanese 發文字號 or ROC date sets its digits in a Latin font of another size, drawn
    after the Chinese characters: their boxes' tops differ by more than 3 pt, so rows by top
    (pdfplumber's) put them on a row of their own and 第15號 read 第號 … 15.  Rows go by baseline."""
    def numbered(c):
        c.setFont("UMing", 16)
        c.drawString(72, 700, "發文字號：府授文字")
        c.drawString(230, 700, "號")  # drawn before 第 and the digits
        c.drawString(200, 700, "第")
        c.setFont("Times-Roman", 12)
        c.drawString(217, 700, "1")
        c.drawString(223, 700, "5")
        c.setFont("UMing", 12)
        c.drawString(72, 650, "中華民國")
        c.setFont("Helvetica", 10)
        c.drawString(122, 650, "109")
        c.setFont("UMing", 12)
        c.drawString(140, 650, "年")

    path = _pdf(tmp_path / "numbered.pdf", numbered)
    lines, _, _ = _ours(path)
    texts = [l.text for l in lines]
    assert "中華民國109年" in texts
    assert any(t.startswith("發文字號：府授文字第15") for t in texts)
    with pdfplumber.open(path) as pdf:  # what rows by top give
        plumber = [w["text"] for w in pdf.pages[0].extract_words()]
    assert not any("第15" in t for t in plumber)


def _report_case(name: str, folder: Path):
    """A page of gongwen.samples.report_tables and the rows a person reads off it."""
    from gongwen.samples.report_tables import write_case

    if not Path(BODY_FONT).exists():
        missing_tool("Chinese fonts missing: make setup installs fonts-arphic-uming")
    return write_case(name, folder)


# each the way issue 21 saw a real report draw its table (or no table)
REPORT_CASES = ["open_top", "open_sides", "rows_unruled", "rows_unruled_total", "three_line", "three_line_grouped",
                "sub_headed", "framed_paragraphs", "imprint_rules"]


def test_report_tables_module_lists_every_case():
    from gongwen.samples.report_tables import CASES

    assert sorted(CASES) == sorted(REPORT_CASES)


@pytest.mark.parametrize("name", REPORT_CASES)
def test_a_report_page_gives_the_table_a_person_reads_off_it_or_none(tmp_path, name):
    """A table without its top rule (the caption above stays out) or without side borders, one
    ruled only under its header (its rows cut where the text stands), a 三线表 (columns where
    its text leaves gaps), a grouped 三线表, a heading split by a short rule: read as a person
    reads them; a frame round paragraphs and the 版记's rules: no table."""
    path, rows = _report_case(name, tmp_path)
    tables = _tables(path)
    if rows is None:
        assert tables == []
    else:
        assert [read_as_a_person_does(t) for t in tables] == [rows]


@pytest.mark.parametrize("name", ["rows_unruled", "rows_unruled_total", "three_line"])
def test_the_total_of_a_report_table_read_without_row_rules_holds(tmp_path, name):
    """The rows cut where the text stands sum to the printed 合计 (120 + 98 + 77 = 295;
    1120.5 + 980.3 + 770.1 = 2870.9)."""
    from gongwen.parsers.tables import check_totals, type_numbers

    [table] = _tables(_report_case(name, tmp_path)[0])
    assert table.header_rows == 1
    assert check_totals(type_numbers(table), 1) == ()


@pytest.mark.parametrize("name, header", [
    ("sub_headed", ("县名", "人口", "资金/中央", "资金/省级")),
    ("three_line_grouped", ("地区", "2023年/生产总值（亿元）", "2023年/增长（%）", "人口（万人）")),
])
def test_a_heading_over_a_short_rule_heads_the_columns_under_it(tmp_path, name, header):
    from gongwen.parsers.tables import flatten_header

    [table] = _tables(_report_case(name, tmp_path)[0])
    assert table.header_rows == 2
    assert flatten_header(table) == header


def test_a_rule_overshooting_the_border_opens_no_side(tmp_path):
    def overshoot(c):
        for y in YS:
            c.line(XS[0] - 2, y, XS[-1] + 2, y)
        for x in XS:
            c.line(x, YS[0] + 2, x, YS[-1] - 2)
        _cell_text(c)

    [table] = _filled(_pdf(tmp_path / "overshoot.pdf", overshoot))
    assert table == [[f"第{r}行{k}列" for k in range(3)] for r in range(3)]


def test_text_wrapped_in_a_row_without_rules_stays_one_row_and_entries_stay_one_cell(tmp_path):
    """Two columns wrapping their text at the cell's edge, a third listing entries one a line:
    the row is one row (its second text row holds no row's start)."""
    from gongwen.samples.report_tables import XS as WIDE

    def wrapped(c):
        ys = [700, 680, 620, 600]
        for y in ys:
            c.line(WIDE[0], y, WIDE[-1], y)
        for x in WIDE:
            c.line(x, ys[0], x, ys[-1])
        for k, name in enumerate(["项目", "金额", "用途", "单位"]):
            c.drawString(WIDE[k] + 5, 686, name)
        c.drawString(WIDE[0] + 5, 666, "农村饮水安全工")
        c.drawString(WIDE[0] + 5, 650, "程建设")
        c.drawString(WIDE[1] + 5, 666, "5000")
        c.drawString(WIDE[2] + 5, 666, "用于支持重点项")
        c.drawString(WIDE[2] + 5, 650, "目建设")
        for r, county in enumerate(["瓯海区", "南湖区", "秀洲区"]):
            c.drawString(WIDE[3] + 5, 666 - 16 * r, county)
        c.drawString(WIDE[0] + 5, 606, "合计")
        c.drawString(WIDE[1] + 5, 606, "5000")

    [table] = _filled(_pdf(tmp_path / "wrapped.pdf", wrapped))
    assert table == [
        ["项目", "金额", "用途", "单位"],
        ["农村饮水安全工程建设", "5000", "用于支持重点项目建设", "瓯海区\n南湖区\n秀洲区"],
        ["合计", "5000", "", ""],
    ]


def test_a_three_line_table_whose_heading_spans_columns_without_a_rule_is_left_as_text(tmp_path):
    """A header name across two columns' gap with no short rule under it cannot be cut into
    columns with certainty: no table rather than a wrong one; its text stays on the page."""
    from gongwen.samples.report_tables import XS as WIDE, three_line

    def grouped(c):
        three_line(c, header=["地区", "", "", ""])
        c.drawString(WIDE[1] + 60, 685, "主要经济指标（亿元、%、万人）")

    path = _pdf(tmp_path / "grouped.pdf", grouped)
    assert _filled(path) == []
    lines, _, _ = _ours(path)
    assert "2870.9" in [l.text for l in lines]


@pytest.mark.parametrize("text, is_garbled", [
    ("关于做好档案数字化工作的通知".encode("gbk").decode("latin-1"), True),  # GBK bytes as Latin-1
    ("\ue001\ue002\ue003\ue004，\ue005\ue006。", True),  # private-use codes of a font without its map
    ("\ufffd\ufffd\ufffd 2014 \ufffd\ufffd", True),
    ("关于做好档案数字化工作的通知 浙政办发〔2014〕8号", False),
    ("Straße, Café, résumé, Zürich: naïve façade", False),
    ("面积 3×4 m²，温度 25 °C ± 0.5 °C", False),
    ("中華民國109年3月5日 府授文字第15號", False),
    ("关于\n\n\t做好档案\r\n工作", False),  # line ends and tabs are white space, no codes
])
def test_a_text_layer_of_codes_rather_than_text_is_garbled(text, is_garbled):
    assert pdftext.garbled(text) is is_garbled


def test_a_page_whose_text_layer_is_garbled_is_read_as_a_scan(tmp_path):
    """A Chinese font declared as a Latin one gives its GBK bytes as Latin-1 letters (ÊÇ for 是):
    the page is read by OCR, not taken as its text layer."""
    def mojibake(c):
        c.setFont("Helvetica", 12)
        for k in range(8):
            c.drawString(72, 700 - 20 * k, "为进一步做好档案数字化工作，现将有关事项通知如下".encode("gbk").decode("latin-1"))

    lines, _, tables = _ours(_pdf(tmp_path / "mojibake.pdf", mojibake))
    assert lines is None and tables == ()


