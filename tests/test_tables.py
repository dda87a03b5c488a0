"""Annex tables from grids and lines built by hand (no OCR): cell text, headers, continuation,
totals and numbers."""

from __future__ import annotations

import pytest

from gongwen.parsers import tables as T
from gongwen.parsers.document import build_document
from gongwen.parsers.model import Cell, Line, Page, Stage, Table
from gongwen.pipeline.export.items import needs_review, table_grid

CH = 40.0  # width of one printed character, px
LINE_H = 48.0


def line(text: str, x: float, y: float, units: float | None = None) -> Line:
    """A line of print starting at x with its top at y (full-width characters CH wide)."""
    w = (units if units is not None else T.text_units(text)) * CH
    return Line(text, (x, y, x + w, y + LINE_H), 0.99)


def centred(text: str, box, y: float | None = None) -> Line:
    w = T.text_units(text) * CH
    x = (box[0] + box[2]) / 2 - w / 2
    top = (box[1] + box[3]) / 2 - LINE_H / 2 if y is None else y
    return line(text, x, top)


def grid_table(xs, ys, merged=()) -> Table:
    """Cells between the rulings ``xs`` × ``ys``; ``merged``: (row, col, row_span, col_span)."""
    covered = set()
    cells = []
    for r, c, rs, cs in merged:
        cells.append(Cell(r, c, "", (xs[c], ys[r], xs[c + cs], ys[r + rs]), row_span=rs, col_span=cs))
        covered |= {(rr, cc) for rr in range(r, r + rs) for cc in range(c, c + cs)}
    for r in range(len(ys) - 1):
        for c in range(len(xs) - 1):
            if (r, c) not in covered:
                cells.append(Cell(r, c, "", (xs[c], ys[r], xs[c + 1], ys[r + 1])))
    return Table(cells=tuple(sorted(cells, key=lambda c: (c.row, c.col))), header_rows=0)


def box(table: Table, row: int, col: int):
    return next(c.bbox for c in table.cells if c.row == row and c.col == col)


def page(number: int, lines, tables, height: int = 3508) -> Page:
    return Page(number=number, width=2480, height=height, dpi=300.0, engine="test", lines=tuple(lines), tables=tuple(tables))


# -- cell text --------------------------------------------------------------------------------


def test_text_wrapped_inside_a_cell_is_joined_without_a_space():
    cell = (100.0, 100.0, 100.0 + 8 * CH, 300.0)  # room for 7 characters and the padding
    lines = [line("省发展和改革委", 114, 120), line("员会", 114, 175)]
    assert T.cell_text(lines, cell) == "省发展和改革委员会"


def test_separate_entries_on_separate_lines_keep_a_line_break():
    cell = (100.0, 100.0, 100.0 + 7 * CH, 300.0)
    lines = [centred(t, cell, y) for t, y in (("瓯海区", 110), ("南湖区", 165), ("秀洲区", 220))]
    assert T.cell_text(lines, cell) == "瓯海区\n南湖区\n秀洲区"


def test_a_row_shorter_than_the_columns_longest_row_is_an_entry():
    """OCR boxes are not exact: when the cell seems full, a row with fewer characters than the
    longest row of its column (its capacity) still had room, so the next row is an entry."""
    cell = (100.0, 100.0, 100.0 + 7.5 * CH, 300.0)
    lines = [line("市农业农村局", 114, 120), line("市住建局", 114, 175)]
    assert T.cell_text(lines, cell, capacity=None) == "市农业农村局市住建局"
    assert T.cell_text(lines, cell, capacity=7.0) == "市农业农村局\n市住建局"


def test_header_cell_is_one_name():
    cell = (100.0, 100.0, 100.0 + 7 * CH, 300.0)
    lines = [centred("帮扶县", cell, 110), centred("（市、区）", cell, 165)]
    assert T.cell_text(lines, cell, header=True) == "帮扶县（市、区）"
    assert T.cell_text(lines, cell) == "帮扶县\n（市、区）"


