"""The per-page work in a worker process: load the page, tell a blank one, run the OCR stage
(``ocr.page.read_pages``) on the others, keep the upright page image.

:func:`process_page` takes one picklable :class:`PageContext` (one page of a file) and returns
its model ``Page``s: one, or two when the image is a photo of an open booklet (a two-page
spread, ``ocr.spread``), both numbered as the file's page until the item's pages are numbered
(``convert.number_pages``).  It runs in a worker process (or a Dask worker) that keeps one
engine instance for all its pages, and never raises for a bad page: the error is recorded on
the returned page.
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
from ...ocr import photo
from ...ocr import preprocess as pp
from ...ocr.engines import PDF_TEXT, OcrEngine, make_engine
from ...ocr.loading import LoadedPage, PageRef, load_page, text_layer_pages
from ...ocr.page import ReadImage, read_pages
from ...ocr.regions import find_regions
from ...parsers.circular import needs_title_region
from ...parsers.model import Page, PageKind
from ..export.outdir import OutDir

log = logging.getLogger(__name__)

PAGE_IMAGE_QUALITY = 85
BILEVEL_THRESHOLD = 128  # a bilevel page's pixel this light or lighter is white
# a worker holding more than this after a page gives its freed memory back to the system (a
# worker holds some 120 MB between pages once trimmed, 700-900 MB at a page's peak; without
# trimming, what it keeps between pages crept from 420 to 600 MB over 24 pages)
RELEASE_MEMORY_ABOVE_MB = 512
PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies


@dataclass(frozen=True)
class PageContext:
    """Everything a worker needs for one page (picklable)."""

    item_id: str
    number: int  # 1-based page number within the item
    ref: PageRef
    engine: str
    out: OutDir  # where the upright page image is written (for the searchable PDF, review)
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


def read_page(ctx: PageContext) -> tuple[Page, ...]:
    """What a worker runs for one page: :func:`process_page`, then the memory the page used
    released (see :func:`release_memory`)."""
    pages = process_page(ctx)
    release_memory()
    return pages


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


def save_page_image(image: np.ndarray, path: Path, bilevel: bool = False) -> str:
    """Write the upright page to ``path`` (``OutDir.page_image``), atomically: a bilevel scan
    stays bilevel (a CCITT G4 TIFF: a fraction of a JPEG's size, and embedded as it is in the
    searchable PDF); any other page as JPEG (gray when it has no colour)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if bilevel:
        from PIL import Image

        gray = pp.to_gray(image) if image.ndim == 3 else image
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


def process_page(ctx: PageContext) -> tuple[Page, ...]:
    """Load and read one page of a file: its ``Page``, or the two pages a two-page spread
    holds, left then right, each with its own image (``OutDir.page_image``'s ``part``); a
    failure becomes ``Page.error`` instead of an exception."""
    start = time.perf_counter()
    base = Page(number=ctx.number, width=0, height=0, dpi=0.0, engine=ctx.engine)
    try:
        loaded: LoadedPage = load_page(ctx.ref)
        if loaded.lines is not None:
            pages = (_text_page(base, loaded),)
        elif pp.is_blank(image := pp.to_gray(loaded.image) if loaded.gray else loaded.image):
            # no ink at all: recorded as blank, kept in the searchable PDF, never OCR'd (an
            # engine finds nothing there, after trying all four orientations)
            image_path = save_page_image(image, ctx.out.page_image(ctx.item_id, ctx.number, loaded.bilevel), loaded.bilevel)
            h, w = image.shape[:2]
            pages = (replace(base, width=w, height=h, dpi=loaded.dpi, kind=PageKind.BLANK, image_path=image_path),)
        else:
            engine = engine_for(ctx.engine, ctx.threads)
            # a photo is read at most at a 300-dpi scan's size (its time does not grow with its
            # megapixels), the paper cut from the table around it and its perspective undone
            # (ocr.photo; a scan is left as it is)
            image, factor = photo.cap_resolution(image)
            image, _ = photo.flatten_page(image)
            dpi = loaded.dpi * factor
            # (a file without colour is one gray channel from the start: no need to look); the
            # page's only reference goes to the stage, so it is freed once the stage is done with it
            read_input = image
            bilevel = loaded.bilevel
            del loaded, image
            # the layout model runs only where the parsers may want its title region
            reads = tuple(_with_regions(read) for read in read_pages(engine, read_input, regions=False))
            del read_input
            if len(reads) > 1:
                log.info("page %d of %s is a two-page spread: read as %d pages", ctx.number, ctx.item_id, len(reads))
            parts = []
            for part, read in enumerate(reads, start=1):
                path = ctx.out.page_image(ctx.item_id, ctx.number, bilevel, part=part)
                image_path = save_page_image(read.image, path, bilevel)
                h, w = read.image.shape[:2]
                parts.append(replace(
                    base, width=w, height=h, dpi=dpi, lines=read.lines, rotation=read.rotation,
                    skew=read.skew, image_path=image_path, tables=read.tables, regions=read.regions,
                ))
            pages = tuple(parts)
    except GongwenError as exc:
        pages = (replace(base, error=str(exc)),)
    except MemoryError:
        pages = (replace(base, error="the page is too large to process in the available memory"),)
    except Exception as exc:  # an unexpected failure of one page must not stop the batch
        log.exception("page %d of %s failed", ctx.number, ctx.item_id)
        pages = (replace(base, error=f"unexpected error while reading the page: {type(exc).__name__}: {exc}"),)
    seconds = (time.perf_counter() - start) / len(pages)  # a spread's time shared by its pages
    return tuple(_checked(replace(page, seconds=seconds)) for page in pages)


def _with_regions(read: ReadImage) -> ReadImage:
    """The layout model's regions on a page that heads a circular whose title its size and
    place do not tell (``parsers.circular.needs_title_region``): the parsers' evidence of last
    resort, not worth its time (about 6 % of the OCR stage) on other pages."""
    h, w = read.image.shape[:2]
    if not needs_title_region(Page(number=1, width=w, height=h, dpi=0.0, engine="", lines=read.lines)):
        return read
    return replace(read, regions=read.regions + find_regions(read.image))


def _checked(page: Page) -> Page:
    if page.error is None and not page.lines and page.kind != PageKind.BLANK:
        return replace(page, error="no text found on this page (blank or unreadable)")
    return page
