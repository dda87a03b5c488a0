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


@pytest.mark.parametrize("where", [300, 1900])
def test_a_secrecy_mark_alone_at_the_top_left_or_right(where):
    from gongwen.parsers.circular import extract_circular

    page = _page([("绝密", where, 120, 60, "black"), ("中共中央文件", 500, 300, 130, "red"),
                  ("中发〔1966〕267号", 1000, 700, 60, "black")] + BODY)
    c = extract_circular([page], classify_pages([page]))
    assert c.secrecy.value == "绝密" and c.issuer.value == "中共中央"


def test_organ_and_date_under_the_title_are_the_signatories_and_date():
    from gongwen.parsers.circular import extract_circular

    page = _page([("中共中央文件", 500, 300, 130, "red"), ("中发〔1966〕267号", 1000, 700, 60, "black"),
                  ("中国共产党中央委员会通知", 700, 850, 90, "black"),
                  ("（中共中央一九六六年五月十六日）", 780, 980, 60, "black"),
                  ("各中央局，各省、市、自治区党委：", 300, 1100, 60, "black")] + BODY)
    c = extract_circular([page], classify_pages([page]))
    assert c.title.value == "中国共产党中央委员会通知"
    assert c.signatories.value == "中共中央" and c.issue_date.value.isoformat() == "1966-05-16"
    assert c.addressees.value == "各中央局，各省、市、自治区党委"


def test_a_body_sentence_ending_with_a_colon_is_no_addressee():
    from gongwen.parsers.circular import extract_circular

    page = _page([("中共浙江省委办公厅文件", 500, 300, 130, "red"), ("浙委办发〔2014〕8号", 1000, 700, 60, "black"),
                  ("关于做好档案工作的通知", 700, 850, 90, "black"),
                  ("为做好档案工作，经研究，现将有关事项通知如下：", 420, 1000, 60, "black")] + BODY)
    c = extract_circular([page], classify_pages([page]))
    assert c.title.value == "关于做好档案工作的通知" and c.addressees is None
    assert [d.field for d in c.doubts] == ["addressees"]


def test_a_date_written_by_hand_where_none_is_printed_is_read_and_sent_to_review():
    from gongwen.parsers.circular import extract_circular

    page = _page([("中共浙江省委办公厅文件", 500, 300, 130, "red"), ("浙委办发〔2014〕8号", 1000, 700, 60, "black"),
                  ("关于做好档案工作的通知", 700, 850, 90, "black"), ("各市委：", 300, 1000, 60, "black")] + BODY
                 + [("中共浙江省委办公厅", 1500, 2400, 60, "black"), ("2014年2月1日", 1600, 2500, 60, "blue")])
    c = extract_circular([page], classify_pages([page]))
    assert c.issue_date.value.isoformat() == "2014-02-01" and c.issue_date.method == "issue-date-handwritten"
    assert c.issue_date.confidence < 0.85
    assert c.signatories.value == "中共浙江省委办公厅"


@pytest.mark.parametrize("with_region", [True, False])
def test_a_title_set_flush_left_in_body_size_is_found_in_the_layout_models_title_region(with_region):
    from dataclasses import replace

    from gongwen.parsers.circular import extract_circular
    from gongwen.parsers.model import Region

    page = _page([("中共浙江省委办公厅文件", 500, 300, 130, "red"), ("浙委办发〔2014〕8号", 1000, 700, 60, "black"),
                  ("关于做好档案数字化工作的通知", 300, 850, 60, "black"), ("各市委：", 300, 1000, 60, "black")] + BODY)
    if with_region:
        page = replace(page, regions=(Region("title", (280.0, 830.0, 1200.0, 930.0), 0.8),))
    c = extract_circular([page], classify_pages([page]))
    assert c.addressees.value == "各市委"
    if with_region:
        assert c.title.value == "关于做好档案数字化工作的通知"
    else:
        assert c.title is None  # no evidence where the title is: none guessed
        assert [d.field for d in c.doubts] == ["title"]


