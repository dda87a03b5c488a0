import pytest

from gongwen.parsers.metrics import cer, edit_distance, infix_distance


@pytest.mark.parametrize(
    "a, b, d",
    [("", "", 0), ("abc", "", 3), ("kitten", "sitting", 3), ("浙委办发〔2014〕8号", "浙委办发[2014]8号", 2), ("abc", "abc", 0)],
)
def test_edit_distance(a, b, d):
    assert edit_distance(a, b) == d == edit_distance(b, a)


def test_cer_and_infix():
    assert cer("省级结对帮扶", "省级结对帮扶") == 0
    assert cer("abcd", "abed") == 0.25
    assert infix_distance("结对帮扶", "……省级结对帮扶团组……") == 0
    assert infix_distance("结对帮扶", "省级结帮扶团组") == 1


@pytest.mark.parametrize(
    "truth, got, verdict",
    [
        ("天健函〔2016〕306号", "天健函〔2016〕306号", "exact"),
        ("上海证券交易所", "上海证券交易所 ", "exact"),
        ("国办发〔2023〕12号", "国办发〔2023〕12号", "exact"),
        ("国办发〔2023〕12号", "", "missed"),
        ("国办发〔2023〕12号", "国办发〔2023〕13号", "wrong"),
        (None, "", "exact"),
        (None, "毛泽东；中共中央", "wrong"),
    ],
)
def test_field_verdict(truth, got, verdict):
    from gongwen.parsers.metrics import field_verdict

    assert field_verdict(truth, got) == verdict


def test_a_phrase_may_run_over_a_line_end():
    from gongwen.parsers.metrics import phrase_found

    text = "是两个阶级、两条道\n路斗争的中心"
    assert phrase_found("是两个阶级、两条道路斗争的中心", text)
    assert not phrase_found("破坏党对科技工作的领导", text)
