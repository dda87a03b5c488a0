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

from helpers import BODY_FONT, missing_tool, realworld

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
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if not Path(BODY_FONT).exists():
        missing_tool("Chinese fonts missing: make setup installs fonts-arphic-uming")
    pdfmetrics.registerFont(TTFont("UMing", BODY_FONT, subfontIndex=0))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("UMing", 12)
    c.drawString(72, 780, "关于印发帮扶资金分配方案的通知：现将各县资金分配情况列表如下。")
    draw(c)
    c.showPage()
    c.save()
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
    def boxed(c):
        c.rect(70, 560, 450, 90, stroke=1, fill=0)  # a 1×1 frame round a quotation
        c.drawString(80, 620, "最高指示：要把农业生产搞好，把帮扶资金用好。")
        c.drawString(80, 600, "各县要认真贯彻落实，按时报送资金使用情况。")
        for k in range(3):  # and a column of boxes, one paragraph each: no table either
            c.rect(70, 400 - 50 * k, 450, 40, stroke=1, fill=0)
            c.drawString(80, 415 - 50 * k, f"第{k + 1}条：资金专款专用，不得挪作他用。")

    lines, _, tables = _ours(_pdf(tmp_path / "boxed.pdf", boxed))
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


def test_a_table_without_its_top_rule_keeps_its_header_row_and_leaves_the_caption_above_out(tmp_path):
    def open_top(c):
        c.drawString(XS[0], YS[0] + 6, "表2  各县资金分配情况（单位：万元）")
        for y in YS[1:]:
            c.line(XS[0], y, XS[-1], y)
        for x in XS:
            c.line(x, YS[0], x, YS[-1])
        _cell_text(c)

    [table] = _filled(_pdf(tmp_path / "open-top.pdf", open_top))
    assert table == [[f"第{r}行{k}列" for k in range(3)] for r in range(3)]


def test_a_table_without_left_and_right_borders_keeps_its_outer_columns(tmp_path):
    def open_sides(c):
        for y in YS:
            c.line(XS[0], y, XS[-1], y)
        for x in XS[1:-1]:
            c.line(x, YS[0], x, YS[-1])
        _cell_text(c)

    [table] = _filled(_pdf(tmp_path / "open-sides.pdf", open_sides))
    assert table == [[f"第{r}行{k}列" for k in range(3)] for r in range(3)]


def test_a_rule_overshooting_the_border_opens_no_side(tmp_path):
    def overshoot(c):
        for y in YS:
            c.line(XS[0] - 2, y, XS[-1] + 2, y)
        for x in XS:
            c.line(x, YS[0] + 2, x, YS[-1] - 2)
        _cell_text(c)

    [table] = _filled(_pdf(tmp_path / "overshoot.pdf", overshoot))
    assert table == [[f"第{r}行{k}列" for k in range(3)] for r in range(3)]


COUNTIES = [["瓯海区", "120", "30", "无"], ["南湖区", "98", "25", ""], ["秀洲区", "77", "20", "新增"], ["合计", "295", "75", ""]]
WIDE = [72, 172, 272, 372, 472]


def test_rows_ruled_only_under_the_header_are_cut_where_their_text_stands(tmp_path):
    """A report's table ruled round its header and its columns, its rows set apart by their
    spacing alone, was one header row and one row of every entry joined by line breaks."""
    from gongwen.parsers.tables import check_totals, type_numbers

    def unruled(c):
        top, under_header, bottom = 700, 680, 600
        for y in (top, under_header, bottom):
            c.line(WIDE[0], y, WIDE[-1], y)
        for x in WIDE:
            c.line(x, top, x, bottom)
        for k, name in enumerate(["县名", "人口", "资金", "备注"]):
            c.drawString(WIDE[k] + 5, top - 14, name)
        for r, row in enumerate(COUNTIES):
            for k, value in enumerate(row):
                if value:
                    c.drawString(WIDE[k] + 5, under_header - 14 - 18 * r, value)

    path = _pdf(tmp_path / "unruled.pdf", unruled)
    [table] = _filled(path)
    assert table == [["县名", "人口", "资金", "备注"], *COUNTIES]
    [filled] = _tables(path)
    assert check_totals(type_numbers(filled), 1) == ()  # 120 + 98 + 77 = 295, 30 + 25 + 20 = 75


def test_text_wrapped_in_a_row_without_rules_stays_one_row_and_entries_stay_one_cell(tmp_path):
    """Two columns wrapping their text at the cell's edge, a third listing entries one a line:
    the row is one row (its second text row holds no row's start)."""
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


def test_a_short_rule_under_a_heading_splits_its_cell_into_sub_headings(tmp_path):
    def sub_headed(c):
        ys = [700, 680, 660, 640, 620]
        for y in (ys[0], ys[2], ys[3], ys[4]):
            c.line(WIDE[0], y, WIDE[-1], y)
        c.line(WIDE[2], ys[1], WIDE[-1], ys[1])  # under 资金 only
        for x in (WIDE[0], WIDE[1], WIDE[2], WIDE[-1]):
            c.line(x, ys[0], x, ys[-1])
        c.line(WIDE[3], ys[1], WIDE[3], ys[-1])  # from the sub-headings down
        c.drawString(WIDE[0] + 5, 675, "县名")
        c.drawString(WIDE[1] + 5, 675, "人口")
        c.drawString(WIDE[2] + 88, 686, "资金")
        c.drawString(WIDE[2] + 5, 666, "中央")
        c.drawString(WIDE[3] + 5, 666, "省级")
        for r, row in enumerate([["瓯海区", "120", "30", "10"], ["南湖区", "98", "25", "5"]]):
            for k, value in enumerate(row):
                c.drawString(WIDE[k] + 5, ys[2 + r] - 14, value)

    from gongwen.parsers.tables import flatten_header

    [table] = _tables(_pdf(tmp_path / "sub-headed.pdf", sub_headed))
    assert flatten_header(table) == ("县名", "人口", "资金/中央", "资金/省级")


