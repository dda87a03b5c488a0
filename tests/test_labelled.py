"""A 函 written as a labelled form (Taiwan's 公文程式: 受文者, 發文日期, 發文字號, 主旨, 說明,
正本, 副本) is read by its labels, on rows as OCR gives them (no OCR here)."""

from __future__ import annotations

import datetime as dt

from gongwen.parsers.circular import extract_circular
from gongwen.parsers.classify import classify_pages
from gongwen.parsers.labelled import is_labelled_form
from gongwen.parsers.model import Line, Page, PageKind
from gongwen.parsers.rows import page_rows
from gongwen.parsers.script import to_simplified

# (text, x0, top) at 300 dpi, rows 60 px tall
LETTER = [
    ("檔號：", 1700, 150), ("保存年限：", 1700, 220),
    ("教育部　函", 950, 330),
    ("地址：10051臺北市中正區中山南路5號", 1400, 450), ("聯絡人：王小明", 1400, 520),
    ("受文者：國立臺灣大學", 250, 700),
    ("發文日期：中華民國109年3月5日", 250, 800),
    ("發文字號：臺教高(二)字第1090012345號", 250, 880),
    ("速別：普通件", 250, 960), ("密等及解密條件或保密期限：", 250, 1040), ("附件：如文", 250, 1120),
    ("主旨：有關本部補助各大學辦理教學創新計畫一案，請查照。", 250, 1260),
    ("說明：", 250, 1380),
    ("一、依本部109年2月10日臺教高(二)字第1090000001號函辦理。", 330, 1460),
    ("二、請於文到二週內將計畫書送部。", 330, 1540),
    ("正本：國立臺灣大學、國立清華大學", 250, 1700),
    ("副本：本部高等教育司、", 250, 1780),
    ("國立政治大學", 370, 1850),
    ("部長　潘文忠", 1500, 2100),
]


def _page(spec, number=1):
    lines = tuple(Line(t, (x, y, x + 60 * len(t), y + 60), 0.97) for t, x, y in spec)
    return Page(number=number, width=2480, height=3508, dpi=300, engine="test", lines=lines)


def test_the_page_is_a_labelled_form_and_a_circular():
    page = _page(LETTER)
    assert is_labelled_form(page_rows(page))
    assert classify_pages([page]) == [PageKind.CIRCULAR]


def test_fields_are_read_by_their_labels():
    page = _page(LETTER)
    c = extract_circular([page], [PageKind.CIRCULAR])
    assert c.doc_number.value == "臺教高(二)字第1090012345號"
    assert c.issue_date.value == dt.date(2020, 3, 5)
    assert c.addressees.value == "國立臺灣大學"
    assert c.cc.value == "本部高等教育司、國立政治大學"
    assert c.issuer.value == "教育部"
    assert c.signatories.value == "部長\u3000潘文忠"  # the head's title and name sign it
    assert c.title is None  # a 主旨 is no title
    assert c.attachments is None and c.urgency is None  # 附件：如文, 速別：普通件
    assert c.doubts == ()


def test_labels_and_values_read_in_mixed_script_are_written_back_in_traditional():
    """The recogniser reads some traditional characters as their simplified forms (發文字號 as
    发文字號, 號 as 号): the labels are found all the same, and on a page printed in traditional
    characters the values are written back in them."""
    mixed = {"發文字號：臺教高(二)字第1090012345號": "发文字號：臺教高(二)字第1090012345号",
             "受文者：國立臺灣大學": "受文者：國立臺湾大学", "部長　潘文忠": "部长潘文忠",
             "速別：普通件": "速别：速件", "附件：如文": "附件：申請表及切结書"}
    c = extract_circular([_page([(mixed.get(t, t), x, y) for t, x, y in LETTER])], [PageKind.CIRCULAR])
    assert c.doc_number.value == "臺教高(二)字第1090012345號" and c.doc_number.raw.endswith("号")
    assert c.addressees.value == "國立臺灣大學"
    assert c.signatories.value == "部長\u3000潘文忠"
    assert c.urgency.value == "速件"
    assert c.attachments.value == "申請表及切結書"


def test_a_labelled_form_in_simplified_characters_keeps_them():
    simplified = [(to_simplified(t), x, y) for t, x, y in LETTER]
    c = extract_circular([_page(simplified)], [PageKind.CIRCULAR])
    assert c.addressees.value == "国立台湾大学" and c.signatories.value == "部长\u3000潘文忠"


def test_a_garbled_number_after_its_label_is_a_doubt_not_a_value():
    spec = [(t.replace("臺教高(二)字第1090012345號", "臺教高(二)字1090O12"), x, y) for t, x, y in LETTER]
    c = extract_circular([_page(spec)], [PageKind.CIRCULAR])
    assert c.doc_number is None
    assert [d.field for d in c.doubts] == ["doc_number"] and "字第" in c.doubts[0].reason


def test_a_mainland_circular_is_no_labelled_form():
    spec = [("浙委办发〔2014〕8号", 900, 600), ("关于做好扶贫工作的通知", 700, 800), ("各市委：", 250, 950),
            ("附件：名单", 250, 1200), ("抄送：省纪委。", 250, 3000)]
    assert not is_labelled_form(page_rows(_page(spec)))
