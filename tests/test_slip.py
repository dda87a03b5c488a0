"""Circulation slip parsing on a page of known lines and cells (no OCR)."""

import datetime as dt
from dataclasses import replace

import pytest

from gongwen.parsers.model import Cell, Line, Page, Table
from gongwen.parsers.circulation import column_map
from gongwen.parsers.opinions import clip_line
from gongwen.parsers.slip import extract_slip

X = [100, 300, 450, 600, 750, 1200]  # 传阅人 | 传阅日期 | 送达日期 | 退回日期 | 拟办意见 (merged)
Y = [200, 280, 360, 440, 520]


def slip_page(header=("传阅人", "传阅日期", "送达日期", "退回日期")):
    cells = [Cell(row=0, col=c, text="", bbox=(X[c], Y[0], X[c + 1], Y[1])) for c in range(4)]
    cells.append(Cell(row=0, col=4, text="", bbox=(X[4], Y[0], X[5], Y[4]), row_span=4))
    for r in range(1, 4):
        cells += [Cell(row=r, col=c, text="", bbox=(X[c], Y[r], X[c + 1], Y[r + 1])) for c in range(4)]
    lines = [
        Line("温州市鹿城区人民政府文件传阅单", (300, 100, 900, 160), 0.99),
        # OCR read the four headings as one line across the cells
        Line("".join(header), (110, 220, 740, 260), 0.98),
        Line("拟办意见：", (760, 210, 900, 250), 0.99),
        Line("请朱区长、杨副区长阅示。", (770, 260, 1150, 300), 0.93, "blue"),
        Line("胡晓东 2014.2.12", (900, 320, 1180, 360), 0.95, "blue"),
        Line("朱崇敏", (120, 300, 260, 340), 0.97),
        Line("2.16", (320, 300, 420, 340), 0.96),
        Line("2.13", (470, 300, 570, 340), 0.96),
        Line("项伟胜", (120, 380, 260, 420), 0.97),
        Line("12.30", (320, 380, 420, 420), 0.96),
        Line("注：请速传阅，阅后退回117室。", (100, 560, 800, 600), 0.99),
        Line("我已转交，请胡晓东阅示。", (200, 650, 700, 700), 0.9, "blue"),
        Line("林世南 2.17", (500, 710, 700, 760), 0.92, "blue"),
    ]
    return Page(number=1, width=1240, height=1754, dpi=150, engine="test", lines=tuple(lines),
                tables=(Table(cells=tuple(cells), header_rows=0),))


def test_clip_line_splits_a_row_read_as_one_line():
    line = Line("传阅日期送达日期", (300, 220, 600, 260), 0.9)
    assert clip_line(line, (300, 200, 450, 280)).text == "传阅日期"
    assert clip_line(line, (450, 200, 600, 280)).text == "送达日期"


@pytest.mark.parametrize("header", [("传阅人", "传阅日期", "送达日期", "退回日期"), ("阅文人", "阅文日期", "送达日期", "收回日期")])
def test_header_wording_maps_to_contract_columns(header):
    page = slip_page(header)
    assert column_map(page, page.tables[0]) == (0, {0: "reader", 1: "circulated", 2: "delivered", 3: "returned"})


def test_readers_dates_and_annotations():
    entries, notes, office = extract_slip([slip_page()], ["slip"], 2014, dt.date(2014, 2, 1))
    assert office.value == "温州市鹿城区人民政府文件传阅单"
    assert [e.reader.value for e in entries] == ["朱崇敏", "项伟胜"]  # the empty row is skipped
    first = entries[0]
    assert (first.circulated.value, first.delivered.value, first.returned) == (dt.date(2014, 2, 16), dt.date(2014, 2, 13), None)
    assert first.circulated.inferred
    # a year-less 12.30 after a February receipt stays in the receipt year
    assert entries[1].circulated.value == dt.date(2014, 12, 30)
    kinds = {a.kind: a for a in notes}
    assert kinds["proposal"].text.value == "请朱区长、杨副区长阅示。"
    assert kinds["proposal"].signer.value == "胡晓东" and kinds["proposal"].date.value == dt.date(2014, 2, 12)
    assert kinds["note"].text.value == "我已转交，请胡晓东阅示。"
    assert kinds["note"].signer.value == "林世南" and kinds["note"].date.value == dt.date(2014, 2, 17)
    assert kinds["note"].text.bbox is not None  # the crop a reviewer is shown


def _ann(lines):
    from gongwen.parsers.slip import split_annotation

    a = split_annotation(lines, "note", 1, 2014, dt.date(2014, 2, 1))
    return a.text.value, a.signer.value if a.signer else "", str(a.date.value) if a.date else ""


@pytest.mark.parametrize(
    "lines, expected",
    [
        # name and date on one line under the remark
        ([Line("我已转交，请胡晓东阅示。", (200, 650, 700, 700), 0.9), Line("林世南 2.17", (500, 710, 700, 760), 0.9)],
         ("我已转交，请胡晓东阅示。", "林世南", "2014-02-17")),
        # the name and the date read as separate lines, a piece of the date read twice
        ([Line("同意拟办意见，请区民政局抓好落实", (100, 100, 700, 150), 0.9),
          Line("贺海杰", (400, 160, 520, 210), 0.9), Line("10", (560, 162, 600, 205), 0.9),
          Line("10月9日", (560, 160, 700, 210), 0.9)],
         ("同意拟办意见，请区民政局抓好落实", "贺海杰", "2014-10-09")),
        # remark and signature merged into one line: the name follows the full stop
        ([Line("请各位领导阅。唐阳飞 10月21日", (100, 100, 900, 150), 0.9)], ("请各位领导阅。", "唐阳飞", "2014-10-21")),
        # merged without a full stop: the name follows the word the remark closes with
        ([Line("请钟区长阅示于君-飞 3.16", (100, 100, 900, 150), 0.9)], ("请钟区长阅示", "于君飞", "2014-03-16")),
        # the name on its own line (a stroke read as a hyphen), the date beside it
        ([Line("请钟区长阅示", (100, 100, 500, 150), 0.9), Line("于君-飞", (450, 160, 600, 210), 0.9),
          Line("3.16", (640, 160, 760, 210), 0.9)], ("请钟区长阅示", "于君飞", "2014-03-16")),
        # the name on the row above the date
        ([Line("已阅", (100, 100, 300, 150), 0.9), Line("姚金明", (400, 170, 560, 220), 0.9),
          Line("10月9日", (420, 240, 640, 290), 0.9)], ("已阅", "姚金明", "2014-10-09")),
        # a speck read as a colon after the name
        ([Line("已阅贾辉世: 8.30", (100, 100, 700, 150), 0.9)], ("已阅", "贾辉世", "2014-08-30")),
        # no signature at all
        ([Line("请办公室存档。", (100, 100, 500, 150), 0.9)], ("请办公室存档。", "", "")),
    ],
)
def test_split_annotation(lines, expected):
    assert _ann(lines) == expected


