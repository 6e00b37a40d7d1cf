"""`flask coach play`: a whole session against the default coach from a terminal."""

STRONG = [
    "Hi, I'm Sam with Brightside Solar. Thirty thousand is a lot, fair to flinch at it. "
    "What were you hoping it would come to?",
    "Under twenty makes sense. What's the electric bill running these days?",
    "So about two-ten a month. If the payment came in under that, would it be worth a look?",
    "Would it help if I wrote that monthly math out for you and your husband to look at?",
    "Would Saturday morning work to go over it together, with no decision that day?",
]


def test_a_whole_session_prints_scores_replies_and_the_final_feedback(runner):
    args = ["coach", "play", "homeowner_objection", "--difficulty", "pro"]
    for message in STRONG:
        args += ["-m", message]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("buyer: ")
    assert out.count("score: ") == 5 and out.count("\nbuyer: ") == 5
    assert "XP: " in out and "strengths: " in out


def test_messages_come_from_stdin_and_a_short_session_says_so(runner):
    result = runner.invoke(
        args=["coach", "play", "spouse_decision"], input="Hi there!\n\nWho else decides?\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("score: ") == 2
    assert "no final feedback yet" in result.output


def test_an_unknown_scenario_is_a_usage_error(runner):
    result = runner.invoke(args=["coach", "play", "nope", "-m", "Hello"])
    assert result.exit_code == 2
    assert "homeowner_objection" in result.output
