"""Word lists of the slip-form family (slip_forms_truth.py): form titles, printed labels by form,
reader columns, printed notes, and what clerks and leaders write (拟办意见, 批示, 办理结果)."""

from __future__ import annotations

# form → title patterns ({org}: the receiving office)
FORM_TITLES = {
    "chuli": ["{org}文件处理笺", "{org}收文处理单", "{org}文件处理单"],
    "yuewen": ["{org}阅文单", "{org}文件阅文单", "阅　文　单"],
    "chuanyue": ["{org}文件传阅单", "文件传阅单", "{org}传阅文件登记单"],
    "yueban": ["{org}收文阅办单", "{org}公文阅办单", "收文阅办单"],
    "spaced": ["{org}公文处理单", "{org}来文处理单", "公文处理单"],
    "lined": ["{org}文件批办单", "{org}公文批办单", "文件批办单"],
}

# form → variants of its printed boxes: [(label as printed, kind)], in printed order
FORM_BOXES = {
    "chuli": [
        [("拟办意见", "proposal"), ("领导批示", "instruction"), ("办理结果", "note"), ("备注", "note")],
        [("处理意见", "proposal"), ("领导意见", "instruction"), ("办理情况", "note"), ("备注", "note")],
        [("拟办意见", "proposal"), ("领导批示", "instruction"), ("办理结果", "note")],
        [("办公室意见", "proposal"), ("批示", "instruction"), ("办理结果", "note"), ("注", "note")],
    ],
    "yuewen": [
        [("批示意见：", "instruction"), ("拟办意见：", "proposal"), ("办理情况：", "note")],
        [("领导批示：", "instruction"), ("拟办意见：", "proposal"), ("办理结果：", "note")],
        [("拟办：", "proposal"), ("批示：", "instruction"), ("备注：", "note")],
        [("领导意见", "instruction"), ("承办意见", "proposal"), ("办理情况", "note")],
    ],
    "chuanyue": [
        [("拟办意见", "proposal"), ("领导批示", "instruction")],
        [("拟 办 意 见", "proposal"), ("领 导 批 示", "instruction"), ("备注", "note")],
        [("办公室意见", "proposal"), ("领导意见", "instruction"), ("注", "note")],
    ],
    "yueban": [
        [("拟办意见", "proposal"), ("领导批示", "instruction"), ("办理结果", "note")],
        [("办公室意见", "proposal"), ("领导意见", "instruction"), ("办理情况", "note")],
        [("承办意见", "proposal"), ("批示", "instruction")],
    ],
    "spaced": [
        [("拟 办 意 见", "proposal"), ("领 导 批 示", "instruction"), ("办 理 结 果", "note"), ("备 注", "note")],
        [("处 理 意 见", "proposal"), ("领 导 意 见", "instruction"), ("阅 办 意 见", "note"), ("备 注", "note")],
        [("承 办 意 见", "proposal"), ("批 示", "instruction"), ("办 理 情 况", "note")],
    ],
    "lined": [
        [("拟办：", "proposal"), ("批示：", "instruction"), ("办理结果：", "note")],
        [("拟办意见：", "proposal"), ("领导批示：", "instruction")],
        [("处理意见：", "proposal"), ("领导意见：", "instruction"), ("备注：", "note")],
    ],
}

# form → variants of the reader columns: (printed heads, keys); "" is a column with no head
FORM_COLUMNS = {
    "chuli": [(["传阅人", "日期"], ["reader", "circulated"]), (["阅件人", "退回日期"], ["reader", "returned"]),
              (["领导阅签", "阅文日期"], ["reader", "circulated"])],
    "yuewen": [(["姓名", "阅文日期", "退回日期"], ["reader", "circulated", "returned"]),
               (["阅文人", "送阅日期", "退回日期"], ["reader", "delivered", "returned"])],
    "chuanyue": [(["序号", "传阅领导", "送阅时间", "退回时间"], ["seq", "reader", "delivered", "returned"]),
                 (["序号", "姓名", "送达日期", "阅退日期"], ["seq", "reader", "delivered", "returned"]),
                 (["序号", "阅文领导", "阅文日期"], ["seq", "reader", "circulated"])],
    "yueban": [(["阅件人", "收到日期", "退回日期"], ["reader", "delivered", "returned"]),
               (["姓名", "送阅时间", "阅退时间"], ["reader", "delivered", "returned"])],
    "spaced": [(["阅 签", ""], ["reader", "circulated"]), (["领 导 阅 签", ""], ["reader", "circulated"])],
    "lined": [(["传阅：", ""], ["reader", "circulated"]), (["送阅：", ""], ["reader", "circulated"])],
}

