"""The per-page work: load → orient → deskew → separate inks → OCR → lines.

:func:`process_page` takes one picklable :class:`PageContext` and returns a model ``Page``; it
runs in a worker process (or a Dask worker) that keeps one engine instance for all its pages.
It never raises for a bad page: the error is recorded on the returned page.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from ...errors import GongwenError
from ...ocr import grid
from ...ocr import preprocess as pp
from ...ocr.engines import PDF_TEXT, OcrEngine, make_engine
from ...ocr.loading import LoadedPage, PageRef, load_page, text_layer_pages
from ...parsers.model import BLANK_PAGE, Cell, Line, Page, Table
from ...parsers.text import is_cjk as is_cjk_char

log = logging.getLogger(__name__)

# Below this character-weighted confidence an upright page is also read turned by 180°, and
# the better reading is kept.
UPSIDE_DOWN_CHECK_BELOW = 0.85
# a reading of fewer characters than this is checked in the other orientations too
UPRIGHT_MIN_CHARS = 12
# Lines read from a colour layer below this confidence are seal ornaments, not text.
MIN_COLOUR_LINE_CONFIDENCE = 0.6
PAGE_IMAGE_QUALITY = 85
# the page image of a bilevel scan: CCITT G4 TIFF (other pages: JPEG)
BILEVEL_SUFFIX = ".tif"
BILEVEL_THRESHOLD = 128  # a bilevel page's pixel this light or lighter is white
GRID_SCALE = 0.5
# a worker holding more than this after a page gives its freed memory back to the system (a
# worker holds some 120 MB between pages once trimmed, 700-900 MB at a page's peak; without
# trimming, what it keeps between pages crept from 420 to 600 MB over 24 pages)
RELEASE_MEMORY_ABOVE_MB = 512
# a black line that overlaps a colour line this much and shares most of its characters is the
# same ink read twice
ECHO_OVERLAP = 0.5
# a handwritten 。 the detector left out: how far right of the line (in line heights) it is
# looked for, and its size (a share of the line's height)
FULL_STOP_REACH = 1.5
FULL_STOP_SIZE = (0.15, 0.5)
FULL_STOP_GAP = 0.08
# what a lone 。 region is read as; it is put back at the end of its line instead
FULL_STOP_READINGS = ("。", "o", "O", "○", "〇", "0", "°")
FULL_STOP_AS_BRACKET = "(（"
# a line this much inside another that contains its text is a repeat of it
REPEAT_OVERLAP = 0.8
ECHO_SHARED_CHARS = 0.6
PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies


@dataclass(frozen=True)
class PageContext:
    """Everything a worker needs for one page (picklable)."""

    item_id: str
    number: int  # 1-based page number within the item
    ref: PageRef
    engine: str
    image_dir: str  # where the upright page image is written (for the searchable PDF, review)
    threads: int = 1


_ENGINES: dict[tuple[str, int], OcrEngine] = {}


def engine_for(name: str, threads: int) -> OcrEngine:
    """The worker's engine instance, made on first use."""
    key = (name, threads)
    if key not in _ENGINES:
        _ENGINES[key] = make_engine(name, threads=threads)
    return _ENGINES[key]


def _libc_malloc_trim():
    """glibc's ``malloc_trim``, or None where the C library has none (musl, macOS)."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _libc_malloc_trim() if sys.platform.startswith("linux") else None


def release_memory(above_mb: float = RELEASE_MEMORY_ABOVE_MB) -> bool:
    """Give the memory freed after a page back to the system when the process holds more than
    ``above_mb``: the C allocator otherwise keeps the freed blocks of the largest pages seen,
    and a worker's memory creeps up with every page it reads.  Returns whether it trimmed."""
    if _MALLOC_TRIM is None:
        return False
    try:
        with open("/proc/self/statm") as f:
            resident = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return False
    if resident < above_mb * 2**20:
        return False
    _MALLOC_TRIM(0)
    return True


def read_page(ctx: PageContext) -> Page:
    """What a worker runs for one page: :func:`process_page`, then the memory the page used
    released (see :func:`release_memory`)."""
    page = process_page(ctx)
    release_memory()
    return page