def test_signature_far_right_of_a_margin_note_belongs_to_it():
    from gongwen.parsers.slip import _blocks

    note = Line("请石挺杰阅处。", (226, 98, 634, 183), 0.95, "blue")
    sign = Line("吕挺1.24", (982, 175, 1275, 256), 0.99, "blue")
    other = Line("已阅", (1500, 900, 1600, 980), 0.9, "blue")
    assert _blocks([note, sign, other]) == [[note, sign], [other]]


def test_signed_remark_on_a_gray_slip_is_a_note_and_printed_text_is_not():
    gray = slip_page()
    lines = [Line(l.text, l.bbox, l.confidence, "black") for l in gray.lines]
    lines.append(Line("联系电话：88886666", (100, 800, 600, 840), 0.99))
    lines.append(Line("请妥善保管，不得横传、复印。阅后退回404室。", (100, 600, 800, 640), 0.99))
    gray = Page(**{**gray.__dict__, "lines": tuple(lines)})
    _, notes, _ = extract_slip([gray], ["slip"], 2014, dt.date(2014, 2, 1))
    loose = [(a.text.value, a.signer.value) for a in notes if a.kind == "note"]
    assert loose == [("我已转交，请胡晓东阅示。", "林世南")]


def test_signed_note_in_the_top_margin_of_a_gray_circular_page():
    from gongwen.parsers.slip import margin_notes

    lines = [
        Line("已阅。", (300, 100, 480, 170), 0.95),
        Line("张新建6月1日", (956, 169, 1353, 250), 0.99),
        Line("青岛市市南区教育局", (1478, 318, 1850, 403), 0.99),  # the 收文 stamp
        Line("第145号", (1923, 292, 2118, 386), 0.99),
        Line("收文", (1471, 436, 1583, 504), 0.99),
        Line("000137", (324, 467, 528, 535), 0.99),
        Line("中共青岛市市南区委办公室文件", (360, 846, 2151, 1026), 0.99),
    ]
    page = Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=tuple(lines))
    notes = margin_notes([page], ["circular"], 2018, None)
    assert [(a.text.value, a.signer.value, str(a.date.value)) for a in notes] == [("已阅。", "张新建", "2018-06-01")]


def test_a_name_and_date_read_as_two_lines_sign_the_remark_above():
    from gongwen.parsers.slip import _blocks

    note = Line("已阅", (226, 109, 355, 188), 0.98, "blue")
    name = Line("闫荣", (985, 183, 1129, 264), 0.99, "blue")
    date = Line("7.17", (1130, 193, 1271, 246), 0.99, "blue")
    assert _blocks([note, name, date]) == [[note, name, date]]


def test_a_name_cut_from_a_run_of_characters_by_length_alone_is_trusted_less():
    from gongwen.parsers.slip import split_annotation

    apart = split_annotation([Line("请阅示。王林 1.26", (100, 100, 600, 150), 0.95)], "note", 1, 2014, dt.date(2014, 1, 20))
    run_on = split_annotation([Line("请各单位认真学习王林 1.26", (100, 100, 600, 150), 0.95)], "note", 1, 2014, dt.date(2014, 1, 20))
    assert apart.signer.value == "王林" and apart.signer.confidence == 0.95
    assert run_on.signer.value == "王林" and run_on.signer.confidence < 0.85  # below the review threshold
    # a name that starts with no surname is a misread one: its text kept, no value, reviewed
    misread = split_annotation([Line("请张区长阅。美业宏 8.21", (100, 100, 600, 150), 0.95)], "proposal", 1, 2020, dt.date(2020, 8, 20))
    assert (misread.signer.value, misread.signer.raw, misread.date.value) == (None, "美业宏", dt.date(2020, 8, 21))
    assert misread.signer.confidence < 0.85 and misread.text.value == "请张区长阅。"


@pytest.mark.parametrize("lines, signer", [
    ([Line("已阅。", (100, 100, 300, 150), 0.9), Line("王林阅 1.26", (400, 160, 700, 210), 0.9)], "王林"),
    # the date on the line below, the name closing the remark's last line
    ([Line("同意，请抓紧落实。张伟", (100, 100, 700, 150), 0.9), Line("1.27", (600, 160, 700, 210), 0.9)], "张伟"),
    # a date in numerals under the text is no name
    ([Line("请存档。", (100, 100, 300, 150), 0.9), Line("二〇一四年一月", (400, 160, 700, 210), 0.9),
      Line("1.27", (800, 220, 900, 270), 0.9)], ""),
])
def test_signers_as_people_sign(lines, signer):
    from gongwen.parsers.slip import split_annotation

    a = split_annotation(lines, "note", 1, 2014, dt.date(2014, 1, 20))
    assert (a.signer.value if a.signer else "") == signer


def test_readers_in_two_groups_of_columns_side_by_side():
    xs = [100, 300, 450, 600, 800, 950, 1100]
    ys = [200, 280, 360, 440]
    cells = [Cell(row=r, col=c, text="", bbox=(xs[c], ys[r], xs[c + 1], ys[r + 1])) for r in range(3) for c in range(6)]
    lines = [Line("姓名阅文日期退回日期", (110, 220, 590, 260), 0.98), Line("姓名阅文日期退回日期", (610, 220, 1090, 260), 0.98),
             Line("王林", (120, 300, 260, 340), 0.9), Line("1.26", (320, 300, 420, 340), 0.9),
             Line("李明", (120, 380, 260, 420), 0.9),
             Line("赵强", (620, 300, 760, 340), 0.9), Line("1.27", (820, 300, 920, 340), 0.9), Line("1.29", (970, 300, 1070, 340), 0.9)]
    page = Page(number=1, width=1240, height=1754, dpi=150, engine="test", lines=tuple(lines),
                tables=(Table(cells=tuple(cells), header_rows=1),))
    assert column_map(page, page.tables[0]) == (0, {0: "reader", 1: "circulated", 2: "returned",
                                                    3: "reader", 4: "circulated", 5: "returned"})
    entries, _, _ = extract_slip([page], ["slip"], 2014, dt.date(2014, 1, 20))
    got = [(e.seq, e.reader.value, e.circulated.value if e.circulated else None, e.returned.value if e.returned else None)
           for e in entries]
    assert got == [(1, "王林", dt.date(2014, 1, 26), None), (2, "李明", None, None),
                   (3, "赵强", dt.date(2014, 1, 27), dt.date(2014, 1, 29))]


