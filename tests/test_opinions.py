"""Labelled blocks of a slip found wherever the form prints them (parsers/opinions.py), no OCR."""

import datetime as dt

import pytest

from gongwen.parsers.model import Cell, Line, Page, Table
from gongwen.parsers.opinions import cut_at_labels, find_labels, labelled_blocks
from gongwen.parsers.slip import extract_slip


def _texts(lines):
    return [l.text for l in lines]


@pytest.mark.parametrize(
    "text, labels, rest",
    [
        ("拟办意见：请王局长阅示。", ["拟办意见："], ["请王局长阅示。"]),
        ("拟 办 意 见", ["拟办意见"], []),
        # OCR ran the next box's label onto the signature of the block above
        ("请朱副区长阅示。彭宏磊10.25领导批示：已阅，同意。", ["领导批示："], ["请朱副区长阅示。彭宏磊10.25", "已阅，同意。"]),
        # words of the writing that name a label are no label
        ("同意拟办意见，请民政局抓好落实。", [], ["同意拟办意见，请民政局抓好落实。"]),
        ("请按领导批示精神办理。", [], ["请按领导批示精神办理。"]),
        ("办理结果：已于3月2日办结。", ["办理结果："], ["已于3月2日办结。"]),
    ],
)
def test_cut_at_labels(text, labels, rest):
    found, pieces = cut_at_labels(Line(text, (0, 0, 40 * len(text), 40), 0.9))
    assert [l.text for l in found] == labels
    assert _texts(pieces) == rest


def test_pieces_keep_their_share_of_the_box():
    found, pieces = cut_at_labels(Line("请阅。领导批示：同意", (0, 0, 1000, 40), 0.9))
    assert pieces[0].bbox[2] <= found[0].bbox[0] < found[0].bbox[2] <= pieces[1].bbox[0]


def test_a_label_printed_down_a_narrow_cell():
    lines = [Line(c, (100, 200 + 60 * i, 140, 240 + 60 * i), 0.9) for i, c in enumerate("领导批示")]
    lines.append(Line("同意。", (300, 220, 420, 260), 0.9, "blue"))
    labels, rest = find_labels(lines)
    assert [(l.kind, l.text) for l in labels] == [("instruction", "领导批示")]
    assert _texts(rest) == ["同意。"]


def test_open_blocks_end_at_the_next_label_below():
    lines = [
        Line("拟办意见：", (100, 100, 300, 140), 0.99),
        Line("请李主任阅示。", (150, 160, 500, 200), 0.9, "blue"),
        Line("王芳 3.2", (400, 210, 560, 250), 0.9, "blue"),
        Line("领导批示：", (100, 300, 300, 340), 0.99),
        Line("同意。", (150, 360, 300, 400), 0.9, "blue"),
        Line("李明 3.3", (400, 410, 560, 450), 0.9, "blue"),
    ]
    blocks, rest = labelled_blocks(lines, [], 1240)
    assert [(lb.kind, _texts(b)) for lb, b in blocks] == [
        ("proposal", ["请李主任阅示。", "王芳 3.2"]), ("instruction", ["同意。", "李明 3.3"])]
    assert rest == []


def _form_with_left_labels():
    """A 文件处理笺 drawn with a narrow label column: label cells left, writing right."""
    x = (100, 260, 1140)
    y = (300, 400, 700, 1000)
    cells = []
    for r in range(3):
        cells += [Cell(row=r, col=0, text="", bbox=(x[0], y[r], x[1], y[r + 1])),
                  Cell(row=r, col=1, text="", bbox=(x[1], y[r], x[2], y[r + 1]))]
    lines = [
        Line("XX市人民政府文件处理笺", (300, 150, 900, 210), 0.99),
        Line("来文机关", (110, 330, 250, 370), 0.99),
        Line("市财政局", (300, 330, 500, 370), 0.9, "blue"),
        *[Line(c, (160, 420 + 60 * i, 200, 460 + 60 * i), 0.99) for i, c in enumerate("拟办意见")],
        Line("请张市长阅示。", (300, 430, 700, 480), 0.9, "blue"),
        Line("赵强 2014.1.24", (800, 600, 1100, 650), 0.9, "blue"),
        *[Line(c, (160, 720 + 60 * i, 200, 760 + 60 * i), 0.99) for i, c in enumerate("领导批示")],
        Line("同意。请财政局牵头办理。", (300, 730, 900, 780), 0.9, "blue"),
        Line("张伟", (800, 880, 900, 930), 0.9, "blue"),
        Line("1.26", (950, 880, 1050, 930), 0.9, "blue"),
    ]
    return Page(number=1, width=1240, height=1754, dpi=150, engine="test", lines=tuple(lines),
                tables=(Table(cells=tuple(cells), header_rows=0),))


def test_vertical_labels_on_a_ruled_form_head_the_cells_right_of_them():
    _, notes, office = extract_slip([_form_with_left_labels()], ["slip"], 2014, dt.date(2014, 1, 22))
    got = {(a.kind, a.text.value, a.signer.value, a.date.value) for a in notes}
    assert got == {("proposal", "请张市长阅示。", "赵强", dt.date(2014, 1, 24)),
                   ("instruction", "同意。请财政局牵头办理。", "张伟", dt.date(2014, 1, 26))}
    assert office.value == "XX市人民政府文件处理笺"


def test_labels_heading_two_columns_take_the_cells_below_them():
    """拟办意见 | 领导批示 as a heading row, the writing in the cells under each, the title's cell
    above them."""
    cells = [Cell(row=0, col=0, text="", bbox=(100, 100, 1100, 250)),  # the 文件标题 value, above
             Cell(row=1, col=0, text="", bbox=(100, 250, 600, 340)), Cell(row=1, col=1, text="", bbox=(600, 250, 1100, 340)),
             Cell(row=2, col=0, text="", bbox=(100, 340, 600, 900)), Cell(row=2, col=1, text="", bbox=(600, 340, 1100, 900))]
    lines = [Line("关于开展安全生产督查工作的通知", (150, 150, 1000, 200), 0.99),
             Line("拟办意见", (250, 270, 450, 320), 0.99), Line("领导批示", (750, 270, 950, 320), 0.99),
             Line("请各位领导阅。", (150, 400, 500, 450), 0.9, "blue"), Line("阅。", (650, 400, 750, 450), 0.9, "blue")]
    blocks, _ = labelled_blocks(lines, cells, 1240)
    assert [(lb.kind, _texts(b)) for lb, b in blocks] == [("proposal", ["请各位领导阅。"]), ("instruction", ["阅。"])]


def test_a_line_across_cells_is_cut_between_dates_never_inside_one():
    from gongwen.parsers.opinions import clip_line

    line = Line("10月30日11月1日", (480, 2940, 1000, 3015), 0.9)
    assert clip_line(line, (470, 2930, 760, 3020)).text == "10月30日"
    assert clip_line(line, (760, 2930, 1050, 3020)).text == "11月1日"
