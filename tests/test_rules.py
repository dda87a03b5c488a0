"""Parser rules against real-world strings as offices print them and OCR reads them."""

import pytest

from gongwen.parsers import rules


@pytest.mark.parametrize(
    "text", ["温州市鹿城区人民政府文件传阅单", "文件处理笺", "杭州市人民政府办公厅阅文单", "收文处理单"]
)
def test_slip_titles(text):
    assert rules.SLIP_TITLE.search(text)


@pytest.mark.parametrize(
    "text, org, date",
    [
        ("中共浙江省委办公厅2014年1月27日印发", "中共浙江省委办公厅", "2014年1月27日"),
        ("国务院办公厅 2023年3月5日印发", "国务院办公厅", "2023年3月5日"),
        ("温州市人民政府办公室二〇〇六年三月五日印发", "温州市人民政府办公室", "二〇〇六年三月五日"),
    ],
)
def test_imprint_line(text, org, date):
    m = rules.IMPRINT.match(text)
    assert m and m.group("org").strip() == org and m.group("date") == date


@pytest.mark.parametrize(
    "text, value",
    [("（此件公开发布）", "此件公开发布"), ("(此件主动公开)", "此件主动公开"), ("（此件发至县级）", "此件发至县级")],
)
def test_disclosure(text, value):
    assert rules.DISCLOSURE.match(text).group("text") == value


@pytest.mark.parametrize(
    "text, level, term",
    [("秘密★1年", "秘密", "1年"), ("机密", "机密", None), ("绝密★长期", "绝密", "长期"), ("秘密*5年", "秘密", "5年")],
)
def test_secrecy(text, level, term):
    m = rules.SECRECY.match(text)
    assert m.group("level") == level and m.group("term") == term


@pytest.mark.parametrize("text", ["特急", "加急", " 特提 "])
def test_urgency(text):
    assert rules.URGENCY.match(text)


@pytest.mark.parametrize(
    "text, item",
    [("1.省级结对帮扶团组安排方案", "省级结对帮扶团组安排方案"), ("2．名单", "名单"), ("（3）经费预算表", "经费预算表"), ("10、附表", "附表")],
)
def test_attachment_items(text, item):
    assert rules.ATTACHMENT_ITEM.match(text).group("text") == item


@pytest.mark.parametrize("text, number", [("中共浙江省委办公厅 10-3", "10-3"), ("收文 第123号", "第123号"), ("No. 45", "No. 45"),
                                               ("收文 第24-10号", "第24-10号"), ("第 37-18 号", "第 37-18 号")])
def test_receipt_number(text, number):
    assert rules.RECEIPT_NUMBER.search(text).group("n") == number


@pytest.mark.parametrize("text", ["—1—", "— 12 —", "-3-", "一2一", "－ 4 －"])
def test_page_numbers(text):
    assert rules.PAGE_NUMBER.match(text)


@pytest.mark.parametrize("text", ["2014年1月24日", "附件1", "一、工作要求"])
def test_not_page_numbers(text):
    assert not rules.PAGE_NUMBER.match(text)


@pytest.mark.parametrize("text", ["抄送：省委各部委，省人大常委会办公厅。", "抄 送: 各县(市、区)政府"])
def test_cc_label(text):
    assert rules.CC_LABEL.match(text)


@pytest.mark.parametrize("text", ["附件", "附件1", "附件 2"])
def test_annex_label(text):
    assert rules.ANNEX_LABEL.match(text)


def test_attachment_note_is_not_an_annex_label():
    # 附件说明 in the body (附件：…) is not the 附件 mark at the top of an annex page
    assert not rules.ANNEX_LABEL.match("附件：")
    assert rules.ATTACHMENT_LABEL.match("附件：")


