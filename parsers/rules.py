"""Parser rules as data: the regexes and vocabularies of GB/T 9704-2012 circulars and of
receiving offices' forms.  Each is tested with real-world strings in tests/test_rules.py."""

from __future__ import annotations

import re

from .dates import CN_ZERO_FORMS

# -- page cues --------------------------------------------------------------------------------
# Titles of circulation slips / handling forms (传阅单, 文件处理笺, 阅文单 …)
SLIP_TITLE = re.compile(r"(传阅单|传阅笺|传阅表|处理笺|处理单|阅文单|阅文笺|阅办单|阅件单|批办单|呈阅单|阅办笺|阅批单|呈批单|签批单|办文单"
                        r"|(?:传阅|阅文|收文)[\u4e00-\u9fff]{0,4}登记[单表簿]$)")  # a register's title ends so
SLIP_HEADER_WORDS = (
    "传阅人", "阅文人", "阅件人", "传阅日期", "送达日期", "收回日期", "退回日期", "阅退日期",
    "拟办意见", "领导批示", "批示", "办理结果", "阅文日期",
)
# 附件 / 附件1 / 附件 2 alone at the top-left of an annex page
ANNEX_LABEL = re.compile(r"^附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*$")
# — 1 — page numbers (OCR reads the dashes as — - － 一 –)
PAGE_NUMBER = re.compile(r"^[—\-－一–_~～\s]*\d{1,3}[—\-－一–_~～\s]*$")