def test_a_two_row_title_and_a_bracketed_organ_and_date_are_no_part_of_the_addressee():
    from gongwen.parsers.circular import extract_circular

    page = _page([("中共浙江省委办公厅文件", 500, 300, 130, "red"), ("浙委办发〔2014〕8号", 1000, 700, 60, "black"),
                  ("关于表彰2014年度档案工作", 300, 850, 60, "black"), ("先进集体的决定", 300, 930, 60, "black"),
                  ("各有关单位：", 300, 1010, 60, "black")] + BODY)
    c = extract_circular([page], classify_pages([page]))
    assert c.addressees.value == "各有关单位" and c.title is None
    assert [d.field for d in c.doubts] == ["title"]


def test_a_letterhead_above_a_letters_title_is_no_part_of_it():
    from gongwen.parsers.circular import extract_circular

    page = _page([("济南市历下区人民政府办公室", 600, 300, 100, "black"),
                  ("关于做好河长制工作的复函", 700, 500, 80, "black"),
                  ("历下政办函〔2001〕12号", 950, 650, 60, "black"), ("区水务局：", 300, 800, 60, "black")] + BODY)
    c = extract_circular([page], classify_pages([page]))
    assert c.title.value == "关于做好河长制工作的复函" and c.addressees.value == "区水务局"


def test_a_circular_printed_all_in_red_reads_its_title_signatory_and_date():
    from gongwen.parsers.circular import extract_circular

    spec = [("中共广东省委办公厅文件", 430, 860, 150, "red"), ("粤办发〔2014〕49号", 960, 1200, 76, "red"),
            ("中共广东省委办公厅广东省人民政府办公厅", 376, 1500, 84, "red"),
            ("关于印发《广东省校园安全", 700, 1625, 90, "red"), ("工作实施方案》的通知", 800, 1750, 90, "red"),
            ("各市、县（市、区）党委和人民政府：", 338, 2000, 60, "red")]
    spec += [(t, x, y + 900, h, "red") for t, x, y, h, _ in BODY]
    # a joint document: each organ signs (GB/T 9704 7.3.5.2)
    spec += [("中共广东省委办公厅", 700, 3250, 60, "red"), ("广东省人民政府办公厅", 1500, 3250, 60, "red"),
             ("2014年3月5日", 1600, 3340, 60, "red")]
    page = _page(spec)
    c = extract_circular([page], classify_pages([page]))
    assert c.issuer.value == "中共广东省委办公厅"
    assert c.title.value == "中共广东省委办公厅广东省人民政府办公厅关于印发《广东省校园安全工作实施方案》的通知"
    assert c.addressees.value == "各市、县（市、区）党委和人民政府"
    assert c.signatories.value == "中共广东省委办公厅；广东省人民政府办公厅"
    assert c.issue_date.value.isoformat() == "2014-03-05"


def test_a_title_with_its_organ_and_date_under_it_heads_a_circular_without_a_number():
    """中共某县委关于…的通知 / （中共某县委员会一九七一年五月十一日）: an older circular that prints
    no number and no red mark; the bracketed line is long enough to reach both margins."""
    from gongwen.parsers.circular import extract_circular

    page = _page([("中共凤阳县委关于开展春耕生产的通知", 450, 300, 90, "black"),
                  ("（中共凤阳县革命委员会生产指挥组一九七一年五月十一日）", 440, 450, 60, "black"),
                  ("各公社党委，县直各单位：", 300, 600, 60, "black")] + BODY)
    kinds = classify_pages([page])
    assert kinds == [PageKind.CIRCULAR]
    c = extract_circular([page], kinds)
    assert c.title.value == "中共凤阳县委关于开展春耕生产的通知"
    assert c.signatories.value == "中共凤阳县革命委员会生产指挥组" and c.issue_date.value.isoformat() == "1971-05-11"
    assert c.addressees.value == "各公社党委，县直各单位"


def test_a_speech_is_no_circular_but_its_title_is_read():
    from gongwen.parsers.circular import extract_circular

    page = _page([("雷东影同志在地区春耕生产", 650, 300, 100, "black"), ("经验交流会上的讲话", 800, 430, 100, "black"),
                  ("（记录稿）", 1100, 560, 60, "black"), ("同志们、朋友们：", 300, 700, 60, "black")] + BODY)
    kinds = classify_pages([page])
    assert kinds == [PageKind.OTHER]
    c = extract_circular([page], kinds)
    assert c.title.value == "雷东影同志在地区春耕生产经验交流会上的讲话" and c.title.method == "title-top"
    assert c.doc_number is None and c.addressees is None


