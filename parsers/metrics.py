"""Text accuracy measures used by the benchmarks, the tests and the review store (how much a
correction changed).  numpy is imported on first use: the review app loads this module and
starts without it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def _last_row(needle: str, haystack: str, free_start: bool) -> np.ndarray:
    """Last row of the edit-distance table of ``needle`` (rows) against ``haystack`` (columns).

    With ``free_start`` the match may begin anywhere in the haystack (row 0 is all zeros).
    Each row is computed with numpy: deletions and substitutions from the row above, then
    insertions as a running minimum along the row.
    """
    import numpy as np

    hv = np.frombuffer(haystack.encode("utf-32-le"), dtype=np.uint32)
    idx = np.arange(len(haystack) + 1, dtype=np.int64)
    prev = np.zeros_like(idx) if free_start else idx.copy()
    for i, ch in enumerate(needle, start=1):
        cost = (hv != ord(ch)).astype(np.int64)
        cur = np.empty_like(prev)
        cur[0] = i
        cur[1:] = np.minimum(prev[1:] + 1, prev[:-1] + cost)
        prev = np.minimum.accumulate(cur - idx) + idx
    return prev


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions all cost 1)."""
    if len(a) < len(b):
        a, b = b, a
    return int(_last_row(a, b, free_start=False)[-1]) if b else len(a)


def cer(truth: str, reading: str) -> float:
    """Character error rate: edit distance over the length of the truth."""
    if not truth:
        return 0.0 if not reading else 1.0
    return edit_distance(truth, reading) / len(truth)


def infix_distance(needle: str, haystack: str) -> int:
    """Edit distance of ``needle`` to the best-matching substring of ``haystack``."""
    if not needle:
        return 0
    return int(_last_row(needle, haystack, free_start=True).min())


# -- scoring an item against what a person reads off the document ----------------------------
#
# A truth file (``*.truth.json``, as in ../shared/realworld) holds ``fields`` (documents.csv
# names; ``null``: the document has no such element, so the value must stay empty), ``page_kinds``
# and ``phrases`` (exact strings the text must hold).  A field not listed is not known and not
# scored.

# the verdicts of one field
EXACT = "exact"  # the value read is the truth's (an empty one for a null)
MISSED = "missed"  # the truth has a value, none was read: not trusted, so not harmful
WRONG = "wrong"  # a value was read that is not the truth's (or a null field was filled)


def field_verdict(truth: str | None, got: str) -> str:
    """The verdict of one value read (``got``, "" when none) against its truth, compared in
    :func:`~gongwen.parsers.text.compact` form."""
    from .text import compact

    want = compact(truth) if truth is not None else ""
    have = compact(got or "")
    if have == want:
        return EXACT
    return MISSED if not have else WRONG


def phrase_found(phrase: str, text: str) -> bool:
    """The phrase is in the text, the text's line breaks and spaces aside (a phrase may run over
    a line's end)."""
    from .text import compact

    return compact(phrase) in compact(text)


def letters_only(text: str) -> str:
    """NFKC without punctuation or whitespace: the form in which a handwritten line is scored
    (a hand's commas and stops are read, or left out, as often as they are written)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace() and not unicodedata.category(c).startswith("P"))
