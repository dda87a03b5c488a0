"""Coloured stamp frames found on a page (ocr/stamps.py), no OCR."""

from dataclasses import replace

import cv2
import numpy as np
import pytest

from gongwen.ocr.stamps import stamp_frames

W, H = 2480, 3508  # A4 at 300 dpi
RED, BLUE, BLACK = (200, 30, 40), (40, 60, 190), (20, 20, 20)


def _page():
    return np.full((H, W, 3), 245, np.uint8)


def _frame(page, x0, y0, w, h, colour, angle=0.0, thickness=5):
    box = cv2.boxPoints(((x0 + w / 2, y0 + h / 2), (w, h), angle)).astype(np.int32)
    cv2.polylines(page, [box], True, colour, thickness)
    cv2.line(page, (x0, y0 + h // 2), (x0 + w, y0 + h // 2), colour, 4)  # the stamp's cells


@pytest.mark.parametrize("angle", [0.0, 3.5, -4.0])
@pytest.mark.parametrize("colour", [RED, BLUE])
def test_a_tilted_stamp_frame_in_any_corner(angle, colour):
    for x0, y0 in ((150, 120), (1600, 120), (150, 3000), (1500, 3050)):
        page = _page()
        _frame(page, x0, y0, 720, 230, colour, angle)
        found = stamp_frames(page)
        assert len(found) == 1, (x0, y0, found)
        x, y, x1, y1 = found[0].bbox
        assert abs(x - x0) < 40 and abs(y - y0) < 40 and abs(x1 - (x0 + 720)) < 40 and found[0].kind == "stamp"


def test_seal_rule_letters_and_black_boxes_are_no_stamp():
    page = _page()
    cv2.circle(page, (1200, 2600), 250, RED, 12)  # a round seal
    cv2.line(page, (200, 900), (2280, 900), RED, 8)  # the red rule under the header
    cv2.putText(page, "WENJIAN", (300, 700), cv2.FONT_HERSHEY_SIMPLEX, 12, RED, 30)  # big red letters
    cv2.rectangle(page, (300, 1200), (1000, 1450), BLACK, 5)  # a black ruled box
    cv2.rectangle(page, (1500, 1200), (1530, 1240), RED, 3)  # too small
    assert stamp_frames(page) == ()


def test_a_stamp_set_on_the_red_rule_is_a_frame():
    page = _page()
    cv2.line(page, (330, 1290), (2180, 1290), RED, 9)  # the rule under the 发文字号 runs through it
    _frame(page, 1630, 1150, 580, 260, RED)
    found = stamp_frames(page)
    assert len(found) == 1
    x, y, x1, y1 = found[0].bbox
    assert abs(x - 1630) < 30 and abs(x1 - 2210) < 30 and abs(y - 1150) < 30 and abs(y1 - 1410) < 30


@pytest.mark.parametrize("shape", ["oval", "tilted bar", "oval where the rule ends"])
def test_a_frame_stamped_across_the_red_rule_without_upright_sides(shape):
    page = _page()
    cv2.line(page, (330 if shape != "oval where the rule ends" else 1300, 1290), (2180, 1290), RED, 9)  # the rule runs through it
    if shape.startswith("oval"):
        cv2.ellipse(page, (1900, 1290), (300, 130), 0, 0, 360, RED, 6)
        want = (1600, 1160, 2200, 1420)
    else:
        _frame(page, 1100, 1230, 1000, 130, RED, angle=2.0)
        want = (1100, 1230, 2100, 1360)
    found = stamp_frames(page)
    assert len(found) == 1
    assert all(abs(a - b) < 45 for a, b in zip(found[0].bbox, want)), found[0].bbox


def test_a_faded_stamp_on_yellowed_paper_and_a_bar_of_one_row_are_frames():
    page = np.empty((H, W, 3), np.uint8)
    page[:] = (243, 244, 225)  # yellowed paper
    _frame(page, 1700, 230, 630, 260, (197, 202, 202))  # faded blue: hardly off gray, bluer than the paper
    cv2.rectangle(page, (150, 60), (1270, 170), (150, 160, 215), 4)  # a bar 9 mm high: office | 收文 | number | date
    for x in (560, 700, 900):
        cv2.line(page, (x, 60), (x, 170), (150, 160, 215), 4)
    found = sorted(r.bbox for r in stamp_frames(page))
    assert len(found) == 2
    assert abs(found[0][0] - 150) < 30 and abs(found[0][3] - 170) < 30
    assert abs(found[1][0] - 1700) < 30 and abs(found[1][1] - 230) < 30


def test_a_block_of_coloured_ink_is_no_frame():
    page = _page()
    cv2.rectangle(page, (300, 900), (1100, 1020), RED, -1)  # a filled bar (a line of bold red header)
    cv2.rectangle(page, (300, 900), (1100, 1020), RED, 5)
    assert stamp_frames(page) == ()


def test_gray_page_has_no_stamps():
    page = _page()
    _frame(page, 150, 120, 720, 230, BLACK)
    assert stamp_frames(page) == () and stamp_frames(page[:, :, 0].copy()) == ()


# -- the parsers: the stamp's lines and the receipt, from the frame --------------------------

import datetime as dt  # noqa: E402

from gongwen.parsers.circular import extract_circular  # noqa: E402
from gongwen.parsers.model import Line, Page, PageKind, Region  # noqa: E402
from gongwen.parsers.stamp import stamp_lines  # noqa: E402


def _stamped_page(number, frame, extra=()):
    x0, y0 = frame[0], frame[1]
    lines = [
        Line("温州市鹿城区人民政府办公室", (x0 + 20, y0 + 15, x0 + 500, y0 + 60), 0.95, "red"),
        Line("收文", (x0 + 20, y0 + 90, x0 + 110, y0 + 140), 0.97, "red"),
        Line("第63号", (x0 + 200, y0 + 90, x0 + 360, y0 + 140), 0.9, "blue"),
        Line("2014.1.28", (x0 + 400, y0 + 90, x0 + 640, y0 + 140), 0.9, "blue"),
        *extra,
    ]
    return Page(number=number, width=2480, height=3508, dpi=300, engine="test", lines=tuple(lines),
                regions=(Region(kind="stamp", bbox=frame, confidence=0.95),))


def test_a_framed_stamp_at_the_foot_of_a_page():
    frame = (200, 3100, 900, 3260)
    body = Line("各区人民政府，市政府各部门：收文后请认真贯彻执行。", (200, 3000, 2200, 3050), 0.99)
    page = _stamped_page(1, frame, (body,))
    assert [l.text for l in stamp_lines(page.lines, page)] == ["温州市鹿城区人民政府办公室", "收文", "第63号", "2014.1.28"]


def test_a_framed_box_without_the_word_is_no_receipt_stamp():
    page = Page(number=1, width=2480, height=3508, dpi=300, engine="test",
                lines=(Line("全宗号", (220, 3120, 400, 3160), 0.9, "red"), Line("2014", (420, 3120, 520, 3160), 0.9)),
                regions=(Region(kind="stamp", bbox=(200, 3100, 900, 3260), confidence=0.95),))
    assert stamp_lines(page.lines, page) == []


def test_a_faded_stamp_whose_wen_was_lost_is_known_by_its_frame_and_shou():
    circular = Page(number=1, width=2480, height=3508, dpi=300, engine="test",
                    lines=(Line("关于做好春耕生产工作的通知", (500, 700, 2000, 780), 0.99),
                           Line("收", (1654, 1235, 1707, 1272), 1.0, "red"), Line("24⁻4", (1846, 1230, 1973, 1294), 0.9),
                           Line("14.1.15", (1723, 1298, 1929, 1381), 1.0)),
                    regions=(Region(kind="stamp", bbox=(1512, 1092, 2178, 1425), confidence=0.9),))
    c = extract_circular([circular], [PageKind.CIRCULAR])
    assert (c.received_date.value, c.receipt_number.value) == (dt.date(2014, 1, 15), "24-4")
    assert stamp_lines(circular.lines, replace(circular, regions=())) == []  # no frame: 收 alone is no stamp


def test_the_print_a_bar_stamp_was_set_on_is_none_of_its_lines():
    circular = Page(number=2, width=2480, height=3508, dpi=300, engine="test",
                    lines=(Line("姑政发〔2003〕196号", (943, 1201, 1559, 1278), 0.99),  # the 发文字号 under the stamp
                           Line("厦门市资源和", (1129, 1201, 1580, 1277), 0.9, "red"), Line("收文", (1558, 1223, 1659, 1286), 1.0, "red"),
                           Line("8-12", (1721, 1233, 1859, 1297), 1.0, "red"), Line("2003-11-27", (1920, 1247, 2214, 1310), 1.0, "red")),
                    regions=(Region(kind="stamp", bbox=(1113, 1170, 2241, 1347), confidence=0.9),))
    c = extract_circular([circular], [PageKind.CIRCULAR])
    assert (c.received_date.value, c.receipt_number.value) == (dt.date(2003, 11, 27), "8-12")


def test_a_faded_stamps_office_and_word_read_as_one_line_mark_it():
    circular = Page(number=2, width=2480, height=3508, dpi=300, engine="test",
                    lines=(Line("关于做好春耕生产工作的通知", (500, 900, 2000, 980), 0.99),
                           Line("厦门市思明区人民政府办公室收文", (1145, 3290, 1680, 3389), 0.96, "pencil"),
                           Line("2001-282", (1706, 3339, 1914, 3396), 1.0), Line("2001.04.24", (1940, 3359, 2230, 3420), 1.0)),
                    regions=(Region(kind="stamp", bbox=(1120, 3280, 2270, 3450), confidence=0.9),))
    c = extract_circular([circular], [PageKind.CIRCULAR])
    assert (c.received_date.value, c.receipt_number.value) == (dt.date(2001, 4, 24), "2001-282")
    # a sentence that ends so is no stamp's word
    from gongwen.parsers.stamp import _is_stamp_word

    assert not _is_stamp_word(Line("请按规定及时办理登记并收文", (0, 0, 900, 50), 0.9))


def test_a_forms_receipt_date_read_in_two_pieces():
    slip = Page(number=1, width=2480, height=3508, dpi=300, engine="test",
                lines=(Line("广州市人民政府办公室文件处理单", (485, 232, 1997, 327), 1.0),
                       Line("收文日期", (246, 855, 469, 936), 1.0), Line("2006", (488, 856, 596, 919), 1.0, "blue"),
                       Line("1113", (590, 844, 721, 927), 1.0),  # the date's strokes split between two layers
                       Line("收文编号", (1335, 855, 1557, 938), 1.0), Line("第352号", (1577, 856, 1759, 928), 1.0, "blue")))
    circular = Page(number=2, width=2480, height=3508, dpi=300, engine="test",
                    lines=(Line("粤人社发〔2006〕169号", (401, 1730, 1077, 1807), 0.99),
                           Line("广东省人力资源和社会保障厅", (1300, 2500, 2000, 2570), 0.99),
                           Line("2006年11月6日", (1480, 2620, 1910, 2690), 0.99)))
    c = extract_circular([slip, circular], [PageKind.SLIP, PageKind.CIRCULAR])
    assert (c.received_date.value, c.receipt_number.value) == (dt.date(2006, 11, 13), "第352号")


def test_the_receipt_is_read_from_the_slip_when_the_circular_has_no_stamp():
    circular = Page(number=2, width=2480, height=3508, dpi=300, engine="test",
                    lines=(Line("关于做好春耕生产工作的通知", (500, 900, 2000, 980), 0.99),))
    slip = _stamped_page(1, (1600, 150, 2300, 310))
    c = extract_circular([slip, circular], [PageKind.SLIP, PageKind.CIRCULAR])
    assert c.received_date.value == dt.date(2014, 1, 28) and c.received_date.page == 1
    assert c.receipt_number.value == "第63号"


def test_an_oval_stamp_is_a_frame_a_round_seal_is_not():
    page = _page()
    cv2.ellipse(page, (600, 300), (330, 150), 3, 0, 360, RED, 6)
    cv2.circle(page, (1800, 2600), 250, RED, 12)
    found = stamp_frames(page)
    assert len(found) == 1 and abs(found[0].bbox[0] - 270) < 30 and abs(found[0].bbox[1] - 150) < 30


def test_a_receipt_stamp_is_read_again_on_its_own_for_what_the_page_missed():
    from gongwen.ocr.stamps import REREAD_PAD, missed_in_stamps

    page = _page()
    _frame(page, 1500, 150, 720, 230, RED)
    frames = stamp_frames(page)
    x0, y0 = frames[0].bbox[0] - REREAD_PAD, frames[0].bbox[1] - REREAD_PAD
    read = (Line("收文", (1520, 270, 1620, 320), 0.99, "red"),)

    class Stamp:  # reads the crop: the word again, and the pencilled number the page missed
        def recognize(self, crop):
            assert crop.shape[1] == frames[0].bbox[2] - frames[0].bbox[0] + 2 * REREAD_PAD
            return [Line("收文", (1520 - x0, 270 - y0, 1620 - x0, 320 - y0), 0.99),
                    Line("853", (400, 40, 480, 90), 0.98), Line("~", (600, 40, 620, 90), 0.2)]

    assert missed_in_stamps(Stamp(), page, frames, read) == ([Line("853", (x0 + 400, y0 + 40, x0 + 480, y0 + 90), 0.98, "black")], [])
    # a pale stamp the page's reading missed whole is read whole
    assert [l.text for l in missed_in_stamps(Stamp(), page, frames, ())[0]] == ["收文", "853"]


def test_a_date_written_into_the_stamps_template_is_read_whole_in_place_of_its_pieces():
    from gongwen.ocr.stamps import REREAD_PAD, missed_in_stamps

    page = _page()
    _frame(page, 1500, 150, 720, 230, RED)
    frames = stamp_frames(page)
    x0, y0 = frames[0].bbox[0] - REREAD_PAD, frames[0].bbox[1] - REREAD_PAD
    # 11年11月3日 handwritten into ＿年＿月＿日: the page read the digits (black) apart from the
    # printed 年 月 日 (red), 11 | 113 across the 月
    pieces = (Line("11", (1560, 300, 1620, 350), 1.0), Line("年", (1680, 305, 1730, 350), 1.0, "red"),
              Line("113", (1740, 300, 1950, 355), 1.0), Line("月", (1820, 305, 1870, 350), 1.0, "red"),
              Line("日", (1960, 305, 2010, 350), 1.0, "red"))
    read = (Line("收文", (1520, 200, 1620, 250), 0.99, "red"), Line("第2号", (1700, 200, 1900, 250), 0.95)) + pieces

    class Stamp:
        def recognize(self, crop):
            return [Line("收文", (1520 - x0, 200 - y0, 1620 - x0, 250 - y0), 0.99),
                    Line("11年11月3日", (1560 - x0, 298 - y0, 2010 - x0, 356 - y0), 0.93)]

    missed, replaced = missed_in_stamps(Stamp(), page, frames, read)
    assert [l.text for l in missed] == ["11年11月3日"]
    assert {l.text for l in replaced} == {"11", "年", "113", "月", "日"}


@pytest.mark.parametrize("text, number", [
    ("63", "63"), ("6-3", "6-3"), ("6 — 3", "6-3"), ("第63号", "第63号"), ("2014-63", "2014-63"),
    ("〔2014〕63", "〔2014〕63"), ("(2014)63号", "〔2014〕63号"), ("收文 853", "853"), ("收文", None),
    ("第24-10号", "第24-10号"), ("第 37 - 18 号", "第37-18号"), ("收文第19-5", "第19-5号"),  # the 号 lost at the frame's edge
])
def test_receipt_numbers_as_offices_write_them(text, number):
    from gongwen.parsers.stamp import receipt_number

    assert receipt_number(text) == number


def test_the_receipt_written_in_a_forms_own_fields():
    from gongwen.parsers.stamp import form_receipt

    lines = [Line("收文编号：350", (100, 100, 500, 150), 0.9), Line("收文日期：", (900, 100, 1100, 150), 0.9),
             Line("2006.3.6", (1150, 95, 1350, 150), 0.9, "blue"),
             Line("收文日期收文编号", (100, 300, 900, 350), 0.9)]  # two empty fields: nothing
    dates, numbers = form_receipt(lines)
    assert [l.text for l in dates] == ["2006.3.6"] and [l.text for l in numbers] == ["350"]
    slip = Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=tuple(lines))
    circular = Page(number=2, width=2480, height=3508, dpi=300, engine="test",
                    lines=(Line("关于做好春耕生产工作的通知", (500, 900, 2000, 980), 0.99),))
    c = extract_circular([slip, circular], [PageKind.SLIP, PageKind.CIRCULAR])
    assert (c.receipt_number.value, c.received_date.method) == ("350", "receipt-form")


def test_a_forms_receipt_date_read_in_pieces_or_without_its_dots():
    from gongwen.parsers.stamp import form_receipt

    # the first stroke of the date read with the label, the rest as a line of its own
    lines = [Line("收文日期：2", (1243, 351, 1548, 421), 1.0), Line("004年10月8日", (1538, 356, 1817, 415), 0.96, "blue")]
    dates, _ = form_receipt(lines)
    assert [l.text for l in dates] == ["2004年10月8日"]
    # the label's box runs on over the blank, into the number written after it
    _, numbers = form_receipt([Line("收文编号：", (351, 342, 660, 395), 1.0), Line("350", (594, 344, 686, 399), 1.0, "blue")])
    assert [l.text for l in numbers] == ["350"]
    _, numbers = form_receipt([Line("收文编号：", (344, 340, 726, 414), 0.97), Line("第220号", (569, 333, 744, 414), 1.0, "blue")])
    assert [l.text for l in numbers] == ["第220号"]
    # 04.6.14 written in the field, read without its dots
    slip = Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=(
        Line("收文日期：", (1248, 355, 1480, 406), 1.0), Line("04614", (1475, 352, 1628, 413), 0.97, "blue")))
    circular = Page(number=2, width=2480, height=3508, dpi=300, engine="test", lines=(
        Line("关于石门乡耕地保护项目调整的批复", (500, 900, 2000, 980), 0.99), Line("2004年6月7日", (1508, 2000, 1912, 2080), 0.99)))
    c = extract_circular([slip, circular], [PageKind.SLIP, PageKind.CIRCULAR])
    assert c.received_date.value == dt.date(2004, 6, 14) and c.received_date.confidence < 0.9