def test_a_leaflets_red_title_is_read_and_a_forms_heading_is_left_for_review():
    from gongwen.parsers.circular import extract_circular

    leaflet = _page([("告全县人民书", 880, 300, 110, "red"), ("全体居民同志们：", 300, 500, 60, "black")] + BODY)
    assert extract_circular([leaflet], [PageKind.OTHER]).title.value == "告全县人民书"
    record = _page([("中共江阴县委员会办公室", 900, 200, 60, "black"), ("电话记录单", 940, 300, 110, "black"),
                    ("来电单位：市委办公厅值班室", 300, 500, 60, "black")] + BODY)
    c = extract_circular([record], [PageKind.OTHER])
    assert c.title is None and [d.field for d in c.doubts] == ["title"] and "kind of document" in c.doubts[0].reason


def test_the_red_heading_of_a_quotation_box_is_no_part_of_the_issuer():
    from gongwen.parsers.circular import extract_circular

    page = _page([("毛主席语录", 1000, 200, 86, "red"),
                  ("我们的教育方针，应该使受教育者在德育、智育、体育几方面都得到发展。", 300, 330, 60, "black"),
                  ("临朐县革命委员会文件", 500, 600, 150, "red"), ("临革发（1969）53号", 950, 850, 60, "black")] + BODY)
    c = extract_circular([page], classify_pages([page]))
    assert c.issuer.value == "临朐县革命委员会" and not c.doubts


def test_a_letters_letterhead_printed_black_is_its_issuer():
    """GB/T 9704's 信函格式 prints the organ's full name as the mark, without 文件; scanned gray
    it is black print larger than the body, centred above the title and the number."""
    from gongwen.parsers.circular import extract_circular

    page = _page([("济南市历下区人民政府办公室", 610, 300, 100, "black"),
                  ("关于做好2001年河长制工作的复函", 620, 600, 85, "black"),
                  ("历政办函〔2001〕195号", 1380, 800, 60, "black"), ("省财政厅：", 300, 950, 60, "black")] + BODY)
    c = extract_circular([page], classify_pages([page]))
    assert c.issuer.value == "济南市历下区人民政府办公室" and c.issuer.method == "letterhead"
    # body-sized, or a sentence, it is not
    small = _page([("济南市历下区人民政府办公室", 870, 300, 60, "black")] + page_spec_after_head())
    assert extract_circular([small], classify_pages([small])).issuer is None


def page_spec_after_head():
    return [("关于做好2001年河长制工作的复函", 620, 600, 85, "black"),
            ("历政办函〔2001〕195号", 1380, 800, 60, "black"), ("省财政厅：", 300, 950, 60, "black")] + BODY


@pytest.mark.parametrize("mark, level", [("密级：秘密", "秘密"), ("密级：绝密★10年", "绝密★10年")])
def test_a_secrecy_mark_with_its_label(mark, level):
    from gongwen.parsers.circular import extract_circular

    page = _page([(mark, 300, 200, 60, "black"), ("中共南京市委办公室文件", 500, 400, 150, "red"),
                  ("宁委办发〔2002〕111号", 950, 700, 60, "black")] + BODY)
    assert extract_circular([page], classify_pages([page])).secrecy.value == level


def test_a_number_cited_in_the_body_near_the_top_is_not_the_documents():
    page = _page([("关于青岛市崂山区扶贫开发项目调整的批复", 500, 300, 90, "black"),
                  ("你区《关于扶贫开发项目调整的请示》（崂政〔2016〕1号）收悉。", 300, 500, 60, "black")] + BODY)
    assert classify_pages([page]) == [PageKind.OTHER]


