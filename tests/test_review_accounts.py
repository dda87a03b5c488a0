"""Reviewer accounts of the review app: passwords hashed (werkzeug), the user store on SQLite and
PostgreSQL, the limit on failed logins, the login (CSRF, same answer for an unknown name and a
wrong password, a fresh HttpOnly SameSite session), roles (what a reviewer without the admin
role is refused, writing nothing), every correction under the logged-in user, ``gongwen review
--add-user`` (the password asked twice, never from argv), and no serving beyond this machine
without accounts."""

from __future__ import annotations

import io
import logging
import re
import sys
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from review_helpers import MAIN, database_url, write_out
from review_pg import postgres_cluster  # noqa: F401 (a fixture)
from gongwen.pipeline import cli
from gongwen.pipeline.review import accounts
from gongwen.pipeline.review.accounts import (
    ADMIN,
    REVIEWER,
    AccountError,
    LoginLimiter,
    add_user,
    authenticate,
    get_user,
    has_users,
    list_users,
    remove_user,
    set_password,
    set_role,
)
from gongwen.pipeline.review.app import create_app
from gongwen.pipeline.review.store import ReviewStore, corrections, users

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
PASSWORD = "correct horse battery"
ADMIN_PASSWORD = "staple-admin-2024"
TITLE = "关于做好扶贫结对帮扶工作的通知"
DOC_NUMBER = "浙委办发〔2014〕8号"


@pytest.fixture(scope="module")
def bare_out(tmp_path_factory):
    """An OUT with no items: enough for the user store."""
    out = tmp_path_factory.mktemp("bare") / "out"
    (out / "items").mkdir(parents=True)
    return out


@pytest.fixture(params=["sqlite", "postgresql"])
def bare_store(request, bare_out):
    url = database_url(request, request.param)
    if url is None:
        (bare_out / "review.sqlite").unlink(missing_ok=True)
    s = ReviewStore(bare_out, url)
    yield s
    s.close()


@pytest.fixture
def out(tmp_path):
    return write_out(tmp_path)


@pytest.fixture
def store(out):
    s = ReviewStore(out)
    s.sync()
    add_user(s, "王芳", PASSWORD)
    add_user(s, "李明", PASSWORD)
    add_user(s, "张主任", ADMIN_PASSWORD, ADMIN)
    yield s
    s.close()


@pytest.fixture
def app(store):
    return create_app(store)


def trail(store):
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(corrections).order_by(corrections.c.id)).mappings()]


class Browser:
    """One browser's session with the test client: logs in, opens an item, posts its forms."""

    def __init__(self, app, address: str = "127.0.0.1") -> None:
        self.client = app.test_client()
        self.address = address
        self.csrf = ""

    def login_page(self, next_: str = "/"):
        r = self.client.get("/login", query_string={"next": next_})
        self.csrf = CSRF.search(r.get_data(as_text=True)).group(1)
        return r

    def login(self, name: str, password: str, next_: str = "/"):
        if not self.csrf:
            self.login_page(next_)
        return self.client.post(
            "/login", data={"csrf_token": self.csrf, "name": name, "password": password, "next": next_},
            environ_base={"REMOTE_ADDR": self.address},
        )

    def open(self, path: str = f"/item/{MAIN}") -> str:
        r = self.client.get(path)
        assert r.status_code == 200, r.status_code
        page = r.get_data(as_text=True)
        self.csrf = CSRF.search(page).group(1)
        self.version = VERSION.search(page).group(1) if VERSION.search(page) else ""
        return page

    def post(self, path: str, **data):
        return self.client.post(path, data={"csrf_token": self.csrf, **data})

    def save(self, values: dict[str, tuple[str, str]], action: str = "save"):
        data = {"version": self.version, "action": action}
        for path, (seen, typed) in values.items():
            data["s:" + path], data["v:" + path] = seen, typed
        return self.post(f"/save/{MAIN}", **data)


