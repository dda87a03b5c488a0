"""Fonts: the Debian font files the renderer draws with, by role key ("fangsong", "xbs", "hand" …)."""

from __future__ import annotations

import functools
import os

from PIL import ImageFont

_FONT_FILES = {
    # key: (path, face wanted, Debian package)
    "fangsong": ("/usr/share/fonts/truetype/arphic/uming.ttc", "CN", "fonts-arphic-uming"),
    "kaiti": ("/usr/share/fonts/truetype/arphic/ukai.ttc", "CN", "fonts-arphic-ukai"),
    "hand": ("/usr/share/fonts/truetype/arphic/ukai.ttc", "CN", "fonts-arphic-ukai"),
    "heiti": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "SC", "fonts-noto-cjk"),
    "heiti_bold": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "SC", "fonts-noto-cjk"),
    "xbs": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", "SC", "fonts-noto-cjk"),
    "song": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "SC", "fonts-noto-cjk"),
    "stamp": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "Zen Hei", "fonts-wqy-zenhei"),
    # traditional characters (Taiwanese 函): the TW faces of the same files
    "kai_tw": ("/usr/share/fonts/truetype/arphic/ukai.ttc", "TW", "fonts-arphic-ukai"),
    "ming_tw": ("/usr/share/fonts/truetype/arphic/uming.ttc", "TW", "fonts-arphic-uming"),
    "hei_tc": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "TC", "fonts-noto-cjk"),
    "xbs_tc": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", "TC", "fonts-noto-cjk"),
}


class FontMissingError(RuntimeError):
    """A font file the renderer needs is not installed."""


@functools.lru_cache(maxsize=None)
def _face_index(path: str, want: str) -> int:
    for i in range(16):
        try:
            name = ImageFont.truetype(path, 12, index=i).getname()[0]
        except OSError:
            break
        if name.endswith(" " + want) or name.endswith(want):
            return i
    return 0


@functools.lru_cache(maxsize=512)
def font(key: str, size: int) -> ImageFont.FreeTypeFont:
    """The font for a role key ("fangsong", "xbs", "hand" …) at a pixel size."""
    path, want, package = _FONT_FILES[key]
    if not os.path.exists(path):
        raise FontMissingError(
            f"font file {path} is missing: install the Debian package {package} "
            f"(apt-get install {package})")
    return ImageFont.truetype(path, int(size), index=_face_index(path, want))


def check_fonts() -> None:
    """Raise FontMissingError naming the Debian package of the first missing font."""
    for key in _FONT_FILES:
        font(key, 20)
