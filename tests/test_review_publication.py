"""An archivist decides an item's publication in the review app (issue 17): 公开 / 不公开 /
按附注判断 (the default), stored and audited like any correction (who, when, undo), exported into
document.json's ``review`` and used by ``gongwen publish`` before the 附注."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from publish_helpers import make_document
from review_helpers import MAIN, OTHER, keep_pages, write_out
from gongwen.parsers.model import Review, document_from_dict, to_dict
from gongwen.pipeline.export.items import write_item
from gongwen.pipeline.publish.site import publish
from gongwen.pipeline.review.app import create_app
from gongwen.pipeline.review.export import export_reviewed
from gongwen.pipeline.review.store import ReviewConflict, corrections

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
UNMARKED = "2014/unmarked"
UNMARKED_PHRASE = "没有附注的通知正文甲乙丙"


@pytest.fixture
def out(tmp_path) -> Path:
    """write_out's items (MAIN and OTHER marked 此件公开发布) and one without any 附注."""
    out = write_out(tmp_path)
    doc = make_document(UNMARKED, tmp_path / "work", [UNMARKED_PHRASE], title="没有附注的通知", disclosure=None)
    keep_pages(doc, out)
    write_item(doc, out)
    return out


class Reviewer:
    def __init__(self, app, name: str) -> None:
        self.client = app.test_client()
        self.csrf = CSRF.search(self.client.get("/").get_data(as_text=True)).group(1)
        self.client.post("/reviewer", data={"reviewer": name, "csrf_token": self.csrf, "next": "/"})

    def open(self, item_id: str) -> str:
        self.page = self.client.get(f"/item/{item_id}").get_data(as_text=True)
        self.version = VERSION.search(self.page).group(1)
        return self.page

    def decide(self, item_id: str, seen: str, decision: str):
        return self.client.post(f"/save/{item_id}", data={
            "csrf_token": self.csrf, "version": self.version, "action": "save",
            "s:publication": seen, "v:publication": decision,
        })


def _rows(store, item_id):
    from sqlalchemy import select

    with store.engine.connect() as conn:
        query = select(corrections).where(corrections.c.item_id == item_id).order_by(corrections.c.id)
        return [dict(r) for r in conn.execute(query).mappings()]


def test_the_decision_is_a_value_of_the_audit_trail():
    from gongwen.pipeline.review.corrections import CorrectionError, apply_corrections, check_value, parse_path, value_text

    doc = make_document("x", Path("/tmp/gongwen-test-publication"), ["正文。"])
    assert str(parse_path("publication")) == "publication"
    assert value_text(doc, "publication") == ""
    with pytest.raises(CorrectionError):
        check_value("publication", "maybe")
    decided = apply_corrections(doc, [("publication", "public"), ("publication", "withheld")],
                                publication_by="王芳", publication_at="2026-01-02T03:04:05Z")
    review = decided.review
    assert (review.publication, review.publication_by, review.publication_at) == ("withheld", "王芳", "2026-01-02T03:04:05Z")
    assert review.corrected == () and not review.approved and value_text(decided, "publication") == "withheld"
    assert apply_corrections(doc, [("publication", "public"), ("publication", "")]).review is None  # back to the 附注
    # document.json keeps it, and an older one without it reads as no decision
    assert document_from_dict({**to_dict(decided), "fields": to_dict(decided)["circular"]}).review == review
    old = to_dict(replace(doc, review=Review(approved=True)))
    for key in ("publication", "publication_by", "publication_at"):
        del old["review"][key]
    assert document_from_dict(old).review.publication is None


def test_a_reviewer_decides_and_undoes_in_the_app(store):
    app = create_app(store)
    a = Reviewer(app, "王芳")
    page = a.open(MAIN)
    assert 'name="v:publication"' in page and "按附注判断" in page
    assert "此件公开发布" in page  # what the 附注 decides, with its reason
    r = a.decide(MAIN, "", "withheld")
    assert r.status_code == 303
    [row] = _rows(store, MAIN)
    assert (row["path"], row["action"], row["old_value"], row["new_value"], row["reviewer"]) == (
        "publication", "edit", "", "withheld", "王芳")
    page = a.open(MAIN)
    assert re.search(r'<option value="withheld"\s+selected', page)
    assert "审核人王芳决定不公开" in page
    undo = a.client.post(f"/undo/{MAIN}", data={"csrf_token": a.csrf, "correction": row["id"]})
    assert undo.status_code == 303
    assert [r["action"] for r in _rows(store, MAIN)] == ["edit", "undo"]
    from gongwen.pipeline.review.corrections import value_text

    assert value_text(store.state(MAIN).current, "publication") == ""
    bad = a.decide(MAIN, "", "perhaps")
    assert bad.status_code == 400


def test_a_stale_decision_is_refused(store):
    app = create_app(store)
    a, b = Reviewer(app, "王芳"), Reviewer(app, "李明")
    a.open(MAIN)
    b.open(MAIN)
    assert a.decide(MAIN, "", "public").status_code == 303
    r = b.decide(MAIN, "", "withheld")
    assert r.status_code == 409 and "王芳" in r.get_data(as_text=True)
    with pytest.raises(ReviewConflict):
        store.save(MAIN, "李明", {"publication": ("", "withheld")})


def test_export_and_publish_follow_the_reviewers_decision(store, out, tmp_path):
    from test_publish import site_text

    store.save(MAIN, "王芳", {"publication": ("", "withheld")})  # 此件公开发布, and yet withheld
    store.save(UNMARKED, "李明", {"publication": ("", "public")})  # no 附注, and yet public
    before = publish(out, tmp_path / "before")
    assert sorted(before.published) == [MAIN, OTHER] and UNMARKED in before.withheld
    summary = export_reviewed(out, store.url)
    assert summary.publication_decisions == 2
    data = json.loads((out / "items" / MAIN / "document.json").read_text(encoding="utf-8"))
    assert data["review"]["publication"] == "withheld" and data["review"]["publication_by"] == "王芳"
    assert data["review"]["publication_at"].endswith("Z") and data["review"]["approved"] is False
    site = publish(out, tmp_path / "site")
    assert sorted(site.published) == [OTHER, UNMARKED]
    assert "王芳" in site.withheld[MAIN] and "审核" in site.withheld[MAIN]
    text = site_text(tmp_path / "site")
    assert UNMARKED_PHRASE in text and "近年来，省级结对帮扶团组" not in text
    assert "李明" not in text  # who decided is internal
