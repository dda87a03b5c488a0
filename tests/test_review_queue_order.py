"""The queue's order asked of the database: an item's position, previous and next item
(keyset queries) and the queue's size agree with the queue as listed, on SQLite and PostgreSQL;
the queue's index is made for a database that was made without it."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import inspect, text

from review_helpers import MAIN, OTHER, database_url, write_out
from review_pg import postgres_cluster  # noqa: F401 (a fixture)
from gongwen.pipeline.export.outdir import OutDir
from gongwen.pipeline.review.app import create_app
from gongwen.pipeline.review.store import FILTERS, ReviewStore

ISSUERS = ("甲市财政局", "乙市教育局")


@pytest.fixture
def out(tmp_path):
    """OUT with MAIN, OTHER and twelve clones of them: the same confidences (ties the item id
    breaks), two issuers, two years."""
    out = write_out(tmp_path)
    outdir = OutDir(out)
    for k in range(12):
        source = MAIN if k % 3 else OTHER
        data = json.loads(outdir.document_json(source).read_text(encoding="utf-8"))
        item_id = f"c/{(k * 7) % 12:02d}"
        data["item_id"] = item_id
        data["fields"]["issuer"]["value"] = ISSUERS[k % 2]
        data["fields"]["issue_date"]["value"] = f"{2014 + k % 2}-03-0{1 + k % 5}"
        path = outdir.document_json(item_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, out):
    s = ReviewStore(out, database_url(request, request.param))
    assert s.sync() == 14
    yield s
    s.close()


QUEUES = [(what, issuer, year) for what in FILTERS for issuer in (None, *ISSUERS) for year in (None, 2014, 2015)]


def test_neighbours_agree_with_the_listed_queue(store):
    store.save(MAIN, "张三", {}, approve=True)  # one item reviewed: the filters differ
    all_ids = store.queue_ids("all")
    for what, issuer, year in QUEUES:
        order = store.queue_ids(what, issuer, year)
        assert store.queue_count(what, issuer, year) == len(order)
        for item_id in all_ids:
            got = store.neighbours(item_id, what, issuer, year)
            # the item page gives its row's key: one statement, the same answer
            row = store.state(item_id).row
            assert store.neighbours(item_id, what, issuer, year, (bool(row["needs_review"]), row["min_confidence"])) == got
            assert got.total == len(order)
            if item_id in order:
                pos = order.index(item_id)
                assert got.position == pos + 1
                assert got.prev_id == (order[pos - 1] if pos else None)
                assert got.next_id == (order[pos + 1] if pos + 1 < len(order) else None)
            else:  # not in this queue: its next is the queue's first
                assert (got.position, got.prev_id, got.next_id) == (None, None, order[0] if order else None)


def test_counts_in_one_query_agree_with_the_queues(store):
    store.save(MAIN, "张三", {}, approve=True)
    assert store.counts() == {what: store.queue_count(what) for what in FILTERS}
    assert store.counts()["reviewed"] == 1


def test_item_page_shows_its_place_in_the_filtered_queue(store):
    order = store.queue_ids("all", ISSUERS[0])
    client = create_app(store).test_client()
    page = client.get(f"/item/{order[1]}?show=all&issuer={ISSUERS[0]}").get_data(as_text=True)
    assert f"第 2 / {len(order)} 件" in page
    assert re.search(r'rel="prev" id="prev-item" href="/item/' + re.escape(order[0]) + r'\?', page)
    assert re.search(r'rel="next" id="next-item" href="/item/' + re.escape(order[2]) + r'\?', page)
    queue = client.get(f"/?show=all&issuer={ISSUERS[0]}").get_data(as_text=True)
    assert f"共 {len(order)} 件" in queue


def test_queue_index_is_made_for_a_database_made_without_it(out):
    store = ReviewStore(out)
    with store.engine.begin() as conn:
        for name in ("ix_items_queue", "ix_items_issuer_present", "ix_items_year_present"):
            conn.execute(text(f"DROP INDEX {name}"))
    store.close()
    store = ReviewStore(out)
    try:
        names = {i["name"] for i in inspect(store.engine).get_indexes("items")}
        assert {"ix_items_queue", "ix_items_issuer_present", "ix_items_year_present"} <= names
        store.sync()
        plan = " ".join(str(r[-1]) for r in store.engine.connect().execute(text(
            "EXPLAIN QUERY PLAN SELECT item_id FROM items WHERE present ORDER BY needs_review DESC, min_confidence, item_id LIMIT 5"
        )))
        assert "ix_items_queue" in plan and "TEMP B-TREE" not in plan  # no sort of the whole table
        plan = " ".join(str(r[-1]) for r in store.engine.connect().execute(text(
            "EXPLAIN QUERY PLAN SELECT DISTINCT issuer FROM items WHERE present AND issuer != '' ORDER BY issuer"
        )))
        assert "COVERING INDEX ix_items_issuer_present" in plan  # the filter choices without the rows
    finally:
        store.close()


@pytest.mark.parametrize("db", ["sqlite", "postgresql"])
def test_sync_in_batches_summarises_each_item_as_it_reads_it(out, db, request, monkeypatch):
    """New items are inserted SYNC_BATCH at a time, each summarised from the document.json
    read once: the same summary as the item's page shows."""
    from gongwen.pipeline.review import store as store_module

    monkeypatch.setattr(store_module, "SYNC_BATCH", 5)
    store = ReviewStore(out, database_url(request, db))
    try:
        assert store.sync() == 14
        rows = {r["item_id"]: r for r in store.queue("all")}
        assert len(rows) == 14
        for item_id, row in rows.items():
            summary = ReviewStore._summary(store.state(item_id).current)
            assert {k: row[k] for k in summary} == summary
        assert store.sync() == 14  # unchanged: nothing read again, nothing inserted twice
    finally:
        store.close()


def test_counts_and_filters_are_kept_until_a_change_alters_them(store, monkeypatch):
    """The counts and filter choices are kept a moment (not a pass over the table per page), but
    a change made through the store that alters them shows at once; another server's change
    within TALLY_SECONDS."""
    from gongwen.pipeline.review import store as store_module

    before, issuers = store.counts(), store.facets()[0]
    assert store.queue_count("all", ISSUERS[0]) == 6
    target = store.queue_ids("all", ISSUERS[0])[0]
    seen = store.state(target).current.circular.issuer.value
    store.save(target, "张三", {"circular.issuer": (seen, "丙市民政局")})
    assert "丙市民政局" in store.facets()[0] and store.queue_count("all", ISSUERS[0]) == 5
    store.save(MAIN, "张三", {}, approve=True)
    assert store.counts()["reviewed"] == before["reviewed"] + 1
    # another server (another store on the same database) approves: seen after TALLY_SECONDS
    other = ReviewStore(store.out, store.url)
    try:
        other.save(OTHER, "李四", {}, approve=True)
    finally:
        other.close()
    assert store.counts()["reviewed"] == before["reviewed"] + 1  # kept
    monkeypatch.setattr(store_module, "TALLY_SECONDS", 0.0)
    assert store.counts()["reviewed"] == before["reviewed"] + 2
    assert set(issuers) <= set(store.facets()[0]) | {ISSUERS[0]}


def test_sync_gives_postgresql_the_statistics_of_the_loaded_items(out, request):
    """After loading new items the planner knows how many there are (ANALYZE), so a queue page
    reads ix_items_queue in order instead of sorting the whole table."""
    store = ReviewStore(out, request.getfixturevalue("postgres_cluster").new_database())
    try:
        store.sync()
        with store.engine.connect() as conn:
            assert conn.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'items'")) == 14
    finally:
        store.close()
