"""The site's own search index (pipeline/publish/textindex.py): its keys, its shards, its
updates; the browser's side is in test_site_browser.py, whole publishes in test_publish.py."""

from __future__ import annotations

import pytest

from gongwen.pipeline.publish import textindex as ti


@pytest.mark.parametrize(
    "text, expected",
    [
        ("低收入 农户", "低收入农户"),  # white space between Chinese goes
        ("浙委办发〔２０１４〕８号", "浙委办发〔2014〕8号"),  # full-width digits
        ("Ann Arbor", "annarbor"),
        ("扶贫\u200b结对", "扶贫结对"),  # a zero-width space
    ],
)
def test_normalise(text, expected):
    assert ti.normalise(text) == expected


def test_keys_are_characters_and_pairs_within_runs():
    keys = ti.text_keys("国办发〔2023〕12号")
    assert {"国办", "办发", "国", "办", "发", "20", "02", "23", "12", "2号", "号"} <= keys
    # punctuation ends a run: no pair across 〔 or 〕
    assert "发2" not in keys and "3" in keys and "31" not in keys
    assert ti.text_keys("，。、") == set()


@pytest.mark.parametrize(
    "phrase",
    ["国办发〔2023〕12号", "二〇〇六年三月五日", "14年2月1日", "2.16", "低收入农户集中", "办", "扶贫 结对"],
)
def test_a_phrase_of_a_text_has_its_keys_in_the_texts(phrase):
    """What makes the index sound: every key a query looks up for a phrase of a text is a key
    of that text (so a shard never misses a match; the records' check removes the rest)."""
    text = f"各地要认真贯彻{phrase.replace(' ', '')}的精神，国办发〔2023〕12号文件。"
    assert set(ti.query_keys(phrase)) <= ti.text_keys(text)


def test_query_keys_are_spread_and_bounded():
    title = "关于做好二〇一四年度全省扶贫结对帮扶工作的补充通知"
    keys = ti.query_keys(title)
    assert len(keys) == ti.MAX_QUERY_KEYS
    assert keys[0] == "关于" and keys[-1] == "通知"
    assert ti.query_keys("通知") == ["通知"] and ti.query_keys("办") == ["办"]
    assert ti.query_keys("，") == []


def test_fnv1a_is_the_standard_hash():
    # the FNV-1a test vectors (search.js computes the same over UTF-8)
    assert ti.fnv1a("") == 0x811C9DC5
    assert ti.fnv1a("a") == 0xE40C292C
    assert ti.fnv1a("foobar") == 0xBF9CF968


def test_ids_as_gaps():
    assert ti.encode_ids([7, 3, 3000]) == [3, 4, 2993]
    assert ti.decode_ids(ti.encode_ids([7, 3, 3000])) == [3, 7, 3000]


def test_shards_grow_with_the_index():
    assert ti.shard_count(0) == ti.MIN_SHARDS
    assert ti.shard_count(ti.POSTINGS_PER_SHARD * 100) == 128
    counts = [ti.shard_count(n) for n in (10**5, 10**6, 10**7, 10**8)]
    assert counts == sorted(counts) and all(c & (c - 1) == 0 for c in counts)  # powers of two


def test_pack_is_deterministic():
    value = {"b": [1, 2], "a": "公文"}
    assert ti.pack(value) == ti.pack(dict(reversed(value.items())))
    assert ti.unpack(ti.pack(value)) == value


def test_changes_apply_to_a_shard():
    changes = ti.IndexChanges(shards=1)
    changes.remove(5, {"通知", "关于"})
    changes.add(9, {"通知"})
    shard = changes.apply(0, {"通知": ti.encode_ids([1, 5]), "关于": ti.encode_ids([5])})
    assert {k: ti.decode_ids(v) for k, v in shard.items()} == {"通知": [1, 9]}  # 关于 is empty: gone
    # applying the same changes again changes nothing (a publish stopped half-way is mended)
    assert changes.apply(0, shard) == shard


