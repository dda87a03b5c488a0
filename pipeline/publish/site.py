"""The published site: a static copy of an earlier conversion's public items, searchable
without a server.

``publish(out, site)`` reads ``OUT/items/**/document.json`` and writes into SITE:

- ``items/<slug>.html``: the clean copy of the circular (the templates of ``document.html``),
  marked up for the search index (title, 文号, issuer, date; filters year, issuer, 文种), and
  ``items/<slug>.pdf``, its searchable PDF;
- the listing pages (:mod:`.listing`): ``index.html`` and ``page/<n>.html`` (every item, newest
  first), ``year/<YYYY>.html``, ``issuer/<slug>.html`` and ``issuers.html``, each split into pages
  of 100 rows, plain HTML, so browsing works without JavaScript;
- the search: the site's own index of what the item pages show (:mod:`.textindex`,
  ``search/``), which ``search.js`` queries with the filters, fetching only the shards of the
  query's keys, and ``titles/<n>.js`` (:mod:`.titles`), the titles a site opened from
  ``file://`` searches instead.

Publishing again redoes only what changed (:mod:`.state`): an item whose ``document.json`` and
``searchable.pdf`` are the files of the last publish keeps its page and PDF; a listing page is
written only when its text changed; the search index changes only in the shards of the keys of
the items that changed.  A withheld item's files are removed.

Disclosure policy (:func:`disclosure_decision`, failing closed): an item is published only
when a reviewer decided so, or its 附注 (``disclosure``) as a whole is one of the recognised public
wordings (``parsers.disclosure.PUBLIC_FORMS``: 此件公开发布, 此件主动公开, 公开方式：主动公开 …) with nothing that
negates, defers, restricts or conditions it (``NOT_PUBLIC_TERMS``), read with a confidence
not below the review threshold; a failed or classified item never is.  Every other item is
withheld, and listed with its reason in the summary and ``OUT/withheld.csv``; a document.json
that cannot be read is listed too (``summary.unreadable``).  What the receiving office added — the circulation slip's pages, its
readers, the annotations, the 收文 stamp and the receiving office's name — is internal: it is left
out of every published file (pages, index, PDF text layer and images) unless
``include_internal``.  Nothing of a withheld item is written at all.

Every file is written atomically; the library never prints, the CLI reports the summary.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field, fields
from html import unescape
from pathlib import Path
from typing import Any

from ...parsers.layout import page_text
from ...parsers.disclosure import document_disclosure
from ...parsers.geometry import grow, overlaps, union
from ...parsers.model import HAND_LAYERS, Document, Line, PageKind, page_from_dict
from ..export.files import atomic_write_bytes, write_csv
from ..export.items import StoredItem, item_data, read_stored
from ..export.html import environment
from ..export.outdir import DOCUMENT_JSON, WITHHELD_CSV, OutDir
from .listing import TOP_ISSUERS, entry as _entry, field_text as _value, genres, issuer_pages, issuers, listings, newest_first, slug, years
from .textindex import INDEX_DIR, SiteIndex, make_record, pack
from .titles import TITLES_DIR, title_chunks
from .state import PublishState, build_stamp, item_stamp, text_hash

log = logging.getLogger(__name__)

# -- disclosure policy: parsers.disclosure decides; here it is applied to OUT's items ------

# Fields that belong to the receiving office (its 收文 stamp), not to the circular.
INTERNAL_FIELDS = ("received_date", "receipt_number")

# OUT/withheld.csv: every item not published, with the reason (the archive's list: never in SITE)
WITHHELD_COLUMNS = ["item_id", "title", "doc_number", "disclosure", "confidence", "reason"]


def _confidence(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# -- the public view of an item ---------------------------------------------------------------


def _field_boxes(data: dict[str, Any], names) -> dict[int, list[tuple[float, ...]]]:
    """Page → boxes of fields of the item (``names``) and, for ``annotations``, of each
    annotation's text, signer and date."""
    boxes: dict[int, list[tuple[float, ...]]] = {}
    fields = [data["fields"].get(n) for n in names if n != "annotations"]
    if "annotations" in names:
        for a in data.get("annotations", ()):
            fields += [a.get("text"), a.get("signer"), a.get("date")]
    for f in fields:
        if f and f.get("page") and f.get("bbox"):
            boxes.setdefault(int(f["page"]), []).append(tuple(f["bbox"]))
    return boxes


