"""Born-digital report pages drawn the ways issue 21 saw real reports draw (or not draw) their
tables, each with the cells a person reads off it, for tests and ``bench/tables_peers.py``.

    python samples/make_samples.py --report-tables --out DIR    # DIR/<case>.pdf and DIR/<case>.json

A case's JSON has the form of ``../shared/realworld/ruled-tables``: ``pdf``, ``page`` and
``rows`` (a header cell over several columns holds its text in its first column, the others
are empty); a page that holds no table (paragraphs in frames, the 版记's rules) has
``"rows": null``.  The pages are drawn with reportlab in a Chinese TrueType font, embedded:

- ``open_top``: a table without its top rule (its header between the column rules), its
  caption just above;
- ``open_sides``: a table without its left and right borders;
- ``rows_unruled``: ruled round its header and columns only, its rows set apart by spacing;
- ``rows_unruled_total``: the same with a rule above its 合计;
- ``three_line``: a 三线表 (rules above and under the header and at the foot, no column rules),
  header names wider than their values, a note under it;
- ``three_line_grouped``: a 三线表 whose heading 2023年 stands over a short rule and two
  sub-headings;
- ``sub_headed``: a ruled table whose heading 资金 is split by a short rule into 中央 and 省级;
- ``framed_paragraphs``: a frame round a paragraph and a column of one-paragraph boxes;
- ``imprint_rules``: rules of one width round a heading and a paragraph, and a 版记.
"""

from __future__ import annotations

import json
from pathlib import Path

from .fonts import _FONT_FILES

FONT = "UMing"
FONT_FILE = _FONT_FILES["fangsong"][0]
XS = [72, 172, 272, 372, 472]  # column rules (points from the left)
COUNTIES = [["瓯海区", "120", "30", "无"], ["南湖区", "98", "25", ""], ["秀洲区", "77", "20", "新增"], ["合计", "295", "75", ""]]
INDICATORS = [["瓯海区", "1120.5", "6.2", "98"], ["南湖区", "980.3", "5.8", "77"], ["秀洲区", "770.1", "6.0", "65"],
              ["合计", "2870.9", "", "240"]]
INDICATOR_HEADER = ["地区", "生产总值（亿元）", "增长（%）", "人口（万人）"]
COUNTY_HEADER = ["县名", "人口", "资金", "备注"]


def _values(c, rows: list[list[str]], first_baseline: float, step: float = 18) -> None:
    for r, row in enumerate(rows):
        for k, value in enumerate(row):
            if value:
                c.drawString(XS[k] + 5, first_baseline - step * r, value)


def _grid_rows(top: float, n: int, height: float = 20) -> list[float]:
    return [top - height * k for k in range(n + 1)]


def open_top(c) -> list[list[str]]:
    ys = _grid_rows(700, 5)
    c.drawString(XS[0], ys[0] + 6, "表2  各县资金分配情况（单位：万元）")
    for y in ys[1:]:
        c.line(XS[0], y, XS[-1], y)
    for x in XS:
        c.line(x, ys[0], x, ys[-1])
    rows = [COUNTY_HEADER, *COUNTIES]
    _values(c, rows, ys[0] - 14, 20)
    return rows


def open_sides(c) -> list[list[str]]:
    ys = _grid_rows(700, 5)
    for y in ys:
        c.line(XS[0], y, XS[-1], y)
    for x in XS[1:-1]:
        c.line(x, ys[0], x, ys[-1])
    rows = [COUNTY_HEADER, *COUNTIES]
    _values(c, rows, ys[0] - 14, 20)
    return rows


def rows_unruled(c, total_rule: bool = False) -> list[list[str]]:
    top, under, bottom = 700, 680, 600
    for y in (top, under, bottom):
        c.line(XS[0], y, XS[-1], y)
    if total_rule:
        c.line(XS[0], under - 18 * 3 - 1, XS[-1], under - 18 * 3 - 1)  # between 秀洲区 and 合计
    for x in XS:
        c.line(x, top, x, bottom)
    _values(c, [COUNTY_HEADER], top - 14)
    _values(c, COUNTIES, under - 14)
    return [COUNTY_HEADER, *COUNTIES]


def rows_unruled_total(c) -> list[list[str]]:
    return rows_unruled(c, total_rule=True)


def three_line(c, header: list[str] | None = None, top: float = 700) -> list[list[str]]:
    """A 三线表: a thick rule above the header, a thin one under it, a thick one at the foot."""
    header = INDICATOR_HEADER if header is None else header
    under, foot = top - 22, top - 22 - 18 * len(INDICATORS) - 10
    c.drawString(XS[0], top + 20, "表3  2023年各县（市、区）主要经济指标")
    c.setLineWidth(1.5)
    c.line(XS[0], top, XS[-1], top)
    c.line(XS[0], foot, XS[-1], foot)
    c.setLineWidth(0.75)
    c.line(XS[0], under, XS[-1], under)
    _values(c, [header], top - 15)
    _values(c, INDICATORS, under - 15)
    c.drawString(XS[0], foot - 20, "注：本表数据为初步核算数，增长速度按可比价格计算。")
    return [header, *INDICATORS]


