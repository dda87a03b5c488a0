"""Reviewer accounts of the review app: users with a hashed password and a role, kept in the
review database (the ``users`` table of :mod:`.store`, on SQLite or PostgreSQL alike), and the
limit on failed logins.

Accounts are optional.  With none, the app works as before accounts existed: a reviewer types a
name, and it serves only this machine (127.0.0.1).  Once one account exists (``gongwen review
OUT --add-user NAME``), every page but the login page and the app's css and js needs a login,
and every change is recorded under the logged-in user's name; binding to any other address,
or serving behind a reverse proxy, needs accounts (:func:`.app.check_host`).

Roles (``ROLES``), what each may do:

============  ================================================================================
reviewer      see the queue, items and page images; save values (the publishing decision too)
              of an item not yet approved; approve an item; undo their own correction of an
              item not yet approved
admin         everything a reviewer may, and: reopen (撤回批准) an approved item; change or
              undo values of an approved item; undo another reviewer's correction
============  ================================================================================

An approved item is thus final for reviewers: only an admin takes it back.  A refused action
answers 403 and writes nothing; its check is made in the store's compare-and-swap loop
(:meth:`.store.ReviewStore.save`, ``admin=False``), so an approval arriving meanwhile is seen.

Passwords are hashed by ``werkzeug.security`` (scrypt, salted, its parameters kept in the hash)
and checked by ``check_password_hash`` (constant-time comparison); an unknown name is checked
against a dummy hash, so it takes as long as a wrong password and gets the same answer.  A
password has at least ``MIN_PASSWORD_CHARS`` characters.

Failed logins are counted by :class:`LoginLimiter`, in this process's memory (one waitress
process serves the app; a restart forgets the counts): ``MAX_FAILURES`` failures within
``WINDOW_SECONDS`` for one user name, or from one client address, refuse further logins for it
(HTTP 429 with ``Retry-After``) until the oldest failure leaves the window.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import math
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from .store import ReviewInputError, ReviewStore, check_reviewer, users, utcnow

REVIEWER, ADMIN = "reviewer", "admin"
ROLES = (REVIEWER, ADMIN)
ROLE_LABELS = {REVIEWER: "审核员", ADMIN: "管理员"}
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024
HASH_METHOD = "scrypt"  # werkzeug's default: scrypt:32768:8:1, a 16-character salt
MAX_FAILURES = 5
WINDOW_SECONDS = 300.0
MAX_TRACKED = 10_000  # keys (names, addresses) the limiter remembers at most


class AccountError(Exception):
    """An account that cannot be made or changed: a bad name, role or password, a name taken,
    an unknown user."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created_at: dt.datetime | None = None
    password_hash: str = field(default="", repr=False)

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


def check_name(name: str | None) -> str:
    """A user's name as stored: the rules of a reviewer's name (whitespace runs made one space,
    at most 80 characters, no control characters)."""
    try:
        return check_reviewer(name)
    except ReviewInputError as exc:
        raise AccountError(str(exc)) from None


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"role {role!r}: one of {', '.join(ROLES)}")
    return role


def check_password(password: str, name: str = "") -> str:
    """A new password: at least ``MIN_PASSWORD_CHARS`` characters, not only spaces, not the
    user's name, no control characters."""
    if not password.strip():
        raise AccountError("the password is empty")
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"the password is too short: at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise AccountError(f"the password is too long: at most {MAX_PASSWORD_CHARS} characters")
    if any(unicodedata.category(ch) == "Cc" for ch in password):
        raise AccountError("the password has a control character")
    if name and password.strip().casefold() == name.casefold():
        raise AccountError("the password is the user's name")
    return password


def _user(row) -> User:
    return User(name=row.name, role=row.role, created_at=row.created_at, password_hash=row.password_hash)


def add_user(store: ReviewStore, name: str, password: str, role: str = REVIEWER) -> User:
    """A new account; :class:`AccountError` when the name is taken or a value is refused."""
    name, role = check_name(name), check_role(role)
    password = check_password(password, name)
    user = User(name, role, utcnow(), generate_password_hash(password, HASH_METHOD))
    try:
        with store.engine.begin() as conn:
            conn.execute(users.insert().values(
                name=user.name, role=user.role, created_at=user.created_at, password_hash=user.password_hash,
            ))
    except IntegrityError:
        raise AccountError(f"there is a user {name!r} already") from None
    return user


