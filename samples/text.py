"""Line breaking with Chinese rules (no punctuation at a line start), and balanced title lines."""

from __future__ import annotations

import math
import re

NO_START = set("，。、；：？！）》」』〕】”’…%,.;:?!)]}·")
NO_END = set("（《「『〔【“‘([{")
_TOKEN_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.%/\-]*|.", re.S)


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def _width(text: str, fnt, tracking: float = 0.0) -> float:
    return fnt.getlength(text) + tracking * len(text)


def wrap(text: str, fnt, width: float, first_width: float | None = None,
         tracking: float = 0.0) -> list[str]:
    """Break text into lines no wider than width (the first line first_width).

    Runs of digits/Latin are not split; punctuation that may not start a line hangs at the end
    of the previous one (the line is squeezed when drawn); an opening bracket moves down."""
    lines: list[str] = []
    cur: list[str] = []
    cur_w = 0.0
    avail = width if first_width is None else first_width
    size = fnt.size
    for tok in _tokens(text):
        w = _width(tok, fnt, tracking)
        if cur and cur_w + w > avail + 0.5:
            if tok[0] in NO_START and cur_w + w <= avail + 1.6 * size:
                cur.append(tok)
                cur_w += w
                continue
            carry: list[str] = []
            while len(cur) > 1 and cur[-1][-1] in NO_END:
                carry.insert(0, cur.pop())
            if len(cur) > 1 and cur[-1][0] in NO_START and cur_w + w > avail + 1.6 * size:
                pass
            lines.append("".join(cur))
            avail = width
            cur = carry
            cur_w = sum(_width(t, fnt, tracking) for t in cur)
        if not cur and w > avail:             # a token longer than a line: split it
            for ch in tok:
                cw = _width(ch, fnt, tracking)
                if cur and cur_w + cw > avail:
                    lines.append("".join(cur))
                    avail = width
                    cur, cur_w = [], 0.0
                cur.append(ch)
                cur_w += cw
            continue
        cur.append(tok)
        cur_w += w
    if cur:
        lines.append("".join(cur))
    return lines


def _balanced_wrap(tokens: list[str], max_units: float) -> list[str]:
    """Title lines: break at token boundaries into balanced lines of at most max_units em."""
    def units(s: str) -> float:
        return sum(0.55 if ord(c) < 128 else 1.0 for c in s)
    total = units("".join(tokens))
    k = max(1, math.ceil(total / max_units))
    for kk in (k, k + 1, k + 2, k + 3):
        target = total / kk
        lines, cur = [], ""
        for tok in tokens:
            if cur and (units(cur) + units(tok) > max_units
                        or (units(cur) >= target - 0.5 and units(cur) + units(tok) > target + 1.5)):
                lines.append(cur)
                cur = ""
            cur += tok
        if cur:
            lines.append(cur)
        if len(lines) <= kk:
            break
    return [ln.strip() for ln in lines]