@dataclass
class PublicPage:
    number: int
    lines: list[dict]  # kept lines
    redact: list[tuple[float, ...]] = field(default_factory=list)  # image boxes to paint white
    changed: bool = False  # anything left out of the page


def public_pages(data: dict[str, Any]) -> list[PublicPage]:
    """The pages of an item as published without the internal parts: slip pages left out;
    on the other pages the handwriting (blue ink), the annotations, the receipt stamp (red
    print above the 发文机关标志, with its office name) and red text other than the 发文机关标志
    (seal scraps) dropped from the text; the handwriting, annotations and stamp painted over."""
    notes = _field_boxes(data, ("annotations",))
    receipt = _field_boxes(data, INTERNAL_FIELDS)
    issuer = data["fields"].get("issuer") or {}
    result = []
    for page in data.get("pages", ()):
        if page.get("kind") == PageKind.SLIP or page.get("error"):
            continue
        number = int(page["number"])
        pad = 12.0 * float(page.get("dpi") or 300) / 300
        internal = notes.get(number, []) + receipt.get(number, [])
        header_top = None
        if issuer.get("page") == number and issuer.get("bbox"):
            header_top = issuer["bbox"][1]
        top_band = float(page.get("height") or 0) * 0.25
        kept, redact, changed = [], [], False
        stamp: list[tuple[float, ...]] = list(receipt.get(number, []))
        for line in page.get("lines", ()):
            box = tuple(line["bbox"])
            layer = line.get("layer", "black")
            is_issuer = bool(issuer.get("bbox")) and issuer.get("page") == number and overlaps(box, issuer["bbox"])
            if layer in HAND_LAYERS or any(overlaps(box, b, pad) for b in internal):
                redact.append(box)
                changed = True
                continue
            if layer == "red" and not is_issuer:
                above_header = box[3] <= header_top if header_top is not None else box[1] < top_band
                if above_header:  # the 收文 stamp: 收文, the receiving office
                    stamp.append(box)
                    redact.append(box)
                changed = True  # a seal scrap: kept in the image, left out of the text
                continue
            kept.append(line)
        if stamp:  # the stamp's frame too: the box around its parts, with a margin
            redact.append(grow(union(stamp), 3 * pad))
        result.append(PublicPage(number=number, lines=kept, redact=redact, changed=changed))
    return result


def public_data(data: dict[str, Any], include_internal: bool) -> dict[str, Any]:
    """The item's data dict as published: the circular; with ``include_internal`` also the
    receiving office's slip, annotations and stamp.  ``text`` is the published pages' text."""
    # a copy of what is changed below (every other part is only read, or replaced whole)
    data = {**data, "fields": dict(data["fields"])}
    for key in ("source", "errors", "error", "review"):  # the review names archivists: internal
        data.pop(key, None)
    if include_internal:
        return data
    for name in INTERNAL_FIELDS:
        data["fields"][name] = None
    data["circulation"] = []
    data["annotations"] = []
    data["receiving_office"] = None
    pages = public_pages(data)
    by_number = {p.number: p for p in pages}
    data["pages"] = [
        {**{k: v for k, v in page.items() if k != "lines"}, "lines": by_number[page["number"]].lines}
        for page in data["pages"]
        if page["number"] in by_number
    ]
    data["text"] = "".join(
        page_text([_line(l) for l in p["lines"]]) + "\n\f" for p in data["pages"]
    )
    data["body"] = [p for p in data.get("body", ()) if _public_paragraph(p, by_number)]
    return data