def test_readers_signing_one_after_another_in_a_block_of_their_own():
    lines = [
        Line("阅签", (100, 900, 200, 950), 0.99),
        Line("任娟伟5.3", (300, 900, 520, 950), 0.9, "blue"), Line("何途", (600, 900, 700, 950), 0.9, "blue"),
        Line("黄峰飞阅", (800, 900, 1000, 950), 0.9, "blue"),
        Line("送阅：黎超辉 3月6日 叶婷阳 3月7日", (100, 1100, 1000, 1150), 0.9),
        Line("请按顺序传阅，阅后退回。", (100, 1300, 800, 1350), 0.99),  # printed: no readers' label
    ]
    page = Page(number=1, width=1240, height=1754, dpi=150, engine="test", lines=tuple(lines))
    entries, notes, _ = extract_slip([page], ["slip"], 2022, dt.date(2022, 3, 1))
    got = [(e.reader.value, e.circulated.value if e.circulated else None) for e in entries]
    assert got == [("任娟伟", dt.date(2022, 5, 3)), ("何途", None), ("黄峰飞", None),
                   ("黎超辉", dt.date(2022, 3, 6)), ("叶婷阳", dt.date(2022, 3, 7))]
    assert notes == ()


def test_readers_across_a_row_with_their_dates_in_the_row_under_it():
    xs = [100, 250, 400, 550, 700]
    ys = [300, 380, 460, 540, 620]
    cells = [Cell(row=r, col=c, text="", bbox=(xs[c], ys[r], xs[c + 1], ys[r + 1])) for r in range(4) for c in range(4)]
    lines = [Line("传阅人", (110, 320, 240, 360), 0.99), Line("王林", (270, 320, 380, 360), 0.9),
             Line("李明", (420, 320, 530, 360), 0.9), Line("日期", (110, 400, 240, 440), 0.99),
             Line("1.26", (270, 400, 380, 440), 0.9), Line("1.27", (420, 400, 530, 440), 0.9),
             Line("传阅人", (110, 480, 240, 520), 0.99), Line("赵强", (270, 480, 380, 520), 0.9),
             Line("张伟", (420, 480, 530, 520), 0.9), Line("日期", (110, 560, 240, 600), 0.99),
             Line("1.29", (420, 560, 530, 600), 0.9)]
    page = Page(number=1, width=1240, height=1754, dpi=150, engine="test", lines=tuple(lines),
                tables=(Table(cells=tuple(cells), header_rows=0),))
    entries, _, _ = extract_slip([page], ["slip"], 2014, dt.date(2014, 1, 20))
    got = [(e.reader.value, e.circulated.value if e.circulated else None) for e in entries]
    assert got == [("王林", dt.date(2014, 1, 26)), ("李明", dt.date(2014, 1, 27)), ("赵强", None), ("张伟", dt.date(2014, 1, 29))]


def test_a_name_set_apart_above_the_date_and_an_echo_inside_it():
    from gongwen.parsers.slip import split_annotation

    lines = [Line("阅。", (100, 100, 200, 150), 0.9), Line("曾鹏国", (800, 100, 960, 150), 0.9),
             Line("山", (820, 110, 900, 145), 0.4),  # a stroke of the name read again
             Line("39", (900, 170, 960, 220), 0.9)]
    a = split_annotation(lines, "instruction", 1, 2016, dt.date(2016, 3, 7))
    assert (a.text.value, a.signer.value, a.date.value) == ("阅。", "曾鹏国", dt.date(2016, 3, 9))


def test_the_remarks_last_character_on_the_row_of_the_name_above_the_date():
    from gongwen.parsers.slip import split_annotation

    lines = [Line("工作措施，按时保质完成各项任", (1150, 1100, 2050, 1180), 0.9, "blue"),
             Line("务", (1150, 1240, 1230, 1320), 0.9, "blue"), Line("林荣平", (1900, 1230, 2150, 1310), 0.9, "blue"),
             Line("20043.20", (1900, 1330, 2180, 1420), 0.9, "blue")]
    a = split_annotation(lines, "instruction", 1, 2004, dt.date(2004, 3, 19))
    assert (a.text.value, a.signer.value, a.date.value) == ("工作措施，按时保质完成各项任务", "林荣平", dt.date(2004, 3, 20))


def test_a_date_whose_strokes_were_read_in_two_layers_is_one_date():
    from gongwen.parsers.slip import split_annotation

    lines = [Line("已电话通知市卫生健康局，文件复印件已送达", (589, 1652, 1738, 1757), 1.0, "blue"),
             Line("蔡立崇", (1927, 1743, 2131, 1844), 1.0, "blue"),
             Line("5", (1980, 1878, 2006, 1925), 1.0, "blue"), Line("20", (2021, 1883, 2092, 1951), 1.0, "black")]
    a = split_annotation(lines, "note", 1, 2014, dt.date(2014, 5, 9))
    assert (a.text.value, a.signer.value, a.date.value) == ("已电话通知市卫生健康局，文件复印件已送达", "蔡立崇", dt.date(2014, 5, 20))
    # two dates side by side stay two, and digits far apart are not joined
    b = split_annotation([Line("同意。", (100, 100, 300, 150), 1.0, "blue"), Line("张伟", (800, 100, 900, 150), 1.0, "blue"),
                          Line("5", (1000, 100, 1020, 150), 1.0, "blue"), Line("20", (1400, 100, 1460, 150), 1.0, "blue")],
                         "note", 1, 2014, dt.date(2014, 5, 9))
    assert b.date.value is None
    # the date's year read with the name, its month and day apart (熊娜霞 2011.2.9)
    c = split_annotation([Line("请谢市长阅。", (498, 961, 807, 1055), 0.94, "blue"), Line("熊娜霞2011", (1061, 1050, 1388, 1144), 0.97, "blue"),
                          Line("29", (1381, 1057, 1478, 1144), 1.0, "black")], "proposal", 1, 2011, dt.date(2011, 2, 9))
    assert (c.text.value, c.signer.value, c.date.value) == ("请谢市长阅。", "熊娜霞", dt.date(2011, 2, 9))


