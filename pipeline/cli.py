"""The ``gongwen`` command line.  It alone configures logging, shows progress, handles
signals and maps results to exit codes:

====  =====================================================================================
0     every item ok
1     some item failed or is partial (or, for publish/export/reparse, could not be read)
2     usage or environment error: a wrong option, OUT not writable, an engine not installed
130   stopped by Ctrl-C (SIGINT): finished items kept, the same command goes on
143   stopped by SIGTERM: likewise
====  =====================================================================================
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
from pathlib import Path

from .. import __version__
from ..errors import ClusterError, EngineUnavailableError, OutputError, UsageError
from ..ocr.engines import DEFAULT_ENGINE, known_engines
from .run.watch import POLL_S, SETTLE_S

EXIT_OK, EXIT_ITEMS_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_SIGNAL_BASE = 128  # + the signal's number, as a shell reports it: 130 SIGINT, 143 SIGTERM

log = logging.getLogger("gongwen")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep our wording
        self.print_usage(sys.stderr)
        print(f"gongwen: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gongwen", description="Digitise scanned Chinese government circulars (公文).")
    p.add_argument("--version", action="version", version=f"gongwen {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log debugging detail")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("convert", help="convert scans (files or folders) into OUT")
    c.add_argument("inputs", nargs="+", metavar="INPUT", help="PDF/TIFF/PNG/JPEG files or folders")
    _run_options(c)
    c.add_argument(
        "--force", action="store_true",
        help="convert every item again (by default an item finished by an earlier run into OUT "
        "with the same input and settings is kept)",
    )
    _catalogue_options(c)
    w = sub.add_parser(
        "watch", help="convert items as they arrive in a folder (a hot folder), until stopped"
    )
    w.add_argument("inbox", type=Path, metavar="INBOX", help="folder scans are put into")
    _run_options(w)
    w.add_argument(
        "--settle", type=float, default=SETTLE_S, metavar="S",
        help=f"take an item once its files have not changed for S seconds (default {SETTLE_S:g})",
    )
    w.add_argument(
        "--poll", type=float, default=POLL_S, metavar="S",
        help=f"look at the inbox every S seconds (default {POLL_S:g})",
    )
    _catalogue_options(w)
    r = sub.add_parser(
        "reparse", help="extract fields, slips and tables again from the pages of an earlier run (no OCR)"
    )
    r.add_argument("out", type=Path, metavar="OUT", help="output folder of an earlier convert")
    r.add_argument("--templates", type=Path, help="folder of jinja2 templates overriding the defaults")
    _catalogue_options(r, reparse=True)
    s = sub.add_parser(
        "publish", help="write a static site of the public items of an earlier run (search without a server)"
    )
    s.add_argument("out", type=Path, metavar="OUT", help="output folder of an earlier convert")
    s.add_argument("--site", required=True, type=Path, help="folder for the site")
    s.add_argument(
        "--include-internal", action="store_true",
        help="also publish the receiving office's parts: circulation slip, annotations, 收文 stamp",
    )
    s.add_argument("--templates", type=Path, help="folder of jinja2 templates overriding the defaults")
    s.add_argument("--serve", action="store_true",
                   help="then serve the site on this machine to preview it (the full-text search needs http)")
    s.add_argument("--host", default=PUBLISH_HOST, help=f"address --serve listens on (default {PUBLISH_HOST})")
    s.add_argument("--port", type=int, default=PUBLISH_PORT, help=f"port --serve listens on (default {PUBLISH_PORT})")
    _review_parsers(sub)
    d = sub.add_parser("debug-tables", help="draw each stage of ruled-table detection over a page")
    d.add_argument("page_image", type=Path, metavar="PAGE_IMAGE", help="an image, TIFF or PDF")
    d.add_argument("--page", type=int, default=1, help="page number in a multi-page file (default 1)")
    d.add_argument("--out", required=True, type=Path, help="folder for the overlay PNGs")
    return p


def _run_options(p: argparse.ArgumentParser) -> None:
    from .run.settings import EXECUTORS

    p.add_argument("--out", required=True, type=Path, help="output folder")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
    p.add_argument(
        "--engine",
        default=DEFAULT_ENGINE,
        help=f"OCR engine: {', '.join(known_engines())} (default {DEFAULT_ENGINE}, also called rapidocr)",
    )
    p.add_argument("--templates", type=Path, help="folder of jinja2 templates overriding the defaults")
    p.add_argument(
        "--executor", choices=EXECUTORS, default=EXECUTORS[0],
        help="where pages are read: a pool of local processes (default) or a Dask cluster",
    )
    p.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="Dask scheduler, e.g. tcp://host:8786 (with --executor dask; without it a local "
        "Dask cluster of --jobs workers is started); inputs and OUT must be at the same paths "
        "on every worker",
    )


def _run_settings(args: argparse.Namespace):
    from .run.settings import Settings

    _check_templates(args.templates)
    return Settings(
        engine=args.engine, jobs=args.jobs, templates=args.templates, archive_code=_archive_code(args),
        force=getattr(args, "force", False), executor=args.executor, scheduler=args.scheduler,
    )


# gongwen review's address and roles (pipeline/review/app.py's and accounts.py's; not imported
# from there, so that the other commands do not load the web app)
REVIEW_HOST, REVIEW_PORT = "127.0.0.1", 8765
REVIEW_ROLES = ("reviewer", "admin")
# gongwen publish --serve's (pipeline/publish/serve.py's defaults, likewise)
PUBLISH_HOST, PUBLISH_PORT = "127.0.0.1", 8000


def _review_parsers(sub) -> None:
    from .export.outdir import REVIEW_DB

    db_help = f"database URL (SQLAlchemy), e.g. postgresql+psycopg://user@host/db (default: SQLite in OUT/{REVIEW_DB})"
    v = sub.add_parser("review", help="serve the review web app: check and correct extracted values beside the scans")
    v.add_argument("out", type=Path, metavar="OUT", help="output folder of an earlier convert")
    v.add_argument("--host", default=REVIEW_HOST, help=f"address to listen on (default {REVIEW_HOST})")
    v.add_argument("--port", type=int, default=REVIEW_PORT, help=f"port (default {REVIEW_PORT})")
    v.add_argument("--db", help=db_help)
    v.add_argument("--templates", type=Path, help="folder of jinja2 templates overriding the defaults")
    v.add_argument(
        "--secure-cookies", action="store_true",
        help="send the session cookie over https only (give it when the app is reached through an "
        "https reverse proxy)",
    )
    v.add_argument(
        "--trusted-proxy", metavar="ADDRESS",
        help="the address of a reverse proxy in front of the app (e.g. 127.0.0.1 for nginx on this "
        "machine): the client's address is taken from its X-Forwarded-For; the app then needs "
        "reviewer accounts, as when bound beyond this machine",
    )
    accounts = v.add_argument_group(
        "reviewer accounts",
        "manage the accounts in the review database and exit (the app is not served); a password "
        "is asked twice on the terminal, never taken from the command line",
    )
    manage = accounts.add_mutually_exclusive_group()
    manage.add_argument("--add-user", metavar="NAME", help="add an account (a reviewer unless --role admin)")
    manage.add_argument("--set-password", metavar="NAME", help="give an account a new password (its sessions end)")
    manage.add_argument("--set-role", metavar="NAME", help="give an account the role --role (from its next request)")
    manage.add_argument("--remove-user", metavar="NAME", help="remove an account (its corrections keep its name)")
    manage.add_argument("--list-users", action="store_true", help="list the accounts and their roles")
    accounts.add_argument("--role", choices=REVIEW_ROLES,
                          help="with --add-user: the account's role (default reviewer); with --set-role: its new role")
    accounts.add_argument(
        "--password-stdin", action="store_true",
        help="with --add-user or --set-password: read the password from the first line of standard "
        "input instead of asking on the terminal (for scripts)",
    )
    e = sub.add_parser("export", help="write the reviewed values into OUT's CSVs, JSON and HTML")
    e.add_argument("out", type=Path, metavar="OUT", help="output folder of an earlier convert")
    e.add_argument("--db", help=db_help)
    e.add_argument("--templates", type=Path, help="folder of jinja2 templates overriding the defaults")


def _catalogue_options(p: argparse.ArgumentParser, reparse: bool = False) -> None:
    from .export.catalogue import RETENTION_CODES
    from .export.outdir import CATALOGUE_CSV

    g = p.add_argument_group(
        f"{CATALOGUE_CSV} 档号" + (" (default: as the earlier run of OUT)" if reparse else " (default: none)")
    )
    g.add_argument(
        "--archive-code", metavar="PATTERN",
        help="档号 pattern with {fonds} {year} {retention} {org} {seq}, e.g. "
        "'{fonds}-WS·{year}-{retention}-{seq:04d}'; {year} is the 年度, {seq} the 件号 within it",
    )
    g.add_argument("--fonds", help="全宗号; alone it gives 档号 {fonds}-WS·{year}-{seq:04d}")
    g.add_argument("--retention", help=f"保管期限代码 ({', '.join(RETENTION_CODES)})")
    g.add_argument("--org", help="机构（问题）代码")


def _archive_code(args: argparse.Namespace):
    from .export.catalogue import archive_code_from_options

    return archive_code_from_options(args.archive_code, args.fonds, args.retention, args.org)


def _summarise(summary, out: Path) -> int:
    from ..parsers.model import Status
    from .console import summary_text

    print(summary_text(summary, out), file=sys.stderr)
    return EXIT_OK if summary.count(Status.OK) == len(summary.outcomes) else EXIT_ITEMS_FAILED


def _check_templates(templates: Path | None) -> None:
    if templates is not None and not templates.is_dir():
        raise UsageError(f"--templates {templates}: not a folder")


@contextlib.contextmanager
def stop_on_signals():
    """SIGTERM and SIGINT (Ctrl-C) ask the run to stop (see ``convert.StopRequest``): no new
    page, the pages in hand finish or are left, finished items kept, workers ended.  A second
    signal stops at once."""
    from .run.convert import StopRequest

    stop = StopRequest()

    def handler(signum, _frame) -> None:
        again = stop.is_set()
        stop.request(signum)
        name = signal.Signals(signum).name
        print(
            f"\ngongwen: {name}: stopping{' now' if again else ' after the pages in hand (again to stop now)'}; "
            "finished items are kept, the same command goes on from there",
            file=sys.stderr,
        )

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def _stopped(stop) -> int | None:
    return EXIT_SIGNAL_BASE + stop.signum if stop.is_set() and stop.signum else None


def cmd_convert(args: argparse.Namespace) -> int:
    from .console import ProgressDisplay
    from .run.convert import convert

    settings = _run_settings(args)
    display = ProgressDisplay()
    with stop_on_signals() as stop:
        try:
            summary = convert(args.inputs, args.out, settings, progress=display, stop=stop)
        finally:
            display.finish()
        code = _summarise(summary, args.out)
        return _stopped(stop) or code


def cmd_watch(args: argparse.Namespace) -> int:
    from .console import ProgressDisplay
    from .export.outdir import FAILURES_CSV, OutDir
    from .run.watch import watch

    from .run.convert import prepare_out

    settings = _run_settings(args)
    prepare_out(args.out)  # before saying it watches
    display = ProgressDisplay(terminal=False)  # a watcher's output is a log, never a bar
    print(f"gongwen: watching {args.inbox} (Ctrl-C to stop); results in {args.out}/", file=sys.stderr)

    def on_batch(summary) -> None:
        problems = summary.failures
        note = f"; {len(problems)} not ok, see {OutDir(args.out).file(FAILURES_CSV)}" if problems else ""
        print(f"gongwen: {len(summary.outcomes)} item(s) converted{note}", file=sys.stderr)

    # SIGTERM (a service manager stopping the watcher) and Ctrl-C stop it after the pages in
    # hand, with the aggregates written; an item not finished is taken again on restart
    with stop_on_signals() as stop:
        total = watch(args.inbox, args.out, settings, progress=display, on_batch=on_batch,
                      stop=stop, poll=args.poll, settle=args.settle)
        print(f"gongwen: stopped after {len(total.outcomes)} item(s)", file=sys.stderr)
        return _stopped(stop) or EXIT_OK


def cmd_reparse(args: argparse.Namespace) -> int:
    from .console import ProgressDisplay
    from .run.convert import reparse
    from .run.settings import Settings

    _check_templates(args.templates)
    settings = Settings(templates=args.templates, archive_code=_archive_code(args))
    display = ProgressDisplay()
    try:
        summary = reparse(args.out, settings, progress=display)
    finally:
        display.finish()
    return _summarise(summary, args.out)


def cmd_publish(args: argparse.Namespace) -> int:
    from .publish.site import publish

    _check_templates(args.templates)
    from .export.outdir import OutDir

    if not OutDir(args.out).items.is_dir():
        raise UsageError(f"{args.out}: no items/ folder here; give the OUT of an earlier convert")
    if args.serve and not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: not a port number")
    summary = publish(args.out, args.site, include_internal=args.include_internal, templates=args.templates)
    made = f"; {len(summary.made)} made again, the rest unchanged since the last publish" if 0 < len(summary.made) < len(summary.published) else ""
    no_pdf = f" ({len(summary.without_pdf)} without their PDF: page images gone)" if summary.without_pdf else ""
    unreadable = f", {len(summary.unreadable)} unreadable" if summary.unreadable else ""
    print(
        f"{len(summary.published)} published{no_pdf}, {len(summary.withheld)} withheld{unreadable} "
        f"(each with its reason in {summary.withheld_csv or 'the lines below'})"
        f"{', internal parts included' if args.include_internal else ''}. "
        f"Site in {args.site}/ (open index.html){made}.",
        file=sys.stderr,
    )
    # the first withheld items here, like convert's first failures; all in withheld.csv
    shown = 20 if summary.withheld_csv else len(summary.withheld)
    for item_id, reason in list(summary.withheld.items())[:shown]:
        print(f"  withheld {item_id}: {reason}", file=sys.stderr)
    if len(summary.withheld) > shown:
        print(f"  … and {len(summary.withheld) - shown} more in {summary.withheld_csv}", file=sys.stderr)
    for item_id, error in summary.unreadable.items():  # every one: each is an error to mend
        print(f"gongwen: {item_id}: not published: {error}", file=sys.stderr)
    if args.serve:
        _serve_site(args.site, args.host, args.port)
    return EXIT_ITEMS_FAILED if summary.unreadable else EXIT_OK


def _serve_site(site: Path, host: str, port: int) -> None:
    from .publish.serve import site_server

    try:
        server = site_server(site, host, port)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    shown = f"[{host}]" if ":" in host else host
    print(f"Site on http://{shown}:{server.server_address[1]}/ (Ctrl+C stops it)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def cmd_review(args: argparse.Namespace) -> int:
    if args.add_user or args.set_password or args.set_role or args.remove_user or args.list_users:
        return _review_accounts(args)
    if args.role or args.password_stdin:
        raise UsageError("--role goes with --add-user or --set-role, --password-stdin with --add-user or --set-password")
    from .review.app import beyond_this_machine, serve

    _check_templates(args.templates)
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: not a port number")
    if not args.verbose:  # the server's log: items loaded, logins, refused actions
        logging.getLogger("gongwen.pipeline.review").setLevel(logging.INFO)
    shown = f"[{args.host}]" if ":" in args.host else args.host

    def ready(count: int) -> None:
        if beyond_this_machine(args.host, args.trusted_proxy) and not args.secure_cookies:
            print(
                "gongwen: warning: served beyond this machine without --secure-cookies: passwords "
                "and session cookies cross the network unencrypted unless an https reverse proxy is "
                "in front (then give --secure-cookies)",
                file=sys.stderr,
            )
        print(f"Review app on http://{shown}:{args.port}/ ({count} items; Ctrl+C stops it)", file=sys.stderr)

    serve(args.out, args.host, args.port, db=args.db, templates=args.templates,
          secure_cookies=args.secure_cookies, trusted_proxy=args.trusted_proxy, ready=ready)
    return EXIT_OK


def _review_accounts(args: argparse.Namespace) -> int:
    """``gongwen review OUT --add-user/--set-password/--set-role/--remove-user/--list-users``."""
    from .review.accounts import (AccountError, add_user, check_name, get_user, list_users, remove_user,
                                  set_password, set_role)
    from .review.store import ReviewStore, local_time

    if args.role and not (args.add_user or args.set_role):
        raise UsageError("--role goes with --add-user or --set-role")
    if args.set_role and not args.role:
        raise UsageError(f"--set-role needs the new role: --role {' or '.join(REVIEW_ROLES)}")
    if args.password_stdin and not (args.add_user or args.set_password):
        raise UsageError("--password-stdin goes with --add-user or --set-password")
    store = ReviewStore(args.out, args.db)
    try:
        if args.list_users:
            found = list_users(store)
            for user in found:
                print(f"{user.name}\t{user.role}\t{local_time(user.created_at)}")
            if not found:
                print(f"no accounts: the review serves only this machine, a reviewer gives a name "
                      f"(add one: gongwen review {args.out} --add-user NAME)", file=sys.stderr)
        elif args.set_role:
            set_role(store, args.set_role, args.role)
            print(f"{args.set_role} is now {args.role}", file=sys.stderr)
        elif args.remove_user:
            remove_user(store, args.remove_user)
            print(f"removed the account {args.remove_user}", file=sys.stderr)
        elif args.add_user:
            name = check_name(args.add_user)
            if get_user(store, name) is not None:  # said before the password is asked
                raise AccountError(f"there is a user {name!r} already")
            user = add_user(store, name, _new_password(args, name), args.role or REVIEW_ROLES[0])
            print(f"added the account {user.name} ({user.role})", file=sys.stderr)
        else:
            name = check_name(args.set_password)
            if get_user(store, name) is None:
                raise AccountError(f"there is no user {name!r}")
            set_password(store, name, _new_password(args, name))
            print(f"set a new password for {name}", file=sys.stderr)
    except AccountError as exc:
        raise UsageError(f"{exc}; nothing changed") from None
    finally:
        store.close()
    return EXIT_OK


def _new_password(args: argparse.Namespace, name: str) -> str:
    """A new password: asked twice on the terminal (not echoed), or with --password-stdin the
    first line of standard input; never from the command line."""
    if args.password_stdin:
        return sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    if not sys.stdin.isatty():
        raise UsageError(
            "no terminal to ask the password on: give --password-stdin to read it from standard input"
        )
    import getpass

    try:
        first = getpass.getpass(f"Password for {name}: ")
        again = getpass.getpass("The same password again: ")
    except EOFError:
        raise UsageError("no password given; nothing changed") from None
    if first != again:
        raise UsageError("the two passwords differ; nothing changed")
    return first


def cmd_export(args: argparse.Namespace) -> int:
    from .review.export import export_reviewed

    _check_templates(args.templates)
    summary = export_reviewed(args.out, db=args.db, templates=args.templates)
    print(
        f"{summary.items} items: {summary.rewritten} written again with their review "
        f"({summary.approved} approved, {summary.corrected_values} corrected values, "
        f"{summary.publication_decisions} publication decisions); "
        f"CSVs rebuilt in {args.out}/."
        + (f" {summary.stale_pdfs} searchable PDFs keep their OCR text: page images gone." if summary.stale_pdfs else "")
        + (f" {len(summary.unreadable)} could not be read (a failed row in the CSVs):" if summary.unreadable else ""),
        file=sys.stderr,
    )
    for item_id, error in summary.unreadable.items():
        print(f"gongwen: {item_id}: not exported: {error}", file=sys.stderr)
    return EXIT_ITEMS_FAILED if summary.unreadable else EXIT_OK


def cmd_debug_tables(args: argparse.Namespace) -> int:
    import cv2

    from ..errors import InputError
    from ..ocr import grid
    from ..ocr import preprocess as pp
    from ..ocr.loading import PageRef, count_pages, load_page, sniff_format
    from .export.files import atomic_write_bytes

    try:
        fmt = sniff_format(args.page_image)
        if not 1 <= args.page <= count_pages(args.page_image, fmt):
            raise UsageError(f"--page {args.page}: the file has no such page")
        page = load_page(PageRef(str(args.page_image), fmt, args.page - 1))
    except InputError as exc:
        print(f"gongwen: {args.page_image}: {exc}", file=sys.stderr)
        return EXIT_ITEMS_FAILED
    if page.image is None:
        print(f"gongwen: page {args.page} is born-digital (no image to analyse)", file=sys.stderr)
        return EXIT_ITEMS_FAILED
    rotation, skew = pp.level(page.image)
    image = pp.rotate(pp.turn(page.image, rotation), skew)
    for name, overlay in grid.draw_debug(image).items():
        ok, buf = cv2.imencode(".png", cv2.cvtColor(overlay, cv2.COLOR_RGB2BGR))
        path = args.out / f"{args.page_image.stem}-p{args.page}-{name}.png"
        atomic_write_bytes(path, buf.tobytes())
        print(path)
    for i, t in enumerate(grid.find_tables(image), start=1):
        spans = sum(1 for c in t.cells if c.row_span > 1 or c.col_span > 1)
        print(f"table {i}: {t.n_rows} rows × {t.n_cols} columns, {len(t.cells)} cells ({spans} merged)")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command == "convert":
            return cmd_convert(args)
        if args.command == "watch":
            return cmd_watch(args)
        if args.command == "reparse":
            return cmd_reparse(args)
        if args.command == "publish":
            return cmd_publish(args)
        if args.command == "review":
            return cmd_review(args)
        if args.command == "export":
            return cmd_export(args)
        if args.command == "debug-tables":
            return cmd_debug_tables(args)
    except (UsageError, EngineUnavailableError, OutputError, ClusterError) as exc:
        print(f"gongwen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # the machine, not the items: a folder that cannot be written, a full disk
        log.debug("environment error", exc_info=True)
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"gongwen: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # a second Ctrl-C, or one outside a run
        print("gongwen: interrupted", file=sys.stderr)
        return EXIT_SIGNAL_BASE + signal.SIGINT
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