def _public_paragraph(paragraph: dict, pages: dict[int, PublicPage]) -> bool:
    starts = paragraph.get("pages") or ([paragraph["page"]] if paragraph.get("page") else [])
    return not starts or any(p in pages for p in starts)


def _line(d: dict) -> Line:
    return Line(text=d["text"], bbox=tuple(d["bbox"]), confidence=float(d.get("confidence", 0)), layer=d.get("layer", "black"))


# -- the searchable PDF -----------------------------------------------------------------------


def _page_image(out: Path, item_id: str, number: int) -> Path | None:
    return OutDir(out).kept_page_image(item_id, number)


def public_pdf(out: Path, data: dict[str, Any], include_internal: bool) -> bytes | Path | None:
    """The searchable PDF to publish: a new one (bytes), the item's own (its path) when it is
    published as it is, or None when it cannot be published safely.

    With ``include_internal`` it is the item's ``searchable.pdf``.  Otherwise it is made again
    from the page images convert kept (``OUT/.gongwen/pages``) without the internal parts (see
    :func:`public_pages`), or copied when the item has none; None when internal parts would
    have to be removed and the page images are gone."""
    item_id = data["item_id"]
    original = OutDir(out).searchable_pdf(item_id)
    pages = public_pages(data)
    kept = {p.number for p in pages}
    everything_kept = all(
        p["number"] in kept for p in data.get("pages", ()) if not p.get("error")
    ) and not any(p.changed for p in pages)
    if include_internal or everything_kept:
        return original if original.exists() else None
    if not pages:
        return None
    with tempfile.TemporaryDirectory(prefix="gongwen-publish-") as work:  # the pages painted over
        return _remade_pdf(out, data, pages, Path(work))


def _remade_pdf(out: Path, data: dict[str, Any], pages: list[PublicPage], work: Path) -> bytes | None:
    from PIL import Image, ImageDraw

    from ..export.searchable_pdf import searchable_pdf_bytes

    item_id = data["item_id"]
    model_pages = []
    by_number = {p["number"]: p for p in data["pages"]}
    for pp in pages:
        image = _page_image(out, item_id, pp.number)
        if image is None:
            return None
        if pp.redact:
            img = Image.open(image)
            img.load()
            draw = ImageDraw.Draw(img)
            white = 1 if img.mode == "1" else (255 if img.mode == "L" else (255,) * len(img.getbands()))
            for box in pp.redact:
                draw.rectangle([int(box[0]), int(box[1]), int(box[2]) + 1, int(box[3]) + 1], fill=white)
            target = work / f"{pp.number:04d}{image.suffix}"
            if OutDir.is_bilevel_image(image):
                img.save(target, compression="group4")
            else:
                img.convert("RGB").save(target, quality=85)
            image = target
        page = page_from_dict({**by_number[pp.number], "lines": pp.lines}, image_path=str(image))
        model_pages.append(page)
    return searchable_pdf_bytes(Document(item_id=item_id, source=data.get("source", ""), pages=tuple(model_pages)))


# -- the site ---------------------------------------------------------------------------------


@dataclass
class PublishSummary:
    site: Path
    published: list[str] = field(default_factory=list)
    withheld: dict[str, str] = field(default_factory=dict)  # item → the reason it is not published
    unreadable: dict[str, str] = field(default_factory=dict)  # item → why its document.json cannot be read
    without_pdf: list[str] = field(default_factory=list)  # published, but their PDF was not
    withheld_csv: Path | None = None  # OUT/withheld.csv: every item not published, with the reason
    made: list[str] = field(default_factory=list)  # items whose files were made (the rest had not changed)
    written: int = 0  # files written
    removed: int = 0  # files removed (items withheld since, listing pages no longer made)


