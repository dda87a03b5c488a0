"""The aggregate CSVs always describe every item of OUT (issue 17, points 8 and 4).

Converting a second folder into an existing OUT keeps the first folder's items in
documents.csv, pages.csv and catalogue.csv (in their earlier order, new items after); an item
converted again replaces its rows.  One damaged ``document.json`` is a failed row naming the
item and the reason (stage ``read``) in documents.csv and failures.csv, the other items are
written, and the command exits 1.

Born-digital PDFs (read from their text layer, no OCR) and documents built in Python keep
these tests fast.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd
import pytest

import gongwen.pipeline.console  # noqa: F401  (its ProgressDisplay binds sys.stderr on import: not a test's capture)
from gongwen.pipeline.cli import main
from gongwen.pipeline.export.outdir import OutDir
from gongwen.pipeline.run.convert import Settings, convert
from gongwen.pipeline.export.items import write_item

from helpers import BODY_FONT, missing_tool
from publish_helpers import make_document

AGGREGATE_CSVS = ("documents.csv", "pages.csv", "catalogue.csv")


def _read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _pdf(path: Path, lines: list[str], pages: int = 1) -> Path:
    """A born-digital PDF of Chinese text (its pages read from the text layer, without OCR)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if not Path(BODY_FONT).exists():
        missing_tool("Chinese fonts missing: make setup installs fonts-arphic-uming")
    pdfmetrics.registerFont(TTFont("UMing", BODY_FONT, subfontIndex=0))
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(pages):
        c.setFont("UMing", 14)
        for k, line in enumerate(lines):
            c.drawString(72, 760 - 24 * k, f"{line}（第{n + 1}页）" if pages > 1 else line)
        c.showPage()
    c.save()
    return path


CIRCULAR = ["中共浙江省委办公厅文件", "浙委办发〔2014〕{n}号", "关于做好第{n}项工作的通知",
            "各市、县（市、区）党委：", "现就做好有关工作通知如下。", "中共浙江省委办公厅", "2014年1月{n}日"]


def _folder(root: Path, names: list[str]) -> Path:
    for n, name in enumerate(names, start=1):
        _pdf(root / f"{name}.pdf", [line.format(n=n) for line in CIRCULAR], pages=n)
    return root


@pytest.fixture
def folders(tmp_path):
    a = _folder(tmp_path / "A", ["a1", "a2", "a3"])
    b = _folder(tmp_path / "B", ["b1", "b2"])
    return a, b, tmp_path / "out"


def _ids(out: Path, name: str) -> list[str]:
    return list(_read(out, name)["item_id"])


# -- point 8: every item of OUT in the aggregates ---------------------------------------------


def test_second_folder_into_the_same_out_keeps_the_first_folders_items(folders):
    a, b, out = folders
    first = convert([a], out, Settings(jobs=1))
    assert first.count("ok") == 3
    before = {name: _read(out, name) for name in AGGREGATE_CSVS}
    second = convert([b], out, Settings(jobs=1))
    assert [o.item_id for o in second.outcomes] == ["b1", "b2"]
    assert _ids(out, "documents.csv") == ["a1", "a2", "a3", "b1", "b2"]  # earlier order, new items after
    pages = _read(out, "pages.csv")
    assert list(zip(pages.item_id, pages.page)) == [
        ("a1", "1"), ("a2", "1"), ("a2", "2"), ("a3", "1"), ("a3", "2"), ("a3", "3"), ("b1", "1"), ("b2", "1"), ("b2", "2"),
    ]
    assert sorted(_ids(out, "catalogue.csv")) == ["a1", "a2", "a3", "b1", "b2"]
    # A's rows are the ones its own run wrote
    for name in AGGREGATE_CSVS:
        now = _read(out, name)
        kept = now[now.item_id.str.startswith("a")].drop(columns=["序号", "档号"], errors="ignore")
        was = before[name].drop(columns=["序号", "档号"], errors="ignore")
        assert kept.reset_index(drop=True).equals(was.reset_index(drop=True)), name


