"""The catalogue's .xlsx writer: what a spreadsheet program reads back (checked with openpyxl)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from gongwen.pipeline.export.xlsx import column_letter, xlsx_bytes


@pytest.mark.parametrize("index, letters", [(0, "A"), (9, "J"), (25, "Z"), (26, "AA"), (51, "AZ"), (701, "ZZ"), (702, "AAA")])
def test_column_letters(index, letters):
    assert column_letter(index) == letters


def _read(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_rows_read_back_with_types_widths_and_a_frozen_bold_header():
    columns = ["序号", "文号", "题名", "页数"]
    rows = [
        [1, "浙委办发〔2014〕8号", "关于做好<结对帮扶>工作的通知 & 附件", 12],
        [2, "", "  前后有空格  ", None],
        [3, "国办发〔2023〕12号", "含控制字符\x00\x07的题名", 2.5],
    ]
    sheet = _read(xlsx_bytes("归档文件目录", columns, rows, (6, 24, 48, 8)))
    assert sheet.title == "归档文件目录"
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == columns
    assert values[1] == [1, "浙委办发〔2014〕8号", "关于做好<结对帮扶>工作的通知 & 附件", 12]
    assert values[2] == [2, None, "  前后有空格  ", None]
    assert values[3] == [3, "国办发〔2023〕12号", "含控制字符的题名", 2.5]
    assert all(cell.font.b for cell in sheet[1]) and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert [sheet.column_dimensions[c].width for c in "ABCD"] == [6, 24, 48, 8]


def test_many_columns_and_an_awkward_sheet_name():
    columns = [f"c{i}" for i in range(30)]
    sheet = _read(xlsx_bytes("目录[2014]/草稿:一个很长很长很长很长很长很长很长很长的名字", columns, [list(range(30))]))
    assert [c.value for c in sheet[1]] == columns
    assert sheet["AD2"].value == 29
    assert len(sheet.title) <= 31 and not set("[]:*?/\\") & set(sheet.title)
