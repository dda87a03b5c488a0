"""The review app under load: R reviewers at once for D seconds on an OUT of N items.

    python bench/review_load.py [--db sqlite|postgres] [--items N] [--reviewers 20]
                                [--seconds 60] [--think 1.0] [--work /tmp/review_load] [--profile]

The N items are clones of the two hand-made items of the review tests (``write_out`` of
``tests/review_helpers.py``: one with a low-confidence 文号, a slip and a table, one all
confident; seven clones in ten are of the first, so they need review): each clone's
``document.json`` gets its own id, title, issuer (one of N/100, at most 288: 24 places × 12 offices) and 成文日期
(1980–2025); its page image is a hard link to the source's.  The database is fresh for each
run: ``OUT/review.sqlite``, or a throwaway PostgreSQL cluster (Debian's initdb/pg_ctl, as the
tests start it: ``tests/review_pg.py``).  ``ReviewStore.sync()`` loads the items (timed), one
reviewer account is added per reviewer, and the app is served by waitress in this process with
the threads ``gongwen review`` uses.

Each reviewer is a process of its own (``requests``, its own cookie jar): it logs in (the CSRF
token from the login form), then loops until D seconds are up: the queue (a random page of it
one time in three: "queue page"), the queue filtered by an issuer or a year, an item of that list (one time
in five one of three "hot" items every reviewer opens, so that two reviewers correct the same
item at the same time), its page image, and a save of a new title with the version and the
value the form showed.  Between two requests it waits a random 0–2×``--think`` seconds
(``--think 0``: no pause, the server saturated).  A save answers 303 (saved) or 409 (refused:
the title changed since the reviewer opened the item); any 5xx is a failure.

Afterwards the audit trail is checked against what the reviewers were told: every accepted
save is one ``edit`` row with the value typed and, as its old value, the value the reviewer saw
(so no save overwrote a value its reviewer had not seen); each item's rows chain (a row's old
value is the previous row's new value); each item's title now is its last accepted one.  A
refused save wrote nothing.

Prints a Markdown table per request kind (count, p50, p95, max in ms, status codes), the
conflicts, the lost updates, the overall p95 (every request of the loop, the login apart).
``--profile`` then renders the slowest kind of page 50 times under cProfile and prints the top.
"""

from __future__ import annotations

import argparse
import errno
import html
import json
import multiprocessing as mp
import os
import random
import re
import shutil
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

from clones import OFFICES, PLACES, TOPICS  # bench/: the script's own folder

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"

TITLE_PATH = "circular.title"
PASSWORD = "load-test-password"
HOT_ITEMS = 3
HOT_SHARE = 0.2
PAGE_SHARE = 1 / 3
ISSUER_SHARE = 100  # one issuer for this many items
MAX_ISSUERS = 288
NEEDS_REVIEW_SHARE = 0.7
KINDS = ("login", "queue", "queue page", "filter", "item", "image", "save")


def _log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


# -- the OUT of N items ----------------------------------------------------------------------------


