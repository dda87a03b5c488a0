"""Handwritten dates read against the item's dates (parsers/handdate.py), no OCR."""

import datetime as dt

import pytest

from gongwen.parsers.dates import parse_date
from gongwen.parsers.handdate import mend_digits, read_hand_date

RECEIVED = dt.date(2021, 2, 20)


@pytest.mark.parametrize(
    "text, mended",
    [("Z021.2.27", "2021.2.27"), ("1。26", "1.26"), ("l.26", "1.26"), ("2O14.1.24", "2014.1.24"),
     ("请Z处阅", "请Z处阅"), ("彭宏磊10.25", "彭宏磊10.25"), ("S.17", "5.17"), ("S.l7", "S.l7"),
     ("史桂5(12", "史桂5.12"), ("(2006)393", "(2006)393")],  # a slash read as a bracket; a bracketed year stays
)
def test_mend_digits_only_inside_runs_of_digits(text, mended):
    assert mend_digits(text) == mended
    assert len(mend_digits(text)) == len(text)


@pytest.mark.parametrize(
    "text, year, value, repaired",
    [
        ("2.27", 2021, dt.date(2021, 2, 27), False),
        ("Z021.2.27", 2021, dt.date(2021, 2, 27), True),
        ("20214.17", 2021, dt.date(2021, 4, 17), True),  # the year run into the month
        ("3，1", 2021, dt.date(2021, 3, 1), True),
        ("元月26日", 2022, dt.date(2022, 1, 26), False),
        ("2021年2月22日", 2021, dt.date(2021, 2, 22), False),
        ("二〇二一年三月五日", 2021, dt.date(2021, 3, 5), False),
    ],
)
def test_read_hand_date(text, year, value, repaired):
    h = read_hand_date(text, year, RECEIVED if year == 2021 else None)
    assert h.date.value == value
    assert h.repaired is repaired
    assert h.factor < 1.0 if repaired else h.factor == 1.0


def test_a_date_far_from_the_items_dates_keeps_no_value():
    # OCR read a handwritten 2021 as 2013: eight years before the item was received
    h = read_hand_date("2013.7.26", 2021, RECEIVED)
    assert h.date.value is None and h.reason and h.date.raw == "2013.7.26"


def test_a_year_less_date_early_in_the_year_after_a_december_receipt_moves_on():
    h = read_hand_date("1.3", 2020, dt.date(2020, 12, 28))
    assert h.date.value == dt.date(2021, 1, 3) and h.date.inferred


def test_span_points_into_the_text_as_given():
    text = "张三Z021.2.27"
    h = read_hand_date(text, 2021, RECEIVED)
    a, b = h.date.span
    assert text[:a] == "张三" and text[a:b] == "Z021.2.27"


def test_no_date():
    assert read_hand_date("请办公室存档。", 2021, RECEIVED) is None


def test_first_month_written_yuan():
    assert parse_date("二〇一四年元月五日").value == dt.date(2014, 1, 5)


@pytest.mark.parametrize(
    "text, value",
    [
        ("9/22", dt.date(2021, 9, 22)),  # month/day with a slash
        ("21.9.22", dt.date(2021, 9, 22)),  # a two-digit year
        ("922", dt.date(2021, 9, 22)),  # the dot lost: 9.22 (92.2 is no date)
        ("9124", dt.date(2021, 9, 24)),  # the slash of 9/24 read as 1
        ("1226", dt.date(2021, 12, 26)),
        ("111", None),  # 1.11 or 11.1: both in the window, so neither
        ("101", dt.date(2021, 10, 1)),  # 10.1 (11 days on), not 1.01 of next year (103 days on)
        ("112", None),  # 11.2 (43 days on) or 1.12 (114 days on): neither near
        ("2021922", dt.date(2021, 9, 22)),
        ("21922", dt.date(2021, 9, 22)),  # 21.9.22, a two-digit year: the item's own
        ("19922", None),  # a two-digit year not the item's: no reading
        ("918", None),  # 9.18 is before the item came in (9.20): a guess never is
    ],
)
def test_digits_that_lost_their_dots_where_a_date_must_stand(text, value):
    h = read_hand_date(text, 2021, dt.date(2021, 9, 20), bare=True)
    assert (h.date.value if h else None) == value
    if value is not None and not ("/" in text or text.count(".") == 2):
        assert h.repaired and h.factor < 1.0


@pytest.mark.parametrize(
    "text, year, received, value",
    [
        ("07.81", 2007, dt.date(2007, 7, 20), dt.date(2007, 8, 1)),  # 07.8.1, its second dot lost
        ("177.29", 2017, dt.date(2017, 7, 20), dt.date(2017, 7, 29)),  # 17.7.29, its first dot lost
        ("177.29", 2012, dt.date(2012, 7, 20), None),  # 17 is not the item's year, nor the next
        ("10.11", 2010, dt.date(2010, 9, 1), dt.date(2010, 10, 11)),  # a month and a day as they stand
        ("21.11", 2021, dt.date(2021, 1, 5), None),  # 21.1.1 falls before the item came in: a guess never does
        ("8月21日", 2021, dt.date(2021, 1, 5), dt.date(2021, 8, 21)),
        ("00年2月26", 2000, dt.date(2000, 2, 20), dt.date(2000, 2, 26)),  # its 日 not read, where a date must stand
    ],
)
def test_a_two_digit_year_with_one_of_its_dots_lost(text, year, received, value):
    h = read_hand_date(text, year, received, bare=True)
    assert (h.date.value if h else None) == value


