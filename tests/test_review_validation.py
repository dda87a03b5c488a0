"""Every value a request gives the review app is checked (issue 17): a bad one answers 400 with a
message on the error page, never 500; redirects go only to paths of this site; item ids with
any character (a newline) open."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publish_helpers import make_document
from review_helpers import MAIN, keep_pages, write_out
from gongwen.pipeline.export.items import write_item
from gongwen.pipeline.review.app import create_app

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
ODD_ID = "2015/通知\n第 2 号#?%"


@pytest.fixture
def out(tmp_path) -> Path:
    out = write_out(tmp_path)
    doc = make_document(ODD_ID, tmp_path / "work", ["正文一段。"], title="文件名里有换行的件")
    keep_pages(doc, out)
    write_item(doc, out)
    return out


@pytest.fixture
def client(store):
    return create_app(store).test_client()


def _session(client, name: str | None = "王芳") -> str:
    csrf = CSRF.search(client.get("/").get_data(as_text=True)).group(1)
    if name:
        assert client.post("/reviewer", data={"reviewer": name, "csrf_token": csrf, "next": "/"}).status_code == 303
    return csrf


def _refused(r, *words: str) -> None:
    text = r.get_data(as_text=True)
    assert r.status_code == 400, (r.status_code, text[:300])
    assert 'class="message error"' in text  # the error page, with the message
    for word in words:
        assert word in text


@pytest.mark.parametrize("query, name", [
    ("start=99999999999999999999", "start"),
    ("start=①", "start"),
    ("start=-1", "start"),
    ("start=1e3", "start"),
    ("year=①", "year"),
    ("year=①①①①", "year"),
    ("year=٢٠١٤", "year"),  # Arabic-Indic digits: isdigit() says yes, a year they are not
    ("year=20145", "year"),
    ("show=everything", "show"),
    ("issuer=%E6%B5%99%0A", "issuer"),
])
def test_bad_query_values_answer_400_with_a_message(client, query, name):
    _refused(client.get("/?" + query), name)


def test_bad_query_values_on_an_item_page_answer_400(client):
    _refused(client.get(f"/item/{MAIN}?year=①"), "year")
    _refused(client.get(f"/item/{MAIN}?field=circular.title%00"), "field")
    _refused(client.get(f"/item/{MAIN}?field=%0A"), "field")


def test_good_query_values_still_work(client):
    assert client.get("/?show=all&year=2014&start=0&issuer=中共浙江省委办公厅").status_code == 200
    assert client.get("/?show=all&year=&start=").status_code == 200
    assert client.get(f"/item/{MAIN}?show=reviewed&field=circular.title").status_code == 200


@pytest.mark.parametrize("version", ["①", "99999999999999999999", "-1", "x"])
def test_a_bad_version_answers_400(client, store, version):
    csrf = _session(client)
    r = client.post(f"/save/{MAIN}", data={"csrf_token": csrf, "version": version, "action": "approve"})
    _refused(r, "version")
    assert store.state(MAIN).row["status"] == "unreviewed"


def test_a_bad_action_or_correction_answers_400(client, store):
    csrf = _session(client)
    _refused(client.post(f"/save/{MAIN}", data={"csrf_token": csrf, "version": "0", "action": "delete"}), "action")
    _refused(client.post(f"/undo/{MAIN}", data={"csrf_token": csrf, "correction": "①"}), "correction")
    _refused(client.post(f"/undo/{MAIN}", data={"csrf_token": csrf, "correction": "99999999999999999999"}), "correction")
    _refused(client.post(f"/undo/{MAIN}", data={"csrf_token": csrf}), "correction")


def test_an_item_id_with_a_newline_opens(client, store):
    from flask import Flask

    page = client.get("/?show=all").get_data(as_text=True)
    link = re.search(r'href="(/item/2015/[^"?]*)\?', page).group(1)
    assert "\n" not in link and "%0A" in link
    r = client.get(link)
    assert r.status_code == 200 and "文件名里有换行的件" in r.get_data(as_text=True)
    image = re.search(r'src="(/page/1/[^"]*)"', r.get_data(as_text=True)).group(1)
    assert client.get(image).status_code == 200
    csrf = _session(client)
    version = VERSION.search(client.get(link).get_data(as_text=True)).group(1)
    saved = client.post(link.replace("/item/", "/save/", 1), data={
        "csrf_token": csrf, "version": version, "s:circular.signer": "", "v:circular.signer": "胡晓东",
    })
    assert saved.status_code == 303 and saved.headers["Location"].startswith(link)
    assert store.state(ODD_ID).current.circular.signer.value == "胡晓东"
    assert isinstance(client.application, Flask)


@pytest.mark.parametrize("target", [
    "/%09/evil.example/",
    "/\t/evil.example/",
    "/\n",
    "/x\r\nSet-Cookie: a=b",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "/%5Cevil.example",
    "/%2F%2Fevil.example",
    "https://evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    " /item",
    "",
])
def test_next_never_leaves_the_site(client, target):
    csrf = _session(client, None)
    r = client.post("/reviewer", data={"reviewer": "王芳", "csrf_token": csrf, "next": target})
    assert r.status_code == 303 and r.headers["Location"] == "/"
    from gongwen.pipeline.review.app import safe_next

    assert safe_next(target) == "/"


@pytest.mark.parametrize("target", ["/", f"/item/{MAIN}?show=all&year=2014", "/?show=reviewed", "/item/2014/%E9%80%9A"])
def test_next_keeps_paths_of_this_site(client, target):
    csrf = _session(client, None)
    r = client.post("/reviewer", data={"reviewer": "王芳", "csrf_token": csrf, "next": target})
    assert r.status_code == 303 and r.headers["Location"] == target


def test_control_characters_in_a_name_or_a_value_are_refused(client, store):
    csrf = _session(client, None)
    r = client.post("/reviewer", data={"reviewer": "王\x00芳", "csrf_token": csrf, "next": "/"}, follow_redirects=True)
    assert "控制字符" in r.get_data(as_text=True)
    csrf = _session(client)
    version = VERSION.search(client.get(f"/item/{MAIN}").get_data(as_text=True)).group(1)
    r = client.post(f"/save/{MAIN}", data={
        "csrf_token": csrf, "version": version,
        "s:circular.title": "关于做好扶贫结对帮扶工作的通知", "v:circular.title": "标题\x00里有 NUL",
    })
    assert r.status_code == 400 and "控制字符" in r.get_data(as_text=True)
    assert store.state(MAIN).history == []