def logged_in(app, name: str, password: str = PASSWORD) -> Browser:
    b = Browser(app)
    assert b.login(name, password).status_code == 303
    b.open()
    return b


# -- the user store ---------------------------------------------------------------------------


def test_passwords_are_stored_hashed_and_checked(bare_store):
    store = bare_store
    assert not has_users(store) and list_users(store) == []
    user = add_user(store, "  王  芳 ", PASSWORD, ADMIN)
    assert (user.name, user.role, user.is_admin) == ("王 芳", ADMIN, True)
    assert PASSWORD not in repr(user)
    with store.engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("scrypt:") and PASSWORD not in stored
    assert authenticate(store, "王 芳", PASSWORD) == user
    assert authenticate(store, "王  芳", PASSWORD) == user  # names compared as stored
    assert authenticate(store, "王 芳", PASSWORD + "x") is None
    assert authenticate(store, "李明", PASSWORD) is None
    assert authenticate(store, "王 芳", "") is None
    with pytest.raises(AccountError, match="already"):
        add_user(store, "王 芳", "another password")
    add_user(store, "李明", "li-ming-password")
    assert [(u.name, u.role) for u in list_users(store)] == sorted([("王 芳", ADMIN), ("李明", REVIEWER)])
    set_password(store, "李明", "a new password")
    assert authenticate(store, "李明", "li-ming-password") is None
    assert authenticate(store, "李明", "a new password").name == "李明"
    remove_user(store, "李明")
    assert get_user(store, "李明") is None and has_users(store)
    with pytest.raises(AccountError, match="no user"):
        remove_user(store, "李明")
    with pytest.raises(AccountError, match="no user"):
        set_password(store, "李明", "a new password")


@pytest.mark.parametrize("name, password, role, message", [
    ("王芳", "", REVIEWER, "empty"),
    ("王芳", " " * 12, REVIEWER, "empty"),
    ("王芳", "short", REVIEWER, "too short"),
    ("wangfang01", "WangFang01", REVIEWER, "name"),
    ("王芳", "tab\tin the password", REVIEWER, "control"),
    ("王芳", "x" * 2000, REVIEWER, "too long"),
    ("王芳", PASSWORD, "root", "role"),
    ("", PASSWORD, REVIEWER, "姓名"),
    ("王\x07芳", PASSWORD, REVIEWER, "控制字符"),
    ("王" * 81, PASSWORD, REVIEWER, "过长"),
])
def test_bad_names_passwords_and_roles_are_refused(bare_out, name, password, role, message):
    with pytest.raises(AccountError, match=message):
        accounts.check_name(name)
        accounts.check_role(role)
        accounts.check_password(password, name)


def test_an_unknown_name_is_checked_against_a_hash_as_a_wrong_password_is(bare_store, monkeypatch):
    add_user(bare_store, "王芳", PASSWORD)
    checked = []
    real = accounts.check_password_hash
    monkeypatch.setattr(accounts, "check_password_hash", lambda h, p: checked.append(h.split("$")[0]) or real(h, p))
    assert authenticate(bare_store, "王芳", "wrong password") is None
    assert authenticate(bare_store, "无此人", "wrong password") is None
    assert authenticate(bare_store, "王芳", "x" * 5000) is None
    assert checked == ["scrypt:32768:8:1"] * 3  # the same work for each


