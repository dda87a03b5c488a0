"""Traditional or simplified characters (parsers/script.py, on OpenCC's tables), and the
recogniser's slips out of the page's script."""

from __future__ import annotations

import pytest

from gongwen.parsers.script import is_traditional, mend_slips, to_traditional, variants


@pytest.mark.parametrize(
    "text",
    [
        "主旨：有關貴校申請108年度節能减碳經费補助一案，復如明，請查照。",  # as read: 减, 费 simplified
        "說明：一、依據行政院108年9月14日院臺教字第1082111730號函辦理。二、各校應指定專人負責",
    ],
)
def test_traditional_text_read_with_some_simplified_characters(text):
    assert is_traditional(text)


@pytest.mark.parametrize(
    "text",
    [
        "关于开展粮食征购的通知各区、公社革命委员会，县级各单位：",
        "浙江省人民政府办公厅关于印发浙江省档案管理办法的通知",
        "國立臺灣大學",  # too short to tell
        "中華民國109年3月5日臺北市政府函",
        "2014年1月24日",
    ],
)
def test_simplified_or_too_short_text_is_not_traditional(text):
    assert not is_traditional(text)


@pytest.mark.parametrize(
    "read, written",
    [("新北府教字第1083236755号", "新北府教字第1083236755號"), ("本府秘書处（含附件）", "本府秘書處（含附件）"),
     ("市长", "市長"), ("108年度節能减碳實施计画", "108年度節能減碳實施計畫")],
)
def test_written_back_in_taiwans_forms(read, written):
    assert to_traditional(read) == written


def test_variants_of_a_character():
    assert variants("號") == {"號", "号"} and variants("主") == {"主"}

SIMPLIFIED_PAGE = [
    "中共福州市鼓楼区委办公室文件",
    "关于进一步加强基层组织建设的通知",
    "各街道党工委，区直各单位：",
    "为认真贯彻落实上级有关会议精神，现就有关事项通知如下。",
]


@pytest.mark.parametrize(
    ("slip", "mended"),
    [
        ("请丁區長閱示。", "请丁区长阅示。"),  # a traditional line among simplified ones (PP-OCRv6)
        ("電話記錄", "电话记录"),
        ("粵府办〔2009〕256号", "粤府办〔2009〕256号"),
        ("防止问题反弾回潮。", "防止问题反弹回潮。"),  # a Japanese form from v6's character list
        ("広泛宣传", "广泛宣传"),
    ],
)
def test_slips_on_a_page_printed_in_simplified_characters_are_written_back(slip, mended):
    assert mend_slips([*SIMPLIFIED_PAGE, slip]) == [*SIMPLIFIED_PAGE, mended]


@pytest.mark.parametrize(
    "line",
    [
        "芸芸众生",  # a Chinese character that is also a Japanese form (芸 for 藝) stays
        "朱镕基同志",  # outside GB 2312, but no Japanese form
        "成绩显著",  # 著 is no traditional form here (OpenCC converts by phrase)
        "2.16 14年2月1日",
    ],
)
def test_characters_of_simplified_text_stay(line):
    assert mend_slips([*SIMPLIFIED_PAGE, line])[-1] == line


def test_a_page_that_mixes_the_scripts_is_left_as_read():
    # a 1967 mimeographed transcript (shared/realworld): 們, 飯, 話 among simplified characters
    page = [
        "周恩来总理給西安工业学院造反队二十四位同学的电话",
        "一直在等待着你們，我一直在等待着你們，你們要吃飯，你們不",
        "吃飯怎么能睡覚呢？党中央怎么能看着你們不吃飯，有些問題要研究。",
        "你們这个組織是合法的，陕西省委和西安市委保护你們的安全和自由，",
    ]
    assert mend_slips(page) == page


def test_a_page_printed_in_traditional_characters_is_left_as_read():
    page = ["臺北市政府　函", "發文字號：府授教字第1093015607號", "主旨：有關本市學校辦理評鑑一案，請查照。", "說明：依據教育部來函辦理。"]
    assert is_traditional("".join(page))
    assert mend_slips(page) == page


def test_a_page_with_too_few_characters_to_tell_is_left_as_read():
    assert mend_slips(["電話", "记录"]) == ["電話", "记录"]
