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
