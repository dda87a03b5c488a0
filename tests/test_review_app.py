"""The review app through Flask's test client: queue, saving, stale saves, undo, approval,
CSRF, reviewer names, escaping, page images (no path from a request reaches the disk
unchecked), and ``gongwen export`` writing the reviewed values into OUT."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from review_helpers import MAIN, OTHER, database_url, write_out
from review_pg import postgres_cluster  # noqa: F401 (a fixture)
from gongwen.pipeline.review.app import create_app
from gongwen.pipeline.review.export import export_reviewed
from gongwen.pipeline.review.store import ReviewStore, corrections

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
ITEM = f"/item/{MAIN}"
SAVE = f"/save/{MAIN}"


@pytest.fixture
def out(tmp_path):
    return write_out(tmp_path)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, out):
    """The store on SQLite (the default) and on a real PostgreSQL (skipped without one)."""
    s = ReviewStore(out, database_url(request, request.param))
    s.sync()
    yield s
    s.close()


@pytest.fixture
def app(store):
    return create_app(store)


class Reviewer:
    """A browser session of one reviewer: its cookies, its CSRF token, the page it saw."""

    def __init__(self, app, name: str | None) -> None:
        self.client = app.test_client()
        page = self.client.get("/").get_data(as_text=True)
        self.csrf = CSRF.search(page).group(1)
        if name:
            r = self.client.post("/reviewer", data={"reviewer": name, "csrf_token": self.csrf, "next": "/"})
            assert r.status_code == 303

    def open(self, path: str = ITEM) -> str:
        page = self.client.get(path)
        assert page.status_code == 200
        self.page = page.get_data(as_text=True)
        self.version = VERSION.search(self.page).group(1)
        return self.page

    def save(self, values: dict[str, tuple[str, str]], action: str = "save", url: str = SAVE):
        data = {"csrf_token": self.csrf, "version": self.version, "action": action}
        for path, (seen, typed) in values.items():
            data["s:" + path] = seen
            data["v:" + path] = typed
        return self.client.post(url, data=data)


def rows(store, item_id=MAIN):
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(corrections).where(corrections.c.item_id == item_id).order_by(corrections.c.id)).mappings()]


def current(store, path, item_id=MAIN):
    from gongwen.pipeline.review.corrections import value_text

    return value_text(store.state(item_id).current, path)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


# -- the queue --------------------------------------------------------------------------------


def test_queue_lists_items_needing_review_first_with_counts_and_filters(app, store):
    r = app.test_client().get("/?show=all")
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert page.index(MAIN) < page.index(OTHER)  # needs review, lowest confidence first
    assert [row["item_id"] for row in store.queue("needs_review")] == [MAIN]
    assert store.counts() == {"all": 2, "reviewed": 0, "needs_review": 1}
    assert [row["item_id"] for row in store.queue("all", issuer="中共浙江省委办公厅", year=2014)] == [MAIN, OTHER]
    assert store.queue("all", year=2013) == []
    filtered = app.test_client().get("/?show=all&year=2013").get_data(as_text=True)
    assert "没有符合条件的件" in filtered


def test_item_view_shows_the_scan_the_values_and_low_confidence(app):
    page = Reviewer(app, "王芳").open(ITEM + "?field=circular.doc_number")
    assert f'src="/page/1/{MAIN}"' in page and 'loading="eager"' in page
    assert 'name="v:circular.doc_number" value="浙委办发〔2014〕8号"' in page
    assert re.search(r'class="edit low[^"]*selected"\s+data-path="circular.doc_number"', page)
    assert '<rect class="hl" x="120.0" y="273.0" width="380.0" height="39.0">' in page  # its bbox
    assert 'name="v:tables[0].cells[3,1]" value="21"' in page
    assert 'name="v:circulation[0].reader" value="王建国"' in page
    assert "合计 21 ≠ sum of rows 20" in page


# -- saving -----------------------------------------------------------------------------------


def test_a_save_is_a_row_of_the_audit_trail(app, store):
    a = Reviewer(app, "王芳")
    a.open()
    r = a.save({"circular.title": ("关于做好扶贫结对帮扶工作的通知", "关于做好扶贫结对帮扶工作的通知（修订）"),
                "circular.issuer": ("中共浙江省委办公厅", "中共浙江省委办公厅")})
    assert r.status_code == 303
    [row] = rows(store)
    assert (row["path"], row["action"], row["old_value"], row["new_value"], row["reviewer"]) == (
        "circular.title", "edit", "关于做好扶贫结对帮扶工作的通知", "关于做好扶贫结对帮扶工作的通知（修订）", "王芳")
    assert row["created_at"] is not None
    assert current(store, "circular.title") == "关于做好扶贫结对帮扶工作的通知（修订）"
    page = a.open()
    assert "已保存 1 处修改" in page and 'class="edit reviewed"' in page


def test_a_stale_save_is_refused_naming_who_changed_it(app, store):
    a, b = Reviewer(app, "王芳"), Reviewer(app, "李明")
    a.open()
    b.open()
    seen = "关于做好扶贫结对帮扶工作的通知"
    assert a.save({"circular.title": (seen, "甲的标题")}).status_code == 303
    r = b.save({"circular.title": (seen, "乙的标题"), "circular.signer": ("", "胡晓东")})
    page = r.get_data(as_text=True)
    assert r.status_code == 409
    assert "王芳" in page and "甲的标题" in page and "未保存" in page
    assert 'value="乙的标题"' in page  # what B typed is still in the form, not lost
    assert current(store, "circular.title") == "甲的标题"
    assert current(store, "circular.signer") == ""  # nothing of the refused save was written
    assert len(rows(store)) == 1
    # B has seen the current value now: saving again is a deliberate change
    b.open()
    assert b.save({"circular.title": ("甲的标题", "乙的标题")}).status_code == 303
    assert current(store, "circular.title") == "乙的标题"


def test_approving_an_item_that_changed_since_is_refused(app, store):
    a, b = Reviewer(app, "王芳"), Reviewer(app, "李明")
    a.open()
    b.open()
    assert b.save({"circular.signer": ("", "胡晓东")}).status_code == 303
    r = a.save({}, action="approve")
    assert r.status_code == 409 and "李明" in r.get_data(as_text=True)
    assert store.state(MAIN).row["status"] == "unreviewed"


def test_undo_restores_the_previous_value_as_a_new_row(app, store):
    a = Reviewer(app, "王芳")
    a.open()
    a.save({"circular.doc_number": ("浙委办发〔2014〕8号", "浙委办发〔2014〕9号")})
    edit = rows(store)[0]
    r = a.client.post(f"/undo/{MAIN}", data={"csrf_token": a.csrf, "correction": edit["id"]})
    assert r.status_code == 303
    assert current(store, "circular.doc_number") == "浙委办发〔2014〕8号"
    trail = rows(store)
    assert [t["action"] for t in trail] == ["edit", "undo"]
    assert trail[0]["new_value"] == "浙委办发〔2014〕9号"  # the edit is kept, not overwritten
    assert (trail[1]["undoes"], trail[1]["old_value"], trail[1]["new_value"]) == (edit["id"], "浙委办发〔2014〕9号", "浙委办发〔2014〕8号")
    assert "已撤销" in a.open()
    # undone once; a second undo of the same edit is refused
    again = a.client.post(f"/undo/{MAIN}", data={"csrf_token": a.csrf, "correction": edit["id"]})
    assert again.status_code == 409 and len(rows(store)) == 2


def test_undo_of_a_value_changed_since_is_refused(app, store):
    a, b = Reviewer(app, "王芳"), Reviewer(app, "李明")
    a.open()
    a.save({"circular.signer": ("", "胡晓东")})
    b.open()
    b.save({"circular.signer": ("胡晓东", "胡小东")})
    r = a.client.post(f"/undo/{MAIN}", data={"csrf_token": a.csrf, "correction": rows(store)[0]["id"]})
    assert r.status_code == 409 and "李明" in r.get_data(as_text=True)
    assert current(store, "circular.signer") == "胡小东"


def test_invalid_dates_are_refused_and_odd_doc_numbers_warn(app, store):
    a = Reviewer(app, "王芳")
    a.open()
    r = a.save({"circular.issue_date": ("2014-01-24", "2014-02-30")})
    assert r.status_code == 400 and "不是真实存在的日期" in r.get_data(as_text=True)
    r = a.save({"circulation[0].returned": ("", "2月3日")})
    assert r.status_code == 400 and "YYYY-MM-DD" in r.get_data(as_text=True)
    assert rows(store) == []
    r = a.save({"circular.doc_number": ("浙委办发〔2014〕8号", "浙委办发2014-8")})
    assert r.status_code == 303
    assert "不合" in a.open() and current(store, "circular.doc_number") == "浙委办发2014-8"


def test_approve_marks_the_item_reviewed_and_moves_on(app, store):
    a = Reviewer(app, "王芳")
    a.open()
    r = a.save({"circular.doc_number": ("浙委办发〔2014〕8号", "浙委办发〔2014〕8号")}, action="approve")
    assert r.status_code == 303
    item = store.state(MAIN).row
    assert (item["status"], item["reviewed_by"]) == ("reviewed", "王芳") and item["reviewed_at"] is not None
    assert [t["action"] for t in rows(store)] == ["approve"]
    assert store.counts()["reviewed"] == 1 and store.queue("needs_review") == []
    a.open()
    assert a.client.post(f"/reopen/{MAIN}", data={"csrf_token": a.csrf}).status_code == 303
    assert store.state(MAIN).row["status"] == "unreviewed"
    assert [t["action"] for t in rows(store)] == ["approve", "reopen"]


# -- security ---------------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_rejected(app, store):
    a = Reviewer(app, "王芳")
    a.open()
    data = {"version": a.version, "s:circular.title": "x", "v:circular.title": "被篡改"}
    assert a.client.post(SAVE, data=data).status_code == 400
    assert a.client.post(SAVE, data={**data, "csrf_token": "forged"}).status_code == 400
    other = Reviewer(app, "李明")  # a valid token, of another session
    assert a.client.post(SAVE, data={**data, "csrf_token": other.csrf}).status_code == 400
    assert a.client.post("/reviewer", data={"reviewer": "攻击者"}).status_code == 400
    assert rows(store) == []


def test_changes_need_a_reviewer_name(app, store):
    anonymous = Reviewer(app, None)
    anonymous.open()
    r = anonymous.save({"circular.title": ("关于做好扶贫结对帮扶工作的通知", "无名氏的标题")})
    assert r.status_code == 403 and "审核人" in r.get_data(as_text=True)
    r = anonymous.client.post("/reviewer", data={"reviewer": "   ", "csrf_token": anonymous.csrf, "next": "/"})
    assert r.status_code == 303 and "reviewer" not in (anonymous.client.get_cookie("session").value or "")
    assert rows(store) == []


def test_values_are_escaped_in_every_page(app, store):
    a = Reviewer(app, "<b>王芳</b>")
    a.open()
    evil = '"><script>alert(1)</script>'
    assert a.save({"circular.title": ("关于做好扶贫结对帮扶工作的通知", evil)}).status_code == 303
    for page in (a.open(), a.client.get("/?show=all").get_data(as_text=True)):
        assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<b>王芳</b>" not in page
    assert "script-src 'self'" in a.client.get(ITEM).headers["Content-Security-Policy"]


@pytest.mark.parametrize("url", [
    "/page/1/..%2F..%2F..%2Fetc%2Fpasswd",
    "/page/1/../../../etc/passwd",
    f"/page/1/{MAIN}%2F..%2F..%2F..%2Freview.sqlite",
    "/page/1/%2Fetc%2Fpasswd",
    f"/page/0/{MAIN}",
    f"/page/2/{MAIN}",
    "/page/1/no/such-item",
    "/static/..%2F..%2Fpipeline%2Freview.py",
    "/static/review.html",
])
def test_paths_in_image_and_static_urls_are_refused(app, url):
    r = app.test_client().get(url, follow_redirects=True)  # "//" is merged by a redirect first
    assert r.status_code in (400, 404)
    assert b"root:" not in r.data and b"SQLite" not in r.data


def test_a_page_image_is_served_only_for_a_known_item(app, out):
    r = app.test_client().get(f"/page/1/{MAIN}")
    assert r.status_code == 200 and r.mimetype == "image/jpeg"
    assert r.data == (out / ".gongwen" / "pages" / MAIN / "0001.jpg").read_bytes()
    assert app.test_client().get("/static/review.js").mimetype == "text/javascript"


def test_a_document_json_naming_another_item_is_not_loaded(out, tmp_path):
    rogue = out / "items" / "rogue" / "document.json"
    rogue.parent.mkdir(parents=True)
    data = json.loads((out / "items" / MAIN / "document.json").read_text(encoding="utf-8"))
    rogue.write_text(json.dumps({**data, "item_id": "../../../etc"}), encoding="utf-8")
    store = ReviewStore(out)
    assert store.sync() == 2 and "../../../etc" not in [r["item_id"] for r in store.queue("all")]


def test_a_bilevel_page_is_sent_as_png(tmp_path):
    from PIL import Image

    out = write_out(tmp_path)
    folder = out / ".gongwen" / "pages" / MAIN
    Image.open(folder / "0001.jpg").convert("1").save(folder / "0001.tif", compression="group4")
    (folder / "0001.jpg").unlink()
    store = ReviewStore(out)
    store.sync()
    r = create_app(store).test_client().get(f"/page/1/{MAIN}")
    assert r.status_code == 200 and r.mimetype == "image/png" and r.data[:8] == b"\x89PNG\r\n\x1a\n"


# -- export -----------------------------------------------------------------------------------


def test_export_applies_the_corrections_to_the_csvs_json_and_html(app, store, out):
    a = Reviewer(app, "王芳")
    a.open()
    a.save({
        "circular.doc_number": ("浙委办发〔2014〕8号", "浙委办发〔2014〕18号"),
        "circulation[0].reader": ("王建国", "王建华"),
        "annotations[0].signer": ("李明", "李铭"),
        "tables[0].cells[3,1]": ("21", "20"),
    }, action="approve")
    summary = export_reviewed(out, store.url)
    assert (summary.items, summary.rewritten, summary.approved, summary.corrected_values) == (2, 1, 1, 4)
    docs = {r["item_id"]: r for r in read_csv(out / "documents.csv")}
    assert docs[MAIN]["doc_number"] == "浙委办发〔2014〕18号"
    assert docs[MAIN]["needs_review"] == "false" and docs[MAIN]["error"] == ""  # the 合计 adds up now
    assert docs[OTHER]["doc_number"] == "浙委办发〔2014〕3号"
    assert read_csv(out / "circulation.csv")[0]["reader"] == "王建华"
    assert read_csv(out / "annotations.csv")[0]["signer"] == "李铭"
    assert [r["value"] for r in read_csv(out / "tables.csv") if r["row"] == "3" and r["column"] == "2"] == ["20"]
    data = json.loads((out / "items" / MAIN / "document.json").read_text(encoding="utf-8"))
    field = data["fields"]["doc_number"]
    assert (field["value"], field["method"], field["confidence"]) == ("浙委办发〔2014〕18号", "reviewed", 1.0)
    assert field["raw"] == "浙委办发〔2014〕8号" and field["bbox"] == [120.0, 273.0, 500.0, 312.0]
    assert data["circulation"][0]["reader"]["method"] == "reviewed"
    assert data["review"]["approved"] is True and data["review"]["reviewed_by"] == "王芳"
    assert "tables[0].cells[3,1]" in data["review"]["corrected"]
    assert data["needs_review"] is False
    assert "浙委办发〔2014〕18号" in (out / "items" / MAIN / "document.html").read_text(encoding="utf-8")
    assert read_csv(out / "items" / MAIN / "table-1.csv")[-1]["帮扶村数"] == "20"
    catalogue = {r["item_id"]: r for r in read_csv(out / "catalogue.csv")}
    assert catalogue[MAIN]["文号"] == "浙委办发〔2014〕18号" and "需复核" not in catalogue[MAIN]["备注"]
    # the extracted document is kept; exporting again gives the same files
    kept = json.loads((out / ".gongwen" / "review" / "extracted" / MAIN / "document.json").read_text(encoding="utf-8"))
    assert kept["fields"]["doc_number"]["method"] == "" and kept.get("review") is None
    before = (out / "documents.csv").read_bytes(), (out / "items" / MAIN / "document.json").read_bytes()
    export_reviewed(out, store.url)
    assert ((out / "documents.csv").read_bytes(), (out / "items" / MAIN / "document.json").read_bytes()) == before


def test_export_after_an_undo_restores_the_extracted_value(app, store, out):
    a = Reviewer(app, "王芳")
    a.open()
    a.save({"circular.title": ("关于做好扶贫结对帮扶工作的通知", "改过的标题")})
    export_reviewed(out, store.url)
    assert read_csv(out / "documents.csv")[0]["title"] == "改过的标题"
    a.open()
    a.client.post(f"/undo/{MAIN}", data={"csrf_token": a.csrf, "correction": rows(store)[0]["id"]})
    export_reviewed(out, store.url)
    data = json.loads((out / "items" / MAIN / "document.json").read_text(encoding="utf-8"))
    assert data["fields"]["title"]["value"] == "关于做好扶贫结对帮扶工作的通知"
    assert data["fields"]["title"]["method"] == "" and data["fields"]["title"]["confidence"] == 0.99
    assert data["review"] is None and data["needs_review"] is True


def test_publishing_after_export_uses_the_reviewed_values(app, store, out, tmp_path):
    from gongwen.pipeline.publish.site import publish

    a = Reviewer(app, "王芳")
    a.open()
    a.save({"circular.title": ("关于做好扶贫结对帮扶工作的通知", "关于做好二〇一四年扶贫结对帮扶工作的通知")}, action="approve")
    export_reviewed(out, store.url)
    site = tmp_path / "site"
    publish(out, site)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "关于做好二〇一四年扶贫结对帮扶工作的通知" in index and "王芳" not in index


def test_the_cli_exports_and_refuses_a_bad_database_url(out, capsys):
    from gongwen.pipeline.cli import main

    assert main(["export", str(out)]) == 0
    assert "2 items" in capsys.readouterr().err
    assert main(["export", str(out), "--db", "nosuchdialect://x"]) == 2
    assert "cannot be opened" in capsys.readouterr().err
    assert main(["review", str(out.parent / "nothing-here")]) == 2


def test_simultaneous_saves_lose_nothing(store):
    """Reviewers saving at the same moment: saves of different values all land; of the same
    value seen the same way, exactly one lands and the others are refused."""
    from concurrent.futures import ThreadPoolExecutor

    from gongwen.pipeline.review.store import ReviewConflict

    names = ["甲", "乙", "丙", "丁"]
    paths = ["circular.signer", "circular.cc", "circular.printed_by", "circular.copy_number"]
    with ThreadPoolExecutor(len(names)) as pool:
        list(pool.map(lambda k: store.save(MAIN, names[k], {paths[k]: ("", f"值{k}")}), range(len(names))))
    assert [current(store, p) for p in paths] == [f"值{k}" for k in range(len(names))]
    assert store.state(MAIN).row["version"] == len(names)

    def race(k: int) -> str:
        try:
            store.save(MAIN, names[k], {"circular.urgency": ("", f"特急{k}")})
            return "saved"
        except ReviewConflict:
            return "refused"

    with ThreadPoolExecutor(len(names)) as pool:
        outcomes = list(pool.map(race, range(len(names))))
    assert sorted(outcomes) == ["refused"] * (len(names) - 1) + ["saved"]
    assert len([r for r in rows(store) if r["path"] == "circular.urgency"]) == 1


def test_export_puts_corrected_text_into_text_txt_and_the_searchable_pdf(app, store, out):
    import shutil
    import subprocess

    from helpers import missing_tool

    a = Reviewer(app, "王芳")
    a.open()
    a.save({
        "circular.title": ("关于做好扶贫结对帮扶工作的通知", "关于做好扶贫结对帮扶工作的补充通知"),
        "circular.issue_date": ("2014-01-24", "2014-01-25"),  # a date is no page text: left as printed
    })
    pdf = out / "items" / MAIN / "searchable.pdf"
    before = pdf.read_bytes()
    export_reviewed(out, store.url)
    text = (out / "items" / MAIN / "text.txt").read_text(encoding="utf-8")
    assert "关于做好扶贫结对帮扶工作的补充通知" in text and "关于做好扶贫结对帮扶工作的通知" not in text
    assert pdf.read_bytes() != before
    if not shutil.which("pdftotext"):
        missing_tool("pdftotext is missing: `make test` installs poppler-utils")
    layer = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "关于做好扶贫结对帮扶工作的补充通知" in layer


def test_restarting_keeps_the_review_and_sees_changed_items(store, out):
    """A restart (sync again) keeps every review state, reads only changed document.json files,
    and hides items whose folder is gone."""
    import shutil

    store.save(MAIN, "王芳", {"circular.signer": ("", "胡晓东")}, approve=True)
    doc = out / "items" / OTHER / "document.json"
    data = json.loads(doc.read_text(encoding="utf-8"))
    data["fields"]["title"]["value"] = "重新识别后的标题"
    doc.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert store.sync() == 2
    assert store.state(MAIN).row["status"] == "reviewed" and current(store, "circular.signer") == "胡晓东"
    assert {r["item_id"]: r["title"] for r in store.queue("all")}[OTHER] == "重新识别后的标题"
    shutil.rmtree(out / "items" / OTHER)
    assert store.sync() == 1 and [r["item_id"] for r in store.queue("all")] == [MAIN]
    assert app_404(store, f"/item/{OTHER}")


def app_404(store, url: str) -> bool:
    return create_app(store).test_client().get(url).status_code == 404


def test_a_long_queue_is_shown_in_pages(app, store, monkeypatch):
    from gongwen.pipeline.review import app as review

    monkeypatch.setattr(review, "QUEUE_PAGE_ROWS", 1)
    client = create_app(store).test_client()
    first = client.get("/?show=all").get_data(as_text=True)
    assert "共 2 件，显示第 1–1 件" in first and MAIN in first and OTHER not in first
    second = client.get("/?show=all&start=1").get_data(as_text=True)
    assert "显示第 2–2 件" in second and OTHER in second and f">{MAIN}<" not in second


def test_templates_and_styles_can_be_overridden(store, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "review.css").write_text("body { background: #fff; } /* ours */", encoding="utf-8")
    base = (Path(__file__).resolve().parent.parent / "templates" / "review-base.html").read_text(encoding="utf-8")
    (mine / "review-base.html").write_text(base.replace("gongwen 审核</a>", "某档案馆 审核</a>"), encoding="utf-8")
    client = create_app(store, mine).test_client()
    assert "某档案馆 审核" in client.get("/").get_data(as_text=True)
    assert b"/* ours */" in client.get("/static/review.css").data


def test_the_cli_serves_on_localhost_8765_by_default_and_loads_no_web_app_for_other_commands():
    import subprocess
    import sys

    from gongwen.pipeline.review import app as review
    from gongwen.pipeline.cli import build_parser

    args = build_parser().parse_args(["review", "OUT"])
    assert (args.host, args.port, args.db) == (review.DEFAULT_HOST, review.DEFAULT_PORT, None) == ("127.0.0.1", 8765, None)
    assert review.is_local("127.0.0.1") and review.is_local("::1") and review.is_local("localhost")
    assert not review.is_local("0.0.0.0") and not review.is_local("192.0.2.7")
    code = "import sys, gongwen.pipeline.cli as c; c.build_parser(); print('flask' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


@pytest.mark.parametrize("item_id", [
    "2014/8", "浙委办发〔2014〕8号", "a b", "line\nbreak", "x?y#z", "%41", "a+b&c;d=e", "~_.-", "1/2/3 4",
])
def test_item_urls_are_the_routes_own(out, item_id):
    """item_url quotes ids itself (a queue page has 200 of them); the same URL as url_for's,
    and a URL that opens the item's route with the id back."""
    from flask import url_for

    from gongwen.pipeline.review.web import item_url

    s = ReviewStore(out)
    try:
        app = create_app(s)
        with app.test_request_context("/"):
            assert item_url(item_id) == url_for("items.item", item_id=item_id)
            assert item_url("other") == url_for("items.item", item_id="other")  # the prefix kept once
        adapter = app.url_map.bind("localhost")
        assert adapter.match(item_url_path(app, item_id)) == ("items.item", {"item_id": item_id})
    finally:
        s.close()


def item_url_path(app, item_id: str) -> str:
    from urllib.parse import unquote

    from gongwen.pipeline.review.web import item_url

    with app.test_request_context("/"):
        return unquote(item_url(item_id))
