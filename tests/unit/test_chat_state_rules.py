"""Chat-state's pure rules: If-Match parsing, the API-key check, chat_state and id checks."""

import pytest

from roleplay_api.errors import BadRequest, Forbidden, PayloadTooLarge, Unauthorized
from roleplay_api.services.chat_state_rules import (
    check_api_key,
    check_chat_state,
    check_user_session_id,
    etag,
    is_json,
    parse_if_match,
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("*", "*"),
        (" * ", "*"),
        ('"1"', frozenset({1})),
        ('"12", "3"', frozenset({12, 3})),
        ('W/"1"', frozenset()),
        ('"01"', frozenset()),
        ('"0"', frozenset()),
        ('"abc"', frozenset()),
        ('"2147483647"', frozenset({2147483647})),
        ('"2147483648"', frozenset()),
        ('W/"1", "2"', frozenset({2})),
    ],
)
def test_parse_if_match(header, expected):
    assert parse_if_match(header) == expected


@pytest.mark.parametrize("header", ["1", "", '"1', "abc", '"1",,"2"', '"a"b"'])
def test_parse_if_match_refuses_what_is_not_an_entity_tag(header):
    with pytest.raises(BadRequest) as raised:
        parse_if_match(header)
    assert "If-Match" in raised.value.message


def test_etag_is_strong_and_quoted():
    assert etag(7) == '"7"'
    assert parse_if_match(etag(7)) == frozenset({7})


def test_api_key_check():
    check_api_key("k2", ["k1", "k2"])
    with pytest.raises(Unauthorized):
        check_api_key(None, ["k1"])
    with pytest.raises(Unauthorized):
        check_api_key("", ["k1"])
    for wrong in ("k3", "k", "k1 ", "ключ", "\x00"):
        with pytest.raises(Forbidden):
            check_api_key(wrong, ["k1", "k2"])


@pytest.mark.parametrize("value", ["a", "A-z_0.9:", "x" * 255])
def test_valid_user_session_ids(value):
    check_user_session_id(value)


@pytest.mark.parametrize("value", ["", "x" * 256, "a b", "a/b", "a\n", "é", "a\x00"])
def test_invalid_user_session_ids(value):
    with pytest.raises(BadRequest):
        check_user_session_id(value)


def test_chat_state_checks():
    check_chat_state('{"a": "\\u0000"}', 100)
    with pytest.raises(PayloadTooLarge):
        check_chat_state('"' + "é" * 10 + '"', 21)
    check_chat_state('"' + "é" * 10 + '"', 22)
    with pytest.raises(BadRequest):
        check_chat_state("{}\x00", 100)
    for bad in ("", "{", "[...]", "NaN", "{'a': 1}"):
        with pytest.raises(BadRequest):
            check_chat_state(bad, 100)


@pytest.mark.parametrize(
    "text",
    ["{}", "[]", "0", '"s"', "null", " true ", "1e400", '"\\ud800"', '{"a": "\\udc00x"}', "-0"],
)
def test_is_json_accepts_what_the_grammar_allows(text):
    assert is_json(text)


@pytest.mark.parametrize(
    "text",
    ["", "NaN", "Infinity", "-Infinity", "[NaN]", "{", "[1,]", "'a'", '"a\tb"', "[" * 100_000],
)
def test_is_json_refuses_the_rest(text):
    assert not is_json(text)