def test_a_speakers_line_after_a_speech_title_and_a_leaflets_appeal():
    from gongwen.parsers.circular import extract_circular

    speech = _page([("夏英同志在全区三级干部会议上的讲话", 500, 300, 92, "black"), ("市长夏英", 1100, 450, 81, "black"),
                    ("同志们：", 300, 600, 60, "black")] + BODY)
    assert extract_circular([speech], [PageKind.OTHER]).title.value == "夏英同志在全区三级干部会议上的讲话"
    appeal = _page([("紧急呼吁", 1000, 300, 120, "red"), ("全县广大干部群众：", 300, 500, 60, "black")] + BODY)
    assert extract_circular([appeal], [PageKind.OTHER]).title.value == "紧急呼吁"


def test_a_joint_letters_wide_first_title_row_above_the_number_is_part_of_the_title():
    from gongwen.parsers.circular import extract_circular

    page = _page([("中共四川省委办公厅", 800, 150, 95, "black"),
                  ("中共四川省委办公厅四川省人民政府办公厅", 360, 400, 92, "black"),
                  ("关于开展统计执法检查专项行动的函", 520, 520, 86, "black"),
                  ("川委办函〔2006〕341号", 1400, 660, 60, "black"), ("市自然资源和规划局：", 300, 800, 60, "black")] + BODY)
    c = extract_circular([page], classify_pages([page]))
    assert c.title.value == "中共四川省委办公厅四川省人民政府办公厅关于开展统计执法检查专项行动的函"
    assert c.issuer.value == "中共四川省委办公厅"


def _closing(date_text, signer="中共山东省委办公厅", cc="抄送：省法院，省检察院。·"):
    return ([("中共山东省委办公厅文件", 500, 300, 150, "red"), ("鲁办发〔2016〕192号", 950, 700, 60, "black"),
             ("关于扶贫开发项目调整的批复", 650, 850, 90, "black"), ("青岛市崂山区人民政府：", 300, 1000, 60, "black")]
            + BODY[:8] + [(signer, 1300, 2000, 60, "black"), (date_text, 1280, 2100, 60, "black"),
                          (cc, 300, 3000, 60, "black")])


@pytest.mark.parametrize("date_text, expected", [
    ("二〇一六年四月十亡日", None),  # 亡 may be 七 (十七日) or any numeral: not read
    ("二〇一六年四月_十七日", None),  # 二十七日?
    ("二〇一六年_四月十七日", "2016-04-17"),  # no numeral could stand there (十四月, 一四月)
    ("二〇一六年四月十七日", "2016-04-17"),
    # the seal took a numeral of the year: month and day with the 发文字号's year, but not a
    # day of one numeral (the 十 of 十六日 may have gone with it)
    ("二〇一年四月十七日", "2016-04-17"),
    ("二〇一年四月六日", None),
])
def test_a_speck_in_a_date_is_dropped_only_where_no_numeral_could_stand(date_text, expected):
    from gongwen.parsers.circular import extract_circular

    page = _page(_closing(date_text))
    c = extract_circular([page], classify_pages([page]))
    assert (c.issue_date.value.isoformat() if c.issue_date and c.issue_date.value else None) == expected


def test_the_cc_lists_end_and_specks_after_it_are_no_part_of_it():
    from gongwen.parsers.circular import extract_circular

    page = _page(_closing("二〇一六年四月十七日"))
    assert extract_circular([page], classify_pages([page])).cc.value == "省法院，省检察院"


def test_an_organ_that_lost_its_place_name_to_ocr_is_a_doubt():
    from gongwen.parsers.circular import extract_circular

    spec = [(t.replace("中共山东省委办公厅文件", "县革命委员会文件"), x, y, h, layer) for t, x, y, h, layer in _closing("二〇一六年四月十七日", signer="县革命委员会")]
    page = _page(spec)
    c = extract_circular([page], classify_pages([page]))
    assert c.issuer is None and c.signatories is None
    assert {d.field for d in c.doubts} == {"issuer", "signatories"} and "names no place" in c.doubts[0].reason


def test_a_short_leaflets_title_is_centred_on_the_page_not_on_its_ragged_lines():
    from gongwen.parsers.circular import extract_circular

    ragged = [(t[:26], x, y, h, layer) for t, x, y, h, layer in BODY]  # lines end well short of the right margin
    page = _page([("倡议书", 1050, 300, 130, "black"), ("全县广大干部群众：", 300, 500, 60, "black")] + ragged)
    assert extract_circular([page], [PageKind.OTHER]).title.value == "倡议书"


