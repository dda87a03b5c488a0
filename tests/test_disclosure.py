"""The disclosure policy of ``gongwen publish`` (issue 17): an item is published only when its
附注 is a recognised public wording, with nothing that negates, restricts, conditions or defers
it, read with confidence, or when a reviewer decided so; everything else is withheld, with the
reason listed.  The last test renders scans, reads them with the real OCR engine and publishes."""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from publish_helpers import make_document
from gongwen.parsers.model import Review
from gongwen.pipeline.cli import main
from gongwen.parsers.model import REVIEW_THRESHOLD
from gongwen.pipeline.export.items import write_item
from gongwen.parsers.disclosure import is_public
from gongwen.pipeline.publish.site import publish

# (附注 as read, published?) — wordings of real circulars, both ways
WORDINGS = [
    # public
    ("此件公开发布", True),
    ("（此件公开发布）", True),
    ("(此件公开发布)", True),
    ("【此件公开发布】", True),
    ("此件公开发布。", True),
    ("此 件 公 开 发 布", True),
    ("此件主动公开", True),
    ("（此件主动公开）", True),
    ("此件依法主动公开", True),
    ("公开方式：主动公开", True),
    ("公开方式:主动公开", True),
    ("信息公开选项：主动公开", True),
    ("公开属性：主动公开", True),
    ("主动公开", True),
    ("此件可公开发布", True),
    # not public
    ("此件依申请公开", False),
    ("此件不予公开", False),
    ("此件不公开", False),
    ("此件不得在互联网公开发布", False),
    ("此件严禁公开发布", False),
    ("此件不向社会主动公开", False),
    ("此件不宜向社会主动公开", False),
    ("此件不在政府网站公开发布", False),
    ("此件暂缓主动公开", False),
    ("此件不作为主动公开事项", False),
    ("此件发至县团级", False),
    ("内部文件 注意保存", False),
    ("此件删减后公开", False),
    ("此件经批准后公开", False),
    ("此件限内部使用", False),
    ("此件公开发布（删除附件）", False),
    ("公开方式：依申请公开", False),
    ("公开方式：不予公开", False),
    ("此件非公开", False),
    ("此件免予公开", False),
    ("此件暂不公开", False),
    ("此件仅限内部公开", False),
    ("此件经省政府同意后公开发布", False),
    ("此件于2015年1月1日后公开", False),
    ("此件只发至各县（市、区）", False),
    ("此件涉密，不公开", False),
    ("此件勿公开", False),
    ("此件未经批准不得公开", False),
    ("此件主动公开（不含附件）", False),
    ("此件公开发布，附件不公开", False),
    ("此件公开发市", False),  # misread: an unknown wording is not public
    ("公开", False),
    ("此件", False),
    ("", False),
    (None, False),
]


@pytest.mark.parametrize("marking, public", WORDINGS, ids=[str(w) for w, _ in WORDINGS])
def test_only_recognised_public_wordings_publish(marking, public):
    assert is_public(marking) is public


def test_there_are_enough_wordings_both_ways():
    assert sum(p for _, p in WORDINGS) >= 15 and sum(not p for _, p in WORDINGS) >= 30


def test_the_rule_is_data_and_consistent():
    """Every recognised public form is itself public, and none contains a restricting term."""
    from gongwen.parsers.disclosure import NOT_PUBLIC_TERMS, PUBLIC_FORMS, marking_key

    for form in PUBLIC_FORMS:
        assert marking_key(form) == form
        assert not any(term in form for term, _ in NOT_PUBLIC_TERMS), form
        assert is_public(form)


