"""OUT's layout: the one object that knows where every file of an output folder lives.

Every module that writes or reads OUT asks :class:`OutDir` for a path; no other module spells
a file name of OUT (``tests/test_architecture.py`` checks that).  The contract's part of it
(``../shared/docs/output-contract.md``):

    OUT/
      documents.csv  circulation.csv  annotations.csv  tables.csv  pages.csv  failures.csv
      catalogue.csv  catalogue.xlsx   withheld.csv (publish)   review.sqlite (review)
      items/<item_id>/  document.json  text.txt  document.html  searchable.pdf  table-<n>.csv

and gongwen's own, under ``OUT/.gongwen/``: the state database of runs, the aggregate rows kept
between runs, the catalogue settings, the upright page images (``pages/<item_id>/NNNN.jpg``, or
``.tif`` for a bilevel scan), and the review's files (extracted documents, PNG copies of
bilevel pages, the session key), and what the last publish into each site folder wrote
(``publish-state/<site>.json``).

An ``OutDir`` is a small frozen value, so it crosses into worker processes in a page's context.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

# the contract's files
ITEMS = "items"
DOCUMENT_JSON = "document.json"
TEXT_TXT = "text.txt"
DOCUMENT_HTML = "document.html"
SEARCHABLE_PDF = "searchable.pdf"
TABLE_CSV = "table-{n}.csv"
TABLE_CSV_GLOB = "table-*.csv"
DOCUMENTS_CSV = "documents.csv"
CIRCULATION_CSV = "circulation.csv"
ANNOTATIONS_CSV = "annotations.csv"
TABLES_CSV = "tables.csv"
PAGES_CSV = "pages.csv"
FAILURES_CSV = "failures.csv"
CATALOGUE_CSV = "catalogue.csv"
CATALOGUE_XLSX = "catalogue.xlsx"
WITHHELD_CSV = "withheld.csv"
REVIEW_DB = "review.sqlite"
PUBLISH_STATE = "publish-state"  # OUT/.gongwen/publish-state/<site>.json: what the last publish into a site wrote
# gongwen's own
HIDDEN = ".gongwen"
STATE_DB = "state.sqlite"
ROWS_CACHE = "aggregate-rows.json"
CATALOGUE_SETTINGS = "catalogue.json"
PAGES = "pages"
PAGE_IMAGE = "{n:04d}.jpg"
BILEVEL_PAGE_IMAGE = "{n:04d}.tif"  # a black-and-white scan stays CCITT G4
# the further pages cut from one image (the right page of a two-page spread) until the item's
# pages are numbered: the image's page number and the part
PAGE_PART = "{n:04d}-{part}"
BILEVEL_SUFFIX = ".tif"
REVIEW = "review"
EXTRACTED = "extracted"
REVIEW_PNG = "png"
REVIEW_PNG_IMAGE = "{n:04d}.png"
SECRET_KEY = "secret.key"
PROBE_PREFIX = ".gongwen-probe."
# a file being written is ``.<name>.<random>.tmp`` beside its final name, then renamed
TEMP_GLOB = ".*.tmp"


def _item_parts(item_id: str) -> tuple[str, ...]:
    return tuple(item_id.split("/"))


@dataclass(frozen=True)
class OutDir:
    """The paths of one output folder (see the module's docstring)."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    # -- items ---------------------------------------------------------------------------------

    @property
    def items(self) -> Path:
        return self.root / ITEMS

    def item_dir(self, item_id: str) -> Path:
        return self.items.joinpath(*_item_parts(item_id))

    def document_json(self, item_id: str) -> Path:
        return self.item_dir(item_id) / DOCUMENT_JSON

    def text_txt(self, item_id: str) -> Path:
        return self.item_dir(item_id) / TEXT_TXT

    def document_html(self, item_id: str) -> Path:
        return self.item_dir(item_id) / DOCUMENT_HTML

    def searchable_pdf(self, item_id: str) -> Path:
        return self.item_dir(item_id) / SEARCHABLE_PDF

    def table_csv(self, item_id: str, n: int) -> Path:
        return self.item_dir(item_id) / TABLE_CSV.format(n=n)

    def table_csvs(self, item_id: str) -> dict[int, Path]:
        """The table CSVs an item's folder holds now, by number (an earlier run may have
        written more than the item has tables now)."""
        found = {}
        for path in self.item_dir(item_id).glob(TABLE_CSV_GLOB):
            number = path.stem.split("-", 1)[1]
            found[int(number) if number.isdigit() else 0] = path
        return found

    def document_jsons(self) -> list[Path]:
        """Every item's ``document.json``, in path order."""
        if not self.items.is_dir():
            return []
        return [p for p in sorted(self.items.rglob(DOCUMENT_JSON)) if p.is_file()]

    def item_id_of(self, document_json: Path) -> str:
        """The item a ``document.json`` belongs to: its folder's path under ``items/``."""
        return document_json.parent.relative_to(self.items).as_posix()

    # -- the aggregates and other files at the top -----------------------------------------

    def file(self, name: str) -> Path:
        """One of the files at the top of OUT (``DOCUMENTS_CSV``, ``CATALOGUE_XLSX`` …)."""
        return self.root / name

    # -- gongwen's own -------------------------------------------------------------------------

    @property
    def hidden(self) -> Path:
        return self.root / HIDDEN

    @property
    def state_db(self) -> Path:
        return self.hidden / STATE_DB

    @property
    def rows_cache(self) -> Path:
        return self.hidden / ROWS_CACHE

    @property
    def catalogue_settings(self) -> Path:
        return self.hidden / CATALOGUE_SETTINGS

    @property
    def page_images_root(self) -> Path:
        return self.hidden / PAGES

    def page_images(self, item_id: str) -> Path:
        """The folder of an item's upright page images."""
        return self.hidden.joinpath(PAGES, *_item_parts(item_id))

    def page_image(self, item_id: str, number: int, bilevel: bool = False, part: int = 1) -> Path:
        """Where a page's upright image is written: JPEG, or CCITT G4 TIFF for a bilevel scan.

        ``part`` 2 is the second page one image of the item's page ``number`` holds (a two-page
        spread), written under a name of its own (``0003-2.jpg``) until the item's pages are
        numbered and it is moved to its page's number."""
        name = (BILEVEL_PAGE_IMAGE if bilevel else PAGE_IMAGE).format(n=number)
        if part > 1:
            name = PAGE_PART.format(n=number, part=part) + Path(name).suffix
        return self.page_images(item_id) / name

    def kept_page_image(self, item_id: str, number: int) -> Path | None:
        """The page image an earlier run kept (either kind), or None."""
        for bilevel in (False, True):
            path = self.page_image(item_id, number, bilevel)
            if path.exists():
                return path
        return None

    @staticmethod
    def is_bilevel_image(path: str | Path) -> bool:
        return str(path).endswith(BILEVEL_SUFFIX)

    def review_extracted(self, item_id: str) -> Path:
        """convert's ``document.json`` of an item, kept when a review export rewrites it."""
        return self.hidden.joinpath(REVIEW, EXTRACTED, *_item_parts(item_id), DOCUMENT_JSON)

    def review_png(self, item_id: str, number: int) -> Path:
        """The PNG copy of a bilevel page image the review app sends to browsers."""
        return self.hidden.joinpath(REVIEW, REVIEW_PNG, *_item_parts(item_id), REVIEW_PNG_IMAGE.format(n=number))

    @property
    def review_png_root(self) -> Path:
        return self.hidden / REVIEW / REVIEW_PNG

    @property
    def review_secret(self) -> Path:
        return self.hidden / REVIEW / SECRET_KEY

    @property
    def review_db(self) -> Path:
        return self.root / REVIEW_DB

    def publish_state(self, site: Path) -> Path:
        """What the last publish of OUT into the folder ``site`` wrote (one file per folder)."""
        key = hashlib.sha1(str(Path(site).resolve()).encode("utf-8")).hexdigest()[:16]
        return self.hidden / PUBLISH_STATE / f"{key}.json"

    def temp_files(self, under: Path | None = None) -> list[Path]:
        """Files a killed run left half-written (never an output: outputs are renamed into
        place), in all of OUT or in its folder ``under``."""
        return list((under or self.root).rglob(TEMP_GLOB))