def _withheld_row(item_id: str, data: dict[str, Any] | None, reason: str) -> dict[str, Any]:
    data = data or {}
    marking = (data.get("fields") or {}).get("disclosure")
    confidence = _confidence(marking.get("confidence")) if isinstance(marking, dict) else None
    return {
        "item_id": item_id, "title": _value(data, "title"), "doc_number": _value(data, "doc_number"),
        "disclosure": _value(data, "disclosure"), "confidence": "" if confidence is None else f"{confidence:.3f}",
        "reason": reason,
    }


class _Site:
    """The files of one publish: what is written, what stays, what goes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.keep: set[str] = set()  # paths (relative to SITE) of this publish's files
        self.written = 0

    def write(self, rel: str, content: str | bytes, only_if_changed: bool = False) -> None:
        """Write ``rel`` atomically; with ``only_if_changed`` leave a file with the same bytes."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = self.root / rel
        self.keep.add(rel)
        if only_if_changed:
            try:
                if path.read_bytes() == data:
                    return
            except OSError:
                pass
        atomic_write_bytes(path, data)
        self.written += 1

    def place(self, rel: str, source: Path) -> None:
        """Put the file ``source`` at ``rel`` unchanged: a hard link when SITE is on the same
        file system as OUT (OUT's files are only ever replaced, never changed in place, so the
        link keeps the bytes it was made with), else a copy; either way renamed into place."""
        path = self.root / rel
        self.keep.add(rel)
        try:
            if os.path.samefile(source, path):  # already that very file
                return
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)
        os.replace(tmp, path)
        self.written += 1

    def remove(self, rel: str) -> bool:
        if rel in self.keep:
            return False
        try:
            (self.root / rel).unlink()
        except FileNotFoundError:
            return False
        return True


# what publish writes into SITE: anything else there is the publisher's own and left alone
_OUR_FOLDERS = ("items", "year", "issuer", "page", "issuers", TITLES_DIR, INDEX_DIR,
                "pagefind")  # the last: the search of earlier versions
_OUR_FILES = ("index.html", "issuers.html", "search.js", "site.css", "document.css",
              "search-index.json", "search-index.js")  # the last two: earlier versions' search


def _ours(rel: str) -> bool:
    parts = rel.split("/")
    return parts[0] in _OUR_FOLDERS or (len(parts) == 1 and (parts[0] in _OUR_FILES or parts[0].endswith(".tmp")))