@pytest.mark.parametrize("number, expected", [("70", "70"), ("39⁻11", "39-11"), ("6 － 3", "6-3")])
def test_the_receiving_offices_name_in_its_stamp_is_no_part_of_the_issuer(number, expected):
    from gongwen.parsers.circular import extract_circular

    page = _page([(f"长沙市岳麓区人民政府办公室 {number}", 1260, 60, 100, "red"), ("收文 2019年7月20日", 1245, 160, 100, "red"),
                  ("湖南省人民政府办公厅", 650, 360, 105, "red"),
                  ("湖南省人民政府办公厅关于2019年", 560, 720, 86, "black"), ("粮食安全工作情况的函", 800, 850, 86, "black"),
                  ("湘政办函〔2019〕70号", 1400, 980, 60, "black"), ("长沙市人民政府：", 300, 1100, 60, "black")] + BODY)
    c = extract_circular([page], classify_pages([page]))
    assert c.issuer.value == "湖南省人民政府办公厅"
    assert c.received_date.value.isoformat() == "2019-07-20"
    assert c.receipt_number.value == expected  # a small handwritten dash read as ⁻ is a dash


def test_a_speech_titles_note_in_brackets_and_a_long_first_row_of_body_text():
    from gongwen.parsers.circular import extract_circular

    speech = _page([("孙然同志在地区河长制经验交流会上的讲话", 450, 300, 92, "black"), ("（记录稿）", 1100, 430, 80, "black"),
                    ("同志们：", 300, 600, 60, "black")] + BODY)
    assert extract_circular([speech], [PageKind.OTHER]).title.value == "孙然同志在地区河长制经验交流会上的讲话"
    # a photo's first line of body text, read a little larger than the rest, is no title (nor a doubt)
    photo = _page([("这些问题是让他们解决，有些问题要根据材料才能解决，有些要停止。你们这是革命的行动", 300, 300, 75, "black")] + BODY)
    c = extract_circular([photo], [PageKind.OTHER])
    assert c.title is None and c.doubts == ()


def test_a_photos_title_is_measured_against_the_body_right_below_it():
    """Photographed, the pages differ in scale (the second page, nearer the camera, is read
    larger than the title): the title is larger than the body next to it on its page."""
    from dataclasses import replace as with_

    from gongwen.parsers.circular import extract_circular

    first = _page([("中共福建省委办公厅文件", 500, 300, 147, "red"), ("闽委办〔2014〕69号", 950, 700, 70, "black"),
                   ("关于切实做好消防安全有关工作的通知", 550, 850, 83, "black"),
                   ("各市、县（市、区）党委和人民政府：", 300, 1000, 68, "black")] + BODY)
    second = with_(_page([(t, x, y, 95, layer) for t, x, y, _, layer in BODY * 2]), number=2)
    c = extract_circular([first, second], classify_pages([first, second]))
    assert c.title.value == "关于切实做好消防安全有关工作的通知"


def test_a_page_printed_in_red_with_its_seal_over_the_signature_and_the_date():
    """All red: the seal's ring is read as print too, as a row far taller than the body above
    the 署名 and as a character left of the date; neither is taken into them."""
    from gongwen.parsers.circular import extract_circular

    red_body = [(t, x, y, h, "red") for t, x, y, h, _ in BODY]
    page = _page([("四川省人民政府文件", 600, 300, 150, "red"), ("川府发〔2006〕12号", 950, 700, 60, "red"),
                  ("关于做好粮食安全工作的通知", 700, 850, 90, "red"), ("各市（州）人民政府：", 300, 1000, 60, "red")]
                 + red_body + [("川省人民政", 1460, 2400, 250, "red"), ("四川省人民政府", 1450, 2650, 127, "red"),
                               ("中", 1100, 2790, 60, "red"), ("二〇〇六年二月十九日", 1450, 2790, 75, "red")])
    c = extract_circular([page], classify_pages([page]))
    assert c.signatories.value == "四川省人民政府"
    assert c.issue_date.value.isoformat() == "2006-02-19"


