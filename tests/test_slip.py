"""Circulation slip parsing on a page of known lines and cells (no OCR)."""

import datetime as dt

import pytest

from gongwen.parsers.model import Cell, Line, Page, Table
from gongwen.parsers.slip import clip_line, column_map, extract_slip

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