def _follow_parent() -> None:
    """Tie a worker process to the run that started it: Ctrl-C in a terminal reaches the whole
    process group, but only the run decides how its workers stop (it ends them itself), so a
    worker ignores SIGINT; and a worker whose run is killed outright (SIGKILL, the OOM killer)
    is killed too instead of waiting for pages forever (Linux's PR_SET_PDEATHSIG)."""
    import signal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread (a Dask worker runs this in another): leave it
        pass
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            log.debug("prctl(PR_SET_PDEATHSIG) is not available here")
        import multiprocessing

        parent = multiprocessing.parent_process()
        if parent is not None and os.getppid() != parent.pid:  # gone before that took effect
            os._exit(1)


def init_worker(engine: str, threads: int = 1, load_engine: bool = True, follow_parent: bool = True) -> None:
    """Worker initializer: tie the process to its run (see :func:`_follow_parent`), pin math
    libraries to the given threads and (unless told not to: a run of born-digital PDFs needs
    no engine) load the engine now rather than on the first page."""
    if follow_parent:
        _follow_parent()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_THREAD_LIMIT"):
        os.environ[var] = str(threads)
    cv2.setNumThreads(threads)
    if load_engine:
        engine_for(engine, threads)


def warm_up(engine: str, load_engine: bool) -> None:
    """A task that makes a pool start a worker process (its imports done) and, when told,
    load its engine, before the first page is sent.  A failure is left for the first page to
    report."""
    if load_engine:
        try:
            engine_for(engine, 1)
        except Exception:  # the page that needs the engine fails with the reason
            log.debug("loading the engine %s ahead of the first page failed", engine, exc_info=True)


def weighted_confidence(lines: list[Line]) -> tuple[float, int]:
    chars = sum(len(l.text) for l in lines)
    if not chars:
        return 0.0, 0
    return sum(l.confidence * len(l.text) for l in lines) / chars, chars


def ocr_upright(engine: OcrEngine, image: np.ndarray) -> tuple[np.ndarray, list[Line], int]:
    """Read a page whose text should now be horizontal, upside down or not.

    The engine reads the page once and tells whether it lay upside down (RapidOCR's line
    classifier, asked about the page as a whole).  When the reading is still poor (low
    confidence, or hardly any text: a page upside down can yield one confident 。), the page is
    read turned by the other multiples of 90° (the axis test can be fooled by a page of tables
    or of very little text) and the best reading (confidence × characters) wins.  Returns the
    image the lines refer to, the lines, and the extra turn applied.
    """
    lines, upside_down = engine.recognize_upright(image)
    first_turn = 180 if upside_down else 0
    best = (pp.turn(image, first_turn), lines, first_turn)
    conf, chars = weighted_confidence(lines)
    if chars >= UPRIGHT_MIN_CHARS and conf >= UPSIDE_DOWN_CHECK_BELOW:
        return best
    score = conf * chars
    for extra in (180, 90, 270):
        if extra == first_turn:
            continue
        turned = pp.turn(image, extra)
        lines = engine.recognize(turned)
        c, n = weighted_confidence(lines)
        if c * n > score * 1.2:
            best, score = (turned, lines, extra), c * n
        if best[2] != first_turn and c >= UPSIDE_DOWN_CHECK_BELOW:
            break
    return best