def test_digits_at_a_date_word_are_no_dotless_date():
    # the 21 of 8月21日 run on after a stamp's number (8-4) is not 2.1
    h = read_hand_date("8-42020年8月21日", 2020, dt.date(2020, 8, 15), bare=True)
    assert h.date.value == dt.date(2020, 8, 21) and h.date.raw == "2020年8月21日"
    assert read_hand_date("8-42020年8月21日", 2012, dt.date(2012, 8, 15)) is None or \
        read_hand_date("8-42020年8月21日", 2012, dt.date(2012, 8, 15)).date.value is None


def test_bare_digits_are_no_date_where_a_date_need_not_stand():
    assert read_hand_date("922", 2021, dt.date(2021, 9, 20)) is None


def test_a_whole_year_then_month_and_day_without_their_dot():
    assert read_hand_date("2006.62", None, None).date.value == dt.date(2006, 6, 2)
    assert read_hand_date("2020.1111", None, None).date.value == dt.date(2020, 11, 11)
    assert read_hand_date("曹荣文2004.1010", None, None).date.value == dt.date(2004, 10, 10)
    assert read_hand_date("2004.0612", None, None).date.value == dt.date(2004, 6, 12)
    assert read_hand_date("2006.111", None, None) is None  # 1.11 or 11.1


@pytest.mark.parametrize("text, year, value", [
    ("2008年-8月:30日", 2008, dt.date(2008, 8, 30)),  # specks between 年, 月 and the digits
    ("208年8月27日", 2008, dt.date(2008, 8, 27)),  # a digit of the year lost: the item's year
    ("208年8月27日", 2012, None),  # 208 is no part of 2012 or 2013
    ("4月20E", 2019, dt.date(2019, 4, 20)),  # 日 read as E
])
def test_a_handwritten_date_with_a_speck_a_lost_year_digit_or_a_letter_for_ri(text, year, value):
    h = read_hand_date(text, year, None)
    assert (h.date.value if h else None) == value
    if value is not None:
        assert h.repaired and h.factor < 1.0


@pytest.mark.parametrize("text, year, received, value", [
    ("0245", 2002, dt.date(2002, 4, 1), dt.date(2002, 4, 5)),  # 02.4.5: no month and day as it stands
    ("1262", 2012, dt.date(2012, 5, 30), dt.date(2012, 6, 2)),  # 12.6.2
    ("1226", 2012, dt.date(2012, 2, 1), dt.date(2012, 2, 6)),  # 12.2.6; 12.26, ten months on, is no guess
    ("1517", 2014, dt.date(2014, 1, 16), None),  # 15.1.7 is a year on: no guess (1.17 with a stroke too many)
    ("1226", 2012, dt.date(2012, 12, 1), dt.date(2012, 12, 26)),  # 12.2.6 falls before the item came in
    ("0419", 2004, dt.date(2004, 1, 1), None),  # 04.1.9 or 4.19
])
def test_four_digits_that_are_a_two_digit_year_a_month_and_a_day(text, year, received, value):
    h = read_hand_date(text, year, received, bare=True)
    assert (h.date.value if h else None) == value


def test_of_two_readings_the_near_one_only_when_the_other_is_months_away():
    # 118 after a 1.15 receipt: 1.18 (3 days on), not 11.8 (ten months on)
    assert read_hand_date("118", 2014, dt.date(2014, 1, 15), bare=True).date.value == dt.date(2014, 1, 18)
    # 123 after a 11.23 receipt (11/23 with a stroke lost): 12.3 is 10 days on, 1.23 but 61: neither
    h = read_hand_date("123", 2010, dt.date(2010, 11, 23), bare=True)
    assert h is None or h.date.value is None


def test_two_digits_alone_are_a_date_only_near_the_items_date():
    assert read_hand_date("39", 2016, dt.date(2016, 3, 7), bare=True).date.value == dt.date(2016, 3, 9)
    h = read_hand_date("19", 2022, dt.date(2022, 10, 18), bare=True)  # 10.19 with its 10. lost: not 1.9 of next year
    assert h is None or h.date.value is None


def test_a_two_digit_years_date_whose_second_dot_was_read_as_a_gap():
    assert read_hand_date("11. 9 25", 2011, dt.date(2011, 9, 20)).date.value == dt.date(2011, 9, 25)
    h = read_hand_date("11. 9 25", 2014, dt.date(2014, 9, 20))  # 11 is not the item's year: no such reading
    assert h is None or h.date.value != dt.date(2011, 9, 25)


def test_a_whole_year_before_dotless_digits_is_not_read_as_a_two_digit_one():
    # 201989 in an item of 2019: 2019.8.9, not 20.19.89 (20 is the next year's two digits)
    assert read_hand_date("刘梅月201989", 2019, dt.date(2019, 8, 8), bare=True).date.value == dt.date(2019, 8, 9)