def publish(
    out: str | Path,
    site: str | Path,
    include_internal: bool = False,
    templates: Path | None = None,
) -> PublishSummary:
    """Write the static site of OUT's public items into SITE (see the module's docstring);
    only what changed since the last publish into SITE is made again."""
    out, site = Path(out), Path(site)
    outdir = OutDir(out)
    env = environment(str(templates) if templates else None)
    summary = PublishSummary(site=site)
    site.mkdir(parents=True, exist_ok=True)
    files = _Site(site)
    state_path = outdir.publish_state(site)
    before = PublishState.load(state_path, build_stamp(templates, include_internal))
    now = PublishState(before.build)
    rows: list[dict[str, Any]] = []  # OUT/withheld.csv

    index = SiteIndex(site, before.search)
    indexed: dict[int, str] = {}  # search id → hash of the item's search record
    seen: set[str] = set()  # the items in OUT
    for path in outdir.document_jsons():
        item_id = outdir.item_id_of(path)
        stamp = item_stamp(path, outdir.searchable_pdf(item_id))
        seen.add(item_id)
        old = record = before.items.get(item_id)
        if index.full or not (record and record.get("stamp") == stamp
                              and all((site / f).is_file() for f in record.get("files", ()))):
            record, search = _publish_item(out, read_stored(out, path), stamp, include_internal, env, files)
            _index_item(index, files, old, record, search)
            if record.get("entry"):
                summary.made.append(item_id)
        if record.get("unreadable"):
            summary.unreadable[item_id] = record["unreadable"]
            rows.append(record["row"])
            continue
        now.items[item_id] = record
        if "reason" in record:
            summary.withheld[item_id] = record["reason"]
            rows.append(record["row"])
            continue
        files.keep.update(record["files"])
        summary.published.append(item_id)
        indexed[record["sid"]] = record["search"]
        if not record["entry"]["pdf"]:
            summary.without_pdf.append(item_id)
    for item_id in before.items.keys() - seen:  # items no longer in OUT
        _index_item(index, files, before.items[item_id], {}, None)

    entries = newest_first([now.items[i]["entry"] for i in summary.published])
    now.listings = _write_listings(env, files, entries, before.listings)
    for name in ("search.js", "site.css", "document.css"):  # static, overridable like the templates
        files.write(name, env.loader.get_source(env, name)[0], only_if_changed=True)
    now.search = index.finish(
        indexed, lambda rel, data: files.write(rel, data, only_if_changed=True), files.keep.add,
    )
    now.pages = sorted(files.keep - {f for r in now.items.values() for f in r.get("files", ())})
    # what is no longer published goes: files of items withheld or gone, pages no longer made
    summary.removed = _remove_stale(files, before, full=not before.items)
    summary.written = files.written
    try:
        now.save(state_path)
    except OSError as exc:  # OUT read-only: the next publish makes everything again
        log.warning("%s cannot be written (%s)", state_path, exc)
    # the archive's list of what was not published and why: in OUT, never in the site
    try:
        write_csv(outdir.file(WITHHELD_CSV), sorted(rows, key=lambda r: r["item_id"]), WITHHELD_COLUMNS)
        summary.withheld_csv = outdir.file(WITHHELD_CSV)
    except OSError as exc:
        log.warning("%s cannot be written (%s)", outdir.file(WITHHELD_CSV), exc)
    return summary