def _issuers(n: int, rng: random.Random) -> list[str]:
    count = max(5, min(MAX_ISSUERS, n // ISSUER_SHARE))
    names = [f"{p}市{o}" for p in PLACES for o in OFFICES]
    rng.shuffle(names)
    return names[:count]


def make_out(work: Path, n: int, seed: int = 1) -> Path:
    """An OUT of ``n`` clones of the review tests' two items (made once per ``work`` and ``n``)."""
    out = work / f"out-{n}"
    marker = out / ".gongwen" / "review-load.json"
    if marker.exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    sys.path.insert(0, str(TESTS))
    from review_helpers import MAIN, OTHER, write_out  # the tests' hand-made items

    from gongwen.pipeline.export.outdir import OutDir

    src_dir = work / "source"
    shutil.rmtree(src_dir, ignore_errors=True)
    src_dir.mkdir(parents=True)
    source = OutDir(write_out(src_dir))
    sources = {}
    for item_id in (MAIN, OTHER):
        data = json.loads(source.document_json(item_id).read_text(encoding="utf-8"))
        sources[item_id] = (data, source.page_image(item_id, 1, False))
    rng = random.Random(seed)
    issuers = _issuers(n, rng)
    dst = OutDir(out)
    t0 = time.perf_counter()
    for k in range(n):
        base, image = sources[MAIN if rng.random() < NEEDS_REVIEW_SHARE else OTHER]
        item_id = f"load/{k // 1000:03d}/{k:06d}"
        data = json.loads(json.dumps(base))
        year = rng.randint(1980, 2025)
        issuer = rng.choice(issuers)
        fields = data["fields"]
        fields["title"]["value"] = f"关于{rng.choice(PLACES)}{rng.choice(TOPICS)}第{k + 1}号事项的通知"
        for name in ("issuer", "signatories"):
            if fields.get(name):
                fields[name]["value"] = issuer
        fields["issue_date"]["value"] = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        data["item_id"] = item_id
        path = dst.document_json(item_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        page = dst.page_image(item_id, 1, False)
        page.parent.mkdir(parents=True, exist_ok=True)
        _link(image, page)
        if (k + 1) % 10000 == 0:
            _log(f"  {k + 1} clones ({time.perf_counter() - t0:.0f} s)")
    marker.write_text(json.dumps({"items": n, "issuers": issuers}, ensure_ascii=False), encoding="utf-8")
    return out


def _link(image: Path, page: Path) -> None:
    """A hard link to ``image`` (to a copy of it once it has as many links as the file system
    allows: 65,000 on ext4)."""
    copies = sorted(image.parent.glob(f"{image.stem}-copy*{image.suffix}"))
    target = copies[-1] if copies else image
    try:
        os.link(target, page)
    except OSError as exc:
        if exc.errno != errno.EMLINK:
            raise
        target = image.with_name(f"{image.stem}-copy{len(copies) + 1:03d}{image.suffix}")
        shutil.copyfile(image, target)
        os.link(target, page)


# -- the database and the server -------------------------------------------------------------------


def database(kind: str, out: Path):
    """(url, stop): a fresh review database of ``kind``."""
    if kind == "sqlite":
        for path in out.glob("review.sqlite*"):
            path.unlink()
        return None, lambda: None
    sys.path.insert(0, str(TESTS))
    from review_pg import Cluster, _bin_dir  # the tests' throwaway cluster

    bin_dir = _bin_dir()
    if bin_dir is None:
        raise SystemExit("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    cluster = Cluster(bin_dir)
    cluster.start()
    return cluster.new_database(), cluster.stop


def serve(store, threads: int):
    """The app of ``store`` served by waitress in a thread: (base URL, server)."""
    from waitress.server import create_server

    from gongwen.pipeline.review.app import SERVER_THREADS, create_app

    httpd = create_server(create_app(store), host="127.0.0.1", port=0, threads=threads or SERVER_THREADS)
    threading.Thread(target=httpd.run, daemon=True).start()
    return f"http://127.0.0.1:{httpd.effective_port}", httpd


# -- a reviewer (a process of its own) -------------------------------------------------------------

_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')
_VERSION = re.compile(r'name="version" value="([0-9]+)"')
_SEEN = re.compile(r'name="s:' + re.escape(TITLE_PATH) + r'" value="([^"]*)"')
_ITEM = re.compile(r'class="open" href="/item/([^"?]+)')
_SUFFIX = re.compile(r"·r\d+#\d+$")


def reviewer(args: dict, ready, go, result_path: str) -> None:
    """One reviewer's session: log in, then list, filter, open and correct until time is up;
    writes its requests and saves to ``result_path`` (JSON)."""
    import requests

    rng = random.Random(args["seed"])
    base, name, think = args["base"], args["name"], args["think"]
    http = requests.Session()
    records, saves = [], []

    def call(kind: str, method: str, path: str, **kw):
        t0 = time.perf_counter()
        try:
            r = http.request(method, base + path, allow_redirects=False, timeout=120, **kw)
            status, text = r.status_code, r.text
        except requests.RequestException as exc:
            status, text = f"error {type(exc).__name__}", ""
        records.append((kind, status, time.perf_counter() - t0))
        return status, text

    def pause() -> None:
        if think:
            time.sleep(rng.uniform(0, 2 * think))

    status, page = call("login", "GET", "/login")
    csrf = _CSRF.search(page).group(1)
    status, _ = call("login", "POST", "/login", data={"csrf_token": csrf, "next": "/", "name": name, "password": PASSWORD})
    if status != 303:
        raise SystemExit(f"{name}: login answered {status}")
    ready.set()
    go.wait()
    end = time.monotonic() + args["seconds"]
    n = 0
    while time.monotonic() < end:
        start = rng.randrange(0, args["pages"]) * args["page_rows"] if rng.random() < PAGE_SHARE else 0
        if start:
            call("queue page", "GET", "/", params={"start": start})
        else:
            call("queue", "GET", "/")
        pause()
        if rng.random() < 0.5:
            nav = {"show": "all", "issuer": rng.choice(args["issuers"])}
        else:
            nav = {"show": "needs_review", "year": rng.randint(1980, 2025)}
        status, page = call("filter", "GET", "/", params=nav)
        listed = _ITEM.findall(page)
        pause()
        if rng.random() < HOT_SHARE or not listed:
            item_id, nav = rng.choice(args["hot"]), {}
        else:
            item_id = html.unescape(rng.choice(listed))
        status, page = call("item", "GET", f"/item/{item_id}", params=nav)
        call("image", "GET", f"/page/1/{item_id}")
        if status != 200:
            continue
        csrf, version, seen = _CSRF.search(page), _VERSION.search(page), _SEEN.search(page)
        seen_title = html.unescape(seen.group(1))
        pause()
        n += 1
        typed = _SUFFIX.sub("", seen_title) + f"·{name}#{n}"
        status, _ = call("save", "POST", f"/save/{item_id}", params=nav, data={
            "csrf_token": csrf.group(1), "version": version.group(1), "action": "save",
            f"s:{TITLE_PATH}": seen_title, f"v:{TITLE_PATH}": typed,
        })
        saves.append({"item": item_id, "seen": seen_title, "typed": typed, "status": status})
        pause()
    Path(result_path).write_text(json.dumps({"records": records, "saves": saves}, ensure_ascii=False), encoding="utf-8")


# -- checking the audit trail ------------------------------------------------------------------------


def check_trail(store, saves: list[dict]) -> dict:
    """What the audit trail says of the saves: lost updates and the like (all should be 0)."""
    from sqlalchemy import select

    from gongwen.pipeline.review.corrections import parse_path, value_text
    from gongwen.pipeline.review.store import EDIT, corrections

    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(select(corrections).order_by(corrections.c.id)).mappings()]
    edits = [r for r in rows if r["action"] == EDIT]
    accepted = [s for s in saves if s["status"] == 303]
    by_value = {(r["item_id"], r["new_value"]): r for r in edits}
    missing = [s for s in accepted if (s["item"], s["typed"]) not in by_value]
    not_seen = [s for s in accepted if (s["item"], s["typed"]) in by_value
                and by_value[(s["item"], s["typed"])]["old_value"] != s["seen"]]
    refused_written = [s for s in saves if s["status"] != 303 and (s["item"], s["typed"]) in by_value]
    per_item = defaultdict(list)
    for r in edits:
        per_item[r["item_id"]].append(r)
    broken_chain, wrong_final = 0, 0
    fp = parse_path(TITLE_PATH)
    for item_id, item_rows in per_item.items():
        state = store.state(item_id)
        first = value_text(state.extracted, fp)
        chain = [first] + [r["new_value"] for r in item_rows]
        broken_chain += sum(1 for r, before in zip(item_rows, chain) if r["old_value"] != before)
        wrong_final += value_text(state.current, fp) != item_rows[-1]["new_value"] or state.row["title"] != item_rows[-1]["new_value"]
    return {
        "accepted saves": len(accepted),
        "edit rows": len(edits),
        "items corrected": len(per_item),
        "accepted but not in the trail": len(missing),
        "saved over a value not seen": len(not_seen),
        "refused but written": len(refused_written),
        "broken chains": broken_chain,
        "items whose title is not the last accepted": wrong_final,
        "lost updates": len(missing) + len(not_seen) + broken_chain + wrong_final + len(refused_written)
        + abs(len(accepted) - len(edits)),
    }


# -- figures --------------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, round(q * len(values) + 0.5) - 1))]


def table(records: list, seconds: float) -> tuple[str, float, int]:
    """The Markdown table of the requests; the overall p95 (login apart) and the 5xx count."""
    by_kind = defaultdict(list)
    for kind, status, secs in records:
        by_kind[kind].append((status, secs))
    lines = ["| request | count | per s | p50 ms | p95 ms | max ms | statuses |", "|---|---:|---:|---:|---:|---:|---|"]
    for kind in KINDS:
        got = by_kind.get(kind)
        if not got:
            continue
        times = [s for _, s in got]
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(Counter(str(s) for s, _ in got).items()))
        rate = f"{len(got) / seconds:.1f}" if kind != "login" else ""
        lines.append(f"| {kind} | {len(got)} | {rate} | {_pct(times, .5) * 1000:.0f} | {_pct(times, .95) * 1000:.0f} | "
                     f"{max(times) * 1000:.0f} | {statuses} |")
    loop = [s for k, _, s in records if k != "login"]
    lines.append(f"| all (login apart) | {len(loop)} | {len(loop) / seconds:.1f} | {_pct(loop, .5) * 1000:.0f} | "
                 f"{_pct(loop, .95) * 1000:.0f} | {max(loop, default=0) * 1000:.0f} | |")
    errors = sum(1 for _, s, _ in records if not isinstance(s, int) or s >= 500)
    return "\n".join(lines), _pct(loop, .95), errors


def profile(store, kind: str, item_id: str, issuer: str, user: str) -> None:
    """Render ``kind`` pages 50 times under cProfile (the Flask test client, logged in)."""
    import cProfile
    import pstats

    from gongwen.pipeline.review.app import create_app

    app = create_app(store)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"csrf_token": _CSRF.search(page).group(1), "name": user, "password": PASSWORD})
    path = {"queue": "/", "queue page": "/?start=20000", "filter": f"/?show=all&issuer={issuer}", "item": f"/item/{item_id}"}.get(kind, "/")
    client.get(path)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(50):
        client.get(path)
    prof.disable()
    pstats.Stats(prof, stream=sys.stdout).sort_stats("cumulative").print_stats(25)