def test_a_long_bar_stamp_is_a_frame():
    page = _page()
    box = cv2.boxPoints(((1300, 250), (1120, 130), 1.5)).astype(np.int32)
    cv2.polylines(page, [box], True, RED, 5)
    for x in (900, 1100, 1400):  # its cells: office | 收文 | number | date
        cv2.line(page, (x, 190), (x, 310), RED, 4)
    assert len(stamp_frames(page)) == 1


@pytest.mark.parametrize("lines, date, number", [
    # a bar: office | 收文 | number | date in one row, each read as a line of its own
    ([Line("厦门市人民政府办公室", (1081, 3320, 1496, 3400), 0.99, "red"), Line("收文", (1509, 3307, 1614, 3372), 0.99, "red"),
      Line("26-7", (1679, 3291, 1804, 3350), 0.95), Line("2018-03-17", (1875, 3282, 2160, 3344), 0.95)],
     dt.date(2018, 3, 17), "26-7"),
    # a template: 收文第＿号 printed, the number written into the blank
    ([Line("收文第", (1696, 3252, 1917, 3344), 0.99, "red"), Line("330", (1980, 3276, 2076, 3344), 0.9),
      Line("号", (2156, 3287, 2209, 3359), 0.99, "red"), Line("2018.3.17", (1750, 3380, 2000, 3440), 0.9)],
     dt.date(2018, 3, 17), "第330号"),
])
def test_a_stamps_number_and_date_set_in_one_row_or_written_into_a_template(lines, date, number):
    page = Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=tuple(lines),
                regions=(Region(kind="stamp", bbox=(1060, 3230, 2250, 3460), confidence=0.9),))
    c = extract_circular([page], [PageKind.CIRCULAR])
    assert (c.received_date.value, c.receipt_number.value) == (date, number)


