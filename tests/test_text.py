import pytest

from gongwen.parsers.text import compact, normalize_line, remove_cjk_spaces


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("浙 委 办 发 〔2014〕 8 号", "浙委办发〔2014〕8号"),  # tesseract's spaces between characters
        ("各市、县(市、区)党委和人民政府,省直属各单位:", "各市、县（市、区）党委和人民政府，省直属各单位："),
        ("２０１４年１月２４日", "2014年1月24日"),  # full-width digits
        ("2014 年 1 月 24 日", "2014年1月24日"),
        ("省委丶省政府", "省委、省政府"),  # OCR confusion of 、
        ("10-3", "10-3"),
        ("Hello world", "Hello world"),
        ("阅后退回 117 室。", "阅后退回117室。"),
        ("see PDF 1.7 spec", "see PDF 1.7 spec"),
        ("(此件公开发布)", "（此件公开发布）"),
        ("结合实际，认真贯彻执行·", "结合实际，认真贯彻执行。"),  # a worn 。 read as a dot
        ("工作机制·配合当地党委", "工作机制。配合当地党委"),
        ("请贺区长、付副区长阅示o", "请贺区长、付副区长阅示。"),  # a handwritten 。
        ("建议送市农业农村局研究办理c", "建议送市农业农村局研究办理。"),
        ("请抓紧落实○", "请抓紧落实。"),
        ("要强化信息化支撑.推动数据共享", "要强化信息化支撑，推动数据共享"),  # a worn ，
        ("市中级法院.市检察院", "市中级法院，市检察院"),
        ("第2.3条", "第2.3条"),
        ("三年行动计划（2006-2008年）", "三年行动计划（2006—2008年）"),
        ("电话0577-60143243", "电话0577-60143243"),
        ("二○○六年三月五日至二○", "二○○六年三月五日至二○"),  # a date wrapped at 二○ keeps its zero
        ("按文件要求认眞贯彻执行", "按文件要求认真贯彻执行"),
        ("温度为37°C", "温度为37°C"),
        ("型号为Q235o", "型号为Q235o"),
        ("采用LOGO设计", "采用LOGO设计"),
        ("A·B", "A·B"),
        # the interpunct of names and compounds stays
        ("地址：中国·杭州市西溪路128号", "地址：中国·杭州市西溪路128号"),
        ("马克思·恩格斯选集", "马克思·恩格斯选集"),
        ("诸暨“朗臻·幸福家园”小区14间商铺", "诸暨“朗臻·幸福家园”小区14间商铺"),
        ("协议明确诸暨“朗臻·", "协议明确诸暨“朗臻·"),  # a quoted name wrapped at the line's end
        ("《中国·浙江年鉴》", "《中国·浙江年鉴》"),
        ("三年行动计划（2016一2018年）", "三年行动计划（2016—2018年）"),
        ("增长(%)", "增长（%）"),  # brackets after a Chinese character, round Latin text
        ("建筑面积(m2)", "建筑面积（m2）"),
        ("see the spec (2019)", "see the spec (2019)"),
        ("f(x)", "f(x)"),
    ],
)
def test_normalize_line(raw, expected):
    assert normalize_line(raw) == expected


def test_remove_cjk_spaces_keeps_latin_spacing():
    assert remove_cjk_spaces("中 国 PDF text 文 件") == "中国 PDF text 文件"


def test_compact_is_nfkc_without_whitespace():
    assert compact("（此件\n公开 发布）") == "(此件公开发布)"