def test_an_item_converted_again_replaces_its_rows(folders):
    a, b, out = folders
    convert([a], out, Settings(jobs=1))
    convert([b], out, Settings(jobs=1))
    expected = {name: _read(out, name) for name in AGGREGATE_CSVS + ("failures.csv", "tables.csv")}
    again = convert([b], out, Settings(jobs=1))  # kept: done by the earlier run
    assert all(o.resumed for o in again.outcomes)
    forced = convert([b], out, Settings(jobs=1, force=True))  # read again: new rows replace the old
    assert not any(o.resumed for o in forced.outcomes)
    for name, frame in expected.items():
        now = _read(out, name).drop(columns=["seconds"], errors="ignore")
        assert now.equals(frame.drop(columns=["seconds"], errors="ignore")), name
    assert _ids(out, "documents.csv") == ["a1", "a2", "a3", "b1", "b2"]
    # B changed: b2 now has one page, its old page rows are gone
    _pdf(b / "b2.pdf", ["改过的第二件。"])
    convert([b], out, Settings(jobs=1))
    pages = _read(out, "pages.csv")
    assert list(pages[pages.item_id == "b2"].page) == ["1"]
    assert _ids(out, "documents.csv") == ["a1", "a2", "a3", "b1", "b2"]


def test_a_document_json_changed_since_shows_in_the_aggregates(folders):
    """The rows of kept items come from their document.json as it stands now (a review export
    rewrites it), not from anything remembered of an earlier run."""
    a, b, out = folders
    convert([a], out, Settings(jobs=1))
    path = out / "items" / "a2" / "document.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["fields"]["title"] = {**data["fields"]["doc_number"], "value": "审核改过的标题", "method": "reviewed"}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    convert([b], out, Settings(jobs=1))
    docs = _read(out, "documents.csv").set_index("item_id")
    assert docs.loc["a2", "title"] == "审核改过的标题"
    catalogue = _read(out, "catalogue.csv").set_index("item_id")
    assert catalogue.loc["a2", "题名"] == "审核改过的标题"
    # and once more, from what the run before remembered
    data["fields"]["title"]["value"] = "再改一次"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    convert([b], out, Settings(jobs=1))
    assert _read(out, "documents.csv").set_index("item_id").loc["a2", "title"] == "再改一次"


def test_an_item_gone_from_out_leaves_the_aggregates(folders):
    import shutil

    a, b, out = folders
    convert([a], out, Settings(jobs=1))
    shutil.rmtree(out / "items" / "a3")
    convert([b], out, Settings(jobs=1))
    assert _ids(out, "documents.csv") == ["a1", "a2", "b1", "b2"]


# -- point 4: a damaged document.json ---------------------------------------------------------