def test_two_remarks_in_one_box_whose_first_date_lost_its_month_to_another_layer():
    from gongwen.parsers.slip import block_annotations

    lines = [Line("同意拟办意见。", (740, 1342, 1130, 1445), 0.94, "blue"),
             Line("罗立", (1487, 1445, 1634, 1548), 1.0, "blue"), Line("2014年17日", (1679, 1449, 2127, 1563), 1.0, "black"),
             Line("1月", (1881, 1473, 2023, 1558), 1.0, "blue"),  # read in the blue layer, inside the black reading
             Line("同意。石昕磊", (756, 1565, 1157, 1664), 0.98, "blue"), Line("2014118", (1182, 1561, 1476, 1658), 1.0, "black")]
    got = [(a.text.value, a.signer.value, a.date.value) for a in block_annotations(lines, "instruction", 1, 2014, dt.date(2014, 1, 15))]
    assert got == [("同意拟办意见。", "罗立", dt.date(2014, 1, 17)), ("同意。", "石昕磊", dt.date(2014, 1, 18))]


def test_a_printed_note_under_the_readers_is_no_reader():
    lines = [Line("送阅：袁艳宏5/10", (346, 2081, 737, 2138), 0.96), Line("蒋辉鹏", (912, 2078, 1052, 2140), 0.99),
             Line("5/11", (1068, 2077, 1158, 2138), 1.0, "blue"),
             Line("注：本件请勿横传、复印，阅后请于两日内退回146室。", (349, 2188, 1416, 2239), 1.0)]
    page = Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=tuple(lines))
    entries, _, _ = extract_slip([page], ["slip"], 2014, dt.date(2014, 5, 9))
    assert [(e.reader.value, e.circulated.value) for e in entries] == [("袁艳宏", dt.date(2014, 5, 10)), ("蒋辉鹏", dt.date(2014, 5, 11))]


def test_a_label_word_opening_a_handwritten_line_is_the_remarks_word():
    lines = [Line("拟办意见：", (292, 1500, 526, 1560), 1.0),
             Line("拟请杜区长阅示后，转区民政局按职责分工抓好落实，并将", (279, 1580, 2024, 1700), 0.99, "blue"),
             Line("落实情况及时报办公室汇总。", (292, 1720, 899, 1800), 1.0, "blue"),
             Line("任华", (2064, 1800, 2182, 1870), 0.99, "blue"), Line("11.9", (2106, 1880, 2209, 1950), 0.93, "blue")]
    page = Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=tuple(lines))
    _, notes, _ = extract_slip([page], ["slip"], 2001, dt.date(2001, 11, 8))
    assert [(a.kind, a.text.value, a.signer.value) for a in notes] == [
        ("proposal", "拟请杜区长阅示后，转区民政局按职责分工抓好落实，并将落实情况及时报办公室汇总。", "任华")]


def test_a_receipt_stamp_set_on_the_slip_is_no_remark():
    lines = [Line("深圳市南山区人民政府办公室", (1097, 82, 1503, 141), 1.0, "red"), Line("收文", (1529, 78, 1630, 135), 1.0, "red"),
             Line("第256号2001年11月8日", (1661, 60, 2198, 131), 1.0, "blue"),
             Line("深圳市南山区人民政府办公室文件传阅单", (456, 331, 2026, 412), 1.0),
             Line("领导批示：", (292, 1500, 526, 1560), 1.0), Line("同意。杜辉11.11", (600, 1500, 1200, 1560), 1.0, "blue")]
    page = Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=tuple(lines))
    _, notes, _ = extract_slip([page], ["slip"], 2001, dt.date(2001, 11, 8))
    assert [(a.kind, a.text.value) for a in notes] == [("instruction", "同意。")]


def test_a_black_pens_remark_in_the_top_margin_signed_at_the_sheets_right_edge():
    lines = [Line("请抓紧落实。", (443, 39, 590, 83), 0.88), Line("杜娟专", (2133, 81, 2228, 132), 0.77),
             Line("7.10", (2133, 118, 2210, 178), 0.99),  # a black pen: the black layer, as print is
             Line("青岛市崂山区人民政府办公室阅文单", (574, 230, 1910, 316), 1.0),
             Line("拟办意见：", (292, 1579, 526, 1640), 0.91), Line("请金区长阅示。", (351, 1648, 1000, 1753), 0.98, "blue"),
             Line("段飞丽2013.7.4", (1184, 1770, 1791, 1850), 1.0, "blue"),
             Line("注：本件请勿横传、复印，阅后请于两日内退回192室。", (267, 3208, 1340, 3267), 1.0)]
    page = Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=tuple(lines))
    _, notes, _ = extract_slip([page], ["slip"], 2013, dt.date(2013, 7, 4))
    got = [(a.kind, a.text.value, a.signer.value, a.date.value) for a in notes]
    assert got == [("proposal", "请金区长阅示。", "段飞丽", dt.date(2013, 7, 4)), ("note", "请抓紧落实。", "杜娟专", dt.date(2013, 7, 10))]


def test_a_remark_under_the_forms_printed_note_is_no_reader_and_its_stacked_signature_signs_it():
    lines = [Line("送阅：刘英", (349, 1997, 616, 2057), 1.0), Line("10月28日", (627, 1998, 815, 2055), 1.0, "blue"),
             Line("曹君专", (895, 1995, 1044, 2057), 1.0), Line("龙俊宏", (511, 2114, 664, 2175), 1.0),
             Line("注：请按顺序传阅，阅后签名，当日退回办公室。", (351, 2285, 1309, 2335), 1.0),
             Line("请办公室存档。", (538, 2385, 1009, 2484), 0.99, "blue"), Line("刘英", (1670, 2485, 1833, 2583), 1.0, "blue"),
             Line("二〇一七年十月二十九日", (1352, 2581, 2155, 2664), 0.99, "blue")]
    page = Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=tuple(lines))
    entries, notes, _ = extract_slip([page], ["slip"], 2017, dt.date(2017, 10, 27))
    assert [e.reader.value for e in entries] == ["刘英", "曹君专", "龙俊宏"]
    assert [(a.kind, a.text.value, a.signer.value, a.date.value) for a in notes] == [
        ("note", "请办公室存档。", "刘英", dt.date(2017, 10, 29))]