def test_the_limiter_counts_failures_per_name_and_per_address_in_a_window():
    now = [1000.0]
    limiter = LoginLimiter(max_failures=5, window=300, clock=lambda: now[0])
    for k in range(5):
        assert limiter.retry_after("王芳", f"192.0.2.{k}") == 0
        limiter.failed("王芳", f"192.0.2.{k}")
        now[0] += 10
    assert limiter.retry_after("王芳", "198.51.100.1") == 300 - 50  # the name, from anywhere
    assert limiter.retry_after("李明", "192.0.2.0") == 0  # each address failed once only
    for name in ("a", "b", "c", "d", "e"):
        limiter.failed(name, "203.0.113.9")
    assert limiter.retry_after("李明", "203.0.113.9") == 300  # the address, for any name
    now[0] += 251
    assert limiter.retry_after("王芳", "198.51.100.1") == 0  # the oldest failure left the window
    limiter.failed("李明", "192.0.2.50")
    limiter.succeeded("李明")
    assert ("name", "李明") not in limiter._failures and ("address", "192.0.2.50") in limiter._failures
    small = LoginLimiter(max_tracked=10, clock=lambda: now[0])
    for k in range(20):
        small.failed(f"n{k}", "192.0.2.1")
    assert len(small._failures) <= 10 and small.retry_after("x", "192.0.2.1") > 0


# -- logging in -------------------------------------------------------------------------------


def test_with_accounts_every_page_but_the_login_needs_a_login(app, store):
    client = app.test_client()
    r = client.get("/?show=all")
    assert r.status_code == 303 and r.headers["Location"] == "/login?next=/?show%3Dall"
    for path in (f"/item/{MAIN}", f"/page/1/{MAIN}", "/no/such/page"):
        assert client.get(path).status_code == 303
    assert client.get("/static/review.css").status_code == 200
    page = client.get("/login").get_data(as_text=True)
    assert 'type="password"' in page and 'id="reviewer-name"' not in page
    token = CSRF.search(page).group(1)
    r = client.post(f"/save/{MAIN}", data={"csrf_token": token, "v:circular.title": "x", "s:circular.title": TITLE})
    assert r.status_code == 401 and trail(store) == []
    # the login form needs the CSRF token too
    assert client.post("/login", data={"name": "王芳", "password": PASSWORD}).status_code == 400