def three_line_grouped(c) -> list[list[str]]:
    top = 700
    three_line(c, header=["", "", "", ""], top=top)
    c.setFont(FONT, 8)  # the header band is 22 pt: heading over a short rule, sub-headings under
    c.drawString(XS[0] + 5, top - 14, "地区")
    c.drawString(XS[1] + 80, top - 8, "2023年")
    c.setLineWidth(0.5)
    c.line(XS[1] + 2, top - 11, XS[3] - 2, top - 11)
    c.drawString(XS[1] + 5, top - 19, "生产总值（亿元）")
    c.drawString(XS[2] + 5, top - 19, "增长（%）")
    c.drawString(XS[3] + 5, top - 14, "人口（万人）")
    return [["地区", "2023年", "", "人口（万人）"], ["", "生产总值（亿元）", "增长（%）", ""], *INDICATORS]


def sub_headed(c) -> list[list[str]]:
    ys = [700, 680, 660, 640, 620]
    for y in (ys[0], ys[2], ys[3], ys[4]):
        c.line(XS[0], y, XS[-1], y)
    c.line(XS[2], ys[1], XS[-1], ys[1])  # under 资金 only
    for x in (XS[0], XS[1], XS[2], XS[-1]):
        c.line(x, ys[0], x, ys[-1])
    c.line(XS[3], ys[1], XS[3], ys[-1])  # from the sub-headings down
    c.drawString(XS[0] + 5, 675, "县名")
    c.drawString(XS[1] + 5, 675, "人口")
    c.drawString(XS[2] + 88, 686, "资金")
    c.drawString(XS[2] + 5, 666, "中央")
    c.drawString(XS[3] + 5, 666, "省级")
    data = [["瓯海区", "120", "30", "10"], ["南湖区", "98", "25", "5"]]
    _values(c, data, ys[2] - 14, 20)
    return [["县名", "人口", "资金", ""], ["", "", "中央", "省级"], *data]


def framed_paragraphs(c) -> None:
    c.rect(70, 560, 450, 90, stroke=1, fill=0)  # a 1×1 frame round a quotation
    c.drawString(80, 620, "最高指示：要把农业生产搞好，把帮扶资金用好。")
    c.drawString(80, 600, "各县要认真贯彻落实，按时报送资金使用情况。")
    for k in range(3):  # a column of boxes, one paragraph each
        c.rect(70, 400 - 50 * k, 450, 40, stroke=1, fill=0)
        c.drawString(80, 415 - 50 * k, f"第{k + 1}条：资金专款专用，不得挪作他用。")


def imprint_rules(c) -> None:
    for y in (520, 480, 430):
        c.line(XS[0], y, XS[-1], y)
    c.drawString(72, 505, "一、总体情况")
    c.drawString(72, 465, "全市经济运行总体平稳，主要指标好于预期，为全年目标的完成奠定了")
    c.drawString(72, 447, "坚实基础。")
    for y in (140, 110, 80):
        c.line(XS[0], y, XS[-1], y)
    c.drawString(72, 120, "抄送：省委办公厅，省人大常委会办公厅。")
    c.drawString(72, 90, "浙江省人民政府办公厅")
    c.drawString(370, 90, "2014年1月24日印发")


CASES = {f.__name__: f for f in (
    open_top, open_sides, rows_unruled, rows_unruled_total, three_line, three_line_grouped, sub_headed,
    framed_paragraphs, imprint_rules,
)}


def draw_page(path: Path, draw) -> object:
    """A one-page A4 PDF: a line of body text at the top, then ``draw(canvas)``; its return."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, FONT_FILE, subfontIndex=0))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 12)
    c.drawString(72, 780, "关于印发帮扶资金分配方案的通知：现将各县资金分配情况列表如下。")
    result = draw(c)
    c.showPage()
    c.save()
    return result


def write_case(name: str, folder: Path) -> tuple[Path, list[list[str]] | None]:
    """``folder/<name>.pdf`` and ``folder/<name>.json``; the expected rows (None: no table)."""
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / f"{name}.pdf"
    rows = draw_page(pdf, CASES[name])
    truth = {"pdf": pdf.name, "page": 1, "rows": rows, "case": name, "source": "gongwen.samples.report_tables"}
    tmp = folder / f".{name}.json.tmp"
    tmp.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(folder / f"{name}.json")
    return pdf, rows