def test_a_line_read_across_a_ruling_is_cut_and_the_ruling_dropped():
    read = Line("市发展改革局|市农业农村局", (100.0, 10.0, 100 + 13 * CH, 58.0), 0.97)
    cut = 100 + 6.5 * CH
    pieces = T.cut_line(read, [cut])
    assert [p.text for p in pieces] == ["市发展改革局", "市农业农村局"]
    assert pieces[0].bbox[2] == pieces[1].bbox[0] == cut


def test_a_character_read_twice_where_two_boxes_overlap_is_dropped():
    a = Line("桃源镇", (0.0, 0.0, 3 * CH, LINE_H), 0.99)
    b = Line("真（二）办", (2.4 * CH, 0.0, 7.4 * CH, LINE_H), 0.99)
    assert [l.text for l in T.drop_read_twice([a, b])] == ["桃源镇", "（二）办"]
    c = Line("（二）", (2.6 * CH, 0.0, 5.6 * CH, LINE_H), 0.99)  # a bracket's box overlaps, no repeat
    assert [l.text for l in T.drop_read_twice([a, c])] == ["桃源镇", "（二）"]


# -- headers ----------------------------------------------------------------------------------


def two_row_header_table():
    xs = [100, 300, 600, 900, 1200]
    ys = [500, 580, 660, 740, 820]
    t = grid_table(xs, ys, merged=((0, 0, 2, 1), (0, 1, 2, 1), (0, 2, 1, 2)))
    texts = {
        (0, 0): "序号", (0, 1): "地区", (0, 2): "补助资金（万元）", (1, 2): "中央资金", (1, 3): "省级资金",
        (2, 0): "1", (2, 1): "桃源镇", (2, 2): "55", (2, 3): "76",
        (3, 0): "2", (3, 1): "花桥镇", (3, 2): "555", (3, 3): "718",
    }
    lines = [centred(v, box(t, r, c)) for (r, c), v in texts.items()]
    return t, lines


def test_two_row_header_is_flattened_one_name_per_column():
    t, lines = two_row_header_table()
    filled = T.fill_table(page(1, lines, [t]), t)
    assert filled.header_rows == 2
    assert T.flatten_header(filled) == ("序号", "地区", "补助资金（万元）/中央资金", "补助资金（万元）/省级资金")
    header, rows = table_grid(T.extract_tables([page(1, lines, [t])], ["annex"])[0])
    assert header == ["序号", "地区", "补助资金（万元）/中央资金", "补助资金（万元）/省级资金"]
    assert rows == [["1", "桃源镇", "55", "76"], ["2", "花桥镇", "555", "718"]]


def test_header_row_count_follows_spans():
    one = grid_table([0, 10, 20], [0, 10, 20, 30])
    assert T.header_row_count(one.cells) == 1
    t, _ = two_row_header_table()
    assert T.header_row_count(t.cells) == 2
    grouped = grid_table([0, 10, 20, 30], [0, 10, 20, 30], merged=((0, 1, 1, 2),))  # heading over 2 columns
    assert T.header_row_count(grouped.cells) == 2


def test_merged_data_cell_is_repeated_into_every_row_it_spans_in_csv():
    xs, ys = [100, 400, 700], [100, 180, 260, 340]
    t = grid_table(xs, ys, merged=((1, 0, 2, 1),))
    lines = [centred("公路等级", box(t, 0, 0)), centred("车道数", box(t, 0, 1)), centred("高速公路", box(t, 1, 0)),
             centred("八", box(t, 1, 1)), centred("六", box(t, 2, 1))]
    (table,) = T.extract_tables([page(1, lines, [t])], ["annex"])
    assert any(c.row_span == 2 and c.text == "高速公路" for c in table.cells)  # kept merged in JSON
    assert table_grid(table)[1] == [["高速公路", "八"], ["高速公路", "六"]]


# -- continuation -----------------------------------------------------------------------------


def page_part(number: int, top: float, rows_text, header=True, above=(), below=()):
    """A page holding a 3-column table with the header 序号/地区/资金 and these data rows."""
    xs = [300, 500, 1000, 1500]
    n = len(rows_text) + (1 if header else 0)
    ys = [top + 100 * i for i in range(n + 1)]
    t = grid_table(xs, ys)
    lines = list(above) + list(below)
    all_rows = ([("序号", "地区", "资金（万元）")] if header else []) + list(rows_text)
    for r, values in enumerate(all_rows):
        for c, v in enumerate(values):
            if v:
                lines.append(centred(v, box(t, r, c)))
    return page(number, lines, [t])


