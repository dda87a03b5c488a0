"""catalogue.csv / catalogue.xlsx: DA/T 22 columns, one row per item, 档号 from a pattern."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys

import pandas as pd
import pytest

import gongwen.pipeline.console  # noqa: F401  (its ProgressDisplay binds sys.stderr on import: not a test's capture)
from gongwen.errors import UsageError
from gongwen.parsers.model import Document, ItemError
from gongwen.pipeline.export.catalogue import (
    CATALOGUE_COLUMNS,
    ArchiveCode,
    archive_code_from_options,
    catalogue_entry,
    catalogue_rows,
)
from gongwen.pipeline.export.items import aggregate_rows, write_aggregates, write_item
from publish_helpers import make_document


def read_catalogue(out):
    raw = (out / "catalogue.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "utf-8-sig, so Excel shows Chinese"
    with (out / "catalogue.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def docs(tmp_path):
    return [
        make_document("b", tmp_path, ["第二件的正文。"], issue_date=dt.date(2015, 3, 2), doc_number="浙委办发〔2015〕3号"),
        make_document("a", tmp_path, ["第一件的正文。"], issue_date=dt.date(2014, 5, 6), secrecy="秘密★5年"),
        make_document("c", tmp_path, ["第三件的正文。"], issue_date=dt.date(2014, 1, 24), title="关于另一事项的通知"),
        make_document("d", tmp_path, ["无日期。"], issue_date=None, doc_number="浙政发〔2016〕1号"),
        make_document("e", tmp_path, ["无日期无文号。"], issue_date=None, doc_number=None),
    ]


def test_columns_and_values_follow_da_t_22(tmp_path, docs):
    out = tmp_path / "out"
    write_aggregates(out, {d.item_id: aggregate_rows(d) for d in docs}, ArchiveCode("{fonds}-WS·{year}-{retention}-{seq:04d}", fonds="Z109", retention="Y"))
    rows = read_catalogue(out)
    assert list(rows[0])[: len(CATALOGUE_COLUMNS)] == CATALOGUE_COLUMNS
    assert len(rows) == len(docs)
    by_id = {r["item_id"]: r for r in rows}
    a = by_id["a"]
    assert (a["文号"], a["责任者"], a["题名"], a["日期"], a["密级"], a["页数"]) == (
        "浙委办发〔2014〕8号", "中共浙江省委办公厅", "关于做好扶贫结对帮扶工作的通知", "20140506", "秘密", "1",
    )
    assert "保密期限5年" in a["备注"]
    # 件号 within each 年度 in order of date; the 年度 of an undated item comes from its 文号
    assert [r["item_id"] for r in rows] == ["c", "a", "b", "d", "e"]
    assert [r["序号"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert by_id["c"]["档号"] == "Z109-WS·2014-Y-0001"
    assert by_id["a"]["档号"] == "Z109-WS·2014-Y-0002"
    assert by_id["b"]["档号"] == "Z109-WS·2015-Y-0001"
    assert by_id["d"]["档号"] == "Z109-WS·2016-Y-0001" and "成文日期不明" in by_id["d"]["备注"]
    assert by_id["e"]["档号"] == "" and "年度不明" in by_id["e"]["备注"]


def test_xlsx_has_the_same_rows_with_chinese_intact(tmp_path, docs):
    out = tmp_path / "out"
    write_aggregates(out, {d.item_id: aggregate_rows(d) for d in docs})
    sheet = pd.read_excel(out / "catalogue.xlsx", dtype=str).fillna("")
    frame = pd.read_csv(out / "catalogue.csv", encoding="utf-8-sig", dtype=str).fillna("")
    assert list(sheet.columns) == list(frame.columns)
    assert sheet.values.tolist() == frame.values.tolist()
    assert "中共浙江省委办公厅" in sheet["责任者"].tolist()
    assert (frame["档号"] == "").all(), "no pattern given: no 档号"


def test_notes_tell_failed_partial_and_review(tmp_path, docs):
    failed = Document(item_id="x", source="x.pdf", status="failed", errors=(ItemError("load", "the file is empty"),))
    partial = make_document("p", tmp_path, ["正文。"])
    partial = Document(**{**partial.__dict__, "status": "partial", "errors": (ItemError("export", "no PDF"),)})
    entries = [catalogue_entry(failed, True), catalogue_entry(partial, True), catalogue_entry(docs[0], True)]
    notes = [r["备注"] for r in catalogue_rows(entries)]
    assert sorted(notes) == sorted(["识别失败：the file is empty", "部分识别：no PDF", "需复核"])


@pytest.mark.parametrize(
    "options, message",
    [
        (("{fonds}-{year}", "Z1", None, None), "{seq}"),
        (("{fonds}-{yr}-{seq}", "Z1", None, None), "unknown part {yr}"),
        (("{fonds}-{year}-{seq:04d}", None, None, None), "--fonds"),
        ((None, None, "Y", None), "--fonds"),
    ],
)
def test_bad_archive_code_options_are_usage_errors(options, message):
    with pytest.raises(UsageError, match=message.replace("{", r"\{").replace("}", r"\}")):
        archive_code_from_options(*options)


def test_fonds_alone_gives_the_da_t_22_order():
    code = archive_code_from_options(None, "Z109", "D30", "BGS")
    assert code.format(2014, 7) == "Z109-WS·2014-D30-BGS-0007"
    assert archive_code_from_options(None, None, None, None) is None


def test_reparse_writes_the_catalogue_and_keeps_the_earlier_pattern(tmp_path):
    out = tmp_path / "out"
    # reparse reads the fields again from the page lines: the 文号 line gives the 年度
    lines = ["中共浙江省委办公厅文件", "浙委办发〔2014〕8号", "关于做好结对帮扶工作的通知", "各市、县（市、区）党委：",
             "现就做好工作通知如下。", "中共浙江省委办公厅", "2014年1月24日"]
    for d in (make_document("n", tmp_path, lines), make_document("m", tmp_path, ["正文。"])):
        write_item(d, out, pdf=False)

    def gongwen(*args):
        return subprocess.run([sys.executable, "-m", "gongwen", *args], capture_output=True, text=True, timeout=300)

    r = gongwen("reparse", str(out), "--fonds", "Z109")
    assert r.returncode == 0, r.stderr
    assert [(r["item_id"], r["档号"]) for r in read_catalogue(out)] == [("n", "Z109-WS·2014-0001"), ("m", "")]
    r = gongwen("reparse", str(out))  # no options: the pattern of the earlier run
    assert r.returncode == 0, r.stderr
    assert [(r["item_id"], r["档号"]) for r in read_catalogue(out)] == [("n", "Z109-WS·2014-0001"), ("m", "")]
    r = gongwen("reparse", str(out), "--archive-code", "{fonds}-{bad}-{seq}", "--fonds", "Z1")
    assert r.returncode == 2 and "unknown part {bad}" in r.stderr


@pytest.mark.parametrize("damage", [b"{\"pattern\": \"{fonds}-", b"[]", b'{"pattern": 3}'])
def test_damaged_settings_stop_reparse_with_a_usage_error_before_anything_is_rewritten(tmp_path, damage, capsys):
    from gongwen.pipeline.export.outdir import OutDir
    from gongwen.pipeline.cli import main

    out = tmp_path / "out"
    write_item(make_document("n", tmp_path, ["正文。"]), out, pdf=False)
    OutDir(out).catalogue_settings.parent.mkdir(parents=True, exist_ok=True)
    OutDir(out).catalogue_settings.write_bytes(damage)
    assert main(["reparse", str(out)]) == 2
    err = capsys.readouterr().err
    assert "catalogue.json is damaged" in err and "--fonds" in err
    assert not (out / "documents.csv").exists()
    # given again, the settings are used and saved
    assert main(["reparse", str(out), "--fonds", "Z109"]) == 0
    assert read_catalogue(out)[0]["item_id"] == "n"
