import datetime as dt

import pytest

from gongwen.parsers.dates import cn_number, parse_date, roll_forward


@pytest.mark.parametrize(
    "text, context, expected, inferred",
    [
        ("2014年1月24日", None, "2014-01-24", False),
        ("二〇一四年一月二十四日", None, "2014-01-24", False),
        ("二○○六年三月五日", None, "2006-03-05", False),
        ("二零一四年十二月三十一日", None, "2014-12-31", False),
        ("二〇）〇〇年一月二日", None, "2000-01-02", False),  # a speck of the seal in the year, read as a bracket
        ("二〇一四年二月廿八日", None, "2014-02-28", False),
        ("收文 14年2月1日", None, "2014-02-01", False),
        ("98年6月3日", 2014, "1998-06-03", False),
        ("胡晓东 2014.2.12", None, "2014-02-12", False),
        ("2014-02-12", None, "2014-02-12", False),
        ("2014/2/12", None, "2014-02-12", False),
        ("林世南 2.14", 2014, "2014-02-14", True),
        ("2.16", 2014, "2014-02-16", True),
        ("2月16日", 2014, "2014-02-16", True),
        ("2024年3 月 5 日印发", None, "2024-03-05", False),
        ("二（〇二年九月十三日", None, "2002-09-13", False),  # 〇 read as （ by OCR
        ("二Q〇八年一月十日", None, "2008-01-10", False),
        ("二（）一六年一月九日", None, "2016-01-09", False),  # 〇 read as a pair of brackets
        ("二）一八年十月三日", None, "2018-10-03", False),
        ("二〇一八年八月－-日", None, "2018-08-01", False),  # 一 read as dashes under a seal
        ("十一月二十三日", 2012, "2012-11-23", True),
        # years of the Republic (Taiwan's documents; mainland ones before 1949)
        ("發文日期：中華民國109年3月5日", None, "2020-03-05", False),
        ("中華民國 109 年 12 月 31 日", None, "2020-12-31", False),
        ("民國一〇九年三月五日", None, "2020-03-05", False),
        ("中华民国三十七年十月一日", None, "1948-10-01", False),
    ],
)
def test_parse_date(text, context, expected, inferred):
    d = parse_date(text, context_year=context)
    assert d is not None and d.valid
    assert d.value == dt.date.fromisoformat(expected)
    assert d.inferred is inferred


def test_date_without_year_needs_context():
    assert parse_date("2.16") is None


def test_impossible_date_is_kept_raw_and_flagged():
    d = parse_date("2014年2月30日")
    assert d is not None and d.value is None and not d.valid and d.raw == "2014年2月30日"


@pytest.mark.parametrize("text", ["阅后退回117室", "10-3", "版本 1.2.3", "13.5", "共29县"])
def test_non_dates(text):
    assert parse_date(text, context_year=2014) is None


@pytest.mark.parametrize("text, n", [("十", 10), ("二十四", 24), ("廿四", 24), ("三十一", 31), ("十二", 12), ("二〇一四", 2014)])
def test_cn_number(text, n):
    assert cn_number(text) == n


def test_roll_forward():
    assert roll_forward(dt.date(2014, 1, 2), dt.date(2014, 12, 28)) == dt.date(2015, 1, 2)
    assert roll_forward(dt.date(2014, 2, 16), dt.date(2014, 2, 1)) == dt.date(2014, 2, 16)
    assert roll_forward(dt.date(2014, 5, 1), dt.date(2014, 12, 20)) == dt.date(2015, 5, 1)
    # a fortnight before the receipt is not a year after it
    assert roll_forward(dt.date(2004, 3, 1), dt.date(2004, 3, 14)) == dt.date(2004, 3, 1)


@pytest.mark.parametrize("text", ["2016—2018年", "二〇一之年十一月二十三日", "第十一月", "二十三日",
                                  "二〇（）一四年一月二日"])  # five numerals: no year read from four of them
def test_no_date_is_made_up(text):
    assert parse_date(text, context_year=2012) is None