@pytest.mark.parametrize("lines, date, number", [
    # a bar whose date lost its dots (04.9.23 read 04923), in the number's own row
    ([Line("长沙市芙蓉区人民政府办公室", (252, 90, 655, 154), 0.99), Line("收文", (677, 113, 782, 173), 0.99),
      Line("[2004〕413", (791, 121, 1026, 195), 0.95), Line("04923", (1101, 143, 1265, 213), 0.99)],
     dt.date(2004, 9, 23), "〔2004〕413"),
    # the number and the date read as one word (8-4 | 2020年8月21日)
    ([Line("南京市玄武区人民政府办公室", (1170, 178, 1569, 212), 0.99), Line("收文", (1598, 170, 1690, 223), 0.99),
      Line("8-42020年8月21日", (1778, 167, 2260, 226), 0.99)],
     dt.date(2020, 8, 21), "8-4"),
    # rows: the date 07.8.1 read 07.81, no day as it stands
    ([Line("温州市瓯海区人民政府办公室", (156, 163, 727, 260), 0.99, "red"), Line("收文号", (167, 253, 301, 315), 0.99, "red"),
      Line("〔2007〕259", (397, 274, 682, 336), 0.89), Line("收文日期", (141, 330, 314, 400), 0.99, "red"),
      Line("07.81", (466, 356, 606, 405), 0.99)],
     dt.date(2007, 8, 1), "〔2007〕259"),
])
def test_a_stamps_date_that_lost_a_dot_is_read_against_the_items_year(lines, date, number):
    year = date.year
    body = [Line(f"关于做好{year}年有关工作的通知", (560, 1500, 1940, 1590), 0.99),
            Line("各区人民政府：", (330, 1700, 900, 1760), 0.99),
            Line("现将有关事项通知如下，请认真贯彻执行。", (460, 1800, 2170, 1860), 0.99),
            Line("南京市人民政府办公厅", (1300, 2900, 2000, 2960), 0.99),
            Line(f"{year}年{date.month}月{max(1, date.day - 3)}日", (1450, 3000, 1900, 3060), 0.99)]
    page = Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=tuple(lines + body))
    c = extract_circular([page], [PageKind.CIRCULAR])
    assert c.issue_date.value.year == year
    assert (c.received_date.value, c.receipt_number.value) == (date, number)