@pytest.mark.parametrize(
    "text",
    [
        "国务院办公厅关于进一步加强政府信息公开工作的通知",
        "关于浙江菲达环保科技股份有限公司2015年年度报告中有关财务事项的说明",
        "关于印发《宁波市鄞州区生活垃圾分类工作实施方案》的通知",
        "浙江省档案管理办法（试行）",
        "中共中央关于无产阶级文化大革命的决定",
        "毛主席关于理论问题的重要指示",
        "中共中央给全党的一封信",
        "關於辦理109年度教育部補助計畫之說明",
        "国务院关于同意设立某某新区的批复",
        "周恩来总理给西安工业学院造反队二十四位同学的电话",
        "告全县人民书",
        "紧急呼吁",
    ],
)
def test_a_title_ends_with_a_kind_of_document(text):
    from gongwen.parsers.title import title_doubt

    assert rules.TITLE_END.search(text) and title_doubt(text) is None


def test_a_title_read_in_mixed_script_ends_with_a_kind_of_document():
    from gongwen.parsers.title import title_doubt

    assert title_doubt("周恩来总理給西安工业学院造反队二十四位同学的电話") is None  # as OCR read a 1967 mimeograph


@pytest.mark.parametrize(
    "text, why",
    [
        ("《关于对2015年浙江菲达环保科技股份有限公司年度报告的事后审核问询函》", "quoted"),
        ("（上证公函[2016]0512号，以下简称问询函）奉悉。我们已对问询函所提及的", "sentence"),
        ("天健会计师事务所", "kind of document"),
        ("各市、县人民政府，省政府直属各单位", "kind of document"),
        ("最高指示", "quotation box"),
        ("说明", "section of a booklet"),
        ("目录", "section of a booklet"),
        ("毛主席语录：要斗私批修", "quotation box"),
    ],
)
def test_what_is_not_trusted_as_a_title(text, why):
    from gongwen.parsers.title import title_doubt

    assert why in title_doubt(text)


@pytest.mark.parametrize(
    "name",
    ["中共浙江省委办公厅", "浙江省人民政府", "国务院", "中共中央", "中央文革小组", "中国科学院", "天健会计师事务所（特殊普通合伙）",
     "济南市农业农村局", "某某县革命委员会", "臺北市政府", "教育部", "中国人民银行杭州中心支行", "某某人民公社"],
)
def test_organ_names(name):
    assert rules.ORGAN_NAME.match(name)


@pytest.mark.parametrize("text", ["编号", "毛泽东", "中国·杭州", "中国注册会计师：7", "二〇一六年五月二十五日", "签发人：张三"])
def test_not_organ_names(text):
    assert not rules.ORGAN_NAME.match(text)


@pytest.mark.parametrize(
    "text, level, term",
    [("绝密", "绝密", None), ("绝密文件", "绝密", None), ("【绝密】", "绝密", None), ("机密★长期", "机密", "长期"),
     ("秘密★1年", "秘密", "1年"), ("機密", "機密", None)],
)
def test_secrecy_alone(text, level, term):
    m = rules.SECRECY_ALONE.match(text)
    assert m and (m.group("level"), m.group("term")) == (level, term)


@pytest.mark.parametrize("text", ["绝密资料汇编", "关于秘密文件管理的通知", "保密"])
def test_not_a_secrecy_mark(text):
    assert not rules.SECRECY_ALONE.match(text)


@pytest.mark.parametrize("title, genre", [
    ("中共浙江省委办公厅浙江省人民政府办公厅关于做好新一轮扶贫结对帮扶工作的通知", "通知"),
    ("国务院办公厅关于印发《政府信息公开条例实施办法》的通知（试行）", "通知"),
    ("國防部關於加強保密工作的通報", "通报"),  # traditional characters: the simplified name
    ("关于同意设立某某开发区的批复", "批复"),
    ("关于某某问题的复函", "复函"),
    ("在全省扶贫工作会议上的讲话", "讲话"),
    ("二〇一四年工作要点", "要点"),
    ("某某县人民政府", None),  # an issuer's name, no kind of document
])
def test_title_genre(title, genre):
    from gongwen.parsers.title import title_genre

    assert title_genre(title) == genre