def test_faded_labels_read_in_part_still_end_the_blocks_above_them():
    lines = [Line("处理意", (356, 709, 483, 746), 1.0, "red"),  # 处理意见：, its end faded
             Line("拟请周区长阅示，并请区民政局牵头研究具体", (597, 700, 2024, 790), 1.0, "blue"),
             Line("贯彻意见。", (584, 800, 902, 880), 0.93, "blue"), Line("汪途立11/18", (1577, 880, 2024, 960), 1.0, "blue"),
             Line("领导", (358, 1365, 441, 1405), 1.0, "red"),  # 领导批示 or 领导阅签: it does not tell
             Line("请区民政局认真学习文件精神。结合我区实", (588, 1345, 1998, 1455), 0.97, "blue"),
             Line("周文霞", (1798, 1479, 2011, 1574), 1.0, "blue"), Line("22.11.18", (1757, 1594, 2040, 1668), 1.0, "blue")]
    page = Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=tuple(lines))
    entries, notes, _ = extract_slip([page], ["slip"], 2022, dt.date(2022, 11, 17))
    assert [(a.kind, a.text.value, a.signer.value) for a in notes] == [("proposal", "拟请周区长阅示，并请区民政局牵头研究具体贯彻意见。", "汪途立")]
    assert entries == ()


def test_a_name_set_apart_after_the_remark_over_its_date_ends_the_first_remark_of_a_box():
    from gongwen.parsers.slip import block_annotations

    lines = [Line("同意。", (296, 956, 465, 1057), 0.94), Line("李秀", (2041, 957, 2174, 1051), 1.0, "blue"),
             Line("元月17日", (1959, 1055, 2198, 1141), 1.0, "blue"), Line("按李区长意见办", (398, 1154, 865, 1237), 1.0, "blue"),
             Line("方新南元月18日", (1656, 1245, 2128, 1348), 1.0, "blue")]
    got = [(a.text.value, a.signer.value, a.date.value) for a in block_annotations(lines, "instruction", 1, 2014, dt.date(2014, 1, 16))]
    assert got == [("同意。", "李秀", dt.date(2014, 1, 17)), ("按李区长意见办", "方新南", dt.date(2014, 1, 18))]


def test_a_titles_piece_that_starts_one_label_word_is_no_label():
    from gongwen.parsers.opinions import find_labels

    labels, _ = find_labels([Line("济南市人民政府办公室", (500, 539, 1200, 647), 1.0), Line("阅文", (1210, 539, 1250, 647), 0.99),
                             Line("单", (1254, 539, 1511, 647), 0.99), Line("处理意", (356, 709, 483, 746), 1.0, "red")])
    assert [(l.kind, l.text) for l in labels] == [("proposal", "处理意")]


def test_what_is_written_after_a_printed_field_label_is_no_remark():
    lines = [Line("收文编号：", (346, 480, 560, 540), 1.0), Line("第110号", (600, 470, 800, 545), 1.0, "blue"),
             Line("来文单位：", (346, 580, 560, 640), 1.0), Line("福建省人民政府", (600, 575, 1000, 640), 1.0, "blue"),
             Line("拟办：", (346, 697, 467, 754), 1.0), Line("请各位领导阅。", (600, 690, 1000, 760), 1.0, "blue"),
             Line("蔡立崇2014年5月9日", (1500, 780, 2100, 850), 1.0, "blue"),
             Line("请于5月20日前报送。王林5.10", (600, 1500, 1500, 1560), 1.0, "blue")]  # a loose remark
    page = Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=tuple(lines))
    _, notes, _ = extract_slip([page], ["slip"], 2014, dt.date(2014, 5, 9))
    assert [(a.kind, a.text.value) for a in notes] == [("proposal", "请各位领导阅。"), ("note", "请于5月20日前报送。")]


def test_a_reader_read_twice_in_one_cell_and_a_read_mark_after_the_name():
    page = slip_page()
    lines = [l for l in page.lines if l.text not in ("朱崇敏", "项伟胜")]
    lines += [Line("高兰东", (120, 300, 260, 340), 0.95, "blue"), Line("高兰1阅", (118, 302, 262, 338), 0.6),
              Line("吴宏斌阅", (120, 380, 260, 420), 0.9, "blue")]
    entries, _, _ = extract_slip([replace(page, lines=tuple(lines))], ["slip"], 2014, dt.date(2014, 2, 1))
    assert [e.reader.value for e in entries] == ["高兰东", "吴宏斌"]


def test_names_and_dates_signed_as_lines_of_their_own_in_reading_order():
    from gongwen.parsers.circulation import sign_list

    lines = [Line("任勇昕", (400, 2100, 560, 2160), 0.9), Line("6.29", (600, 2100, 700, 2160), 0.9),
             Line("熊文春", (800, 2100, 960, 2160), 0.9), Line("高春专", (1200, 2100, 1360, 2160), 0.9),
             Line("7.1", (1400, 2100, 1480, 2160), 0.9),
             Line("说明：此单随文件流转，请勿拆开。", (300, 2300, 1200, 2350), 0.99)]
    got = [(e.reader.value, e.circulated.value if e.circulated else None) for e in sign_list(lines, 1, 2015, dt.date(2015, 6, 28))]
    assert got == [("任勇昕", dt.date(2015, 6, 29)), ("熊文春", None), ("高春专", dt.date(2015, 7, 1))]


def test_two_signatures_whose_dates_lost_their_dots_read_as_one_word():
    from gongwen.parsers.circulation import sign_list

    lines = [Line("冯然浩530范波531", (250, 3300, 1000, 3360), 0.8, "blue"), Line("陈廷建阅61", (1100, 3300, 1400, 3360), 0.8, "blue"),
             Line("石昕磊62许波强", (1500, 3300, 1900, 3360), 0.8, "blue")]
    got = [(e.reader.value, e.circulated.value if e.circulated else None) for e in sign_list(lines, 1, 2011, dt.date(2011, 5, 28))]
    assert got == [("冯然浩", dt.date(2011, 5, 30)), ("范波", dt.date(2011, 5, 31)), ("陈廷建", dt.date(2011, 6, 1)),
                   ("石昕磊", dt.date(2011, 6, 2)), ("许波强", None)]


