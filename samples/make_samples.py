#!/usr/bin/env python3
"""Command line of the sample generator (the package gongwen.samples): write sample bundles.

    python samples/make_samples.py --out DIR [--seed N] [--count K] [--only example|random]
                                   [--force] [--upright] [--layouts all|letter,taiwan,…]
                                   [--slips all|chuli,yuewen,…]

Default set: example-bundle.tif (LZW) and .pdf from truth/example-bundle.json, and sample-7-01.pdf
(rotated 90°), sample-7-02/ (JPEG folder, 180°), sample-7-03.tif (G4) from seed 7.  With --seed N:
random-N-01 … in the formats pdf, tiff-lzw, folder, tiff-g4, tiff-jpeg, png (single page) in turn.
With --seed N --layouts KINDS: documents in other layouts (layout_truth.LAYOUT_KINDS: letter,
under_title, quotation, speech, leaflet, phone_record, taiwan, secrecy, red_print, mimeograph,
photo), the kinds in turn, named KIND-N-01 …, in pdf, tiff-lzw, folder, tiff-jpeg in turn (a phone
photo as a folder of JPEGs); --count defaults to one of each kind.  With --seed N --slips FORMS:
bundles whose slip and 收文 stamp come from the slip-form family (slip_forms.SLIP_FORMS: chuli,
yuewen, chuanyue, yueban, spaced, lined), the forms in turn, named slipform-N-01 …, in pdf,
tiff-lzw, folder, tiff-jpeg in turn; --count defaults to one of each form.

Run by its path or imported as gongwen.samples.make_samples; either way gongwen must be installed
(`make setup`).  As a module it also offers the names of the one-file make_samples.py it replaces
(the package's API, main, and three helpers tests/ and bench/ reach into).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from gongwen.samples.bundle import render_bundle
from gongwen.samples.fonts import FontMissingError, check_fonts
from gongwen.samples.layout_truth import LAYOUT_KINDS, make_layout_truth
from gongwen.samples.random_truth import make_random_truth
from gongwen.samples.report_tables import CASES as REPORT_CASES, write_case
from gongwen.samples.schema import EXAMPLE_TRUTH, load_truth
from gongwen.samples.slip_forms import SLIP_FORMS
from gongwen.samples.slip_forms_truth import make_slipform_truth
from gongwen.samples.write import item_path, save_item, truth_path

# The one-file make_samples.py's names, for code written against it (tests/ load this module).
from gongwen.samples import *  # noqa: F401,F403
from gongwen.samples.degrade import _map_box  # noqa: F401  (tests/test_samples.py)
from gongwen.samples.fonts import _FONT_FILES  # noqa: F401  (tests/test_samples.py)
from gongwen.samples.schema import _cell_entries  # noqa: F401  (bench/tables.py)

_MIX = ("pdf", "tiff-lzw", "folder", "tiff-g4", "tiff-jpeg", "png")
_LAYOUT_MIX = ("pdf", "tiff-lzw", "folder", "tiff-jpeg")


def layout_kinds(spec: str) -> list[str]:
    """The kinds named by --layouts ("all" or a comma list), in their order."""
    kinds = list(LAYOUT_KINDS) if spec.strip() == "all" else [k.strip() for k in spec.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in LAYOUT_KINDS]
    if unknown or not kinds:
        raise ValueError(f"unknown layout kind {', '.join(unknown) or '(none)'}; choose all or from "
                         f"{', '.join(LAYOUT_KINDS)}")
    return kinds


def slip_forms(spec: str) -> list[str]:
    """The forms named by --slips ("all" or a comma list), in their order."""
    forms = list(SLIP_FORMS) if spec.strip() == "all" else [k.strip() for k in spec.split(",") if k.strip()]
    unknown = [k for k in forms if k not in SLIP_FORMS]
    if unknown or not forms:
        raise ValueError(f"unknown slip form {', '.join(unknown) or '(none)'}; choose all or from {', '.join(SLIP_FORMS)}")
    return forms


def _plan(args) -> list[tuple[str, tuple[str, ...], object]]:
    """(name, formats, truth factory) for every item to write; one render serves all formats."""
    plan: list[tuple[str, tuple[str, ...], object]] = []
    if getattr(args, "layouts", None):
        kinds = layout_kinds(args.layouts)
        for i in range(1, (args.count or len(kinds)) + 1):
            kind = kinds[(i - 1) % len(kinds)]
            fmt = "folder" if kind == "photo" else _LAYOUT_MIX[(i - 1) % len(_LAYOUT_MIX)]
            plan.append((f"{kind}-{args.seed}-{i:02d}", (fmt,), lambda kind=kind, i=i: make_layout_truth(kind, args.seed, i)))
        return plan
    if getattr(args, "slips", None):
        forms = slip_forms(args.slips)
        for i in range(1, (args.count or len(forms)) + 1):
            form = forms[(i - 1) % len(forms)]
            fmt = _LAYOUT_MIX[(i - 1) % len(_LAYOUT_MIX)]
            plan.append((f"slipform-{args.seed}-{i:02d}", (fmt,),
                         lambda form=form, i=i: make_slipform_truth(form, args.seed, i)))
        return plan
    if args.seed is None:
        if args.only in (None, "example"):
            plan.append(("example-bundle", ("tiff-lzw", "pdf"), lambda: load_truth(EXAMPLE_TRUTH)))
        if args.only in (None, "random"):
            for i, (fmt, rot) in enumerate((("pdf", 90), ("folder", 180), ("tiff-g4", 0)), start=1):
                def make(i=i, rot=rot):
                    t = make_random_truth(7, i)
                    t["id"] = f"sample-7-{i:02d}"
                    t["degradation"]["rotation"] = rot
                    return t
                plan.append((f"sample-7-{i:02d}", (fmt,), make))
    else:
        for i in range(1, (args.count or 6) + 1):
            fmt = _MIX[(i - 1) % len(_MIX)]
            plan.append((f"random-{args.seed}-{i:02d}", (fmt,),
                         lambda i=i, fmt=fmt: make_random_truth(args.seed, i, rotation_variety=not args.upright,
                                                                single_page=(fmt == "png"))))
    return plan


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Render sample scanned bundles (件) of Chinese government circulars with their truth.",
        epilog="Without --seed: the example bundle (TIFF and PDF) and three random items from seed 7 "
               "(PDF, JPEG folder, G4 TIFF; rotated 90/180/0).  With --seed N: --count random items in "
               "mixed formats.  Beside each item: <item>.truth.json.")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--seed", type=int, help="render random items from this seed instead of the default set")
    ap.add_argument("--count", type=int, help="number of random items with --seed (default 6)")
    ap.add_argument("--only", choices=["example", "random"], help="default set only: the example or the random items")
    ap.add_argument("--force", action="store_true", help="rewrite items that already exist")
    ap.add_argument("--upright", action="store_true", help="with --seed: no pages rotated by 90/180/270")
    ap.add_argument("--layouts", metavar="KINDS",
                    help="with --seed: documents in other layouts instead of random circulars: all, or a comma "
                         f"list of {', '.join(LAYOUT_KINDS)}")
    ap.add_argument("--slips", metavar="FORMS",
                    help="with --seed: bundles whose circulation slip and 收文 stamp come from the slip-form family: "
                         f"all, or a comma list of {', '.join(SLIP_FORMS)}")
    ap.add_argument("--report-tables", action="store_true",
                    help="born-digital report pages of the table kinds issue 21 names (samples/report_tables.py), "
                         "each PDF with its <case>.json of expected cells, instead of scanned bundles")
    args = ap.parse_args(argv)
    if args.report_tables and (args.seed is not None or args.only or args.layouts is not None or args.slips is not None):
        ap.error("--report-tables takes no other option than --out")
    if args.slips is not None and args.layouts is not None:
        ap.error("--slips and --layouts exclude each other")
    if args.seed is not None and args.only:
        ap.error("--only applies to the default set, not to --seed")
    for option, value, check in (("--slips", args.slips, slip_forms), ("--layouts", args.layouts, layout_kinds)):
        if value is None:
            continue
        if args.seed is None:
            ap.error(f"{option} needs --seed")
        try:
            check(value)
        except ValueError as exc:
            ap.error(str(exc))
    if args.count is not None and (args.seed is None or args.count < 1):
        ap.error("--count needs --seed and a positive number")
    try:
        check_fonts()
    except FontMissingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    if args.report_tables:
        for name in REPORT_CASES:
            pdf, rows = write_case(name, out)
            print(f"wrote {pdf} ({'no table' if rows is None else f'{len(rows)} rows'})")
        return 0
    for name, fmts, factory in _plan(args):
        todo = [f for f in fmts if args.force or not (item_path(out, name, f).exists()
                                                      and truth_path(item_path(out, name, f)).exists())]
        for f in fmts:
            if f not in todo:
                print(f"exists, skipped: {item_path(out, name, f)}")
        if not todo:
            continue
        t0 = time.perf_counter()
        truth = factory()
        images, page_truth = render_bundle(truth)
        t_render = time.perf_counter() - t0
        for f in todo:
            t1 = time.perf_counter()
            path = save_item(images, item_path(out, name, f), f,
                             quality=int(truth["degradation"].get("jpeg_quality") or 85),
                             truth=truth, page_truth=page_truth)
            print(f"wrote {path} ({len(images)} page{'s' if len(images) != 1 else ''}, {f}, render {t_render:.1f} s, "
                  f"save {time.perf_counter() - t1:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