@pytest.mark.parametrize("text, number", [
    ("8-42020年", None),  # a number run into a date is no number
    ("收文 第 330 号", "第330号"),  # written into a printed template
    ("(2014,20", None),
])
def test_a_receipt_number_is_a_word_read_whole(text, number):
    from gongwen.parsers.stamp import receipt_number

    assert receipt_number(text) == number


def test_a_number_the_office_name_ran_into():
    from gongwen.parsers.stamp import receipt_number

    assert receipt_number("长沙市岳麓区人民政府办公室70") == "70"


def test_a_stamp_read_whole_already_is_not_read_again():
    from gongwen.ocr.stamps import missed_in_stamps

    page = _page()
    _frame(page, 1500, 150, 720, 230, RED)
    read = (Line("收文", (1520, 270, 1620, 320), 0.99, "red"), Line("10-3", (1900, 180, 2000, 230), 0.9),
            Line("14年2月1日", (1700, 280, 2000, 330), 0.9))

    class Fails:
        def recognize(self, crop):
            raise AssertionError("read again")

    assert missed_in_stamps(Fails(), page, stamp_frames(page), read) == ([], [])


class _Reads:
    """An engine whose reading of any crop is the given lines (in the crop's pixels)."""

    def __init__(self, lines):
        self.lines = lines

    def recognize(self, crop):
        return list(self.lines)