def test_a_box_with_two_remarks_each_signed_and_a_remark_that_is_only_read():
    from gongwen.parsers.slip import block_annotations

    lines = [Line("请潘霞同志阅处。范洋鹏 4.24", (100, 100, 900, 150), 0.9),
             Line("同意，请抓落实。", (100, 170, 600, 220), 0.9), Line("高兰东 4.25", (700, 240, 950, 290), 0.9)]
    got = [(a.text.value, a.signer.value, a.date.value) for a in block_annotations(lines, "instruction", 1, 2005, dt.date(2005, 4, 23))]
    assert got == [("请潘霞同志阅处。", "范洋鹏", dt.date(2005, 4, 24)), ("同意，请抓落实。", "高兰东", dt.date(2005, 4, 25))]
    only_read = block_annotations([Line("杨鑫阅6月2日", (100, 100, 500, 150), 0.9)], "instruction", 1, 2006, dt.date(2006, 6, 1))
    assert [(a.text.value, a.signer.value, a.date.value) for a in only_read] == [("阅", "杨鑫", dt.date(2006, 6, 2))]
    # a date ending a row of the remark is no signature
    one = block_annotations([Line("请于9月16日", (100, 100, 500, 150), 0.9), Line("前反馈。邹兰 9.10", (100, 170, 600, 220), 0.9)],
                            "note", 1, 2021, dt.date(2021, 9, 1))
    assert [(a.text.value, a.signer.value) for a in one] == [("请于9月16日前反馈。", "邹兰")]


def test_a_signature_inside_a_line_ends_its_remark_and_a_slips_dates_are_read_against_the_issue_date():
    from gongwen.parsers.document import window_start
    from gongwen.parsers.model import Circular, Field
    from gongwen.parsers.slip import block_annotations

    lines = [Line("阅。朱强昕2008828同意朱局长意见。", (100, 100, 900, 150), 0.9), Line("张英涛 8.30", (600, 170, 900, 220), 0.9)]
    got = [(a.text.value, a.signer.value, a.date.value) for a in block_annotations(lines, "instruction", 1, 2008, dt.date(2008, 8, 27))]
    assert got == [("阅。", "朱强昕", dt.date(2008, 8, 28)), ("同意朱局长意见。", "张英涛", dt.date(2008, 8, 30))]
    issued = Field(value=dt.date(2022, 10, 10))
    assert window_start(Circular(issue_date=issued)) == dt.date(2022, 10, 10)
    assert window_start(Circular(issue_date=issued, received_date=Field(value=dt.date(2022, 10, 15)))) == dt.date(2022, 10, 15)


def test_a_signature_on_a_line_of_its_own_ends_the_remark_above_it():
    from gongwen.parsers.slip import block_annotations

    lines = [Line("阅。", (590, 1511, 704, 1601), 0.98), Line("朱强昕2008828", (1055, 1609, 1548, 1697), 0.99),
             Line("同意朱局长意见。", (666, 1710, 1142, 1809), 0.94, "blue"), Line("张英涛", (1491, 1817, 1675, 1907), 0.99, "blue"),
             Line("2008年8月30日", (1745, 1820, 2125, 1912), 0.93)]
    got = [(a.text.value, a.signer.value, a.date.value) for a in block_annotations(lines, "instruction", 1, 2008, dt.date(2008, 8, 27))]
    assert got == [("阅。", "朱强昕", dt.date(2008, 8, 28)), ("同意朱局长意见。", "张英涛", dt.date(2008, 8, 30))]


def test_digits_where_a_signatures_date_stands_are_kept_unread_when_no_date_in_the_window_fits():
    from gongwen.parsers.slip import block_annotations

    # 2004.6.14 read as 200464: 2004-06-04 falls before the item came in, so the date is left
    # without a value, but the name before it is still the signer and the digits are not remark
    lines = [Line("拟请罗区长阅示后转区教育局办理。杜志红200464", (100, 100, 1500, 150), 0.9, "blue")]
    (a,) = block_annotations(lines, "proposal", 1, 2004, dt.date(2004, 6, 14))
    assert (a.text.value, a.signer.value, a.date.value, a.date.raw) == ("拟请罗区长阅示后转区教育局办理。", "杜志红", None, "200464")
    assert a.date.confidence < 0.6


@pytest.mark.parametrize("text, expected", [
    ("陈琳215", [("name", "陈琳"), ("digits", "215")]),
    ("传阅：陈琳215", [("other", "传阅："), ("name", "陈琳"), ("digits", "215")]),
    ("杜途秀1", [("name", "杜途秀"), ("other", "1")]),
    ("王-林 1.26", [("name", "王林"), ("date", "1.26")]),
    ("218", [("digits", "218")]),
    ("说明：此单随文件流转，请勿拆开。", [("other", "说明：此单随文件流转"), ("other", "请勿拆开。")]),
])
def test_sign_list_tokens_a_name_with_its_date_run_on(text, expected):
    from gongwen.parsers.circulation import _sign_tokens

    assert _sign_tokens(Line(text, (0, 0, 300, 50), 0.9)) == expected


def test_readers_signing_on_ruled_lines_with_dates_that_lost_their_dots():
    from gongwen.parsers.circulation import sign_list

    # a 文件批办单's 传阅 lines: names printed, dates pencilled after them; OCR ran the first
    # date onto its name and lost the dots of the others (2.18 read as 28 is no date after the
    # item came in on 2.13, so it is left empty rather than read as 2.8)
    lines = [Line("陈琳215", (420, 1995, 724, 2054), 1.0), Line("杜途秀", (890, 1991, 1010, 2059), 1.0),
             Line("217", (1059, 2000, 1151, 2060), 0.87, "blue"), Line("尹林斌", (506, 2109, 640, 2175), 1.0),
             Line("28", (673, 2112, 781, 2174), 1.0, "blue")]
    got = [(e.reader.value, e.circulated.value if e.circulated else None)
           for e in sign_list(lines, 3, 2014, dt.date(2014, 2, 13))]
    assert got == [("陈琳", dt.date(2014, 2, 15)), ("杜途秀", dt.date(2014, 2, 17)), ("尹林斌", None)]