def _publish_item(out: Path, item: StoredItem, stamp: list, include_internal: bool, env,
                  files: _Site) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Decide on one item and, when it is public, write its page and PDF.  Returns its record
    for the publish state — ``entry``, ``files`` and ``page`` (the hash of its page), or
    ``reason`` and ``row`` (withheld), or ``unreadable`` and ``row`` — and, when it is
    published, its record for the search index (:func:`.textindex.make_record`)."""
    item_id = item.item_id
    if not item.ok:
        log.warning("%s is not published: %s", item_id, item.error)
        error = item.error or f"its {DOCUMENT_JSON} cannot be read"
        return {"unreadable": error, "row": _withheld_row(item_id, item.data, _unreadable_reason(error))}, None
    # the typed document read through OutDir decides; its data dict (the form document.json
    # has, which the templates render) is made from it
    decision = document_disclosure(item.document)
    raw = item_data(item.document)
    if not decision.public:
        return {"stamp": stamp, "reason": decision.reason, "row": _withheld_row(item_id, raw, decision.reason)}, None
    try:  # everything of the item made first, then written: a bad record leaves no part of it
        data = public_data(raw, include_internal)
        item_slug = slug(item_id)
        pdf = public_pdf(out, raw, include_internal)
        entry = _entry(data, item_slug, pdf is not None)
        pages = [
            {"number": p["number"], "text": t}
            for p, t in zip(data["pages"], data.get("text", "").split("\f"))
        ]
        html = env.get_template("site-item.html").render(
            doc=data, fields=data["fields"], page_texts=pages, entry=entry, root="../",
            include_internal=include_internal, published=True,
        )
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        log.warning("%s is not published: its %s has an unexpected shape (%r)", item_id, DOCUMENT_JSON, exc)
        error = f"its {DOCUMENT_JSON} is damaged ({type(exc).__name__}: {exc})"
        return {"unreadable": error, "row": _withheld_row(item_id, raw, _unreadable_reason(error))}, None
    if isinstance(pdf, Path):  # published as it is: linked or copied, never read
        files.place(entry["pdf"], pdf)
    elif pdf is not None:
        files.write(entry["pdf"], pdf)
    files.write(entry["url"], html)
    record = {"stamp": stamp, "entry": entry, "files": [entry["url"]] + ([entry["pdf"]] if pdf is not None else []),
              "page": text_hash(html)}
    return record, make_record(entry, shown_text(html))


# the part of an item page whose text is searched: the circular and its record
_SHOWN = re.compile(r"<main>(.*)</aside>", re.S)
_TAG = re.compile(r"<[^>]*>")


def shown_text(html: str) -> str:
    """The text an item page shows of the circular and its record (its tags taken out, one
    element a line), which the search index holds."""
    m = _SHOWN.search(html)
    text = unescape(_TAG.sub("\n", m.group(1) if m else html))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _index_item(index: SiteIndex, files: _Site, old: dict[str, Any] | None, record: dict[str, Any],
                search: dict[str, Any] | None) -> None:
    """Put a made item into the search index: its old keys out (when it was published), its
    new ones in, under the id it had (or a new one); its search record written and made one of
    its files.  A withheld, unreadable or gone item (``search`` None) is only taken out."""
    sid = old.get("sid") if old and not index.full else None
    if search is None:
        if sid is not None:
            index.drop(sid)
        return
    indexed = sid is not None
    if not indexed:
        sid = index.new_id()
    index.add(sid, search, was_indexed=indexed)  # reads its old record: before it is replaced
    data = pack(search)
    record.update(sid=sid, search=text_hash(data))
    record["files"].append(index.put_record(sid, data, files.write))


def _unreadable_reason(error: str) -> str:
    return f"{DOCUMENT_JSON} 无法读取，未发布 (cannot be read): {error}"


def _write_listings(env, files: _Site, entries: list[dict[str, Any]], before: dict[str, str]) -> dict[str, str]:
    """The listing pages, the issuers' list and the titles for ``file://``, each written only
    when its text changed; a listing page whose data (its rows, the links every page shows) has
    the hash it had at the last publish (``before``: path → hash) is not even rendered, the
    most of a publish that changed a few items.  Returns the hashes of this publish."""
    chunks = title_chunks(entries)
    every_issuer = issuers(entries)
    common = {
        "years": years(entries), "genres": genres(entries), "top_issuers": every_issuer[:TOP_ISSUERS],
        "all_items": len(entries), "title_chunks": len(chunks),
    }
    shared = json.dumps(common, ensure_ascii=False, sort_keys=True)
    hashes = {}
    for listing in listings(entries):
        shown = [getattr(listing, f.name) for f in fields(listing)]  # every field, not copied
        hashes[listing.path] = text_hash(shared + json.dumps(shown, ensure_ascii=False, sort_keys=True))
        if before.get(listing.path) == hashes[listing.path] and (files.root / listing.path).is_file():
            files.keep.add(listing.path)
            continue
        files.write(listing.path, env.get_template("site-index.html").render(
            page=listing, items=listing.rows, heading=listing.heading, root=listing.root, **common,
        ), only_if_changed=True)
    for listing in issuer_pages(every_issuer):
        files.write(listing.path, env.get_template("site-issuers.html").render(
            page=listing, heading=listing.heading, root=listing.root, **common,
        ), only_if_changed=True)
    for rel, script in chunks.items():
        files.write(rel, script, only_if_changed=True)
    return hashes


def _remove_stale(files: _Site, before: PublishState, full: bool) -> int:
    """Remove what an earlier publish wrote and this one did not: the files of items withheld
    (or gone) since, listing pages no longer made.  ``full`` (no state of an earlier publish
    for this build): every file of ours in SITE that this publish did not write."""
    if full:
        stale = [p.relative_to(files.root).as_posix() for p in files.root.rglob("*") if p.is_file()]
        stale = [rel for rel in stale if _ours(rel)]
    else:
        stale = list(before.pages) + [f for r in before.items.values() for f in r.get("files", ())]
    return sum(files.remove(rel) for rel in stale)