def test_a_stamps_date_its_own_reading_splits_too_is_joined_and_replaces_the_pieces():
    from gongwen.ocr.stamps import missed_in_stamps

    page = _page()
    _frame(page, 1600, 60, 580, 300, RED)
    frame = stamp_frames(page)[0]
    x0, y0 = frame.bbox[0] - 12, frame.bbox[1] - 12
    read = (Line("收文", (1630, 176, 1749, 253), 1.0, "red"), Line("64", (1936, 173, 1995, 232), 1.0),
            Line("00", (1684, 274, 1765, 333), 1.0), Line("C", (1674, 266, 1764, 336), 0.62, "red"),
            Line("年", (1821, 275, 1872, 323), 1.0, "red"), Line("226", (1833, 257, 2076, 327), 1.0),
            Line("月2日", (1948, 253, 2137, 323), 1.0, "red"))
    again = [Line("00", (1684 - x0, 274 - y0, 1765 - x0, 333 - y0), 0.98),
             Line("年2月26", (1821 - x0, 265 - y0, 2090 - x0, 325 - y0), 0.98)]
    missed, replaced = missed_in_stamps(_Reads(again), page, (frame,), read)
    assert [l.text for l in missed] == ["00年2月26"]
    assert {l.text for l in replaced} == {"00", "C", "年", "226", "月2日"}


