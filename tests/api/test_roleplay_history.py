"""Roleplay: the sessions list (paging, filters), one session's detail, and progress stats."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from roleplay_api.extensions import db
from roleplay_api.models import RoleplaySession
from roleplay_api.services.coach import xp_for
from tests.api.roleplay_support import (
    BASE,
    FakeCoach,
    data_of,
    error_of,
    finish,
    send,
    start,
    use_coach,
)

SUMMARY_KEYS = {
    "id",
    "sessionId",
    "scenarioId",
    "scenarioTitle",
    "difficulty",
    "score",
    "messageCount",
    "xpEarned",
    "duration",
    "createdAt",
    "completedAt",
    "isActive",
}


def sessions(client, headers, query=""):
    return data_of(client.get(f"{BASE}/sessions{query}", headers=headers))


def test_list_compat_shape_newest_first(client, auth_headers):
    first = start(client, auth_headers)["sessionId"]
    finish(client, auth_headers, first)
    second = start(client, auth_headers, scenarioId="bad_timing", difficulty="pro")["sessionId"]
    send(client, auth_headers, second)
    data = sessions(client, auth_headers)
    assert data["total"] == 2
    assert [s["sessionId"] for s in data["sessions"]] == [second, first]
    newest, oldest = data["sessions"]
    assert set(newest) >= SUMMARY_KEYS and set(oldest) >= SUMMARY_KEYS
    assert isinstance(newest["id"], int)
    assert (newest["messageCount"], newest["isActive"], newest["completedAt"]) == (2, True, None)
    assert (newest["difficulty"], newest["xpEarned"]) == ("PRO", 0)
    assert (oldest["messageCount"], oldest["isActive"]) == (10, False)
    detail = data_of(client.get(f"{BASE}/sessions/{first}", headers=auth_headers))
    scores = [m["score"] for m in detail["messages"] if m["role"] == "user"]
    assert sum(scores) == oldest["score"]
    assert oldest["xpEarned"] == xp_for(scores, "BEGINNER")
    assert datetime.fromisoformat(oldest["completedAt"]).utcoffset() == timedelta(0)
    assert datetime.fromisoformat(oldest["createdAt"]) <= datetime.fromisoformat(
        newest["createdAt"]
    )


def test_paging_and_total(client, auth_headers):
    ids = [start(client, auth_headers)["sessionId"] for _ in range(12)][::-1]
    page = sessions(client, auth_headers)
    assert page["total"] == 12 and [s["sessionId"] for s in page["sessions"]] == ids[:10]
    page = sessions(client, auth_headers, "?limit=5&offset=10")
    assert page["total"] == 12 and [s["sessionId"] for s in page["sessions"]] == ids[10:]
    page = sessions(client, auth_headers, "?limit=100&offset=0")
    assert [s["sessionId"] for s in page["sessions"]] == ids
    assert sessions(client, auth_headers, "?limit=1&offset=12") == {"sessions": [], "total": 12}
    assert sessions(client, auth_headers, "?offset=500") == {"sessions": [], "total": 12}


def test_same_created_at_pages_stably(app, client, auth_headers):
    ids = [start(client, auth_headers)["sessionId"] for _ in range(4)]
    with app.app_context():
        db.session.execute(
            sa.update(RoleplaySession).values(created_at=datetime(2026, 1, 18, 10, tzinfo=UTC))
        )
        db.session.commit()
    pages = [sessions(client, auth_headers, f"?limit=1&offset={n}") for n in range(4)]
    assert sorted(p["sessions"][0]["sessionId"] for p in pages) == sorted(ids)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?limit=0", "limit"),
        ("?limit=101", "limit"),
        ("?limit=-1", "limit"),
        ("?limit=abc", "limit"),
        ("?limit=2.5", "limit"),
        ("?limit=", "limit"),
        ("?offset=-1", "offset"),
        ("?offset=abc", "offset"),
        ("?status=done", "status"),
        ("?difficulty=easy", "difficulty"),
        ("?scenarioId=" + "x" * 65, "scenarioId"),
        ("?scenarioId=a%00b", "scenarioId"),
    ],
)
def test_bad_query_parameters_are_400(client, auth_headers, query, field):
    error = error_of(
        client.get(f"{BASE}/sessions{query}", headers=auth_headers), 400, "validation_error"
    )
    assert field in error["details"]


def test_filters(client, auth_headers):
    done = start(client, auth_headers, scenarioId="spouse_decision", difficulty="elite")
    finish(client, auth_headers, done["sessionId"])
    active_pro = start(client, auth_headers, scenarioId="spouse_decision", difficulty="pro")
    active_other = start(client, auth_headers, scenarioId="trust_concern", difficulty="elite")

    def ids(query):
        page = sessions(client, auth_headers, query)
        assert page["total"] == len(page["sessions"])
        return {s["sessionId"] for s in page["sessions"]}

    assert ids("?status=completed") == {done["sessionId"]}
    assert ids("?status=active") == {active_pro["sessionId"], active_other["sessionId"]}
    assert ids("?scenarioId=spouse_decision") == {done["sessionId"], active_pro["sessionId"]}
    assert ids("?difficulty=elite") == {done["sessionId"], active_other["sessionId"]}
    assert ids("?difficulty=ELITE&status=active") == {active_other["sessionId"]}
    assert ids("?scenarioId=spouse_decision&difficulty=pro&status=active") == {
        active_pro["sessionId"]
    }
    assert ids("?scenarioId=unknown") == set()


def test_list_shows_only_the_callers_sessions(client, register):
    mine, theirs = register()["headers"], register()["headers"]
    start(client, mine)
    start(client, theirs)
    start(client, theirs)
    assert sessions(client, mine)["total"] == 1
    assert sessions(client, theirs)["total"] == 2


def test_detail_compat_shape_and_feedback_null_until_ended(client, auth_headers):
    session_id = start(client, auth_headers)["sessionId"]
    send(client, auth_headers, session_id, "Hello")
    detail = data_of(client.get(f"{BASE}/sessions/{session_id}", headers=auth_headers))
    assert set(detail) >= SUMMARY_KEYS - {"messageCount"} | {"messages", "feedback"}
    assert detail["sessionId"] == session_id and detail["feedback"] is None
    assert detail["isActive"] is True and detail["completedAt"] is None
    assert [m["role"] for m in detail["messages"]] == ["user", "assistant"]
    assert detail["messages"][0]["content"] == "Hello"
    for message in detail["messages"]:
        assert {"role", "content", "timestamp"} <= set(message)
        assert datetime.fromisoformat(message["timestamp"]).utcoffset() == timedelta(0)

    results = finish(client, auth_headers, session_id, count=4)
    detail = data_of(client.get(f"{BASE}/sessions/{session_id}", headers=auth_headers))
    assert len(detail["messages"]) == 10 and detail["isActive"] is False
    assert detail["feedback"] == results[-1]["finalFeedback"]
    assert detail["score"] == results[-1]["totalScore"]
    assert detail["xpEarned"] == results[-1]["xpEarned"]
    assert datetime.fromisoformat(detail["completedAt"]).utcoffset() == timedelta(0)


@pytest.mark.parametrize("scenario_id", ["homeowner_objection", "test"])
def test_detail_names_the_persona_and_its_opening_line(app, client, auth_headers, scenario_id):
    # A resume screen shows how the buyer opened: the same line and name start answered.
    from roleplay_api.services.scenarios import seed_scenarios

    with app.app_context():
        seed_scenarios()
    started = start(client, auth_headers, scenarioId=scenario_id, difficulty="pro")
    send(client, auth_headers, started["sessionId"], "Hello")
    detail = data_of(client.get(f"{BASE}/sessions/{started['sessionId']}", headers=auth_headers))
    assert detail["openingLine"] == started["openingLine"] != ""
    assert detail["personaName"] == started["personaName"] != ""
    assert detail["difficulty"] == "PRO"
    assert detail["messages"][0]["role"] == "user"


def test_stats_of_a_new_user(client, auth_headers):
    assert data_of(client.get(f"{BASE}/stats", headers=auth_headers)) == {
        "totalSessions": 0,
        "completedSessions": 0,
        "totalXp": 0,
        "averageScore": None,
        "bestScore": None,
        "byDifficulty": {},
        "byScenario": {},
        "recent": [],
    }


def test_stats_totals_groups_and_recent(client, register, monkeypatch):
    headers = register()["headers"]
    other = register()["headers"]
    use_coach(client, monkeypatch, FakeCoach(scores=(12, 12, 12, 12, 12)))  # 60, XP 5 x 4 x 1
    a = start(client, headers, scenarioId="bad_timing", difficulty="beginner")["sessionId"]
    finish(client, headers, a)
    use_coach(client, monkeypatch, FakeCoach(scores=(18, 18, 18, 18, 18)))  # 90, XP 5 x 10 x 2
    b = start(client, headers, scenarioId="bad_timing", difficulty="elite")["sessionId"]
    finish(client, headers, b)
    c = start(client, headers, scenarioId="trust_concern", difficulty="elite")["sessionId"]
    send(client, headers, c)  # active, 18 so far: not in averages or bests
    finish(client, other, start(client, other)["sessionId"])  # someone else's: not counted

    stats = data_of(client.get(f"{BASE}/stats", headers=headers))
    assert stats["totalSessions"] == 3 and stats["completedSessions"] == 2
    assert stats["totalXp"] == 20 + 100
    assert stats["averageScore"] == 75.0 and stats["bestScore"] == 90
    assert stats["byDifficulty"] == {
        "BEGINNER": {
            "sessions": 1,
            "completed": 1,
            "totalXp": 20,
            "averageScore": 60.0,
            "bestScore": 60,
        },
        "ELITE": {
            "sessions": 2,
            "completed": 1,
            "totalXp": 100,
            "averageScore": 90.0,
            "bestScore": 90,
        },
    }
    assert stats["byScenario"]["bad_timing"] == {
        "sessions": 2,
        "completed": 2,
        "totalXp": 120,
        "averageScore": 75.0,
        "bestScore": 90,
        "scenarioTitle": "Test Scenario",
    }
    assert stats["byScenario"]["trust_concern"]["averageScore"] is None
    assert stats["byScenario"]["trust_concern"]["bestScore"] is None
    assert [s["sessionId"] for s in stats["recent"]] == [c, b, a]
    assert set(stats["recent"][0]) >= SUMMARY_KEYS


def test_recent_holds_the_five_newest(client, auth_headers):
    ids = [start(client, auth_headers)["sessionId"] for _ in range(7)]
    stats = data_of(client.get(f"{BASE}/stats", headers=auth_headers))
    assert [s["sessionId"] for s in stats["recent"]] == ids[::-1][:5]
    assert stats["totalSessions"] == 7 and stats["averageScore"] is None