def with_full_stop(image: np.ndarray, line: Line) -> Line:
    """The line with the handwritten 。 that recognition dropped, when one is there.

    A hand writes the full stop as a small ring a little apart from the last character; the
    recogniser often returns the line without it (the ring inside the box, or just outside).
    The rightmost mark of the line's band, if it stands apart from the ink before it, is round,
    hollow and at most ``FULL_STOP_SIZE`` of the line's height and of the characters before it,
    is that 。 (the 口 of 知 or 如 is larger and joined to its character; a 日 is as tall as the
    characters beside it, however loosely the line's box is drawn).
    """
    text = line.text.rstrip()
    if len(text) > 1 and text[-1] in FULL_STOP_AS_BRACKET and is_cjk_char(text[-2]):
        # handwriting never ends on an opening bracket: that is the ring of its 。
        return replace(line, text=text[:-1] + "。")
    if not text or not is_cjk_char(text[-1]):
        return line
    x0, top, x1, bottom = (int(round(v)) for v in line.bbox)
    h = bottom - top
    if h <= 0 or x1 - x0 < h:
        return line
    left = max(0, x1 - h)
    band = image[max(0, top) : min(image.shape[0], bottom + h // 3), left : min(image.shape[1], x1 + int(FULL_STOP_REACH * h))]
    if band.size == 0:
        return line
    # ink as dark as the line's own strokes (a colour layer's pale ink is far from black)
    strokes = float(np.percentile(image[max(0, top) : bottom, max(0, x0) : x1], 5))
    ink = (band < (strokes + 255) / 2).astype(np.uint8)
    n, labels, stats = pp.components(ink)
    # a mark cut by the band's right edge belongs to what lies further right (a date, a name)
    marks = [
        i for i in range(1, n)
        if stats[i, cv2.CC_STAT_AREA] >= 4 and stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH] < band.shape[1]
    ]
    if len(marks) < 2:
        return line
    i = max(marks, key=lambda k: stats[k, cv2.CC_STAT_LEFT] + stats[k, cv2.CC_STAT_WIDTH])
    bx, by, bw, bh, area = stats[i]
    lo, hi = FULL_STOP_SIZE
    if not (lo * h <= bw <= hi * h and lo * h <= bh <= hi * h and 0.6 <= bw / bh <= 1.6):
        return line
    if labels[by + bh // 2, bx + bw // 2] == i or area > 0.7 * bw * bh:  # a ring is hollow
        return line
    before = [k for k in marks if k != i and stats[k, cv2.CC_STAT_LEFT] < bx]
    if not before or bx - max(stats[k, cv2.CC_STAT_LEFT] + stats[k, cv2.CC_STAT_WIDTH] for k in before) < FULL_STOP_GAP * h:
        return line  # joined to the character before it: a part of that character
    if bh > hi * max(stats[k, cv2.CC_STAT_HEIGHT] for k in before):
        return line  # as tall as the characters before it (日, 口): a character, not a 。
    right = float(left + bx + bw)
    return replace(line, text=text + "。", bbox=(line.bbox[0], line.bbox[1], max(line.bbox[2], right), line.bbox[3]))


def _offset(lines: list[Line], dx: float, dy: float, layer: str) -> list[Line]:
    return [
        replace(l, bbox=(l.bbox[0] + dx, l.bbox[1] + dy, l.bbox[2] + dx, l.bbox[3] + dy), layer=layer)
        for l in lines
    ]


def read_colour_layer(engine: OcrEngine, layer: np.ndarray, name: str) -> list[Line]:
    """OCR only the regions of a colour layer that hold ink (header, stamp, handwriting)."""
    h, w = layer.shape[:2]
    pad = 20
    boxes = [
        (max(0, x0 - pad), max(0, y0 - pad), min(w, x1 + pad), min(h, y1 + pad))
        for x0, y0, x1, y1 in pp.ink_regions(layer)
    ]
    parts = engine.recognize_parts([layer[y0:y1, x0:x1] for x0, y0, x1, y1 in boxes], layer.shape)
    out: list[Line] = []
    for (x0, y0, _, _), lines in zip(boxes, parts):
        confident = [l for l in lines if l.confidence >= MIN_COLOUR_LINE_CONFIDENCE]
        out.extend(_offset(confident, x0, y0, name))
    # the ring of a handwritten 。 can stand apart, in a region of its own
    lone_stops = [l for l in out if l.text in FULL_STOP_READINGS]
    return drop_repeats([with_full_stop(layer, l) for l in out if l not in lone_stops])


def drop_repeats(lines: list[Line]) -> list[Line]:
    """Lines read twice (overlapping regions, or a piece of a line detected on its own): a
    line lying inside another whose text contains its own goes (of two equal ones, the later);
    of two readings of one line that differ in a character, the less confident."""
    texts = ["".join(l.text.split()) for l in lines]

    def repeats(i: int, j: int) -> bool:
        if i == j or _overlap_ratio(lines[i].bbox, lines[j].bbox) <= REPEAT_OVERLAP:
            return False
        a, b = texts[i], texts[j]
        if a in b:
            return len(a) < len(b) or j < i
        # the same line read twice with a character misread: the less confident reading goes
        return (
            len(a) == len(b)
            and sum(x != y for x, y in zip(a, b)) <= max(1, len(a) // 4)
            and (lines[i].confidence, -i) < (lines[j].confidence, -j)
        )

    return [l for i, l in enumerate(lines) if not any(repeats(i, j) for j in range(len(lines)))]


def ocr_page(engine: OcrEngine, image: np.ndarray) -> tuple[np.ndarray, list[Line], int, float]:
    """Orient, deskew and read an RGB page.  Returns (upright image, lines, rotation, skew):
    the image gray (2-D) when the page has no colour, so that every later step handles one
    channel instead of three."""
    if pp.is_gray(image):
        image = pp.to_gray(image)
    rotation, skew = pp.level(image)
    image = pp.rotate(pp.turn(image, rotation), skew)
    inks = pp.separate_inks(image)
    black, lines, flip = ocr_upright(engine, inks.black)
    if flip:
        image = pp.turn(image, flip)
        rotation = (rotation + flip) % 360
        inks = pp.InkLayers(
            black=black,
            red=None if inks.red is None else pp.turn(inks.red, flip),
            blue=None if inks.blue is None else pp.turn(inks.blue, flip),
        )
    colour: list[Line] = []
    for name in ("red", "blue"):
        layer = getattr(inks, name)
        if layer is not None:
            colour.extend(read_colour_layer(engine, layer, name))
    return image, drop_echoes(lines, colour), rotation, skew


def _overlap_ratio(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])) or 1.0
    return w * h / smaller


def _quality(line: Line) -> float:
    return len("".join(line.text.split())) * line.confidence


def drop_echoes(black: list[Line], colour: list[Line]) -> list[Line]:
    """Resolve a black-layer line and a colour-layer line read at the same place.

    A colour line that holds only some of a better black line's characters is the poor
    reading (black print over a seal seen through the colour layer, strokes of pale ink lost
    from it): it goes.  Otherwise a black line whose characters mostly come from the colour
    line only echoes it (a faint trace of the colour ink read again) and goes.  Returns the
    lines of both layers that are kept.
    """
    kept_colour = list(colour)
    kept: list[Line] = []
    for line in black:
        chars = set(line.text)
        echo = False
        for c in list(kept_colour):
            if _overlap_ratio(line.bbox, c.bbox) <= ECHO_OVERLAP:
                continue
            shared = len(chars & set(c.text))
            if shared >= ECHO_SHARED_CHARS * max(1, len(set(c.text))) and _quality(line) > _quality(c):
                kept_colour.remove(c)
            elif shared >= ECHO_SHARED_CHARS * max(1, len(chars)):
                echo = True
                break
        if not echo:
            kept.append(line)
    return kept + kept_colour


def detect_tables(image: np.ndarray) -> tuple[Table, ...]:
    """Ruled tables of the upright page as model tables with empty cells (text comes later).

    The grid is found on a copy at half resolution (rulings stay 2 px or more at 300 dpi) and
    mapped back to page pixels.
    """
    f = GRID_SCALE if max(image.shape[:2]) > 1500 else 1.0
    small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f != 1.0 else image
    out = []
    for t in grid.find_tables(small):
        cells = tuple(
            Cell(
                row=c.row,
                col=c.col,
                text="",
                bbox=tuple(round(v / f, 1) for v in c.bbox),
                row_span=c.row_span,
                col_span=c.col_span,
            )
            for c in t.cells
        )
        out.append(Table(cells=cells, header_rows=0))
    return tuple(out)


def save_page_image(image: np.ndarray, path: Path, bilevel: bool = False) -> str:
    """Write the upright page, atomically: a bilevel scan stays bilevel (a CCITT G4 TIFF beside
    ``path``, ``.tif``: a fraction of a JPEG's size, and embedded as it is in the searchable
    PDF); any other page as JPEG (gray when it has no colour)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if bilevel:
        from PIL import Image

        gray = pp.to_gray(image) if image.ndim == 3 else image
        path = path.with_suffix(BILEVEL_SUFFIX)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        # 1 bit per pixel, packed as PIL's mode "1" holds it (white where the page is light)
        bits = np.packbits(gray >= BILEVEL_THRESHOLD, axis=1)
        # one strip, so the G4 data is one stream the PDF can carry unchanged
        Image.frombytes("1", (gray.shape[1], gray.shape[0]), bits.tobytes()).save(
            tmp, format="TIFF", compression="group4", tiffinfo={278: gray.shape[0]}
        )
        os.replace(tmp, path)
        return str(path)
    if pp.is_gray(image):
        image = pp.to_gray(image)
        data = image
    else:
        data = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    ok, buf = cv2.imencode(".jpg", data, [cv2.IMWRITE_JPEG_QUALITY, PAGE_IMAGE_QUALITY])
    if not ok:
        raise GongwenError(f"could not encode the page image {path.name}")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(buf.tobytes())
    os.replace(tmp, path)
    return str(path)


def _text_page(base: Page, loaded: LoadedPage) -> Page:
    return replace(
        base, width=loaded.width, height=loaded.height, dpi=loaded.dpi, engine=PDF_TEXT,
        lines=loaded.lines, tables=loaded.tables,
    )


def born_digital_pages(contexts: list[PageContext]) -> dict[int, Page]:
    """The pages among ``contexts`` (one item's) that a PDF's own text gives, read here, by
    page number: a few milliseconds each, less than sending them to a worker process costs."""
    by_file: dict[str, list[PageContext]] = {}
    for ctx in contexts:
        if ctx.ref.fmt == "pdf":
            by_file.setdefault(ctx.ref.path, []).append(ctx)
    pages: dict[int, Page] = {}
    for path, group in by_file.items():
        start = time.perf_counter()
        found = text_layer_pages(path, [c.ref.index for c in group])
        each = (time.perf_counter() - start) / len(group)
        for ctx in group:
            if ctx.ref.index in found:
                base = Page(number=ctx.number, width=0, height=0, dpi=0.0, engine=ctx.engine)
                pages[ctx.number] = replace(_text_page(base, found[ctx.ref.index]), seconds=each)
    return pages


def process_page(ctx: PageContext) -> Page:
    """Load and read one page; a failure becomes ``Page.error`` instead of an exception."""
    start = time.perf_counter()
    base = Page(number=ctx.number, width=0, height=0, dpi=0.0, engine=ctx.engine)
    try:
        loaded: LoadedPage = load_page(ctx.ref)
        if loaded.lines is not None:
            page = _text_page(base, loaded)
        elif pp.is_blank(image := pp.to_gray(loaded.image) if loaded.gray else loaded.image):
            # no ink at all: recorded as blank, kept in the searchable PDF, never OCR'd (an
            # engine finds nothing there, after trying all four orientations)
            image_path = save_page_image(image, Path(ctx.image_dir) / f"{ctx.number:04d}.jpg", loaded.bilevel)
            h, w = image.shape[:2]
            page = replace(base, width=w, height=h, dpi=loaded.dpi, kind=BLANK_PAGE, image_path=image_path)
        else:
            engine = engine_for(ctx.engine, ctx.threads)
            dpi = loaded.dpi
            # (a file without colour is one gray channel from the start: no need to look)
            image, lines, rotation, skew = ocr_page(engine, image)
            bilevel = loaded.bilevel
            del loaded
            tables = detect_tables(image)
            image_path = save_page_image(image, Path(ctx.image_dir) / f"{ctx.number:04d}.jpg", bilevel)
            h, w = image.shape[:2]
            page = replace(
                base,
                width=w,
                height=h,
                dpi=dpi,
                lines=tuple(lines),
                rotation=rotation,
                skew=skew,
                image_path=image_path,
                tables=tables,
            )
    except GongwenError as exc:
        page = replace(base, error=str(exc))
    except MemoryError:
        page = replace(base, error="the page is too large to process in the available memory")
    except Exception as exc:  # an unexpected failure of one page must not stop the batch
        log.exception("page %d of %s failed", ctx.number, ctx.item_id)
        page = replace(base, error=f"unexpected error while reading the page: {type(exc).__name__}: {exc}")
    if page.error is None and not page.lines and page.kind != BLANK_PAGE:
        page = replace(page, error="no text found on this page (blank or unreadable)")
    return replace(page, seconds=time.perf_counter() - start)

