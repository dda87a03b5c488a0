"""The same per-page work on a Dask distributed cluster (a LocalCluster of 2 worker
processes) gives the same CSVs as the default process pool."""

from __future__ import annotations

import pandas as pd
import pytest

from gongwen.errors import UsageError
from gongwen.pipeline.run.convert import Settings, convert
from gongwen.pipeline.export.items import AGGREGATES

from helpers import draw_text_page

# timings differ from run to run; everything else must not
TIMING_COLUMNS = {"seconds"}


def _inbox(tmp_path, draw=draw_text_page):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    draw().save(inbox / "one.png", dpi=(150, 150))
    second = draw(lines=["第二页：各级新闻媒体要开展多种形式的宣传活动。"])
    draw().save(inbox / "two.tif", save_all=True, append_images=[second], compression="tiff_lzw", dpi=(150, 150))
    return inbox


def _csvs(out):
    frames = {}
    for name in AGGREGATES:
        df = pd.read_csv(out / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        frames[name] = df.drop(columns=[c for c in df.columns if c in TIMING_COLUMNS])
    return frames


def test_dask_local_cluster_gives_the_same_csvs_as_the_process_pool(tmp_path, fake_ocr):
    import distributed
    inbox = _inbox(tmp_path, fake_ocr.page)
    pool = convert([inbox], tmp_path / "pool", Settings(engine="fake", jobs=2))
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        dask = convert(
            [inbox], tmp_path / "dask", Settings(engine="fake", jobs=2, executor="dask", scheduler=cluster.scheduler_address)
        )
        # each of the two workers loaded its engine (the pages were read there, not here)
        assert len(cluster.workers) == 2
    assert all(o.status == "ok" for o in pool.outcomes + dask.outcomes)
    assert sorted(o.item_id for o in dask.outcomes) == sorted(o.item_id for o in pool.outcomes) == ["one", "two"]
    a, b = _csvs(tmp_path / "pool"), _csvs(tmp_path / "dask")
    for name in AGGREGATES:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    assert len(a["pages.csv"]) == 3
    for item in ("one", "two"):
        assert (tmp_path / "pool" / "items" / item / "text.txt").read_text(encoding="utf-8") == (
            tmp_path / "dask" / "items" / item / "text.txt"
        ).read_text(encoding="utf-8")


def test_a_scheduler_that_does_not_answer_is_a_usage_error(tmp_path, monkeypatch):
    from gongwen.pipeline.run import executors

    monkeypatch.setattr(executors, "DASK_CONNECT_TIMEOUT_S", 2)
    inbox = _inbox(tmp_path)
    with pytest.raises(UsageError, match="no Dask scheduler answers"):
        convert([inbox], tmp_path / "out", Settings(executor="dask", scheduler="tcp://127.0.0.1:9"))


def test_scheduler_without_dask_executor_is_refused():
    with pytest.raises(UsageError, match="--executor dask"):
        Settings(scheduler="tcp://127.0.0.1:8786")


def test_a_lost_scheduler_is_said_in_one_line_with_exit_code_2(tmp_path, monkeypatch, capsys):
    """(tests/test_cluster.py kills a real scheduler in the middle of a run.)"""
    from gongwen.errors import ClusterError
    from gongwen.pipeline import cli
    from gongwen.pipeline.run import convert as conv

    def lost(*args, **kwargs):
        raise ClusterError("the executor dropped the pages in hand: the Dask scheduler was lost; "
                           "the 3 item(s) this run finished are kept: run the same command again to convert the rest")

    monkeypatch.setattr(conv, "convert", lost)
    code = cli.main(["convert", str(tmp_path), "--out", str(tmp_path / "out"), "--executor", "dask",
                     "--scheduler", "tcp://127.0.0.1:8786"])
    assert code == 2
    err = capsys.readouterr().err
    assert "gongwen: error: the executor dropped the pages in hand" in err and "Traceback" not in err