def _truncated(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")


def _a_list(path: Path) -> None:
    path.write_text("[]", encoding="utf-8")


def _other_id(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["item_id"] = "someone-else"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _page_without_size(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["pages"][0]["width"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _no_pages_or_status(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("pages", "status", "source"):
        del data[key]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _line_text_a_number(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["pages"][0]["lines"][0]["text"] = 5
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


DAMAGE = {
    "truncated": (_truncated, "not valid JSON"),
    "list": (_a_list, "not a record"),
    "other-id": (_other_id, "someone-else"),
    "page-without-width": (_page_without_size, "width"),
    "missing-keys": (_no_pages_or_status, "pages"),
    "line-text-a-number": (_line_text_a_number, "TypeError"),
}


def _check_failed_row(out: Path, item_id: str, reason: str) -> None:
    docs = _read(out, "documents.csv").set_index("item_id")
    row = docs.loc[item_id]
    assert row["status"] == "failed"
    assert "document.json" in row["error"] and reason in row["error"], row["error"]
    failures = _read(out, "failures.csv")
    mine = failures[failures.item_id == item_id]
    assert list(mine.stage) == ["read"] and reason in mine.error.iloc[0]
    catalogue = _read(out, "catalogue.csv").set_index("item_id")
    assert "识别失败" in catalogue.loc[item_id, "备注"]


def _named(caplog, item_id: str) -> bool:
    """A warning names the item (the CLI shows warnings on stderr)."""
    return any(item_id in r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_reparse_carries_on_past_a_damaged_document_json(tmp_path, damage, caplog):
    out = tmp_path / "out"
    for item_id in ("x1", "x2", "x3"):
        write_item(make_document(item_id, tmp_path, ["正文。"]), out, pdf=False)
    broken = out / "items" / "x2" / "document.json"
    spoil, reason = DAMAGE[damage]
    spoil(broken)
    damaged = broken.read_bytes()
    assert main(["reparse", str(out)]) == 1
    _check_failed_row(out, "x2", reason)
    docs = _read(out, "documents.csv")
    assert list(docs.item_id) == ["x1", "x2", "x3"]
    assert list(docs.status) == ["ok", "failed", "ok"]
    assert broken.read_bytes() == damaged, "the damaged file is left as it is, for a person to look at"
    assert _named(caplog, "x2")


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_convert_into_an_out_with_a_damaged_document_json_carries_on(folders, damage, caplog):
    a, b, out = folders
    convert([a], out, Settings(jobs=1))
    spoil, reason = DAMAGE[damage]
    spoil(out / "items" / "a2" / "document.json")
    assert main(["convert", str(b), "--out", str(out), "--jobs", "1"]) == 1
    _check_failed_row(out, "a2", reason)
    docs = _read(out, "documents.csv")
    assert list(docs.item_id) == ["a1", "a2", "a3", "b1", "b2"]
    assert list(docs.status) == ["ok", "failed", "ok", "ok", "ok"]
    assert _named(caplog, "a2")
    # converting its own folder again reads the damaged item anew
    assert main(["convert", str(a), "--out", str(out), "--jobs", "1"]) == 0
    docs = _read(out, "documents.csv")
    assert list(docs.item_id) == ["a1", "a2", "a3", "b1", "b2"]
    assert set(docs.status) == {"ok"}
    assert _read(out, "failures.csv").empty


# -- the rows kept between runs (a start that does not read every document.json) ---------------


def _count_reads(monkeypatch) -> list[str]:
    from gongwen.pipeline.export import items as export

    read, real = [], export.read_stored

    def counting(out, path):
        read.append(path.parent.name)
        return real(out, path)

    monkeypatch.setattr(export, "read_stored", counting)
    return read


def test_a_run_reads_only_the_document_json_that_changed(folders, monkeypatch):
    from gongwen.pipeline.export import items as export

    a, b, out = folders
    convert([a], out, Settings(jobs=1))
    convert([b], out, Settings(jobs=1))
    expected = {name: (out / name).read_bytes() for name in ("documents.csv", "catalogue.csv", "tables.csv", "failures.csv")}
    read = _count_reads(monkeypatch)
    convert([b], out, Settings(jobs=1))
    assert read == []
    path = out / "items" / "a1" / "document.json"
    path.write_bytes(path.read_bytes())  # rewritten (a review export): read again
    convert([b], out, Settings(jobs=1))
    assert read == ["a1"]
    for name, data in expected.items():
        assert (out / name).read_bytes() == data, name
    # another gongwen (a hash of its sources) makes its own rows: every item is read
    read.clear()
    monkeypatch.setattr(export, "_code_stamp", "another version")
    convert([b], out, Settings(jobs=1))
    assert sorted(read) == ["a1", "a2", "a3", "b1", "b2"]


@pytest.mark.parametrize("garbage", [b"", b"{not json", b'{"code": 1}', None])
def test_a_damaged_rows_file_is_not_used(folders, garbage):
    a, b, out = folders
    convert([a], out, Settings(jobs=1))
    rows_file = OutDir(out).rows_cache
    if garbage is None:  # the right code, rows of the wrong shape
        data = json.loads(rows_file.read_text(encoding="utf-8"))
        data["items"] = {i: [stamp, {"documents.csv": [["item_id"], [1, 2]]}] for i, (stamp, _) in data["items"].items()}
        rows_file.write_text(json.dumps(data), encoding="utf-8")
    else:
        rows_file.write_bytes(garbage)
    expected = _read(out, "documents.csv")
    convert([b], out, Settings(jobs=1))
    docs = _read(out, "documents.csv")
    assert list(docs.item_id) == ["a1", "a2", "a3", "b1", "b2"]
    assert docs.iloc[:3].equals(expected)
