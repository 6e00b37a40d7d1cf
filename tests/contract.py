"""What API.md fixes that tests in several places check against."""

# The scenario ids API.md names; the bundled library must hold at least these.
CONTRACT_SCENARIO_IDS = frozenset(
    {
        "homeowner_objection",
        "spouse_decision",
        "not_interested",
        "already_have_provider",
        "bad_timing",
        "trust_concern",
    }
)
# Answers for any scenario id the library does not know.
GENERAL_SCENARIO_ID = "general_objection"