def test_only_pieces_of_a_date_are_joined():
    from gongwen.ocr.stamps import _dates_joined

    # a bar of one row: office | 收文 | number | the date read in pieces
    bar = [Line("温州市人民政府办公室", (34, 59, 435, 108), 1.0), Line("收文", (442, 52, 557, 104), 1.0),
           Line("第64号", (635, 43, 780, 106), 1.0), Line("00", (863, 40, 930, 100), 0.99),
           Line("年2月26", (950, 38, 1175, 100), 0.99)]
    assert [l.text for l in _dates_joined(bar)] == ["温州市人民政府办公室", "收文", "第64号", "00年2月26"]


def test_the_receipt_word_read_with_the_number_replaces_the_number_alone():
    from gongwen.ocr.stamps import missed_in_stamps

    page = _page()
    _frame(page, 1500, 90, 620, 330, RED)
    frame = stamp_frames(page)[0]
    x0, y0 = frame.bbox[0] - 12, frame.bbox[1] - 12
    read = (Line("[2023〕290", (1769, 210, 2004, 294), 0.92), Line("23621", (1728, 296, 1888, 379), 1.0))
    again = [Line("收文[2023〕290", (1631 - x0, 229 - y0, 2011 - x0, 307 - y0), 0.96),
             Line("236.21", (1738 - x0, 305 - y0, 1895 - x0, 375 - y0), 0.99)]
    missed, replaced = missed_in_stamps(_Reads(again), page, (frame,), read)
    assert [l.text for l in missed] == ["收文[2023〕290"] and [l.text for l in replaced] == ["[2023〕290"]


