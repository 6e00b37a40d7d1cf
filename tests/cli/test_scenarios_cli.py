"""`flask scenarios ...`: seeding the library (idempotent) and listing it."""

import sqlalchemy as sa

from roleplay_api.extensions import db
from roleplay_api.models import Scenario
from roleplay_api.services.scenarios import read_library
from tests.contract import CONTRACT_SCENARIO_IDS, GENERAL_SCENARIO_ID

CONTRACT_IDS = CONTRACT_SCENARIO_IDS | {GENERAL_SCENARIO_ID}

CUSTOM = """
scenarios:
  - id: custom_one
    title: Custom One
    description: A custom scenario.
    persona: {name: Casey, openingLine: "Who are you?"}
    skills: [acknowledge]
    tips: [Listen first.]
"""


def snapshot(app):
    with app.app_context():
        return {
            s.id: (s.title, s.description, s.persona, s.skills, s.tips, s.position, s.updated_at)
            for s in db.session.scalars(sa.select(Scenario))
        }


def test_seed_loads_the_bundled_library(runner, app):
    result = runner.invoke(args=["scenarios", "seed"])
    assert result.exit_code == 0, result.output
    count = len(read_library())
    assert f"{count} created, 0 updated, 0 unchanged" in result.output
    assert set(snapshot(app)) >= CONTRACT_IDS


def test_seeding_twice_changes_nothing_the_second_time(runner, app):
    runner.invoke(args=["scenarios", "seed"])
    before = snapshot(app)
    result = runner.invoke(args=["scenarios", "seed"])
    assert result.exit_code == 0, result.output
    assert f"0 created, 0 updated, {len(before)} unchanged" in result.output
    assert snapshot(app) == before  # not even updated_at moved


def test_seed_with_a_custom_file_adds_and_then_updates(runner, app, tmp_path):
    library = tmp_path / "custom.yaml"
    library.write_text(CUSTOM)
    result = runner.invoke(args=["scenarios", "seed", "--file", str(library)])
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output
    assert snapshot(app)["custom_one"][0] == "Custom One"

    library.write_text(CUSTOM.replace("title: Custom One", "title: Custom Two"))
    result = runner.invoke(args=["scenarios", "seed", "--file", str(library)])
    assert "0 created, 1 updated, 0 unchanged" in result.output
    assert snapshot(app)["custom_one"][0] == "Custom Two"


def test_seed_with_a_bad_file_fails_cleanly_and_stores_nothing(runner, app, tmp_path):
    cases = {
        "not_yaml.yaml": "scenarios: [unclosed",
        "no_list.yaml": "something: else",
        "no_persona.yaml": CUSTOM.replace(
            '    persona: {name: Casey, openingLine: "Who are you?"}\n', ""
        ),
        "no_opening.yaml": CUSTOM.replace(', openingLine: "Who are you?"', ""),
        "twice.yaml": CUSTOM + CUSTOM.split("scenarios:\n", 1)[1],
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text)
        result = runner.invoke(args=["scenarios", "seed", "--file", str(path)])
        assert result.exit_code != 0, name
        assert "Error" in result.output, name
    assert snapshot(app) == {}


def test_seed_with_a_missing_file(runner, tmp_path):
    result = runner.invoke(args=["scenarios", "seed", "--file", str(tmp_path / "absent.yaml")])
    assert result.exit_code != 0
    assert "does not exist" in result.output


def test_list_prints_the_seeded_scenarios_in_library_order(runner):
    runner.invoke(args=["scenarios", "seed"])
    result = runner.invoke(args=["scenarios", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert [line.split()[0] for line in lines] == [s["id"] for s in read_library()]
    assert any("Handling Price Objections" in line for line in lines)


def test_list_before_seeding_prints_nothing(runner):
    result = runner.invoke(args=["scenarios", "list"])
    assert result.exit_code == 0 and result.output == ""
