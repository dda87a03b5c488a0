import pytest

from gongwen.parsers.docnumber import find_doc_number, number_alone, year_is_plausible


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("国办发〔2023〕12号", "国办发〔2023〕12号"),
        ("浙委办发［2014］8号", "浙委办发〔2014〕8号"),
        ("浙委办发[2014] 8 号", "浙委办发〔2014〕8号"),
        ("中基协处分（2025）334号", "中基协处分〔2025〕334号"),
        ("天健函【2016】306号", "天健函〔2016〕306号"),
        ("上证公函[2016]0512号", "上证公函〔2016〕0512号"),
        ("温政发 ﹝2009﹞ 第 47 号", "温政发〔2009〕47号"),
        ("根据国发(2014)1号文件精神", "国发〔2014〕1号"),
        ("鄞政发〔2011」248号", "鄞政发〔2011〕248号"),
        ("國發〔2019〕3號", "國發〔2019〕3号"),
        ("鲁办发〔2016］.192号", "鲁办发〔2016〕192号"),  # a speck read after the bracket
        ("浙委办发〔[2009〕187号", "浙委办发〔2009〕187号"),  # a bracket read twice
        ("国办发〔2023〕]12号", "国办发〔2023〕12号"),
        # older numbers: two-digit years, after the code or before it, digits and 字第 as printed
        ("中发（66）267号", "中发〔66〕267号"),
        ("中发[76]4号", "中发〔76〕4号"),
        ("(66)中发字第267号", "〔66〕中发字第267号"),
        ("（75）鄂革字第12号", "〔75〕鄂革字第12号"),
        ("湘革发（70）15号", "湘革发〔70〕15号"),
    ],
)
def test_doc_number_forms(raw, expected):
    assert str(find_doc_number(raw)) == expected


@pytest.mark.parametrize(
    "text", ["2014年1月24日", "各市、县（市、区）党委", "（此件公开发布）", "楼（46）5号", "第1页（共6页）", "电话（0571）88号"]
)
def test_not_a_doc_number(text):
    assert find_doc_number(text) is None


def test_an_older_number_reads_its_year_as_19yy():
    assert find_doc_number("中发（66）267号").year == 1966
    assert find_doc_number("（75）鄂革字第12号").year == 1975


def test_year_plausibility():
    assert year_is_plausible(2014, 2014)
    assert year_is_plausible(2013, 2014)
    assert not year_is_plausible(2041, 2014)
    assert year_is_plausible(2014)


@pytest.mark.parametrize(
    "line, expected",
    [("浙委办发〔2014〕8号", "浙委办发〔2014〕8号"), ("浙委办发〔2014〕8号  签发人：张三 李四", "浙委办发〔2014〕8号"),
     ("（75）鄂革字第12号", "〔75〕鄂革字第12号"),
     ("你区《关于青岛市崂山区2016年扶贫开发项目调整的请示》（崂政〔2016〕1号）收悉", None),
     ("根据国发(2014)1号文件精神，结合我省实际，制定本办法", None)],
)
def test_a_line_that_is_the_number_and_one_that_cites_it(line, expected):
    num = number_alone(line)
    assert (str(num) if num else None) == expected
