"""The published site: a static copy of an earlier conversion's public items, searchable
without a server.

``publish(out, site)`` reads ``OUT/items/**/document.json`` and writes into SITE:

- ``index.html``: every published item (title, 文号, 发文机关, date), newest first, with a search
  box; ``year/<YYYY>.html`` and ``issuer/<slug>.html``: the same list filtered by year and by
  issuer, plain pages linked from the index, so the filters work without JavaScript;
- ``items/<slug>.html``: the clean copy of the circular (the templates of ``document.html``)
  and ``items/<slug>.pdf``, its searchable PDF;
- ``search-index.json`` (and ``search-index.js``, the same data as a script, so the search works
  from ``file://`` too, where a page may not fetch files) with the normalised text of each item,
  and ``search.js``: substring search (Chinese has no spaces: any substring of an item's text
  finds it), results with a snippet.

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

import hashlib
import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...parsers.layout import page_text
from ...parsers.disclosure import document_disclosure
from ...parsers.geometry import grow, overlaps, union
from ...parsers.model import Document, Line, PageKind, page_from_dict
from ..export.files import atomic_write_bytes, atomic_write_text, write_csv
from ..export.items import StoredItem, item_data, stored_items
from ..export.html import environment
from ..export.outdir import DOCUMENT_JSON, WITHHELD_CSV, OutDir

log = logging.getLogger(__name__)

# -- disclosure policy: parsers.disclosure decides; here it is applied to OUT's items ------

# Fields that belong to the receiving office (its 收文 stamp), not to the circular.
INTERNAL_FIELDS = ("received_date", "receipt_number")

INDEX_JSON = "search-index.json"
INDEX_JS = "search-index.js"
# OUT/withheld.csv: every item not published, with the reason (the archive's list: never in SITE)
WITHHELD_COLUMNS = ["item_id", "title", "doc_number", "disclosure", "confidence", "reason"]


def normalise(text: str) -> str:
    """The form text is searched in: NFKC (full-width digits and Latin to ASCII), lower case,
    no whitespace.  ``search.js`` applies the same to a query."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _confidence(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# -- safe names -------------------------------------------------------------------------------