def set_password(store: ReviewStore, name: str, password: str) -> None:
    """A user's new password; their sessions end (:func:`session_stamp` changes)."""
    name = check_name(name)
    password = check_password(password, name)
    with store.engine.begin() as conn:
        done = conn.execute(
            update(users).where(users.c.name == name).values(password_hash=generate_password_hash(password, HASH_METHOD))
        ).rowcount
    if not done:
        raise AccountError(f"there is no user {name!r}")


def set_role(store: ReviewStore, name: str, role: str) -> None:
    """A user's new role, in force from their next request (every request looks the user up)."""
    name, role = check_name(name), check_role(role)
    with store.engine.begin() as conn:
        if not conn.execute(update(users).where(users.c.name == name).values(role=role)).rowcount:
            raise AccountError(f"there is no user {name!r}")


def remove_user(store: ReviewStore, name: str) -> None:
    """Remove an account (its sessions end); the corrections made under it keep its name."""
    name = check_name(name)
    with store.engine.begin() as conn:
        if not conn.execute(delete(users).where(users.c.name == name)).rowcount:
            raise AccountError(f"there is no user {name!r}")


def list_users(store: ReviewStore) -> list[User]:
    with store.engine.connect() as conn:
        return [_user(r) for r in conn.execute(select(users).order_by(users.c.name))]


def get_user(store: ReviewStore, name: str) -> User | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
    return _user(row) if row is not None else None


def has_users(store: ReviewStore) -> bool:
    with store.engine.connect() as conn:
        return bool(conn.scalar(select(func.count()).select_from(users)))


@functools.cache
def _dummy_hash() -> str:
    """A hash no password matches, made as real ones are: checking an unknown name against it
    takes as long as checking a wrong password."""
    return generate_password_hash(f"no such user {time.time_ns()}", HASH_METHOD)


def authenticate(store: ReviewStore, name: str, password: str) -> User | None:
    """The user whose name and password these are; None for an unknown name or a wrong password
    alike (the same work done for both)."""
    try:
        name = check_name(name)
    except AccountError:
        name = ""
    user = get_user(store, name) if name else None
    if len(password) > MAX_PASSWORD_CHARS:
        password = ""  # never a valid password; still checked, for the time it takes
    ok = check_password_hash(user.password_hash if user else _dummy_hash(), password)
    return user if user is not None and ok and password else None


def session_stamp(user: User, key: bytes | str) -> str:
    """What a login session keeps to stay valid: an HMAC of the user's password hash under the
    app's key.  Setting a new password or removing the user ends the sessions made before."""
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, f"{user.name}\0{user.password_hash}".encode(), hashlib.sha256).hexdigest()


class LoginLimiter:
    """Failed logins per user name and per client address within a sliding window, in memory
    (thread-safe; one per app).  A name or an address with ``max_failures`` failures in the last
    ``window`` seconds is refused until the oldest of them leaves the window."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = WINDOW_SECONDS,
                 clock: Callable[[], float] = time.monotonic, max_tracked: int = MAX_TRACKED) -> None:
        self.max_failures, self.window, self.clock, self.max_tracked = max_failures, window, clock, max_tracked
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _keys(name: str, address: str) -> tuple[tuple[str, str], tuple[str, str]]:
        return ("name", name), ("address", address)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, name: str, address: str) -> int:
        """Seconds until a login for ``name`` from ``address`` is allowed; 0: now."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key in self._keys(name, address):
                times = self._recent(key, now)
                if len(times) >= self.max_failures:
                    wait = max(wait, times[-self.max_failures] + self.window - now)
        return max(1, math.ceil(wait)) if wait > 0 else 0

    def failed(self, name: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key in self._keys(name, address):
                self._recent(key, now)
                self._failures.setdefault(key, deque(maxlen=self.max_failures)).append(now)
            if len(self._failures) > self.max_tracked:
                self._forget(now)

    def succeeded(self, name: str) -> None:
        """A login of ``name`` succeeded: its failures are forgotten (its address's are not)."""
        with self._lock:
            self._failures.pop(("name", name), None)

    def _forget(self, now: float) -> None:
        """Too many keys (a flood of made-up names): drop the expired ones, then the oldest."""
        for key in list(self._failures):
            self._recent(key, now)
        while len(self._failures) > self.max_tracked:
            del self._failures[next(iter(self._failures))]
