"""Body paragraphs from rows: indents start paragraphs, short lines end them, pages run on."""

from gongwen.parsers.body import heading_level, paragraphs
from gongwen.parsers.model import Line
from gongwen.parsers.rows import make_row

CHAR = 60


def row(page, y, x0, x1, text):
    return make_row(page, [Line(text=text, bbox=(x0, y, x1, y + CHAR), confidence=0.99)])


def test_paragraph_runs_on_across_a_page_break_and_headings_stand_alone():
    rows = [
        row(1, 100, 420, 2000, "近年来，按照省委、省政府的部署和要求，省级"),  # indented: starts
        row(1, 200, 300, 2000, "结对帮扶团组认真做好结对帮扶工作，有效推动"),
        row(1, 300, 300, 2000, "了欠发达地区发展和低收入农户增收。为进一步"),  # full to the margin
        row(2, 100, 300, 1200, "深化扶贫开发工作，现通知如下："),  # runs on, short: ends
        row(2, 200, 420, 1500, "一、结对帮扶工作的范围和对象"),
        row(2, 300, 420, 2000, "（一）结对帮扶工作目标。协助地方党委、政府实"),
        row(2, 400, 300, 900, "施收入倍增计划。"),
    ]
    paras = paragraphs(rows)
    assert [p.kind for p in paras] == ["paragraph", "heading", "paragraph"]
    assert paras[0].pages == (1, 2) and paras[0].text.endswith("现通知如下：")
    assert paras[1].level == 1 and paras[1].text == "一、结对帮扶工作的范围和对象"
    assert paras[2].level == 2 and paras[2].text.endswith("施收入倍增计划。")


def test_heading_levels():
    assert heading_level("一、总体要求") == 1
    assert heading_level("（三）加大宣传力度") == 2
    assert heading_level("2.工作任务") == 3
    assert heading_level("（1）组织领导") == 4
    assert heading_level("2014.2.12") is None