def slug(text: str) -> str:
    """A file name for any id or name: ASCII letters, digits, ``.-_`` kept, the rest replaced,
    and a short hash of the original when anything was replaced (so ``a/b`` and ``a_b`` differ)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "x"
    if safe != text:
        safe = f"{safe[:60]}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}"
    return safe


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
            if layer == "blue" or any(overlaps(box, b, pad) for b in internal):
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
    data = json.loads(json.dumps(data))  # a deep copy
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


def public_pdf(out: Path, data: dict[str, Any], include_internal: bool, work: Path) -> bytes | None:
    """The searchable PDF to publish, or None when it cannot be published safely.

    With ``include_internal`` it is the item's ``searchable.pdf``.  Otherwise it is made again
    from the page images convert kept (``OUT/.gongwen/pages``) without the internal parts (see
    :func:`public_pages`), or copied when the item has none; None when internal parts would
    have to be removed and the page images are gone."""
    from PIL import Image, ImageDraw

    from ..export.searchable_pdf import searchable_pdf_bytes

    item_id = data["item_id"]
    original = OutDir(out).searchable_pdf(item_id)
    pages = public_pages(data)
    kept = {p.number for p in pages}
    everything_kept = all(
        p["number"] in kept for p in data.get("pages", ()) if not p.get("error")
    ) and not any(p.changed for p in pages)
    if include_internal or everything_kept:
        return original.read_bytes() if original.exists() else None
    if not pages:
        return None
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


def _value(data: dict, name: str) -> str:
    f = (data.get("fields") or {}).get(name)
    if not isinstance(f, dict) or f.get("value") is None:
        return ""
    v = f["value"]
    return "；".join(map(str, v)) if isinstance(v, list) else str(v)


def search_text(data: dict[str, Any]) -> str:
    """Everything a reader may search for in a published item: its fields, body (or page
    text when no body was found), attachments and table cells, normalised."""
    parts = [_value(data, n) for n in ("title", "doc_number", "issuer", "addressees", "signatories",
                                       "attachments", "disclosure", "cc", "printed_by")]
    if data.get("body"):
        parts += [p["text"] for p in data["body"]]
    else:
        parts.append(data.get("text", ""))
    for table in data.get("tables", ()):
        parts += [c.get("text", "") for c in table.get("cells", ())]
    for name in ("receiving_office",):
        if data.get(name):
            parts.append(data[name]["value"])
    for e in data.get("circulation", ()):
        parts.append((e.get("reader") or {}).get("value") or "")
    for a in data.get("annotations", ()):
        parts.append((a.get("text") or {}).get("value") or "")
    return normalise("\n".join(p for p in parts if p))


def search(index: dict[str, Any], query: str) -> list[dict[str, Any]]:
    """What ``search.js`` does, for tests and scripts: items whose text contains every
    whitespace-separated term of the query (normalised), in index order."""
    terms = [normalise(t) for t in query.split() if normalise(t)]
    if not terms:
        return []
    return [e for e in index["items"] if all(t in e["text"] for t in terms)]


def load_documents(out: Path) -> list[StoredItem]:
    """Every item of OUT in item-id order, readable or not (see ``export.StoredItem``)."""
    return list(stored_items(Path(out)))


def _withheld_rows(items: dict[str, StoredItem], summary: PublishSummary) -> list[dict[str, Any]]:
    rows = []
    for item_id, reason in sorted({**summary.withheld, **summary.unreadable}.items()):
        data = items[item_id].data or {}
        if item_id in summary.unreadable:
            reason = f"{DOCUMENT_JSON} 无法读取，未发布 (cannot be read): {reason}"
        marking = (data.get("fields") or {}).get("disclosure")
        confidence = _confidence(marking.get("confidence")) if isinstance(marking, dict) else None
        rows.append({
            "item_id": item_id, "title": _value(data, "title"), "doc_number": _value(data, "doc_number"),
            "disclosure": _value(data, "disclosure"), "confidence": "" if confidence is None else f"{confidence:.3f}",
            "reason": reason,
        })
    return rows


def _entry(data: dict[str, Any], item_slug: str, has_pdf: bool) -> dict[str, Any]:
    date = _value(data, "issue_date")
    year = date[:4] if date else ""
    if not year:
        m = re.search(r"〔(\d{4})〕", _value(data, "doc_number"))
        year = m.group(1) if m else ""
    issuer = _value(data, "issuer") or _value(data, "signatories").split("；")[0]
    return {
        "id": data["item_id"],
        "url": f"items/{item_slug}.html",
        "pdf": f"items/{item_slug}.pdf" if has_pdf else "",
        "title": _value(data, "title") or data["item_id"],
        "doc_number": _value(data, "doc_number"),
        "issuer": issuer,
        "issuer_url": f"issuer/{slug(issuer)}.html" if issuer else "",
        "date": date,
        "year": year,
    }


def publish(
    out: str | Path,
    site: str | Path,
    include_internal: bool = False,
    templates: Path | None = None,
) -> PublishSummary:
    """Write the static site of OUT's public items into SITE (see the module's docstring)."""
    import tempfile

    out, site = Path(out), Path(site)
    env = environment(str(templates) if templates else None)
    summary = PublishSummary(site=site)
    entries: list[dict[str, Any]] = []
    texts: list[str] = []
    site.mkdir(parents=True, exist_ok=True)
    written: set[Path] = set()

    def write(rel: str, content: str | bytes) -> None:
        path = site / rel
        if isinstance(content, bytes):
            atomic_write_bytes(path, content)
        else:
            atomic_write_text(path, content)
        written.add(path.resolve())

    items = {item.item_id: item for item in load_documents(out)}
    for item_id, item in items.items():
        if not item.ok:
            log.warning("%s is not published: %s", item_id, item.error)
            summary.unreadable[item_id] = item.error or f"its {DOCUMENT_JSON} cannot be read"
            continue
        # the typed document read through OutDir decides; its data dict (the form document.json
        # has, which the templates render) is made from it
        decision = document_disclosure(item.document)
        raw = item_data(item.document)
        if not decision.public:
            summary.withheld[item_id] = decision.reason
            continue
        try:  # everything of the item made first, then written: a bad record leaves no part of it
            data = public_data(raw, include_internal)
            item_slug = slug(item_id)
            with tempfile.TemporaryDirectory(prefix="gongwen-publish-") as work:
                pdf = public_pdf(out, raw, include_internal, Path(work))
            entry = _entry(data, item_slug, pdf is not None)
            pages = [
                {"number": p["number"], "text": t}
                for p, t in zip(data["pages"], data.get("text", "").split("\f"))
            ]
            html = env.get_template("site-item.html").render(
                doc=data, fields=data["fields"], page_texts=pages, entry=entry, root="../",
                include_internal=include_internal,
            )
            text = search_text(data)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            log.warning("%s is not published: its %s has an unexpected shape (%r)", item_id, DOCUMENT_JSON, exc)
            summary.unreadable[item_id] = f"its {DOCUMENT_JSON} is damaged ({type(exc).__name__}: {exc})"
            continue
        if pdf is not None:
            write(f"items/{item_slug}.pdf", pdf)
        else:
            summary.without_pdf.append(item_id)
        write(f"items/{item_slug}.html", html)
        entries.append(entry)
        texts.append(text)
        summary.published.append(item_id)

    order = sorted(range(len(entries)), key=lambda k: (entries[k]["date"] or "0000", entries[k]["id"]), reverse=True)
    entries = [entries[k] for k in order]
    texts = [texts[k] for k in order]
    years = sorted({e["year"] for e in entries if e["year"]}, reverse=True)
    issuers = sorted({e["issuer"] for e in entries if e["issuer"]})

    def page(template: str, rel: str, items: list[dict], heading: str, root: str) -> None:
        write(rel, env.get_template(template).render(
            items=items, heading=heading, root=root, years=years,
            issuers=[{"name": i, "url": f"issuer/{slug(i)}.html"} for i in issuers],
            total=len(entries),
        ))

    page("site-index.html", "index.html", entries, "公开文件", "")
    for y in years:
        page("site-index.html", f"year/{y}.html", [e for e in entries if e["year"] == y], f"{y}年", "../")
    for i in issuers:
        page("site-index.html", f"issuer/{slug(i)}.html", [e for e in entries if e["issuer"] == i], i, "../")

    index = {
        "version": 1,
        "items": [
            {**{k: e[k] for k in ("id", "url", "title", "doc_number", "issuer", "date")}, "text": t}
            for e, t in zip(entries, texts)
        ],
    }
    payload = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    write(INDEX_JSON, payload)
    # a script, so search works from file:// (where a page may not fetch a JSON file)
    write(INDEX_JS, "window.GONGWEN_INDEX = " + payload.replace("</", "<\\/") + ";\n")
    for name in ("search.js", "site.css"):  # static, overridable like the templates
        write(name, env.loader.get_source(env, name)[0])

    # files of an earlier publish that are not in this one (an item withheld since) go
    for path in list(site.rglob("*")):
        if path.is_file() and path.resolve() not in written and _ours(path, site):
            path.unlink()
    # the archive's list of what was not published and why: in OUT, never in the site
    try:
        write_csv(OutDir(out).file(WITHHELD_CSV), _withheld_rows(items, summary), WITHHELD_COLUMNS)
        summary.withheld_csv = OutDir(out).file(WITHHELD_CSV)
    except OSError as exc:  # OUT read-only: the summary still has every reason
        log.warning("%s cannot be written (%s)", OutDir(out).file(WITHHELD_CSV), exc)
    return summary


def _ours(path: Path, site: Path) -> bool:
    rel = path.relative_to(site).parts
    return rel[0] in ("items", "year", "issuer") or (len(rel) == 1 and (
        rel[0] in ("index.html", INDEX_JSON, INDEX_JS, "search.js", "site.css") or rel[0].endswith(".tmp")))
