"""A damaged document.json in OUT (issue 17): publish, the review and export name the broken item
and carry on with the others; publish and export exit 1 ("partial") instead of 0."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from review_helpers import MAIN, OTHER, write_out
from gongwen.pipeline.cli import main
from gongwen.pipeline.publish.site import publish
from gongwen.pipeline.review.app import create_app
from gongwen.pipeline.review.export import export_reviewed
from gongwen.pipeline.review.store import ReviewStore

BROKEN = "2014/broken"


def _truncated(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False)
    return text[: len(text) // 2]


DAMAGE = {
    "truncated": _truncated,
    "a list": lambda data: "[]",
    "another item's id": lambda data: json.dumps({**data, "item_id": OTHER}, ensure_ascii=False),
    "missing keys": lambda data: json.dumps({"item_id": BROKEN, "status": "ok"}, ensure_ascii=False),
    "not UTF-8": lambda data: "\udcff",
}


@pytest.fixture(params=list(DAMAGE))
def out(request, tmp_path) -> Path:
    """OUT with two good items and one whose document.json is damaged."""
    out = write_out(tmp_path)
    data = json.loads((out / "items" / OTHER / "document.json").read_text(encoding="utf-8"))
    data["item_id"] = BROKEN
    path = out / "items" / BROKEN / "document.json"
    path.parent.mkdir(parents=True)
    text = DAMAGE[request.param](data)
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return out


def test_publish_writes_the_good_items_and_names_the_broken_one(out, tmp_path):
    summary = publish(out, tmp_path / "site")
    assert sorted(summary.published) == [MAIN, OTHER]
    assert list(summary.unreadable) == [BROKEN] and "document.json" in summary.unreadable[BROKEN]
    with (out / "withheld.csv").open(encoding="utf-8-sig", newline="") as f:
        assert BROKEN in [r["item_id"] for r in csv.DictReader(f)]


def test_cli_publish_exits_1_naming_the_broken_item(out, tmp_path, capsys):
    assert main(["publish", str(out), "--site", str(tmp_path / "site")]) == 1
    err = capsys.readouterr().err
    assert "1 unreadable" in err.splitlines()[0] and f"{BROKEN}: not published" in err
    assert (tmp_path / "site" / "index.html").is_file()


def test_the_review_queue_loads_and_shows_the_broken_item(out):
    store = ReviewStore(out)
    try:
        assert store.sync() == 2
        assert sorted(r["item_id"] for r in store.queue("all")) == [MAIN, OTHER]
        assert list(store.unreadable) == [BROKEN]
        client = create_app(store).test_client()
        page = client.get("/?show=all")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert BROKEN in text and "无法读取" in text
        assert client.get(f"/item/{BROKEN}").status_code == 404
        assert client.get(f"/item/{MAIN}").status_code == 200
    finally:
        store.close()


def test_export_rebuilds_the_others_and_names_the_broken_item(out):
    store = ReviewStore(out)
    store.sync()
    store.save(MAIN, "王芳", {"circular.signer": ("", "胡晓东")}, approve=True)
    store.close()
    summary = export_reviewed(out)
    assert summary.rewritten == 1 and list(summary.unreadable) == [BROKEN]
    with (out / "documents.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = {r["item_id"]: r for r in csv.DictReader(f)}
    assert rows[MAIN]["signer"] == "胡晓东" and rows[OTHER]["status"] == "ok"
    assert rows[BROKEN]["status"] == "failed" and "document.json" in rows[BROKEN]["error"]


def test_cli_export_exits_1_naming_the_broken_item(out, capsys):
    assert main(["export", str(out)]) == 1
    err = capsys.readouterr().err
    assert BROKEN in err and "document.json" in err


def test_an_item_damaged_while_the_app_runs_answers_with_a_message(tmp_path):
    out = write_out(tmp_path)
    store = ReviewStore(out)
    try:
        store.sync()
        (out / "items" / OTHER / "document.json").write_text("{", encoding="utf-8")
        r = create_app(store).test_client().get(f"/item/{OTHER}")
        assert r.status_code == 500 and "document.json" in r.get_data(as_text=True)
    finally:
        store.close()