def test_a_login_answers_alike_for_unknown_names_and_wrong_passwords_and_starts_a_fresh_session(app, caplog):
    b = Browser(app)
    b.login_page()
    before = b.csrf
    caplog.set_level(logging.INFO, logger="gongwen.pipeline.review")
    wrong, unknown = b.login("王芳", "not the password"), b.login("无此人", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    message = "用户名或密码不正确"
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    r = b.login("王芳", PASSWORD, next_=f"/item/{MAIN}")
    assert r.status_code == 303 and r.headers["Location"] == f"/item/{MAIN}"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie and "Expires=" in cookie
    page = b.open()
    assert b.csrf != before  # the session before the login is not kept
    assert '<strong id="user-name">王芳</strong>' in page and 'id="reviewer-name"' not in page
    assert "审核员" in page
    logged = [r.getMessage() for r in caplog.records]
    assert "review login failed for '王芳' from 127.0.0.1" in logged
    assert "review login failed for '无此人' from 127.0.0.1" in logged
    assert "review login: '王芳' (reviewer) from 127.0.0.1" in logged
    assert not any(PASSWORD in m for m in logged)
    r = b.client.post("/login", data={"csrf_token": b.csrf, "name": "x", "password": "y", "next": "//evil.example/"})
    assert r.status_code == 401
    assert b.login("王芳", PASSWORD, next_="//evil.example/").headers["Location"] == "/"


def test_secure_cookies_are_sent_over_https_only(store):
    b = Browser(create_app(store, secure_cookies=True))
    b.login_page()
    assert "Secure" in b.login("王芳", PASSWORD).headers["Set-Cookie"]


def test_too_many_failed_logins_are_refused_with_retry_after(app):
    b = Browser(app, address="192.0.2.7")
    for _ in range(5):
        assert b.login("王芳", "guess number n").status_code == 401
    r = b.login("王芳", PASSWORD)  # the right password, but too late
    assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 300
    assert "登录失败次数过多" in r.get_data(as_text=True)
    assert Browser(app, address="198.51.100.2").login("王芳", PASSWORD).status_code == 429  # the name
    assert b.login("李明", PASSWORD).status_code == 429  # the address
    assert Browser(app, address="198.51.100.2").login("李明", PASSWORD).status_code == 303


def test_logout_is_a_post_and_ends_the_session(app):
    b = logged_in(app, "王芳")
    assert b.client.get("/logout").status_code == 405
    r = b.post("/logout")
    assert r.status_code == 303 and r.headers["Location"] == "/login"
    assert b.client.get("/").status_code == 303


def test_a_removed_user_or_a_new_password_ends_their_sessions(app, store):
    a, b = logged_in(app, "王芳"), logged_in(app, "李明")
    set_password(store, "王芳", "a fresh password")
    remove_user(store, "李明")
    for browser in (a, b):
        assert browser.client.get("/").status_code == 303
        assert browser.save({"circular.title": (TITLE, "改")}).status_code == 401
    assert trail(store) == []


def test_accounts_required_without_any_account_lets_nobody_in(out):
    s = ReviewStore(out)
    try:
        app = create_app(s, accounts_required=True)
        b = Browser(app)
        assert b.client.get("/").status_code == 303
        assert "尚无审核账户" in b.login_page().get_data(as_text=True)
        assert b.login("王芳", PASSWORD).status_code == 401
        # without accounts and on this machine: as before, a name and no login
        open_app = create_app(s)
        assert open_app.test_client().get("/").status_code == 200
        assert open_app.test_client().get("/login").status_code == 303
    finally:
        s.close()


# -- roles and the audit trail ----------------------------------------------------------------


def test_corrections_are_recorded_under_the_logged_in_user(app, store):
    a = logged_in(app, "王芳")
    r = a.post("/reviewer", reviewer="别人", next="/")  # no other name with accounts
    assert r.status_code == 403
    assert a.save({"circular.title": (TITLE, TITLE + "（修订）")}).status_code == 303
    assert [(t["action"], t["reviewer"]) for t in trail(store)] == [("edit", "王芳")]


def test_what_a_reviewer_without_the_admin_role_is_refused_writes_nothing(app, store, caplog):
    wang, li, boss = logged_in(app, "王芳"), logged_in(app, "李明"), logged_in(app, "张主任", ADMIN_PASSWORD)
    assert wang.save({"circular.signer": ("", "胡晓东")}).status_code == 303
    [edit] = trail(store)
    li.open()
    r = li.post(f"/undo/{MAIN}", correction=str(edit["id"]))  # another's correction
    assert r.status_code == 403 and "撤销他人的修改需要管理员权限" in r.get_data(as_text=True)
    assert len(trail(store)) == 1
    wang.open()
    assert wang.post(f"/undo/{MAIN}", correction=str(edit["id"])).status_code == 303  # their own
    wang.open()
    assert wang.save({}, action="approve").status_code == 303
    page = wang.open()
    assert "此件已批准：修改、撤销或撤回批准需要管理员权限" in page
    before = trail(store)
    caplog.set_level(logging.WARNING, logger="gongwen.pipeline.review")
    r = wang.post(f"/reopen/{MAIN}")
    assert r.status_code == 403 and "撤回批准需要管理员权限：王芳 是审核员" in r.get_data(as_text=True)
    r = wang.save({"circular.signer": ("", "胡晓东")})
    assert r.status_code == 403 and "修改已批准的件需要管理员权限" in r.get_data(as_text=True)
    assert trail(store) == before and store.state(MAIN).row["status"] == "reviewed"
    assert any("'王芳' refused to POST /reopen/" in m for m in caplog.messages)
    # the admin may: change the approved item, undo another's correction, reopen
    boss.open()
    assert boss.save({"circular.signer": ("", "胡小东")}).status_code == 303
    li.open()
    assert li.save({}).status_code == 403  # still approved
    boss.open()
    assert boss.post(f"/undo/{MAIN}", correction=str(trail(store)[-1]["id"])).status_code == 303
    boss.open()
    assert boss.post(f"/reopen/{MAIN}").status_code == 303
    assert [(t["action"], t["reviewer"]) for t in trail(store)] == [
        ("edit", "王芳"), ("undo", "王芳"), ("approve", "王芳"), ("edit", "张主任"), ("undo", "张主任"), ("reopen", "张主任"),
    ]
    assert store.state(MAIN).row["status"] == "unreviewed"


# -- the command line -------------------------------------------------------------------------


class Terminal:
    """A terminal on standard input that answers getpass with ``answers``, one after another."""

    def __init__(self, monkeypatch, *answers: str) -> None:
        self.prompts: list[str] = []
        replies = iter(answers)
        monkeypatch.setattr("getpass.getpass", lambda prompt="": self.prompts.append(prompt) or next(replies))
        monkeypatch.setattr(sys, "stdin", SimpleNamespace(isatty=lambda: True, readline=lambda: ""))


def review(out, *args: str) -> int:
    return cli.main(["review", str(out), *args])


def test_a_new_role_holds_from_the_next_request(app, store):
    """A reviewer refused an admin's action may do it once made admin, in the same session."""
    wang = logged_in(app, "王芳")
    wang.open()
    assert wang.save({}, action="approve").status_code == 303
    wang.open()
    assert wang.post(f"/reopen/{MAIN}").status_code == 403
    set_role(store, "王芳", ADMIN)
    wang.open()
    assert wang.post(f"/reopen/{MAIN}").status_code == 303
    assert [t["action"] for t in trail(store)] == ["approve", "reopen"]
    set_role(store, "王芳", REVIEWER)
    wang.open()
    assert wang.save({}, action="approve").status_code == 303
    wang.open()
    assert wang.post(f"/reopen/{MAIN}").status_code == 403
    with pytest.raises(AccountError, match="no user"):
        set_role(store, "nobody", ADMIN)
    with pytest.raises(AccountError):
        set_role(store, "王芳", "owner")


def test_add_user_asks_the_password_twice_and_never_takes_it_from_argv(bare_out, monkeypatch, capsys):
    (bare_out / "review.sqlite").unlink(missing_ok=True)
    # no option takes a password: those naming one take a NAME, or nothing
    parser = cli.build_parser()
    [sub] = [a for a in parser._actions if a.dest == "command"]
    options = [a for a in sub.choices["review"]._actions if any("pass" in o for o in a.option_strings)]
    assert [(a.option_strings, a.nargs, a.metavar) for a in options] == [
        (["--set-password"], None, "NAME"), (["--password-stdin"], 0, None),
    ]
    for argv in (["--password", PASSWORD], [f"--password={PASSWORD}"], [f"--password-stdin={PASSWORD}"], [PASSWORD]):
        with pytest.raises(SystemExit) as exc:
            review(bare_out, "--add-user", "王芳", *argv)
        assert exc.value.code == 2

    term = Terminal(monkeypatch, PASSWORD, PASSWORD)
    assert review(bare_out, "--add-user", "王芳", "--role", "admin") == 0
    assert term.prompts == ["Password for 王芳: ", "The same password again: "]
    assert "added the account 王芳 (admin)" in capsys.readouterr().err
    s = ReviewStore(bare_out)
    try:
        assert authenticate(s, "王芳", PASSWORD).role == ADMIN
    finally:
        s.close()

    Terminal(monkeypatch, PASSWORD, PASSWORD + "!")
    assert review(bare_out, "--add-user", "李明") == 2
    assert "the two passwords differ; nothing changed" in capsys.readouterr().err
    Terminal(monkeypatch, "short", "short")
    assert review(bare_out, "--add-user", "李明") == 2
    assert "too short" in capsys.readouterr().err
    term = Terminal(monkeypatch)
    assert review(bare_out, "--add-user", "王芳") == 2  # taken: said before asking
    assert "already" in capsys.readouterr().err and term.prompts == []
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))  # not a terminal
    assert review(bare_out, "--add-user", "李明") == 2
    assert "--password-stdin" in capsys.readouterr().err
    assert review(bare_out, "--role", "admin") == 2  # not without --add-user

    monkeypatch.setattr(sys, "stdin", io.StringIO("li-ming-password\n"))
    assert review(bare_out, "--add-user", "李明", "--password-stdin") == 0
    capsys.readouterr()
    assert review(bare_out, "--list-users") == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:2] for line in listed] == [["李明", "reviewer"], ["王芳", "admin"]]
    assert review(bare_out, "--set-role", "李明") == 2  # the new role is not guessed
    assert "--role" in capsys.readouterr().err
    assert review(bare_out, "--set-role", "李明", "--role", "admin") == 0
    assert review(bare_out, "--set-role", "张三", "--role", "admin") == 2
    assert "no user '张三'; nothing changed" in capsys.readouterr().err
    assert review(bare_out, "--list-users") == 0
    assert [line.split("\t")[:2] for line in capsys.readouterr().out.splitlines()] == [["李明", "admin"], ["王芳", "admin"]]
    Terminal(monkeypatch, "li-ming-2nd-password", "li-ming-2nd-password")
    assert review(bare_out, "--set-password", "李明") == 0
    assert review(bare_out, "--remove-user", "李明") == 0
    assert review(bare_out, "--remove-user", "李明") == 2
    s = ReviewStore(bare_out)
    try:
        assert [u.name for u in list_users(s)] == ["王芳"]
    finally:
        s.close()