def test_table_continued_on_the_next_page_is_one_table_repeated_header_dropped():
    first = page_part(1, 900, [("1", "桃源镇", "131"), ("2", "花桥镇", "1273")],
                      above=[line("附件", 320, 450), line("2016年补助资金安排表", 700, 700)],
                      below=[line("—3—", 1150, 3300)])
    second = page_part(2, 440, [("3", "青田镇", "1377"), ("合计", "", "2781")])
    (table,) = T.extract_tables([first, second], ["annex", "annex"])
    header, rows = table_grid(table)
    assert header == ["序号", "地区", "资金（万元）"]
    assert rows == [["1", "桃源镇", "131"], ["2", "花桥镇", "1273"], ["3", "青田镇", "1377"], ["合计", "", "2781"]]
    assert table.pages == (1, 2)
    assert table.checks == ()


def test_a_row_split_by_the_page_break_is_joined_again():
    first = page_part(1, 900, [("1", "桃源镇", "131"), ("2", "花桥镇人民", "")])
    second = page_part(2, 440, [("", "政府", "1273"), ("3", "青田镇", "1377")], header=False)
    (table,) = T.extract_tables([first, second], ["annex", "annex"])
    assert table_grid(table)[1] == [["1", "桃源镇", "131"], ["2", "花桥镇人民政府", "1273"], ["3", "青田镇", "1377"]]


def test_a_new_table_with_a_title_above_it_is_not_a_continuation():
    first = page_part(1, 900, [("1", "桃源镇", "131")])
    second = page_part(2, 900, [("1", "青田镇", "1377")], above=[line("附件2", 320, 450)])
    assert len(T.extract_tables([first, second], ["annex", "annex"])) == 2


def test_a_table_with_text_under_it_does_not_continue():
    first = page_part(1, 900, [("1", "桃源镇", "131")], below=[line("注：资金已下达。", 320, 1400)])
    second = page_part(2, 440, [("2", "青田镇", "1377"), ("3", "花桥镇", "1273")], header=False)
    assert len(T.extract_tables([first, second], ["annex", "annex"])) == 2


def test_the_circulation_slips_table_is_not_an_annex_table():
    slip = page_part(1, 500, [("1", "张三", "2.16")])
    assert T.extract_tables([slip], ["slip"]) == ()


def test_a_grid_without_text_is_no_table():
    empty = page(1, [], [grid_table([0, 100, 200], [0, 100, 200, 300])])
    assert T.extract_tables([empty], ["circular"]) == ()


# -- totals and numbers -----------------------------------------------------------------------

EXAMPLE_ROWS = [("淳安县", "26"), ("文成县", "55"), ("泰顺县", "52"), ("永嘉县", "111"), ("苍南县", "76"),
                ("平阳县", "61"), ("婺城区", "41"), ("磐安县", "83"), ("武义县", "51"), ("庆元县", "90")]


def counts_page(rows_, total: str):
    xs, ys = [300, 800, 1300], [900 + 100 * i for i in range(len(rows_) + 3)]
    t = grid_table(xs, ys)
    lines = [centred("帮扶县（市、区）", box(t, 0, 0)), centred("帮扶村数", box(t, 0, 1))]
    for r, (a, b) in enumerate(list(rows_) + [("合计", total)], start=1):
        lines += [centred(a, box(t, r, 0)), centred(b, box(t, r, 1))]
    return page(1, lines, [t])


def test_total_that_is_not_the_sum_is_reported():
    (table,) = T.extract_tables([counts_page(EXAMPLE_ROWS, "2000")], ["annex"])
    assert table.checks == ("table 1 (帮扶村数): 合计 2000 ≠ sum of rows 646: rows or pages may be missing",)


def test_total_that_is_the_sum_passes():
    (table,) = T.extract_tables([counts_page(EXAMPLE_ROWS, "646")], ["annex"])
    assert table.checks == ()


