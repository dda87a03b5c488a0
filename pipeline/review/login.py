"""Logging in and out of the review app (``/login``, ``/logout``) when it has reviewer accounts
(:mod:`.accounts`).

The login is a form POST with the CSRF token.  An unknown name and a wrong password get the
same answer (401, 用户名或密码不正确) after the same work; too many failures for a name or from
an address get 429 with ``Retry-After`` (:class:`~.accounts.LoginLimiter`).  A login clears the
session (a new CSRF token, nothing kept from before) and makes it permanent: its cookie, signed,
HttpOnly and SameSite=Lax (Secure with ``--secure-cookies``), lasts ``SESSION_HOURS`` after the
last request.  Logging out is a POST.  Every login, failed or refused login and logout is logged
(logger ``gongwen.pipeline.review.login``: failures as warnings, the others as info, which
``gongwen review`` shows) with the name and the client's address.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, redirect, request, session, url_for

from .accounts import authenticate, has_users, session_stamp
from .requests import safe_next
from .store import MAX_REVIEWER_CHARS
from .web import STAMP_KEY, USER_KEY, accounts_on, app_state, current_user, render

log = logging.getLogger(__name__)

bp = Blueprint("login", __name__)

SESSION_HOURS = 12
WRONG = "用户名或密码不正确。"


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response:
    target = safe_next(request.values.get("next"))
    if not accounts_on():
        return redirect(target, code=303)  # no accounts: nothing to log into
    if request.method == "GET":
        if current_user() is not None:
            return redirect(target, code=303)
        return _page(target)
    state = app_state()
    name = " ".join(request.form.get("name", "").split())[:MAX_REVIEWER_CHARS]
    password = request.form.get("password", "")
    address = request.remote_addr or "?"
    wait = state.limiter.retry_after(name, address)
    if wait:
        log.warning("review login refused for %r from %s: too many failed logins (%d s to wait)", name, address, wait)
        minutes = -(-wait // 60)
        response = _page(target, name, f"登录失败次数过多，请 {minutes} 分钟后再试。", 429)
        response.headers["Retry-After"] = str(wait)
        return response
    user = authenticate(state.store, name, password)
    if user is None:
        state.limiter.failed(name, address)
        log.warning("review login failed for %r from %s", name, address)
        return _page(target, name, WRONG, 401)
    state.limiter.succeeded(name)
    session.clear()  # nothing of the session before the login is kept: a new CSRF token too
    session.permanent = True
    session[USER_KEY] = user.name
    session[STAMP_KEY] = session_stamp(user, current_app.secret_key)
    log.info("review login: %r (%s) from %s", user.name, user.role, address)
    return redirect(target, code=303)


@bp.post("/logout")
def logout() -> Response:
    user = current_user()
    if user is not None:
        log.info("review logout: %r from %s", user.name, request.remote_addr or "?")
    session.clear()
    return redirect(url_for("login.login"), code=303)


def _page(target: str, name: str = "", error: str = "", status: int = 200) -> Response:
    return render(
        "review-login.html", status=status, next=target, login_name=name, error=error,
        no_users=not has_users(app_state().store),
    )
