"""The same scan twice (two names, the same bytes) is converted once: the second is reported
as a duplicate of the first, in the run's summary and in documents.csv, in one run and across
runs into the same OUT.  Born-digital PDFs: no OCR."""

from __future__ import annotations

import shutil

import pandas as pd

from gongwen.parsers.model import Status
from gongwen.pipeline.console import summary_text
from gongwen.pipeline.run.convert import Settings, convert


def _pdf(path, lines):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 14)
    for k, text in enumerate(lines):
        c.drawString(80, 760 - 30 * k, text)
    c.showPage()
    c.save()
    return path


def _docs(out):
    return pd.read_csv(out / "documents.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False).set_index("item_id")


def test_the_same_file_twice_is_converted_once(tmp_path):
    src = tmp_path / "in"
    (src / "box2").mkdir(parents=True)
    _pdf(src / "a.pdf", ["浙委办发〔2014〕8号", "关于做好档案工作的通知"])
    _pdf(src / "c.pdf", ["国办发〔2023〕12号", "关于另一件事的通知"])
    shutil.copy(src / "a.pdf", src / "box2" / "a-copy.pdf")
    out = tmp_path / "out"
    summary = convert([src], out, Settings(jobs=1))
    by_id = {o.item_id: o for o in summary.outcomes}
    assert by_id["a"].status == "ok" and by_id["c"].status == "ok"
    assert by_id["box2/a-copy"].status == Status.DUPLICATE and "duplicate of item a" in by_id["box2/a-copy"].error
    assert "1 duplicate" in summary_text(summary, out)
    docs = _docs(out)
    assert docs.loc["box2/a-copy", "status"] == Status.DUPLICATE and "item a" in docs.loc["box2/a-copy", "error"]
    assert not (out / "items" / "box2" / "a-copy" / "searchable.pdf").exists()  # not converted
    catalogue = pd.read_csv(out / "catalogue.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert sorted(catalogue.item_id) == ["a", "c"]  # a duplicate is no 件 of its own

    again = convert([src], out, Settings(jobs=1))  # the same verdict, the first kept
    by_id = {o.item_id: o for o in again.outcomes}
    assert by_id["a"].resumed and by_id["box2/a-copy"].status == Status.DUPLICATE

    later = tmp_path / "later"  # another folder into the same OUT: known from the first run
    later.mkdir()
    shutil.copy(src / "c.pdf", later / "c-again.pdf")
    third = convert([later], out, Settings(jobs=1))
    assert [(o.item_id, o.status) for o in third.outcomes] == [("c-again", Status.DUPLICATE)]
    assert "duplicate of item c" in third.outcomes[0].error
