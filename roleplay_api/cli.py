"""flask CLI groups for operators: users, scenarios, chat-state."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from roleplay_api.difficulty import DIFFICULTIES
from roleplay_api.errors import APIError
from roleplay_api.services import auth as auth_service
from roleplay_api.services import scenarios as scenario_service

users_cli = AppGroup("users", help="Manage user accounts.")
scenarios_cli = AppGroup("scenarios", help="Manage the roleplay scenario library.")
chat_state_cli = AppGroup("chat-state", help="Maintain chat-state records.")
coach_cli = AppGroup("coach", help="Try the coach offline (no database, no account).")


@users_cli.command("create")
@click.argument("email")
@click.password_option("--password", help="At least 8 characters; prompted for when omitted.")
def create_user(email: str, password: str) -> None:
    """Create a user account."""
    if len(password) < 8:
        raise click.BadParameter("must be at least 8 characters", param_hint="--password")
    try:
        user = auth_service.create_user(email, password)
    except APIError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"created user {user.id} <{user.email}>")


@users_cli.command("token")
@click.argument("email")
def user_token(email: str) -> None:
    """Print an access token for EMAIL (for operators and curl)."""
    try:
        user = auth_service.get_user_by_email(email)
    except APIError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(auth_service.issue_tokens(user).access_token)


@users_cli.command("purge-revoked")
def purge_revoked() -> None:
    """Delete revocations of tokens that have expired anyway."""
    click.echo(f"deleted {auth_service.purge_expired_revocations()} expired revocations")


@scenarios_cli.command("seed")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A scenario library YAML file; the bundled one by default.",
)
def seed(path: str | None) -> None:
    """Load the scenario library into the database (idempotent: upsert by id)."""
    try:
        result = scenario_service.seed_scenarios(path)
    except scenario_service.LibraryError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"scenarios: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged"
    )


@scenarios_cli.command("list")
def list_scenarios() -> None:
    """Print the seeded scenarios."""
    for scenario in scenario_service.list_scenarios():
        click.echo(f"{scenario.id:<24} {scenario.title}")


@chat_state_cli.command("purge")
@click.option(
    "--idle-days",
    type=click.IntRange(min=0),
    default=None,
    help="Also delete records whose last_activity is more than this many days ago.",
)
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
def purge_chat_states(idle_days: int | None, dry_run: bool) -> None:
    """Delete expired (and, with --idle-days, idle) chat-state records and their versions,
    in small batches along an index (safe while the service runs)."""
    from roleplay_api.services import chat_state_maintenance as maintenance

    verb = "would delete" if dry_run else "deleted"
    expired = maintenance.purge_expired_chat_states(dry_run=dry_run)
    click.echo(f"{verb} {expired} expired chat-state records")
    if idle_days is not None:
        count = maintenance.purge_idle_chat_states(idle_days, dry_run=dry_run)
        click.echo(f"{verb} {count} chat-state records idle for more than {idle_days} days")


@chat_state_cli.command("rotate-key")
@click.option("--batch-size", type=click.IntRange(min=1), default=500, show_default=True)
def rotate_chat_state_key(batch_size: int) -> None:
    """Re-encrypt every chat state and kept version under the first CHAT_STATE_ENCRYPTION_KEYS
    key (plain rows included), in batches, while the service runs."""
    from flask import current_app

    from roleplay_api.services import chat_state_maintenance as maintenance
    from roleplay_api.services.chat_state_storage import ChatStateSettings, StorageError

    settings = ChatStateSettings.from_config(current_app.config)
    try:
        done = maintenance.rotate_key(settings, batch_size=batch_size)
    except (ValueError, StorageError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"re-encrypted {done.records} records and {done.versions} versions under key "
        f"{settings.storage.current_key_id!r} ({done.skipped} changed meanwhile, left as written)"
    )


@coach_cli.command("play")
@click.argument("scenario")
@click.option(
    "--difficulty",
    type=click.Choice(DIFFICULTIES, case_sensitive=False),
    default="BEGINNER",
    show_default=True,
)
@click.option(
    "--message",
    "-m",
    "messages",
    multiple=True,
    help="A trainee message (repeat for up to five); else one per line from --file.",
)
@click.option(
    "--file",
    "source",
    type=click.File("r"),
    default="-",
    help="Trainee messages, one per line (stdin by default).",
)
def play_coach(
    scenario: str, difficulty: str, messages: tuple[str, ...], source: click.utils.LazyFile
) -> None:
    """Play a session of the bundled SCENARIO against the default coach and print each score,
    the feedback and the buyer's reply, then the final feedback and the XP."""
    from roleplay_api.services.coach import MAX_EXCHANGES, MeaningCoach, play
    from roleplay_api.services.coach.library import bundled_briefs

    briefs = bundled_briefs()
    if scenario not in briefs:
        raise click.BadParameter(f"one of {', '.join(sorted(briefs))}", param_hint="SCENARIO")
    brief, difficulty = briefs[scenario], difficulty.upper()
    coach = MeaningCoach()
    click.echo(f"buyer: {brief.persona.get('openingLine', '')}")
    lines = messages or (line.strip() for line in source)
    history = []
    for j, history in play(coach, brief, difficulty, (m for m in lines if m)):
        click.echo(f"\nyou: {history[-2].content}\nscore: {j.score}/20  {j.feedback}")
        click.echo(f"buyer: {j.response}")
        if len(history) // 2 >= MAX_EXCHANGES:
            break
    if len(history) // 2 < MAX_EXCHANGES:
        click.echo(f"\n(a session ends after {MAX_EXCHANGES} messages; no final feedback yet)")
        return
    end = coach.conclude(brief, difficulty, history)
    click.echo(f"\nXP: {end.xp}  buyer agreed to a next step: {'yes' if end.agreed else 'no'}")
    for title, items in end.feedback.as_dict().items():
        for item in items:
            click.echo(f"{title}: {item}")


def register_cli(app: Flask) -> None:
    for group in (users_cli, scenarios_cli, chat_state_cli, coach_cli):
        app.cli.add_command(group)
