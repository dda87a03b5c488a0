"""The annex table of the example bundle, read end to end from its rendered scan (OCR)."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from gongwen.parsers.text import compact


pytestmark = pytest.mark.ocr

HEADER = ["帮扶县（市、区）", "帮扶村数", "组长单位", "发达县（市、区）", "帮扶成员单位"]
COUNTIES = ["淳安县", "文成县", "泰顺县", "永嘉县", "苍南县", "平阳县", "婺城区", "磐安县", "武义县", "庆元县"]


def read_table(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def test_example_annex_is_one_table_over_two_pages(example_out):
    folder = example_out / "items" / "example-bundle"
    assert sorted(p.name for p in folder.glob("table-*.csv")) == ["table-1.csv"]  # not the slip
    data = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    (table,) = data["tables"]
    assert table["pages"] == [6, 7]
    assert 1 in table["numeric_columns"]


def test_example_table_header_rows_and_total(example_out):
    header, rows = read_table(example_out / "items" / "example-bundle" / "table-1.csv")
    assert header == HEADER
    assert [r[0] for r in rows] == COUNTIES + ["合计"]  # the repeated header on page 7 is dropped
    assert [r[1] for r in rows] == ["26", "55", "52", "111", "76", "61", "41", "83", "51", "90", "2000"]
    assert rows[-1] == ["合计", "2000", "", "", ""]
    assert rows[3][3].split("\n") == ["瓯海区", "南湖区", "秀洲区"]  # separate entries
    assert "\n" not in rows[2][4] and compact(rows[2][4]).endswith("省建设集团、鹿城区")  # wrapped text
    tables = pd.read_csv(example_out / "tables.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert set(tables.table) == {"1"} and len(tables) == 11 * 5


def test_example_total_that_is_not_the_sum_needs_review(example_out):
    docs = pd.read_csv(example_out / "documents.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    row = docs.iloc[0]
    assert row.needs_review == "true" and row.status == "ok"
    assert "合计 2000 ≠ sum of rows 646: rows or pages may be missing" in row.error
    html = (example_out / "items" / "example-bundle" / "document.html").read_text(encoding="utf-8")
    assert "瓯海区<br>南湖区<br>秀洲区" in html
