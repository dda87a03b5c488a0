"""Reviewer accounts in a real browser: Debian's chromium, headless, driven by Playwright (as
``test_review_browser.py``).  A reviewer logs in (after a wrong password), corrects a value,
which the audit trail records under the account's name, approves the item, and is refused
(403, nothing written) when reopening it, which needs the admin role; then logs out."""

from __future__ import annotations


import pytest
from sqlalchemy import select

from review_helpers import MAIN, served, write_out
from gongwen.pipeline.review.accounts import ADMIN, add_user
from gongwen.pipeline.review.store import ReviewStore, corrections, items

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def store(tmp_path):
    s = ReviewStore(write_out(tmp_path))
    s.sync()
    add_user(s, "王芳", PASSWORD)
    add_user(s, "张主任", "staple-admin-2024", ADMIN)
    yield s
    s.close()


@pytest.fixture
def server(store):
    """The app served by waitress (as ``gongwen review`` does) on a free port of 127.0.0.1."""
    with served(store) as url:
        yield url


def test_login_correct_and_a_refused_reopen(server, browser, store):
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + f"/item/{MAIN}")
    assert "/login?next=" in page.url
    page.fill("#login-name", "王芳")
    page.fill("#login-password", "not the password")
    with page.expect_navigation() as nav:
        page.locator("#login").click()
    assert nav.value.status == 401
    assert page.locator("#login-error").inner_text() == "用户名或密码不正确。"
    page.fill("#login-password", PASSWORD)
    with page.expect_navigation():
        page.locator("#login").click()
    assert page.url.endswith(f"/item/{MAIN}")  # back where the login began
    assert page.locator("#user-name").inner_text() == "王芳"
    assert page.locator("#user-role").inner_text() == "审核员"
    assert page.locator("#reviewer-name").count() == 0  # no name to type: the account's
    cookie = next(c for c in page.context.cookies() if c["name"] == "session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    field = page.locator('input[name="v:circular.doc_number"]')
    field.fill("浙委办发〔2014〕18号")
    with page.expect_navigation():
        field.press("Enter")
    assert "已保存 1 处修改" in page.locator(".message.ok").first.inner_text()
    with page.expect_navigation():
        page.locator("#approve").click()
    assert f"已批准：{MAIN}" in page.locator(".message.ok").first.inner_text()

    page.goto(server + f"/item/{MAIN}?show=all")
    assert "需要管理员权限" in page.locator(".message.locked").inner_text()
    with page.expect_navigation() as nav:
        page.locator("#reopen").click()  # reopening needs the admin role
    assert nav.value.status == 403
    assert "撤回批准需要管理员权限：王芳 是审核员" in page.locator(".error-page .message").inner_text()

    with store.engine.connect() as conn:
        trail = conn.execute(select(corrections).order_by(corrections.c.id)).mappings().all()
        item = conn.execute(select(items).where(items.c.item_id == MAIN)).mappings().one()
    assert [(r["path"], r["action"], r["new_value"], r["reviewer"]) for r in trail] == [
        ("circular.doc_number", "edit", "浙委办发〔2014〕18号", "王芳"),
        ("item", "approve", "reviewed", "王芳"),
    ]
    assert (item["status"], item["reviewed_by"]) == ("reviewed", "王芳")  # the refused reopen wrote nothing

    page.goto(server + "/")
    with page.expect_navigation():
        page.locator("#logout").click()
    assert page.url.endswith("/login") and page.locator("#login-password").count() == 1
    page.goto(server + "/")
    assert "/login?next=" in page.url
    assert errors == []