def test_the_stamp_read_whole_replaces_its_pencil_read_in_pieces():
    from gongwen.ocr.stamps import missed_in_stamps

    page = _page()
    _frame(page, 150, 200, 560, 300, RED)
    frame = stamp_frames(page)[0]
    x0, y0 = frame.bbox[0] - 12, frame.bbox[1] - 12
    read = (Line("长沙市岳麓区人民政府办公室", (175, 224, 676, 297), 1.0, "red"),
            Line("第", (326, 324, 379, 379), 0.88, "pencil"), Line("167", (433, 328, 556, 389), 1.0, "pencil"),
            Line("16", (213, 402, 281, 466), 0.99, "pencil"))
    again = [Line("收文第167号", (174 - x0, 312 - y0, 670 - x0, 392 - y0), 1.0),
             Line("16年3月7日", (221 - x0, 402 - y0, 658 - x0, 481 - y0), 0.99)]
    missed, replaced = missed_in_stamps(_Reads(again), page, (frame,), read)
    assert [l.text for l in missed] == ["收文第167号", "16年3月7日"]
    assert {l.text for l in replaced} == {"第", "167", "16"}


def test_a_stamp_date_filled_into_its_template_and_a_piece_read_twice():
    from gongwen.parsers.circular import _spaced
    from gongwen.parsers.handdate import read_hand_date
    from gongwen.parsers.rows import make_row

    # 20年2月19日 by numbering stamp into ＿年＿月＿日; the 月 read alone and again with 19日
    row = make_row(1, [Line("20", (1835, 294, 1905, 349), 1.0, "red"), Line("年", (1965, 299, 2017, 342), 1.0, "red"),
                       Line("2", (2039, 301, 2079, 338), 1.0, "red"), Line("月", (2076, 294, 2151, 342), 1.0, "red"),
                       Line("月19日", (2127, 290, 2283, 345), 0.87, "red")])
    assert _spaced(row) == "20 年 2 月19日"
    assert read_hand_date(_spaced(row), 2020, dt.date(2020, 2, 12)).date.value == dt.date(2020, 2, 19)


@pytest.mark.parametrize("rows, date", [
    # the number found, the date a row of its own whose dots were lost: there a date must stand
    ([[Line("收文号", (1693, 3230, 1833, 3306), 1.0, "red"), Line("第162号", (1980, 3260, 2159, 3330), 1.0, "blue")],
      [Line("收文日期", (1669, 3313, 1846, 3385), 1.0, "red"), Line("2012620", (1962, 3338, 2166, 3417), 1.0, "blue")]],
     dt.date(2012, 6, 20)),
    ([[Line("收文", (1641, 235, 1744, 290), 1.0, "red"), Line("[2023〕290", (1769, 210, 2004, 294), 0.92)],
      [Line("23621", (1728, 296, 1888, 379), 1.0)]], dt.date(2023, 6, 21)),
    # the number's own row is never read as the date (64: 6.4)
    ([[Line("收文", (1630, 176, 1749, 253), 1.0, "red"), Line("64", (1936, 173, 1995, 232), 1.0)]], None),
])
def test_a_stamps_date_row_read_where_a_date_must_stand(rows, date):
    from gongwen.parsers.circular import STAMP_METHOD, _receipt
    from gongwen.parsers.rows import make_row

    made = [make_row(1, r) for r in rows]
    year = date.year if date else 2000  # the item's year, as from its 发文字号
    got = _receipt(made, made, year, dt.date(year, 6, 9 if date else 20), STAMP_METHOD)
    assert got["receipt_number"].value is not None
    assert (got["received_date"].value if "received_date" in got else None) == date


@pytest.mark.parametrize("text, year, number", [
    ("收文 2006 62 36.7", 2006, "36-7"),  # the date 2006.6.2 read apart: no number; 36.7, no month and day, is 36-7
    ("收文 2006 62 10.3", 2006, None),  # 10.3 may be a month and a day: no number
    ("收文 36-7 2006 62", 2006, "36-7"),
    ("收文 2006", 2006, "2006"),  # alone, a number
    ("收文 2006 62", 2012, "2006"),  # not the item's year
])
def test_the_items_year_read_apart_from_its_month_and_day_is_no_number(text, year, number):
    from gongwen.parsers.stamp import receipt_number_and_rest

    found = receipt_number_and_rest(text, year)
    assert (found[0] if found else None) == number