def test_decimal_totals_allow_the_rounding_of_their_rows():
    rows_ = [("甲", "1.04"), ("乙", "2.03")]
    assert T.extract_tables([counts_page(rows_, "3.07")], ["annex"])[0].checks == ()
    assert T.extract_tables([counts_page(rows_, "3.08")], ["annex"])[0].checks == ()  # within 2 × 0.005
    assert T.extract_tables([counts_page(rows_, "3.2")], ["annex"])[0].checks != ()


def test_numeric_columns_are_typed():
    (table,) = T.extract_tables([counts_page([("甲", "1,200"), ("乙", "3.5"), ("丙", "—")], "1203.5")], ["annex"])
    assert table.numeric_columns == (1,)
    values = {c.text: c.value for c in table.cells if c.col == 1 and c.row >= 1}
    assert values == {"1,200": 1200, "3.5": 3.5, "—": None, "1203.5": 1203.5}
    assert isinstance(values["1,200"], int)


def test_failed_check_makes_the_item_need_review_but_keeps_it_ok():
    doc = build_document("x", "x.pdf", [counts_page(EXAMPLE_ROWS, "2000")])
    assert doc.status == "ok"
    (err,) = [e for e in doc.errors if e.stage == Stage.CHECK]
    assert "合计 2000 ≠ sum of rows 646" in err.message and err.page == 1
    assert needs_review(doc)


def test_settings_are_validated():
    with pytest.raises(ValueError, match="layout_tolerance"):
        T.TableSettings(layout_tolerance=0.5)
    with pytest.raises(ValueError, match="min_text_rows"):
        T.TableSettings(min_text_rows=0)


# -- born-digital PDF -------------------------------------------------------------------------


def test_born_digital_pdf_gives_its_three_tables_without_ocr():
    """表7.5, 7.6 and 7.7 of the 安徽省建设用地使用标准 page, from pdfplumber's rulings and words.

    Rows are counted as pdfplumber's ``extract_tables`` counts them: every ruled row of the grid,
    the header rows included (table 1: 2 header rows + 6 data rows = 8)."""
    from gongwen.ocr.loading import PageRef, load_page

    from helpers import realworld

    loaded = load_page(PageRef(str(realworld("land-standard-tables.pdf")), "pdf", 0))
    assert loaded.image is None and len(loaded.tables) == 3
    p = Page(number=1, width=loaded.width, height=loaded.height, dpi=loaded.dpi, engine="pdf-text",
             lines=loaded.lines, tables=loaded.tables)
    doc = build_document("land", "land-standard-tables.pdf", [p])
    assert [T.n_rows(t) for t in doc.tables] == [8, 11, 2]
    assert [t.header_rows for t in doc.tables] == [2, 2, 1]
    header, rows = table_grid(doc.tables[0])
    assert header == ["公路技术等级", "车道数", "用地指标基准值", "编制条件/路段交通量Q（peu/d）", "编制条件/大型车比例u（%）"]
    assert [r[0] for r in rows] == ["高速公路"] * 3 + ["一级公路"] * 2 + ["二级公路"]  # merged, repeated
    assert rows[0][:3] == ["高速公路", "八", "2.5000"]
    assert doc.tables[0].numeric_columns == (2,)
    header, rows = table_grid(doc.tables[1])
    assert header[3:5] == ["大型车比例μ（%）/μ≤10", "大型车比例μ（%）/10＜μ≤20"]
    assert rows[-1] == ["二级公路", "二", "Q＜15000", "1.00", "1.00", "1.00", "1.00", "1.00"]
    assert table_grid(doc.tables[2]) == (["路段监控通信分中心", "路段监控通信站", "桥隧监控通信站"], [["1.7333", "0.8667", "0.5333"]])


# -- HTML -------------------------------------------------------------------------------------


def test_html_keeps_spans_and_separate_entries():
    from gongwen.pipeline.export.items import item_data
    from gongwen.pipeline.export.html import render_document

    t, lines = two_row_header_table()
    entries = box(t, 3, 1)
    lines = [l for l in lines if l.text != "花桥镇"]
    lines += [centred("瓯海区", entries, entries[1] + 2), centred("<南湖区>", entries, entries[1] + 28)]
    html = render_document(item_data(build_document("x", "x.pdf", [page(1, lines, [t])])))
    table = html[html.index('<table class="annex-table"'): html.index("</table>")]
    assert '<th rowspan="2">序号</th>' in table and '<th colspan="2">补助资金（万元）</th>' in table
    assert "<td>瓯海区<br>&lt;南湖区&gt;</td>" in table
    assert '<td class="num">555</td>' in table