INDICATORS = [["瓯海区", "1120.5", "6.2", "98"], ["南湖区", "980.3", "5.8", "77"], ["秀洲区", "770.1", "6.0", "65"], ["合计", "2870.9", "", "240"]]


def _three_line(c, header=("地区", "生产总值（亿元）", "增长（%）", "人口（万人）"), top=700):
    """A 三线表: a thick rule above the header, a thin one under it, a thick one at the foot."""
    under, foot = top - 22, top - 22 - 18 * len(INDICATORS) - 10
    c.drawString(WIDE[0], top + 20, "表3  2023年各县（市、区）主要经济指标")
    c.setLineWidth(1.5)
    c.line(WIDE[0], top, WIDE[-1], top)
    c.line(WIDE[0], foot, WIDE[-1], foot)
    c.setLineWidth(0.75)
    c.line(WIDE[0], under, WIDE[-1], under)
    for k, name in enumerate(header):
        if name:
            c.drawString(WIDE[k] + 5, top - 15, name)
    for r, row in enumerate(INDICATORS):
        for k, value in enumerate(row):
            if value:
                c.drawString(WIDE[k] + 5, under - 15 - 18 * r, value)
    c.drawString(WIDE[0], foot - 20, "注：本表数据为初步核算数，增长速度按可比价格计算。")


def test_a_table_ruled_by_three_rules_alone_is_read_by_the_gaps_of_its_text(tmp_path):
    """A report's 三线表 has no column rules: its columns are where its text leaves a gap down
    the body, cut clear of a header name wider than its values; the note under it stays out."""
    from gongwen.parsers.tables import check_totals, type_numbers

    path = _pdf(tmp_path / "three-line.pdf", _three_line)
    [table] = _filled(path)
    assert table == [["地区", "生产总值（亿元）", "增长（%）", "人口（万人）"], *INDICATORS]
    [filled] = _tables(path)
    assert filled.header_rows == 1
    assert check_totals(type_numbers(filled), 1) == ()  # 1120.5 + 980.3 + 770.1 = 2870.9


def test_rules_of_one_width_round_paragraphs_or_a_imprint_frame_no_table(tmp_path):
    """Rules of one width above and below body text (a heading, a paragraph) and the 版记's
    rules (抄送 … / … 印发) are no 三线表, even on the page of one."""
    def page(c):
        _three_line(c)
        for y in (520, 480, 430):
            c.line(WIDE[0], y, WIDE[-1], y)
        c.drawString(72, 505, "一、总体情况")
        c.drawString(72, 465, "全市经济运行总体平稳，主要指标好于预期，为全年目标的完成奠定了")
        c.drawString(72, 447, "坚实基础。")
        for y in (140, 110, 80):
            c.line(WIDE[0], y, WIDE[-1], y)
        c.drawString(72, 120, "抄送：省委办公厅，省人大常委会办公厅。")
        c.drawString(72, 90, "浙江省人民政府办公厅")
        c.drawString(370, 90, "2014年1月24日印发")

    tables = _filled(_pdf(tmp_path / "rules.pdf", page))
    assert [t[0] for t in tables] == [["地区", "生产总值（亿元）", "增长（%）", "人口（万人）"]]


def test_a_three_line_table_whose_heading_spans_columns_is_left_as_text(tmp_path):
    """A header name across two columns' gap (a heading over sub-headings) cannot be cut into
    columns with certainty: no table rather than a wrong one; its text stays on the page."""
    def grouped(c):
        _three_line(c, header=("地区", "", "", ""))
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


def test_a_three_line_tables_heading_over_a_short_rule_heads_the_columns_the_rule_spans(tmp_path):
    """A grouped 三线表: a short rule in the header under 2023年, over its two sub-headings.
    The heading is one cell over the rule's columns, the header two rows, flattened as the
    ruled tables' are (2023年/生产总值（亿元）)."""
    from gongwen.parsers.tables import flatten_header

    def grouped(c):
        top = 700
        _three_line(c, header=("", "", "", ""), top=top)
        # the header band is 22 pt high: heading above a short rule, sub-headings under it
        c.setFont("UMing", 8)
        c.drawString(WIDE[0] + 5, top - 14, "地区")
        c.drawString(WIDE[1] + 80, top - 8, "2023年")
        c.setLineWidth(0.5)
        c.line(WIDE[1] + 2, top - 11, WIDE[3] - 2, top - 11)
        c.drawString(WIDE[1] + 5, top - 19, "生产总值（亿元）")
        c.drawString(WIDE[2] + 5, top - 19, "增长（%）")
        c.drawString(WIDE[3] + 5, top - 14, "人口（万人）")

    [table] = _tables(_pdf(tmp_path / "grouped-rule.pdf", grouped))
    assert table.header_rows == 2
    assert flatten_header(table) == ("地区", "2023年/生产总值（亿元）", "2023年/增长（%）", "人口（万人）")
    assert [[c.text for c in table.cells if c.row == 2]] == [INDICATORS[0]]