def test_a_circular_whose_head_was_lost_is_known_by_its_title_and_addressee():
    """A gray scan with no red left and a number OCR could not read: the title and the
    主送机关 naming organs open the page, as GB/T 9704's 主体 does."""
    page = _page([("浙江省人民政府办公厅", 700, 300, 100, "black"),
                  ("关于做好档案数字化工作的通知", 650, 600, 90, "black"),
                  ("各市、县（市、区）人民政府，省直各单位：", 300, 750, 60, "black")] + BODY)
    assert classify_pages([page]) == [PageKind.CIRCULAR]


@pytest.mark.parametrize("salutation", ["同志们：", "全县广大干部群众：", "各位市民朋友："])
def test_a_speech_or_a_leaflet_addressing_people_is_no_circular(salutation):
    page = _page([("在全县农业工作会议上的讲话", 650, 300, 100, "black"), (salutation, 300, 500, 60, "black")] + BODY)
    assert classify_pages([page]) == [PageKind.OTHER]


@pytest.mark.parametrize("signers, expected", [
    (["中共山东省委办公厅", "山东省人民政府办公厅"], "中共山东省委办公厅；山东省人民政府办公厅"),
    # the seals over the names left one readable: not the list of a joint document's organs
    (["山东省人民政府办公厅"], None),
])
def test_a_joint_documents_signatories_are_all_its_organs_or_none(signers, expected):
    from gongwen.parsers.circular import extract_circular

    spec = [(t.replace("关于扶贫开发项目调整的批复", "中共山东省委办公厅山东省人民政府办公厅关于扶贫开发项目调整的批复"), x, y, h, layer)
            for t, x, y, h, layer in _closing("二〇一六年四月十七日", signer=signers[-1])]
    if len(signers) > 1:
        spec.append((signers[0], 500, 2000, 60, "black"))
    page = _page(spec)
    c = extract_circular([page], classify_pages([page]))
    assert (c.signatories.value if c.signatories else None) == expected
    assert (expected is None) == any(d.field == "signatories" and "joint document" in d.reason for d in c.doubts)


def test_a_title_naming_its_organ_shortly_is_no_joint_document():
    from gongwen.parsers.circular import extract_circular

    spec = [(t.replace("关于扶贫开发项目调整的批复", "中共山东省委关于扶贫开发项目调整的批复"), x, y, h, layer)
            for t, x, y, h, layer in _closing("二〇一六年四月十七日", signer="中共山东省委办公厅")]
    page = _page(spec)
    assert extract_circular([page], classify_pages([page])).signatories.value == "中共山东省委办公厅"


@pytest.mark.parametrize("spec, kind", [
    # a register of readers: its title, and its headings and labels of the slip's own wording
    ([("金华市金东区人民政府办公室传阅文件登记单", 364, 235, 80, "black"), ("来文单位：", 239, 371, 60, "black"),
      ("序号", 281, 542, 60, "black"), ("传阅领导", 640, 546, 60, "black"), ("送阅时间", 1248, 546, 60, "black"),
      ("退回时间", 1853, 546, 60, "black"), ("办公室意见", 1123, 1403, 60, "black"), ("领导意见", 1147, 2052, 60, "black")],
     PageKind.SLIP),
    # no title read: the headings and labels alone
    ([("序号", 281, 542, 60, "black"), ("传阅领导", 640, 546, 60, "black"), ("送阅时间", 1248, 546, 60, "black"),
      ("退回时间", 1853, 546, 60, "black"), ("办公室意见", 1123, 1403, 60, "black")], PageKind.SLIP),
    # the same words in a circular's sentences are no slip
    ([("关于印发收文登记表的通知", 500, 600, 85, "black"), ("各单位：", 300, 900, 60, "black"),
      ("请各单位对照检查，提出处理意见，将落实情况和办理结果及时报送，领导意见另行通知。", 300, 1000, 60, "black")] + BODY,
     None),
])
def test_a_slip_known_by_its_register_title_or_its_own_headings(spec, kind):
    got = classify_pages([_page(spec)])[0]
    assert got == kind if kind is not None else got != PageKind.SLIP