@pytest.fixture
def review_log_level():
    """``gongwen review`` sets its server log to INFO: put it back after the test."""
    logger = logging.getLogger("gongwen.pipeline.review")
    level = logger.level
    yield
    logger.setLevel(level)


def test_serving_beyond_this_machine_needs_accounts(out, monkeypatch, capsys, review_log_level):
    served = []
    monkeypatch.setattr("waitress.serve", lambda app, **kw: served.append((app, kw)))
    assert review(out, "--host", "0.0.0.0") == 2
    err = capsys.readouterr().err
    assert "--host 0.0.0.0: serving beyond this machine needs reviewer accounts" in err and "--add-user" in err
    assert "Review app on" not in err and served == []

    assert review(out) == 0  # this machine: as before, no accounts needed
    [(app, kw)] = served
    assert kw["host"] == "127.0.0.1" and not app.extensions["gongwen.review"].accounts_required

    s = ReviewStore(out)
    add_user(s, "张主任", ADMIN_PASSWORD, ADMIN)
    s.close()
    assert review(out, "--host", "0.0.0.0", "--port", "8999") == 0
    app, kw = served[-1]
    assert (kw["host"], kw["port"]) == ("0.0.0.0", 8999)
    assert app.extensions["gongwen.review"].accounts_required and not app.config["SESSION_COOKIE_SECURE"]
    err = capsys.readouterr().err
    assert "unencrypted" in err and "Review app on http://0.0.0.0:8999/ (2 items" in err
    assert review(out, "--host", "0.0.0.0", "--secure-cookies") == 0
    assert served[-1][0].config["SESSION_COOKIE_SECURE"] and "unencrypted" not in capsys.readouterr().err
    assert "trusted_proxy" not in served[-1][1]
    # behind a reverse proxy on this machine: beyond it all the same
    assert review(out, "--trusted-proxy", "127.0.0.1", "--secure-cookies") == 0
    app, kw = served[-1]
    assert (kw["host"], kw["trusted_proxy"], kw["clear_untrusted_proxy_headers"]) == ("127.0.0.1", "127.0.0.1", True)
    assert "x-forwarded-for" in kw["trusted_proxy_headers"] and app.extensions["gongwen.review"].accounts_required
    s = ReviewStore(out)
    remove_user(s, "张主任")
    s.close()
    assert review(out, "--trusted-proxy", "127.0.0.1") == 2
    assert "--trusted-proxy 127.0.0.1: serving beyond this machine needs reviewer accounts" in capsys.readouterr().err
    assert cli.REVIEW_ROLES == accounts.ROLES