@pytest.mark.parametrize("rows, year, date, number", [
    # a bar whose number was not read: the date's dots lost (16.3.19 read 16319) is no number
    ([[Line("杭州市西湖区民政局", (1153, 180, 1558, 266), 1.0, "red"), Line("收文", (1584, 209, 1681, 274), 1.0, "red"),
       Line("16319", (2010, 230, 2172, 303), 1.0, "blue")]], 2016, dt.date(2016, 3, 19), None),
    # the number half read, (2018) without its 351: the date row is read all the same
    ([[Line("收文", (235, 2572, 362, 2651), 1.0, "red"), Line("(2018)", (387, 2591, 529, 2659), 0.92, "blue")],
      [Line("2018625", (306, 2664, 523, 2743), 1.0, "blue")]], 2018, dt.date(2018, 6, 25), None),
    # a year in brackets, a gap, then its number
    ([[Line("收文", (235, 2572, 362, 2651), 1.0, "red"), Line("[2000] 255", (387, 2591, 600, 2659), 0.95, "blue")],
      [Line("2000年10月27日", (306, 2664, 623, 2743), 1.0, "blue")]], 2000, dt.date(2000, 10, 27), "〔2000〕255"),
])
def test_a_stamps_date_whose_dots_were_lost_is_never_its_number(rows, year, date, number):
    from gongwen.parsers.circular import STAMP_METHOD, _receipt
    from gongwen.parsers.rows import make_row

    made = [make_row(1, r) for r in rows]
    got = _receipt(made, made, year, date - dt.timedelta(days=5), STAMP_METHOD)
    assert (got["received_date"].value if "received_date" in got else None) == date
    assert (got["receipt_number"].value if "receipt_number" in got else None) == number


@pytest.mark.parametrize("text, year, number", [
    ("18.6 2004119", 2004, "18-6"), ("22.7", 2009, "22-7"),  # a dash read as a dot: no month and day
    ("10.3", 2010, None), ("3.5", 2000, None),  # a month and a day as much as a number
    ("16.3", 2016, None),  # the item's two-digit year and a month: a piece of the date
])
def test_a_receipt_number_whose_dash_was_read_as_a_dot(text, year, number):
    from gongwen.parsers.stamp import receipt_number_and_rest

    found = receipt_number_and_rest(text, year)
    assert (found[0] if found else None) == number


def test_a_forms_receipt_row_whose_labels_faded_to_a_lone_shou():
    slip = Page(number=1, width=2480, height=3508, dpi=300, engine="test",
                lines=(Line("绵阳市涪城区人民政府办公室公文批办单", (370, 172, 2109, 244), 1.0, "red"),
                       Line("收", (353, 346, 397, 383), 1.0, "red"),  # 收文编号：, faded; 收文日期： not read at all
                       Line("第307号", (564, 315, 740, 400), 1.0, "blue"), Line("2024年11月10日", (1478, 323, 1785, 389), 1.0, "blue"),
                       Line("来文单位：", (352, 454, 529, 502), 1.0, "red"), Line("中共青岛市崂山区委办公室", (574, 432, 1107, 498), 1.0, "blue")))
    circular = Page(number=2, width=2480, height=3508, dpi=300, engine="test",
                    lines=(Line("崂委办〔2024〕30号", (960, 1204, 1544, 1276), 0.99),
                           Line("2024年11月6日", (1480, 2620, 1910, 2690), 0.99)))
    c = extract_circular([slip, circular], [PageKind.SLIP, PageKind.CIRCULAR])
    assert (c.received_date.value, c.receipt_number.value) == (dt.date(2024, 11, 10), "第307号")
    # a lone 收 in handwriting, or with no number or date beside it, gives nothing
    from gongwen.parsers.stamp import form_receipt

    assert form_receipt([Line("收", (353, 346, 397, 383), 1.0, "blue"), Line("第307号", (564, 315, 740, 400), 1.0, "blue")]) == ([], [])
    assert form_receipt([Line("收", (353, 346, 397, 383), 1.0, "red"), Line("请阅", (564, 315, 740, 400), 1.0, "blue")]) == ([], [])
