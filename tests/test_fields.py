"""GB/T 9704 elements read end to end from a rendered scan of the example bundle and a real scan."""

from __future__ import annotations

import pandas as pd
import pytest

from gongwen.parsers.text import compact


pytestmark = pytest.mark.ocr

EXAMPLE_FIELDS = {
    "issuer": "中共浙江省委办公厅",
    "doc_number": "浙委办发〔2014〕8号",
    "title": "中共浙江省委办公厅 浙江省人民政府办公厅关于做好新一轮扶贫结对帮扶工作的通知",
    "addressees": "各市、县（市、区）党委和人民政府，省直属各单位",
    "signatories": "中共浙江省委办公厅；浙江省人民政府办公厅",
    "issue_date": "2014-01-24",
    "disclosure": "此件公开发布",
    "attachments": "省级结对帮扶团组安排方案",
    "printed_by": "中共浙江省委办公厅",
    "print_date": "2014-01-27",
    "received_date": "2014-02-01",
    "receipt_number": "10-3",
    # not on this circular: must stay empty, never guessed
    "copy_number": "",
    "secrecy": "",
    "urgency": "",
    "signer": "",
    "cc": "",
}


@pytest.fixture(scope="module")
def example_row(example_out):
    out = example_out
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    pages = pd.read_csv(out / "pages.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return docs.iloc[0], list(pages.kind), out


@pytest.mark.parametrize("field", sorted(EXAMPLE_FIELDS))
def test_example_bundle_field(example_row, field):
    row, _, _ = example_row
    assert compact(row[field]) == compact(EXAMPLE_FIELDS[field])


def test_example_bundle_page_kinds(example_row):
    _, kinds, _ = example_row
    assert kinds == ["slip", "circular", "circular", "circular", "circular", "annex", "annex", "imprint"]


def _csv(out, name):
    return pd.read_csv(out / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_example_bundle_circulation(example_row):
    _, _, out = example_row
    circ = _csv(out, "circulation.csv")
    assert list(circ.reader) == ["朱崇敏", "项伟胜", "伍挺", "黄专途", "郑晓东", "章月影", "杨德昕", "胡明亮", "林世南"]
    assert list(circ.seq) == [str(i) for i in range(1, 10)]
    first = circ.iloc[0]
    assert (first.circulated, first.delivered, first.returned) == ("2014-02-16", "2014-02-13", "")


def test_example_bundle_annotations(example_row):
    import json

    _, _, out = example_row
    notes = _csv(out, "annotations.csv")
    got = {(r.kind, r.signer, r.date) for _, r in notes.iterrows()}
    assert got == {
        ("proposal", "胡晓东", "2014-02-12"),
        ("instruction", "林世南", "2014-02-14"),
        ("note", "林世南", "2014-02-17"),
    }
    text = {r.kind: compact(r.text) for _, r in notes.iterrows()}
    assert text["instruction"] == "请胡晓东阅示。"
    from gongwen.parsers.metrics import cer

    # handwriting is read less surely than print; bench/slip.py measures its CER over a set
    assert cer(compact("请朱区长、杨副区长阅示。"), text["proposal"]) <= 0.25
    assert cer(compact("我已转交，请胡晓东阅示。"), text["note"]) <= 0.25
    data = json.loads((out / "items" / "example-bundle" / "document.json").read_text(encoding="utf-8"))
    assert data["receiving_office"]["value"] == "温州市鹿城区人民政府文件传阅单"
    # every annotation keeps the box of its handwriting for the reviewer, and the year it took
    # from the context is marked
    for a in data["annotations"]:
        assert len(a["text"]["bbox"]) == 4
    assert any(a["date"]["inferred"] for a in data["annotations"])