def test_a_row_ending_on_a_comma_goes_on_below():
    from gongwen.parsers.model import Line
    from gongwen.parsers.tables import cell_text

    lines = [
        Line("要把握工作节奏，合理安排进度，", (110, 10, 800, 60), 0.99),
        Line("确保按时保质完成各项任务", (110, 70, 660, 120), 0.99),
    ]
    assert cell_text(lines, (100, 0, 1400, 130)) == "要把握工作节奏，合理安排进度，确保按时保质完成各项任务"
    lines[0] = Line("淳安县", (110, 10, 260, 60), 0.99)
    lines[1] = Line("文成县", (110, 70, 260, 120), 0.99)
    assert cell_text(lines, (100, 0, 1400, 130)) == "淳安县\n文成县"


def test_a_scanned_row_without_row_rules_is_cut_into_the_rows_its_text_stands_in():
    """The same rule on a scan's OCR lines (pixels) as on a born-digital page: a data row ruled
    as one holding four rows of text across its columns becomes four rows; a row of text with
    only one column (a wrapped name) stays with the row above it, its text joined."""
    xs = [100, 400, 700, 1000]  # the first column 7 characters wide and a little
    ys = [500, 580, 980]
    t = grid_table(xs, ys)
    lines = [centred(v, box(t, 0, c)) for c, v in enumerate(["单位", "人数", "金额"])]
    rows = [("县农业农村局", "12", "30.5"), ("县财政局（国库", "8", "22"), ("集中支付中心）", "", ""), ("合计", "20", "52.5")]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v:
                lines.append(line(v, xs[c] + 10, 590 + 70 * r))
    filled = T.fill_table(page(1, lines, [t]), t)
    assert T.grid(filled) == [
        ["单位", "人数", "金额"],
        ["县农业农村局", "12", "30.5"],
        ["县财政局（国库集中支付中心）", "8", "22"],
        ["合计", "20", "52.5"],
    ]
    assert [c.row for c in filled.cells if c.col == 0] == [0, 1, 2, 3]
    assert all(c.bbox[1] < c.bbox[3] for c in filled.cells)


def test_a_tall_row_of_a_table_ruled_row_by_row_is_one_row():
    """A ruled row whose task wraps over three lines, the other cells' text centred beside it
    and a cell listing two offices one a line, stays one row (found by bench/tables.py: the
    cut made the centred text a row of its own)."""
    xs = [100, 200, 760, 1100, 1500]
    ys = [500, 580, 660, 900, 980]
    t = grid_table(xs, ys)
    lines = [centred(v, box(t, 0, c)) for c, v in enumerate(["序号", "工作任务", "牵头单位", "配合单位"])]
    lines += [line(v, xs[c] + 10, 590) for c, v in enumerate(["1", "建立工作台账", "区财政局", "各乡镇"])]
    lines += [line(v, xs[c] + 10, 910) for c, v in enumerate(["3", "按期完成", "区民政局", "各部门"])]
    tall = box(t, 2, 1)
    lines += [line(v, xs[1] + 10, tall[1] + 10 + 70 * k) for k, v in enumerate(["要坚持问题导向和目标导向，", "把冬春火灾防控工作摆在更加", "突出的位置"])]
    lines += [centred("2", box(t, 2, 0)), centred("区教育局", box(t, 2, 2))]
    lines += [line("区公安分局", xs[3] + 10, tall[1] + 50), line("区消防救援大队", xs[3] + 10, tall[1] + 120)]
    filled = T.fill_table(page(1, lines, [t]), t)
    assert [row[:3] for row in T.grid(filled)] == [
        ["序号", "工作任务", "牵头单位"],
        ["1", "建立工作台账", "区财政局"],
        ["2", "要坚持问题导向和目标导向，把冬春火灾防控工作摆在更加突出的位置", "区教育局"],
        ["3", "按期完成", "区民政局"],
    ]