# form → how many reader slots its page holds, and how many rows it prints at least
FORM_MAX_SLOTS = {"chuli": 16, "yuewen": 14, "chuanyue": 14, "yueban": 11, "spaced": 7, "lined": 10}
FORM_MIN_SLOTS = {"chuli": 8, "yuewen": 10, "chuanyue": 8, "yueban": 6, "spaced": 0, "lined": 0}

# form → field labels (values handwritten); {receipt} fields hold the receipt when it is in the form
FORM_FIELDS = {
    "chuli": ["来文机关", "文号", "密级", "标题", "收文日期", "收文编号"],
    "yuewen": ["来文单位", "文号", "文件标题"],
    "chuanyue": ["来文单位：", "文号："],
    "yueban": ["来文单位", "文号", "文件标题"],
    "spaced": ["文 件 标 题", "来 文 单 位"],
    "lined": ["收文编号：", "收文日期：", "来文单位：", "文件标题："],
}

PRINTED_NOTES = [
    "注：请按顺序传阅，阅后签名，当日退回办公室。",
    "注：本件请勿横传、复印，阅后请于两日内退回{room}室。",
    "请领导阅后及时退回机要室，不得带离办公场所。",
    "说明：此单随文件流转，请勿拆开。",
    "",
]

LEADER_TITLES = {"national": "部长", "province": "厅长", "city": "市长", "district": "区长"}

# 拟办意见: a clerk proposes; {lead}/{lead2}: the leaders' surnames with titles, {dept}: a department
PROPOSALS_SHORT = [
    "请{lead}阅示。", "拟请{lead}、{lead2}阅示。", "请{lead}阅。", "呈{lead}阅示。", "拟送{dept}阅办。",
    "请各位领导阅。",
]
PROPOSALS_LONG = [
    "此件系{issuer}关于{subject}的{kind}，要求各地结合实际抓好贯彻落实。拟请{lead}阅示，并请{dept}牵头研究具体贯彻意见。",
    "{issuer}来文，就{subject}作出部署。建议由{dept}牵头，会同{dept2}制定我区实施方案，于{month}月底前报区政府。妥否，请{lead}阅示。",
    "该文件涉及{subject}，时间要求较紧。拟请{lead}阅示后，转{dept}、{dept2}按职责分工抓好落实，并将落实情况及时报办公室汇总。",
    "请{lead}、{lead2}阅示。文件要求{month}月{day}日前报送工作进展情况，拟由{dept}负责汇总上报。",
]
INSTRUCTIONS_SHORT = [
    "同意。", "阅。", "同意拟办意见。", "请{dept}阅办。", "请按文件要求办理。", "已阅，请抓好落实。", "请{clerk}同志阅处。",
]
INSTRUCTIONS_LONG = [
    "同意拟办意见。请{dept}牵头，会同{dept2}认真研究，抓紧制定具体实施方案，确保各项工作按时完成，重要情况及时报告。",
    "请{dept}认真学习文件精神，结合我区实际提出贯彻意见，{month}月底前报区政府。{dept2}要积极配合，形成合力。",
    "此项工作事关全局，务必高度重视。请{dept}主要负责同志亲自抓，明确责任分工，细化工作措施，按时保质完成各项任务。",
]
SECOND_INSTRUCTIONS = ["同意{lead}意见。", "阅，同意。", "同意，请抓落实。", "按{lead}意见办。"]
NOTES_RESULT = [
    "已按领导批示转{dept}办理。", "已于{month}月{day}日转{dept}落实，方案已报区政府。",
    "已电话通知{dept}，文件复印件已送达。", "已办结，原件存档。",
    "已按要求将落实情况书面报送{issuer}，并抄送{dept}。相关材料已整理归档。",
]
NOTES_REMARK = ["原件存档。", "复印二份送{dept}。", "急件。", "此件已报备。", "请于{month}月{day}日前反馈。"]
FREE_NOTES = ["请办公室存档。", "已阅，转{dept}。", "请抓紧落实。"]