def test_a_decision_says_why():
    from gongwen.parsers.disclosure import disclosure_decision

    ok = disclosure_decision("此件公开发布", 0.97)
    assert ok.public and "此件公开发布" in ok.reason
    no = disclosure_decision("此件不得在互联网公开发布", 0.99)
    assert not no.public and "此件不得在互联网公开发布" in no.reason and "不" in no.reason
    assert "依申请" in disclosure_decision("此件依申请公开", 0.99).reason
    assert "暂缓" in disclosure_decision("此件暂缓主动公开", 0.99).reason
    unknown = disclosure_decision("此件公开发市", 0.99)
    assert not unknown.public and "认可" in unknown.reason
    low = disclosure_decision("此件公开发布", REVIEW_THRESHOLD - 0.01)
    assert not low.public and "置信度" in low.reason
    assert disclosure_decision("此件公开发布", REVIEW_THRESHOLD).public  # not below the threshold
    assert "无附注" in disclosure_decision(None, None).reason
    failed = disclosure_decision("此件公开发布", 0.99, status="failed")
    assert not failed.public and "失败" in failed.reason
    duplicate = disclosure_decision("此件公开发布", 0.99, status="duplicate", reviewer="public")
    assert not duplicate.public and "重复件" in duplicate.reason
    secret = disclosure_decision("此件公开发布", 0.99, secrecy="秘密")
    assert not secret.public and "密级" in secret.reason


def test_a_reviewers_decision_comes_before_the_marking():
    from gongwen.parsers.disclosure import disclosure_decision

    assert disclosure_decision(None, None, reviewer="public").public  # no 附注 at all
    assert disclosure_decision("此件不公开", 0.99, reviewer="public").public
    assert disclosure_decision("此件公开发布", 0.40, reviewer="public").public
    withheld = disclosure_decision("此件公开发布", 0.99, reviewer="withheld", reviewer_name="王芳")
    assert not withheld.public and "审核" in withheld.reason and "王芳" in withheld.reason
    # what cannot be published whatever a reviewer decided: a failed item, a classified one
    assert not disclosure_decision("此件公开发布", 0.99, status="failed", reviewer="public").public
    assert not disclosure_decision(None, None, secrecy="机密", reviewer="public").public
    # an unknown decision is no decision: the marking counts
    assert not disclosure_decision("此件不公开", 0.99, reviewer="maybe").public


# -- publishing -------------------------------------------------------------------------------

LEAK_PHRASE = "此段只供内部部署甲乙丙丁"
LOW_PHRASE = "附注读得不清的通知戊己庚"
PUBLIC_PHRASE = "结对帮扶资金要专款专用并接受审计"
DECIDED_PHRASE = "审核人决定公开的通知辛壬癸"


def _low(doc, confidence):
    return replace(doc, circular=replace(doc.circular, disclosure=replace(doc.circular.disclosure, confidence=confidence)))


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    work, out = tmp_path_factory.mktemp("docs"), tmp_path_factory.mktemp("out")
    docs = [
        make_document("2014/public", work, [PUBLIC_PHRASE], disclosure="此件公开发布"),
        make_document("2014/leak", work, [LEAK_PHRASE], title="关于不得上网的通知", disclosure="此件不得在互联网公开发布"),
        _low(make_document("2014/low", work, [LOW_PHRASE], title="关于读不清附注的通知", disclosure="此件公开发布"), 0.51),
        make_document("2014/county", work, ["发至县团级的部署子丑寅"], disclosure="此件发至县团级"),
        replace(make_document("2014/decided", work, [DECIDED_PHRASE], title="没有附注但审核人决定公开", disclosure=None),
                review=Review(publication="public", publication_by="王芳", publication_at="2026-01-02T03:04:05Z")),
        replace(make_document("2014/vetoed", work, ["审核人决定不公开的正文卯辰巳"], disclosure="此件公开发布"),
                review=Review(publication="withheld", publication_by="李明", publication_at="2026-01-02T03:04:05Z")),
    ]
    for doc in docs:
        write_item(doc, out)
    return out