@pytest.mark.parametrize("text, name", [
    ("王林阅", "王林"), ("陈勇荣说", "陈勇荣"), ("方崇兑", "方崇"),  # 阅 as written, and as OCR reads it
    ("张欣悦", "张欣悦"), ("王悦", "王悦"),  # 悦 ends names
    ("王说", "王说"),  # two characters: nothing is cut off a name that short
    ("2014年", None), ("送阅日期", None), ("请于", "请于"),
    # 月, 日, 年 in a given name; a date's words and numerals are none
    ("孙鑫月", "孙鑫月"), ("曾月立", "曾月立"), ("张日新", "张日新"),
    ("廿四日", None), ("三月五日", None), ("元月", None), ("月底", None), ("当日", None), ("二〇一四", None),
])
def test_a_readers_name_with_the_read_mark_after_it(text, name):
    from gongwen.parsers.circulation import as_name

    assert as_name(text) == name


def test_a_date_written_under_a_name_alone_ends_the_remark_above():
    from gongwen.parsers.slip import block_annotations

    lines = [Line("请潘霞同志阅处。", (357, 730, 853, 842), 1.0), Line("范洋鹏", (1938, 842, 2179, 982), 1.0),
             Line("424", (1984, 954, 2131, 1052), 1.0), Line("同意，请抓落实。高兰东05.4.25", (397, 1046, 1557, 1140), 1.0)]
    got = [(a.text.value, a.signer.value, a.date.value) for a in block_annotations(lines, "instruction", 1, 2005, dt.date(2005, 4, 23))]
    assert got == [("请潘霞同志阅处。", "范洋鹏", dt.date(2005, 4, 24)), ("同意，请抓落实。", "高兰东", dt.date(2005, 4, 25))]


@pytest.mark.parametrize("text, remark, signer, raw_date", [
    # a date OCR made no date of, scrawled after a name set apart: the name still signs
    ("请张区长阅。姜磊宏8H2", "请张区长阅。", "姜磊宏", "8H2"),
    ("已按领导批示转区交通运输局办理。范桂松9月", "已按领导批示转区交通运输局办理。", "范桂松", "9月"),
    ("同意请抓落实。卢新2023年3", "同意请抓落实。", "卢新", "2023年3"),
    ("按赵局长意见办。王宁昕20061<2", "按赵局长意见办。", "王宁昕", "20061<2"),  # a 2 read as <
    # a date inside the remark, more writing after it, signs nothing; nor do digits after no name
    ("请于10月16日前反馈", "请于10月16日前反馈", None, None),
    ("见附件2", "见附件2", None, None),
])
def test_a_signature_closes_the_remark_and_a_date_inside_it_does_not(text, remark, signer, raw_date):
    from gongwen.parsers.slip import split_annotation

    a = split_annotation([Line(text, (0, 0, 900, 60), 0.9, "blue")], "instruction", 1, 2020, dt.date(2020, 8, 20))
    assert a.text.value == remark
    if signer:  # the name and its scrawl on a line of their own under the remark
        signature = text[len(remark):]
        b = split_annotation([Line(remark, (0, 0, 900, 60), 0.9, "blue"), Line(signature, (600, 70, 900, 130), 0.9, "blue")],
                             "instruction", 1, 2020, dt.date(2020, 8, 20))
        assert (b.text.value, b.signer.value, b.date.raw, b.date.value) == (remark, signer, raw_date, None)
        name = signer  # and the scrawl read as a line of its own beside the name
        c = split_annotation([Line(remark, (0, 0, 900, 60), 0.9, "blue"), Line(name, (600, 70, 750, 130), 0.9, "blue"),
                              Line(signature[len(name):], (780, 70, 900, 130), 0.9, "blue")],
                             "instruction", 1, 2020, dt.date(2020, 8, 20))
        assert (c.text.value, c.signer.value, c.date.raw, c.date.value) == (remark, signer, raw_date, None)
    assert (a.signer.value if a.signer else None) == signer
    assert (a.date.raw if a.date else None) == raw_date
    assert a.date is None or a.date.value is None  # no date is guessed from the scrawl


def test_a_signatures_date_whose_day_mark_was_not_read():
    from gongwen.parsers.slip import split_annotation

    lines = [Line("已按领导批示转区交通运输局办理。范桂松9月10", (609, 2307, 1957, 2395), 0.95, "blue"),
             Line("日", (1954, 2300, 2024, 2385), 1.0)]  # the 日 left in the black layer
    a = split_annotation(lines, "note", 1, 2008, dt.date(2008, 8, 27))
    assert (a.text.value, a.signer.value, a.date.value) == ("已按领导批示转区交通运输局办理。", "范桂松", dt.date(2008, 9, 10))
    from gongwen.parsers.slip import block_annotations  # and the 日 is no remark of its own

    assert [x.text.value for x in block_annotations(lines, "note", 1, 2008, dt.date(2008, 8, 27))] == ["已按领导批示转区交通运输局办理。"]
    # inside a remark, a month and day without their 日 are no signature's date
    b = split_annotation([Line("请于9月10前报送", (0, 0, 900, 60), 0.9, "blue")], "note", 1, 2008, dt.date(2008, 8, 27))
    assert (b.text.value, b.signer, b.date) == ("请于9月10前报送", None, None)


@pytest.mark.parametrize("text", ["请各位领导阅。崔平二〇〇一年十月二十五", "请各位领导阅。崔平十月二十五"])
def test_a_signatures_date_in_chinese_numerals_whose_day_mark_was_not_read(text):
    from gongwen.parsers.slip import split_annotation

    a = split_annotation([Line(text, (0, 0, 900, 60), 0.9, "blue")], "proposal", 1, 2001, dt.date(2001, 10, 20))
    assert (a.text.value, a.signer.value, a.date.value) == ("请各位领导阅。", "崔平", dt.date(2001, 10, 25))


def test_a_month_and_day_in_chinese_numerals_inside_a_remark_are_no_signatures_date():
    from gongwen.parsers.slip import split_annotation

    a = split_annotation([Line("请于十月二十五前报送", (0, 0, 900, 60), 0.9, "blue")], "note", 1, 2001, dt.date(2001, 10, 20))
    assert (a.text.value, a.signer, a.date) == ("请于十月二十五前报送", None, None)


def test_a_signature_closing_the_line_is_not_cut_before_its_day_mark():
    from gongwen.parsers.slip import block_annotations

    lines = [Line("将落实情况及时报办公室汇总。杨建艳9月9日", (505, 1324, 1770, 1410), 0.93, "blue")]
    got = [(a.text.value, a.signer.value, a.date.value) for a in block_annotations(lines, "proposal", 1, 2010, dt.date(2010, 9, 8))]
    assert got == [("将落实情况及时报办公室汇总。", "杨建艳", dt.date(2010, 9, 9))]


