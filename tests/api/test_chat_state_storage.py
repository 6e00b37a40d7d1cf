"""Stored compressed and encrypted, read back as sent; old plain rows keep working."""

import base64
import json
import os
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from roleplay_api.extensions import db
from roleplay_api.models import ChatStateSession
from tests.api.chat_state_helpers import URL, save

MERGE = "application/merge-patch+json"
SECRET = "my card number is 4111-1111"


def big_state(n=100, marker=SECRET):
    messages = [{"role": "user", "content": f"{marker} message {i} " * 5} for i in range(n)]
    return json.dumps({"messages": messages, "currentStep": "language"})


def raw_rows(app):
    """Every stored column of both tables, as the database holds them."""
    with app.app_context(), db.engine.connect() as connection:
        rows = []
        for table in ("chat_state_sessions", "chat_state_versions"):
            result = connection.execute(sa.text(f"SELECT * FROM {table}"))  # noqa: S608
            rows += [dict(row._mapping) for row in result]
        return rows


def raw_bytes(rows):
    out = b""
    for row in rows:
        for value in row.values():
            if isinstance(value, bytes | bytearray | memoryview):
                out += bytes(value)
            elif value is not None:
                out += str(value).encode()
    return out


def key():
    return os.urandom(32)


def test_large_states_are_stored_compressed_and_read_back_exactly(make_app):
    app = make_app(CHAT_STATE_COMPRESS_MIN_BYTES=256)
    client = app.test_client()
    state = big_state()
    assert save(client, "big", state).status_code == 201
    assert save(client, "small", '{"a": 1}').status_code == 201
    assert client.get(f"{URL}/big").get_json()["chat_state"] == state
    rows = {row["user_session_id"]: row for row in raw_rows(app) if "size" not in row}
    assert rows["big"]["codec"] == "zstd" and rows["big"]["chat_state"] is None
    assert len(bytes(rows["big"]["chat_state_data"])) < len(state) / 3
    assert rows["small"]["codec"] is None and rows["small"]["chat_state"] == '{"a": 1}'
    versions = client.get(f"{URL}/big/versions").get_json()["versions"]
    assert versions[0]["size"] == len(state.encode())


def test_rows_written_before_compression_keep_working(app, client):
    now = datetime.now(UTC)
    with app.app_context():
        db.session.add(
            ChatStateSession(
                session_id=uuid.uuid4(),
                user_session_id="legacy",
                chat_state='{"old": true}',
                last_activity=now,
                created_at=now,
                updated_at=now,
                version=7,
            )
        )
        db.session.commit()
    assert client.get(f"{URL}/legacy").get_json()["chat_state"] == '{"old": true}'
    patched = client.patch(f"{URL}/legacy", data='{"new": 1}', content_type=MERGE)
    assert patched.status_code == 200
    assert json.loads(patched.get_json()["chat_state"]) == {"old": True, "new": 1}
    assert patched.get_json()["version"] == 8


def test_without_keys_rows_stay_plain(app, client):
    save(client, "plain", json.dumps({"note": SECRET}))
    assert SECRET.encode() in raw_bytes(raw_rows(app))


def test_with_keys_no_plaintext_reaches_the_tables(make_app):
    app = make_app(CHAT_STATE_ENCRYPTION_KEYS={"k1": key()})
    client = app.test_client()
    small = json.dumps({"note": SECRET})
    save(client, "enc-small", small)
    save(client, "enc-big", big_state())
    client.patch(f"{URL}/enc-small", data=json.dumps({"more": SECRET}), content_type=MERGE)
    client.post(f"{URL}/enc-small/restore", json={"version": 1})
    stored = raw_rows(app)
    assert len(stored) == 2 + 4  # two records, four versions
    assert SECRET.encode() not in raw_bytes(stored)
    assert b"card number" not in raw_bytes(stored)
    codecs = {(row["user_session_id"], row["codec"], row["key_id"]) for row in stored}
    assert ("enc-big", "zstd+aesgcm", "k1") in codecs
    assert ("enc-small", "aesgcm", "k1") in codecs
    assert client.get(f"{URL}/enc-small").get_json()["chat_state"] == small
    assert client.get(f"{URL}/enc-big").get_json()["chat_state"] == big_state()


def test_rotate_key_re_encrypts_records_and_versions_in_batches(make_app):
    old, new = key(), key()
    writer = make_app(CHAT_STATE_ENCRYPTION_KEYS={"old": old})
    client = writer.test_client()
    for i in range(5):
        save(client, f"r{i}", json.dumps({"i": i, "note": SECRET}))
        save(client, f"r{i}", big_state(marker=f"{SECRET} {i}"))
    plain = make_app()  # rows written without keys get encrypted too
    save(plain.test_client(), "was-plain", json.dumps({"note": SECRET}))

    rotating = make_app(CHAT_STATE_ENCRYPTION_KEYS={"new": new, "old": old})
    result = rotating.test_cli_runner().invoke(
        args=["chat-state", "rotate-key", "--batch-size", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "re-encrypted 6 records and 11 versions under key 'new'" in result.output
    assert {row["key_id"] for row in raw_rows(rotating)} == {"new"}
    assert SECRET.encode() not in raw_bytes(raw_rows(rotating))

    only_new = make_app(CHAT_STATE_ENCRYPTION_KEYS={"new": new}).test_client()
    assert only_new.get(f"{URL}/r3").get_json()["chat_state"] == big_state(marker=f"{SECRET} 3")
    first = only_new.get(f"{URL}/r3?version=1").get_json()["chat_state"]
    assert json.loads(first) == {"i": 3, "note": SECRET}
    assert json.loads(only_new.get(f"{URL}/was-plain").get_json()["chat_state"])["note"] == SECRET
    again = rotating.test_cli_runner().invoke(args=["chat-state", "rotate-key"])
    assert "re-encrypted 0 records and 0 versions" in again.output


def test_rotate_key_without_keys_says_so(runner):
    result = runner.invoke(args=["chat-state", "rotate-key"])
    assert result.exit_code != 0
    assert "CHAT_STATE_ENCRYPTION_KEYS is not set" in result.output


def test_keys_from_the_environment():
    import pytest

    from roleplay_api.config import ConfigError, load_config

    k1 = base64.urlsafe_b64encode(b"a" * 32).decode()
    k2 = base64.b64encode(b"b" * 16).decode()
    env = {"APP_ENV": "testing", "CHAT_STATE_ENCRYPTION_KEYS": f"new:{k1}, old:{k2}"}
    keys = load_config("/tmp", env=env)["CHAT_STATE_ENCRYPTION_KEYS"]
    assert list(keys) == ["new", "old"] and keys["old"] == b"b" * 16
    for bad in ("nokey", f":{k1}", "k:notbase64!!", "k:" + base64.b64encode(b"x" * 10).decode(),
                f"k:{k1},k:{k1}"):  # fmt: skip
        with pytest.raises(ConfigError):
            load_config("/tmp", env={"APP_ENV": "testing", "CHAT_STATE_ENCRYPTION_KEYS": bad})
