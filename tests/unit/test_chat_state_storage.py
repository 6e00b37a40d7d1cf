"""The pure parts of the chat-state features: merge patch (RFC 7396) and the storage codec."""

import json
import os

import pytest

from roleplay_api.errors import BadRequest, UnsupportedMediaType
from roleplay_api.services.chat_state_rules import (
    check_merge_patch_type,
    dump_state,
    load_state_object,
    merge_patch,
)
from roleplay_api.services.chat_state_storage import Storage, StorageError

# RFC 7396, Appendix A: (original, patch, result).
RFC_EXAMPLES = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("original", "patch", "result"), RFC_EXAMPLES)
def test_merge_patch_follows_rfc_7396(original, patch, result):
    snapshot = json.dumps(original)
    assert merge_patch(original, patch) == result
    assert json.dumps(original) == snapshot  # the target is not changed in place


def test_deep_patches_need_no_recursion():
    deep = current = {}
    for _ in range(5000):
        current["x"] = {}
        current = current["x"]
    merged = merge_patch({}, deep)
    depth = 0
    while merged:
        merged, depth = merged["x"], depth + 1
    assert depth == 5000


def test_stored_state_must_be_an_object_and_odd_json_is_refused_not_changed():
    with pytest.raises(BadRequest, match="not a JSON object"):
        load_state_object("[1]")
    with pytest.raises(BadRequest, match="out of range"):  # 1e400 would come back as null
        load_state_object('{"n": 1e400}')
    lone = load_state_object('{"s": "\\ud800"}')
    assert json.loads(dump_state(lone)) == {"s": "\ud800"}


def test_merge_patch_type_and_body():
    check_merge_patch_type("application/merge-patch+json", b"{}")
    with pytest.raises(UnsupportedMediaType):
        check_merge_patch_type("application/json", b"{}")
    with pytest.raises(BadRequest):
        check_merge_patch_type("application/merge-patch+json", b"  ")


@pytest.mark.parametrize("keys", [{}, {"k": os.urandom(32)}, {"k": os.urandom(16)}])
@pytest.mark.parametrize("text", ['{"a": 1}', json.dumps({"m": ["word " * 400]}), "[]"])
def test_codec_round_trips(keys, text):
    storage = Storage(compress_min_bytes=100, keys=keys)
    row = storage.encode("user-1", text)
    assert row["size"] == len(text.encode())
    assert storage.decode("user-1", row) == text
    if keys:
        assert row["chat_state"] is None and row["key_id"] == "k"
        assert text.encode() not in row["chat_state_data"]
    if len(text) > 100:
        assert "zstd" in row["codec"]


def test_text_that_compression_would_grow_is_kept_as_it_is():
    assert Storage(compress_min_bytes=1).encode("u", '{"a": 1}')["codec"] is None


def test_ciphertext_is_bound_to_its_record_and_key():
    storage = Storage(keys={"k": os.urandom(32)})
    row = storage.encode("alice", '{"a": 1}')
    with pytest.raises(StorageError, match="authentication"):
        storage.decode("bob", row)
    with pytest.raises(StorageError, match="does not hold"):
        Storage(keys={"other": os.urandom(32)}).decode("alice", row)
    with pytest.raises(StorageError, match="unknown"):
        storage.decode("alice", {**row, "codec": "lz4"})