def test_publish_withholds_with_reasons(out, tmp_path):
    from test_publish import site_text

    summary = publish(out, tmp_path / "site")
    assert sorted(summary.published) == ["2014/decided", "2014/public"]
    assert sorted(summary.withheld) == ["2014/county", "2014/leak", "2014/low", "2014/vetoed"]
    assert "不" in summary.withheld["2014/leak"] and "置信度" in summary.withheld["2014/low"]
    assert "县团级" in summary.withheld["2014/county"] and "李明" in summary.withheld["2014/vetoed"]
    text = site_text(tmp_path / "site")
    assert PUBLIC_PHRASE in text and DECIDED_PHRASE in text
    for phrase in (LEAK_PHRASE, LOW_PHRASE, "关于不得上网的通知", "审核人决定不公开的正文"):
        assert phrase not in text
    assert "王芳" not in text  # the reviewer's name is internal
    with (out / "withheld.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = {r["item_id"]: r for r in csv.DictReader(f)}
    assert sorted(rows) == sorted(summary.withheld)
    assert rows["2014/leak"]["disclosure"] == "此件不得在互联网公开发布"
    assert rows["2014/leak"]["reason"] == summary.withheld["2014/leak"]
    assert not (tmp_path / "site" / "withheld.csv").exists()  # the list is the archive's, not the public's


def test_cli_publish_lists_each_withheld_item_with_its_reason(out, tmp_path, capsys):
    assert main(["publish", str(out), "--site", str(tmp_path / "s")]) == 0
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert "2 published" in first and "4 withheld" in first and "withheld.csv" in first
    for item in ("2014/leak", "2014/low", "2014/county", "2014/vetoed"):
        assert item in err
    assert "此件不得在互联网公开发布" in err


# -- from rendered scans, read by the real OCR engine -----------------------------------------

NOT_PUBLIC_WORDING = "此件不得在互联网公开发布"


def _one_page_truth(ms, seed: int, disclosure: str, body: str) -> dict:
    """A short one-page circular (no slip, stamp or annex) whose 附注 is ``disclosure`` and whose
    body is one paragraph of its own (the random ones share their closing sentences)."""
    truth = ms.make_random_truth(seed, 1, single_page=True)
    c = truth["circular"]
    c.update(disclosure=disclosure, receipt=None, margin_notes=[], secrecy="", secrecy_term="", copy_number="",
             urgency="", cc="", attachments=[])
    truth["degradation"].update(rotation=0, skew_deg=0.3)
    c["body"] = [{"type": "para", "text": body}]
    assert len(ms.render_clean(truth)) == 1
    return truth


SECRET_BODY = "为做好汛期水库调度工作，现将内部部署通知如下，各单位务必严格保密。"
OPEN_BODY = "为方便群众办理社会保障业务，现将服务窗口调整事项通知如下。"


@pytest.mark.ocr
def test_a_not_public_circular_read_from_its_scan_is_not_published(samples_module, tmp_path):
    from test_publish import site_text
    from gongwen.pipeline.run.convert import Settings, convert

    ms = samples_module
    try:
        ms.check_fonts()
    except ms.FontMissingError as exc:
        pytest.skip(str(exc))
    scans = tmp_path / "scans"
    truths = {"secret": _one_page_truth(ms, 1701, NOT_PUBLIC_WORDING, SECRET_BODY),
              "open": _one_page_truth(ms, 1704, "此件公开发布", OPEN_BODY)}
    for name, truth in truths.items():
        images, pages = ms.render_bundle(truth)
        ms.save_item(images, scans / f"{name}.png", "png", truth=truth, page_truth=pages)
    out = tmp_path / "out"
    convert([scans], out, Settings(jobs=1))
    read = {name: json.loads((out / "items" / name / "document.json").read_text(encoding="utf-8")) for name in truths}
    assert read["secret"]["fields"]["disclosure"]["value"] == NOT_PUBLIC_WORDING  # OCR read the marking
    summary = publish(out, tmp_path / "site")
    assert summary.published == ["open"] and list(summary.withheld) == ["secret"]
    text = site_text(tmp_path / "site").replace("\r", "").replace("\n", "")
    secret = truths["secret"]["circular"]
    title = "".join(secret["title_lines"]).replace(" ", "")
    for phrase in (title, read["secret"]["fields"]["title"]["value"], SECRET_BODY[:12], SECRET_BODY[-12:],
                   read["secret"]["body"][0]["text"][:12]):
        assert phrase not in text, phrase
    assert read["open"]["fields"]["title"]["value"] in text
    assert OPEN_BODY[:12] in text


def test_withheld_items_are_listed_when_withheld_csv_cannot_be_written(out, tmp_path, capsys):
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    (copy / "withheld.csv").unlink(missing_ok=True)
    (copy / "withheld.csv").mkdir()  # in the way: the list cannot be written there
    assert main(["publish", str(copy), "--site", str(tmp_path / "s")]) == 0
    err = capsys.readouterr().err
    assert "the lines below" in err and all(i in err for i in ("2014/leak", "2014/low", "2014/county", "2014/vetoed"))