def _site_with(tmp_path, texts: dict[int, str], state=None):
    """An index of ``texts`` (id → text) written into ``tmp_path`` by SiteIndex."""
    written: dict[str, bytes] = {}

    def write(rel, data):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written[rel] = data

    index = ti.SiteIndex(tmp_path, state)
    items = {}
    for item, text in texts.items():
        record = ti.make_record({"url": f"items/{item}.html", "title": text[:6], "doc_number": "",
                                 "issuer": "某办", "date": "", "year": "2014", "genre": "通知"}, text)
        index.add(item, record, was_indexed=not index.full)  # reads the old record: first
        write(ti.record_path(item), ti.pack(record))
        items[item] = str(hash(text))
    return index.finish(items, write, lambda rel: None), written


def test_search_finds_phrases_and_filters(tmp_path):
    state, _ = _site_with(tmp_path, {0: "关于做好扶贫结对帮扶工作的通知", 1: "关于加强档案数字化工作的意见", 2: "扶贫工作"})
    assert ti.search(tmp_path, "扶贫") == ["items/0.html", "items/2.html"]
    assert ti.search(tmp_path, "帮扶工作") == ["items/0.html"]
    assert set(ti.query_keys("帮扶贫")) <= ti.text_keys("扶贫结对帮扶工作")
    assert ti.search(tmp_path, "帮扶贫") == []  # its pairs are in item 0, the phrase is not
    assert ti.search(tmp_path, "工作 意见") == ["items/1.html"]
    assert ti.search(tmp_path, "", {"year": "2014", "issuer": "某办"}) == ["items/0.html", "items/1.html", "items/2.html"]
    assert ti.search(tmp_path, "工作", {"year": "2015"}) == []
    assert state["shards"] == ti.MIN_SHARDS


def test_an_update_equals_a_build_from_scratch(tmp_path, monkeypatch):
    monkeypatch.setattr(ti, "POSTINGS_PER_SHARD", 1)  # many shards: an update touches a few
    texts = {0: "关于做好扶贫结对帮扶工作的通知", 1: "关于加强档案数字化工作的意见"}
    state, _ = _site_with(tmp_path / "a", texts)
    assert state["shards"] >= 64
    new = "关于按时报送统计材料的通知"
    _, written = _site_with(tmp_path / "a", {1: new}, state)
    # only the shards of the keys item 1 lost or gained are written (not those of 关于, 通知 …)
    changed = ti.record_keys({"x": texts[1]}) ^ ti.record_keys({"x": new})
    assert {rel for rel in written if rel.startswith("search/k/")} == {
        ti.shard_path(ti.shard_of(k, state["shards"])) for k in changed}
    assert ti.search(tmp_path / "a", "档案") == [] and ti.search(tmp_path / "a", "报送") == ["items/1.html"]
    _site_with(tmp_path / "b", {0: texts[0], 1: new})
    for n in range(state["shards"]):
        assert ti.unpack((tmp_path / "a" / ti.shard_path(n)).read_bytes()) == ti.unpack((tmp_path / "b" / ti.shard_path(n)).read_bytes())


def test_shards_are_made_smaller_when_they_pack_large(tmp_path, monkeypatch):
    """The number of shards follows their measured size, not only the count of ids: shards
    that pack larger than SHARD_BYTES on average are split until they do not."""
    texts = {k: f"第{k}号文件：" + "".join(chr(0x4E00 + (k * 37 + j * 11) % 2000) for j in range(60)) for k in range(40)}
    state, _ = _site_with(tmp_path / "a", texts)
    sizes = [len((tmp_path / "a" / ti.shard_path(n)).read_bytes()) for n in range(state["shards"])]
    monkeypatch.setattr(ti, "SHARD_BYTES", sum(sizes) / len(sizes) / 3)
    smaller, _ = _site_with(tmp_path / "b", texts)
    assert smaller["shards"] == 4 * state["shards"]
    after = [len((tmp_path / "b" / ti.shard_path(n)).read_bytes()) for n in range(smaller["shards"])]
    assert sum(after) / len(after) <= ti.SHARD_BYTES
    assert ti.search(tmp_path / "b", texts[7][:8]) == ["items/7.html"]


def test_items_whose_title_holds_the_words_come_first(tmp_path):
    _site_with(tmp_path, {0: "结对走访正值春节。", 1: "春节期间安全生产", 2: "其他"})
    # _site_with takes a title from the text's first six characters: item 1's is 春节期间安全
    assert ti.search(tmp_path, "春节") == ["items/1.html", "items/0.html"]
    assert ti.search(tmp_path, "安全 春节") == ["items/1.html"]