# -- elements of the circular -----------------------------------------------------------------
ISSUER_MARK_SUFFIX = re.compile(r"\s*文\s*件\s*$")
COPY_NUMBER = re.compile(r"^\s*(?P<n>\d{6})\s*$")
# a label may stand before the mark: 密级：秘密, 紧急程度：特急
SECRECY_LABEL = r"(?:密\s*级\s*[：:]\s*)?"
SECRECY = re.compile(SECRECY_LABEL + r"(?P<level>绝密|机密|秘密)\s*(?:[★*☆]\s*(?P<term>[\d一二三四五六七八九十]+\s*年|长期))?")
# a 密级 standing alone (绝密, 绝密文件, 机密★长期, [绝密] in a box read with its frame): the whole line
SECRECY_ALONE = re.compile(
    r"^" + SECRECY_LABEL + r"[\[【〔(（|□]?(?P<level>绝密|機密|机密|秘密|極機密|绝\s*密)(?:文件)?[\]】〕)）|]?"
    r"(?:[★*☆]\s*(?P<term>[\d一二三四五六七八九十]+\s*年|长期))?$"
)
URGENCY = re.compile(r"^\s*(?:紧急程度\s*[：:]\s*)?(?P<u>特急|加急|特提|平急)\s*$")
SIGNER = re.compile(r"签\s*发\s*人\s*[：:]\s*(?P<names>[\u4e00-\u9fff]{2,4}(?:\s+[\u4e00-\u9fff]{2,4})*)")
ADDRESSEE_END = re.compile(r"[：:]\s*$")
# rows ending with a colon that are body text, not the 主送机关: a sentence's end inside, or the
# 如下： that opens a list
ADDRESSEE_NEVER = re.compile(r"[。！？]|如下\s*[：:]\s*$")
# the organ and the date printed in brackets under the title: （中共中央 一九六六年五月十六日）
UNDER_TITLE = re.compile(
    r"^[（(]\s*(?P<org>[^（）()\d]{2,60}?)\s*(?P<date>(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年.{1,3}月.{1,4}日)\s*[)）]$"
)
ATTACHMENT_LABEL = re.compile(r"^附\s*件\s*[：:]\s*(?P<rest>.*)$")
ATTACHMENT_ITEM = re.compile(r"^\s*(?:\d{1,2}\s*[.．、]|[（(]\s*\d{1,2}\s*[)）])\s*(?P<text>.+)$")
DISCLOSURE = re.compile(r"^[（(]\s*(?P<text>此件[^（）()]{2,20}?)\s*[)）]?$")
# 附注 wording for disclosure (政府信息公开) as offices print it
DISCLOSURE_VOCABULARY = (
    "此件公开发布", "此件主动公开", "此件依申请公开", "此件不予公开", "此件不公开", "此件发至县级",
    "此件发至乡镇", "此件删减后公开",
)
# 文种: how the 标题 of an official document ends (GB/T 9704: 标题 = 发文机关 + 事由 + 文种).  The
# fifteen kinds of the 党政机关公文处理工作条例, what offices issue under a title besides (方案,
# 办法, 讲话 …) and what older documents were (指示, 报告, 信), simplified and traditional; a
# qualifier may follow in brackets (（试行）, （草案）, （征求意见稿）) and a closing quote.
TITLE_GENRES = (
    "通知", "通报", "通告", "公告", "公报", "决定", "决议", "命令", "令", "议案", "意见", "报告", "请示",
    "批复", "函", "复函", "纪要", "规定", "办法", "细则", "条例", "章程", "守则", "方案", "规划", "计划",
    "要点", "安排", "说明", "讲话", "发言", "总结", "答复", "批示", "指示", "汇报", "建议", "提纲", "信",
    "公开信", "书", "書", "呼吁", "呼籲", "倡议", "号召", "宣言", "声明", "电报", "電報", "电话", "電話", "提案", "标准", "指南", "清单", "目录", "名单",
    "報告", "說明", "規定", "辦法", "計畫", "計劃", "決定", "決議", "講話", "總結", "請示", "覆函", "綱要",
    "纲要", "通報", "批覆",
)
TITLE_END = re.compile(
    "(?P<genre>" + "|".join(sorted(TITLE_GENRES, key=len, reverse=True)) + r")(?:[（(][^（）()]{1,15}[)）])?[”」》\"']?$"
)
# a 标题 is a heading, never a sentence: it holds none of these
TITLE_NEVER = re.compile(r"[。！？；]")
# the heading of the quotation box printed above the title of 1966–76 documents (毛主席语录,
# 最高指示 …): the box and its quotation are neither title nor issuer
QUOTATION_HEADING = re.compile(r"^(?:毛主席语录|毛主席語錄|最高指示|最新指示|毛主席教导我们|毛主席教導我們|毛主席指示|林副主席指示|语录|語錄)[:：]?")
# a document's name in book-title marks alone on a line is a citation in the text, not a title
CITATION = re.compile(r"^《[^《》]+》$")
MAX_TITLE_CHARS = 100
CC_LABEL = re.compile(r"^抄\s*送\s*[：:]\s*(?P<rest>.*)$")
IMPRINT = re.compile(
    r"^(?P<org>.+?)\s*(?P<date>(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年.{1,6}月.{1,6}日)\s*印\s*发\s*$"
)
# 收文 stamp: the word, and a receipt number like 10-3, 第123号, 第24-10号, No.45, 123
RECEIPT_WORD = re.compile(r"收\s*文")
# the dash of a receipt number as OCR returns it (a small handwritten one: ⁻, a minus sign)
RECEIPT_DASHES = "-－—–−‐‑⁻₋"
RECEIPT_NUMBER = re.compile(
    rf"(?<![\d.])(?P<n>[〔\[［（(]\s*\d{{4}}\s*[〕\]］）)]\s*\d{{1,6}}\s*号?"
    rf"|(?:第\s*)?(?:\d{{1,5}}\s*[{RECEIPT_DASHES}]\s*\d{{1,5}}|\d{{1,6}})\s*号?|No\.?\s*\d{{1,6}})(?![\d.])"
)
# the receipt written in a processing form's own fields instead of a stamp (收文日期：3月6日)
RECEIPT_FIELD = re.compile(r"收\s*文\s*(?:(?P<date>日\s*期|时\s*间)|(?P<number>编\s*号|字\s*号|号))\s*[：:]?")
SENTENCE_END = "。；！？"
# How the name of a government organ ends, and how a second organ's name may open when two
# signatories are read as one line (中共某区委办公室某区人民政府办公室, 中共中央办公厅国务院办公厅).
ORGAN_ENDINGS = ("办公室", "办公厅", "委员会", "人民政府", "政府", "委", "局", "厅", "部", "院", "署", "办", "会", "所", "中心", "公司", "党组")
ORGAN_NAME_END = re.compile("(?:" + "|".join(ORGAN_ENDINGS) + ")$")
JOINT_NAME_STARTS = ("中共", "中央", "国务院", "全国")
# a piece that opens like this is the end of an organ's name, not a name of its own
ORGAN_SUFFIX_START = re.compile("^(?:" + "|".join(ORGAN_ENDINGS) + ")")
MIN_ORGAN_NAME_CHARS = 4
# What an issuing organ's name (发文机关标志, 署名) may end with: the endings above and those of
# party centres, groups, communes, schools, banks and firms, and of Taiwanese offices; a legal
# form may follow in brackets (（特殊普通合伙）).  A name that ends otherwise (a person, a place,
# "编号") is not trusted as an organ.
ISSUER_ENDINGS = ORGAN_ENDINGS + (
    "中央", "小组", "公社", "大队", "支队", "总队", "学校", "大学", "学院", "银行", "分行", "支行", "集团",
    "处", "科", "站", "队", "社", "校", "馆", "司", "组", "府", "会议", "協會", "委員會", "辦公室", "辦公廳", "政府",
)
ORGAN_NAME = re.compile(
    r"^[^\d:：。，,；;!！?？“”\"]{2,40}?(?:" + "|".join(sorted(set(ISSUER_ENDINGS), key=len, reverse=True))
    + r")(?:[（(][^（）()]{1,12}[)）])?$"
)
# an organ's name in the 发文机关标志 or the 署名 is its full name, place first: one that starts
# with the level alone (县革命委员会, 市人民政府) lost its place name to OCR
ORGAN_WITHOUT_PLACE = re.compile(r"^(?:省|市(?!场)|县|区(?!域)|乡|镇)")
# A row shaped like a 成文日期 even when OCR garbled some of its numerals (二d一〇年八月大日)
DATE_SHAPE = re.compile(r"^.{2,6}年.{1,3}月.{1,4}日$")
# the year of a normalised 发文字号 (浙委办发〔2014〕8号)
DOC_NUMBER_YEAR = re.compile(r"〔(\d{4})〕")
# a date, whole or garbled by a seal (2014年1月24[, 二〇一四年一月): never a name
DATE_LIKE = re.compile(rf"[\d{re.escape(CN_ZERO_FORMS)}一二三四五六七八九十]{{2,4}}\s*年\s*.{{0,3}}月")
# what is no part of a written-out date: specks and strokes of a seal read between its numerals
# (a 〇 in any of the forms OCR gives it, dates.CN_ZERO_FORMS, is part of it)
DATE_NOISE = re.compile(rf"[^0-9一二三四五六七八九十廿卅年月日{re.escape(CN_ZERO_FORMS)}]")
# the common Chinese surnames (the 百家姓's single ones in use today, and the compound ones): a
# run of characters standing alone before a date is taken as a signature only when it starts
# with one (请于 9月16日 is a remark, 朱强昕 2008.8.28 a signature)
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
    "崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文"
    "牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛"
    "曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏"
    "席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐"
    "冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计"
    "索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈"
    "湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
) | frozenset(("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "令狐", "夏侯"))


def starts_with_surname(name: str) -> bool:
    return name[:1] in SURNAMES or name[:2] in SURNAMES