# -- main ------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--reviewers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between requests, seconds (0: none)")
    parser.add_argument("--threads", type=int, default=0, help="waitress threads (default: gongwen review's)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/review_load"))
    parser.add_argument("--profile", action="store_true", help="profile the slowest page afterwards")
    args = parser.parse_args(argv)
    import logging

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is N": what the bench measures

    from gongwen.pipeline.review.accounts import add_user
    from gongwen.pipeline.review.app import QUEUE_PAGE_ROWS
    from gongwen.pipeline.review.store import ReviewStore

    args.work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    out = make_out(args.work, args.items)
    built = time.perf_counter() - t0
    issuers = json.loads((out / ".gongwen" / "review-load.json").read_text(encoding="utf-8"))["issuers"]
    url, stop = database(args.db, out)
    try:
        store = ReviewStore(out, url)
        t0 = time.perf_counter()
        count = store.sync()
        synced = time.perf_counter() - t0
        t0 = time.perf_counter()
        store.sync()
        resynced = time.perf_counter() - t0
        _log(f"{count} items; OUT made in {built:.1f} s; sync {synced:.1f} s ({count / synced:.0f} items/s), again {resynced:.1f} s")
        names = [f"r{k + 1:02d}" for k in range(args.reviewers)]
        for name in names:
            add_user(store, name, PASSWORD)
        hot = store.queue_ids()[:HOT_ITEMS]
        base, httpd = serve(store, args.threads)
        ctx = mp.get_context("spawn")
        go = ctx.Event()
        results = args.work / "results"
        shutil.rmtree(results, ignore_errors=True)
        results.mkdir()
        procs, readies = [], []
        for k, name in enumerate(names):
            ready = ctx.Event()
            job = dict(base=base, name=name, think=args.think, seconds=args.seconds, seed=k, issuers=issuers, hot=hot,
                       pages=max(1, store.counts()["needs_review"] // QUEUE_PAGE_ROWS), page_rows=QUEUE_PAGE_ROWS)
            p = ctx.Process(target=reviewer, args=(job, ready, go, str(results / f"{name}.json")))
            p.start()
            procs.append(p)
            readies.append(ready)
        for ready in readies:
            if not ready.wait(300):
                raise SystemExit("a reviewer did not log in")
        _log(f"{args.reviewers} reviewers logged in; {args.seconds:.0f} s of reviewing at {base}")
        go.set()
        t0 = time.perf_counter()
        for p in procs:
            p.join()
        ran = time.perf_counter() - t0
        httpd.close()
        records, saves = [], []
        for name in names:
            data = json.loads((results / f"{name}.json").read_text(encoding="utf-8"))
            records += [tuple(r) for r in data["records"]]
            saves += data["saves"]
        text, p95, errors = table(records, ran)
        trail = check_trail(store, saves)
        conflicts = sum(1 for s in saves if s["status"] == 409)
        print(f"\n### {args.db}, {count:,} items, {args.reviewers} reviewers, {args.seconds:.0f} s, think {args.think:g} s, "
              f"{os.cpu_count()} cores shared by server and clients\n")
        print(f"OUT made in {built:.1f} s; sync {synced:.1f} s ({count / synced:.0f} items/s), a second sync {resynced:.1f} s\n")
        print(text)
        print(f"\nsaves: {len(saves)}, accepted {trail['accepted saves']}, conflicts (409) {conflicts}; "
              f"5xx or failed requests: {errors}; lost updates: {trail['lost updates']}")
        print("trail: " + ", ".join(f"{k} {v}" for k, v in trail.items()))
        print(f"overall p95 {p95 * 1000:.0f} ms: {'under' if p95 < 0.3 else 'OVER'} 300 ms")
        if args.profile:
            by_kind = defaultdict(list)
            for kind, _, secs in records:
                if kind in ("queue", "queue page", "filter", "item"):
                    by_kind[kind].append(secs)
            slowest = max(by_kind, key=lambda k: _pct(by_kind[k], .95))
            print(f"\nprofile of the slowest page, {slowest}:")
            profile(store, slowest, hot[0], issuers[0], names[0])
        store.close()
        ok = errors == 0 and trail["lost updates"] == 0
        return 0 if ok else 1
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
