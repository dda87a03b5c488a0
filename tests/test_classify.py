"""Page kinds from what the page shows (rows as OCR gives them; no OCR here)."""

from __future__ import annotations

import pytest

from gongwen.parsers.classify import classify_pages
from gongwen.parsers.model import Line, Page, PageKind


def _page(spec):
    """spec: (text, x0, top, height, layer)."""
    lines = tuple(Line(t, (x, y, x + h * len(t), y + h), 0.97, layer=layer) for t, x, y, h, layer in spec)
    return Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=lines)


BODY = [(f"第{k}段：各地区各部门要认真贯彻落实会议精神，切实抓好各项工作。", 300, 1200 + 90 * k, 60, "black") for k in range(12)]


@pytest.mark.parametrize("mark", ["中共浙江省委办公厅文件", "浙江省人民政府", "中共中央"])
def test_a_red_organ_name_in_large_print_heads_a_circular(mark):
    page = _page([(mark, 500, 300, 130, "red"), ("浙委办发〔2014〕8号", 1000, 700, 60, "black")] + BODY)
    assert classify_pages([page]) == [PageKind.CIRCULAR]


def test_a_speech_printed_all_in_red_is_not_a_circular():
    red_body = [(t, x, y, h, "red") for t, x, y, h, _ in BODY]
    page = _page([("在全省档案工作会议上的讲话", 500, 300, 100, "red"), ("张某某", 1100, 500, 60, "red")] + red_body)
    assert classify_pages([page]) == [PageKind.OTHER]


def test_a_red_title_over_black_body_without_a_number_is_not_a_circular():
    page = _page([("关于开展档案数字化工作的宣传提纲", 400, 300, 100, "red")] + BODY)
    assert classify_pages([page]) == [PageKind.OTHER]
