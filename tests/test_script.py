"""Traditional or simplified characters (parsers/script.py, on OpenCC's tables)."""

from __future__ import annotations

import pytest

from gongwen.parsers.script import is_traditional, to_traditional, variants


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