@pytest.mark.parametrize("readers, signers, want_readers, want_signers", [
    # a leader's name read with a character lost where he signed, whole in the reader rows
    (["丁飞娜", "卢立专"], ["丁娜", "卢专"], ["丁飞娜", "卢立专"], ["丁飞娜", "卢立专"]),
    # lost in the reader rows, whole under the instruction
    (["张超", "黄琳婷"], ["张超刚"], ["张超刚", "黄琳婷"], ["张超刚"]),
    # a character gained: the commoner length (3) stands
    (["赵琳林志"], ["赵琳志"], ["赵琳志"], ["赵琳志"]),
    # another surname, or the same length: two people, or one misread we cannot settle
    (["余平", "贺平"], ["陈林"], ["余平", "贺平"], ["陈林"]),
    (["陈琳"], ["陈林"], ["陈琳"], ["陈林"]),
    # two names it could be: neither
    (["张超刚", "张超明"], ["张超"], ["张超刚", "张超明"], ["张超"]),
    # two readers are two people
    (["田健", "李洋伟", "田君健"], [], ["田健", "李洋伟", "田君健"], []),
])
def test_one_name_read_twice_with_a_character_lost_agrees(readers, signers, want_readers, want_signers):
    from gongwen.parsers.model import Annotation, CirculationEntry, Field
    from gongwen.parsers.slip import AGREED_NAME_METHOD, agree_names

    entries = [CirculationEntry(i, Field(r, raw=r, confidence=0.99, method="slip-table")) for i, r in enumerate(readers, 1)]
    notes = [Annotation("instruction", Field("同意。"), signer=Field(s, raw=s, confidence=0.95, method="annotation-signer"))
             for s in signers]
    got_entries, got_notes = agree_names(entries, notes)
    assert [e.reader.value for e in got_entries] == want_readers
    assert [n.signer.value for n in got_notes] == want_signers
    for before, after in zip([e.reader for e in entries] + [n.signer for n in notes],
                             [e.reader for e in got_entries] + [n.signer for n in got_notes]):
        if after.value != before.value:  # as read stays the raw text; the value is flagged
            assert after.raw == before.raw and after.inferred and after.method == AGREED_NAME_METHOD
            assert after.confidence < before.confidence


@pytest.mark.parametrize("lines, year, received, want", [
    # a signature inside the block, its date garbled: still two remarks
    ([("同意。金荣崇0245同意,请抓落实。", (600, 1000, 1900, 1080)), ("唐月 4.7", (1500, 1100, 1900, 1170))],
     2002, dt.date(2002, 4, 3), [("同意。", "金荣崇", dt.date(2002, 4, 5)), ("同意,请抓落实。", "唐月", dt.date(2002, 4, 7))]),
    # a block opening with a name and its 阅 (the remark), the date's first part garbled
    ([("马宁海阅", (1912, 1331, 2168, 1427)), ("200i 5.3", (1921, 1421, 2155, 1504)),
      ("同意，请抓落实。黄梅03.53", (719, 1511, 1554, 1609))],
     2003, dt.date(2003, 4, 30), [("阅", "马宁海", dt.date(2003, 5, 3)), ("同意，请抓落实。", "黄梅", dt.date(2003, 5, 3))]),
    # a leader's signature alone (the remark unread): it signs, with no text
    ([("蔡峰玉", (1996, 1596, 2178, 1684)), ("19110", (1983, 1673, 2189, 1745))],
     2019, dt.date(2019, 1, 9), [("", "蔡峰玉", dt.date(2019, 1, 10))]),
])
def test_signatures_whose_dates_ocr_garbled_still_close_their_remarks(lines, year, received, want):
    from gongwen.parsers.slip import block_annotations

    got = block_annotations([Line(t, box, 0.95, "blue") for t, box in lines], "instruction", 1, year, received)
    assert [(a.text.value, a.signer.value if a.signer else None, a.date.value if a.date else None) for a in got] == want


def test_a_lone_date_is_no_signed_annotation():
    from gongwen.parsers.slip import block_annotations

    assert block_annotations([Line("日", (1990, 1600, 2040, 1650), 0.9, "blue")], "instruction", 1, 2019,
                             dt.date(2019, 1, 9)) == []


@pytest.mark.parametrize("text, signature", [("林世南 2.17", True), ("李建雪 1188", True), ("7.10", True),
                                             ("请办公室存档。", False), ("第110号", False), ("原件存档 2", False)])
def test_what_is_a_signature(text, signature):
    from gongwen.parsers.slip import is_signature

    assert is_signature(text) is signature


def test_a_receipt_date_the_slips_own_dates_contradict_is_a_doubt():
    from gongwen.parsers.document import slip_read_against_receipt
    from gongwen.parsers.model import Circular, Field

    lines = [Line("送阅：", (346, 2081, 463, 2138), 1.0), Line("黎芳东10.12", (500, 2081, 800, 2138), 1.0, "blue"),
             Line("唐荣婷10.13", (900, 2081, 1200, 2138), 1.0, "blue"), Line("侯月宇10.14", (1300, 2081, 1600, 2138), 1.0, "blue")]
    page = Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=tuple(lines))
    issued = Field(value=dt.date(2023, 10, 8), raw="2023年10月8日", page=2)

    def read(received):
        circular = Circular(issue_date=issued, received_date=Field(value=received, raw="23.10", page=2, bbox=(1, 2, 3, 4)))
        (entries, _, _), c = slip_read_against_receipt([page], ["slip"], circular)
        return [e.circulated.value if e.circulated else None for e in entries], c

    dates, c = read(dt.date(2023, 10, 19))  # 23.10.10 misread: every reader before it
    assert dates == [dt.date(2023, 10, 12), dt.date(2023, 10, 13), dt.date(2023, 10, 14)]
    assert c.received_date is None and [d.field for d in c.doubts] == ["received_date"]
    dates, c = read(dt.date(2023, 10, 10))  # a receipt the slip agrees with stays
    assert dates == [dt.date(2023, 10, 12), dt.date(2023, 10, 13), dt.date(2023, 10, 14)]
    assert c.received_date.value == dt.date(2023, 10, 10) and c.doubts == ()
