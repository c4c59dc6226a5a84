"""``haven user add|list|remove|password|role|token|tokens|revoke|audit``: accounts and the audit log.

Whoever runs these commands can open the database, so they act as administrators; the audit log names
them ``cli:<login name>``. No ``from __future__ import annotations`` here: typer reads the annotations at
run time.
"""

import getpass
import sys
from datetime import datetime, time, timedelta
from typing import Annotated

import typer
from rich.markup import escape

from haven.cli.common import FromOption, JsonOption, ToOption, open_store, parse_day
from haven.cli.output import console, print_json, print_table
from haven.errors import HavenError, ValidationError
from haven.services import accounts
from haven.store.accounts import audit_entries

user_app = typer.Typer(help="Accounts, API tokens and the audit log.", no_args_is_help=True)

UsernameArgument = Annotated[str, typer.Argument(help="The account's username.")]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input.")
]


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name (some containers)
        return "cli"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise ValidationError("--password-stdin: standard input is empty (expected the password)")
        return line
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


def _when(value: datetime | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M}"


@user_app.command("add")
def add(
    ctx: typer.Context,
    username: UsernameArgument,
    role: Annotated[str, typer.Option(help="admin, analyst, reviewer or viewer.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Create an account; the password (10 or more characters) is asked for twice, hidden."""
    store = open_store(ctx)
    accounts.parse_role(role)  # a bad role is reported before the password is asked for
    user = accounts.add_user(store, username, role, _password(password_stdin), actor=_actor())
    console.print(f"added {escape(user.username)} ({user.role.value})")


@user_app.command("list")
def list_users(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List accounts with their roles."""
    store = open_store(ctx)
    users = accounts.list_users(store)
    active = {t.username for t in accounts.list_tokens(store) if t.active}
    if as_json:
        print_json(
            [
                {
                    "username": u.username,
                    "role": u.role,
                    "created_at": u.created_at,
                    "has_token": u.username in active,
                }
                for u in users
            ]
        )
        return
    rows = [
        (u.username, u.role.value, _when(u.created_at), "yes" if u.username in active else "") for u in users
    ]
    print_table(f"{len(users)} accounts", ["username", "role", "created (UTC)", "API token"], rows)


@user_app.command("remove")
def remove(
    ctx: typer.Context,
    username: UsernameArgument,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove an account with its tokens and holds; its sessions end. The audit log keeps its name."""
    store = open_store(ctx)
    accounts.get_user(store, username)
    if not yes:
        typer.confirm(f"Remove {username}?", abort=True)
    accounts.remove_user(store, username, actor=_actor())
    console.print(f"removed {escape(username)}")


@user_app.command("password")
def password(ctx: typer.Context, username: UsernameArgument, password_stdin: PasswordStdin = False) -> None:
    """Set a new password; the user's sessions end."""
    store = open_store(ctx)
    accounts.get_user(store, username)
    accounts.set_password(store, username, _password(password_stdin), actor=_actor())
    console.print(f"password of {escape(username)} changed")


@user_app.command("role")
def role(
    ctx: typer.Context,
    username: UsernameArgument,
    new_role: Annotated[str, typer.Argument(metavar="ROLE", help="admin, analyst, reviewer or viewer.")],
) -> None:
    """Change a role; the user's sessions end so the new rights apply at the next sign-in."""
    user = accounts.set_role(open_store(ctx), username, new_role, actor=_actor())
    console.print(f"{escape(user.username)} is now {user.role.value}")


@user_app.command("token")
def token(
    ctx: typer.Context,
    username: UsernameArgument,
    name: Annotated[str, typer.Option(help="What the token is for, e.g. the script using it.")] = "default",
) -> None:
    """Make an API token and print it, once: only its hash is kept. Send it as `Authorization: Bearer`."""
    value = accounts.create_token(open_store(ctx), username, name, actor=_actor())
    if sys.stdout.isatty():
        console.print(f"API token '{escape(name)}' for {escape(username)} (shown once, keep it safe):")
    sys.stdout.write(value + "\n")


@user_app.command("tokens")
def tokens(
    ctx: typer.Context,
    username: Annotated[str | None, typer.Argument(help="Only this user's tokens.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List API tokens (names and dates, never the tokens)."""
    found = accounts.list_tokens(open_store(ctx), username)
    if as_json:
        print_json(found)
        return
    rows = [
        (t.username, t.name, _when(t.created_at), _when(t.last_used_at), _when(t.revoked_at) or "active")
        for t in found
    ]
    print_table(f"{len(found)} tokens", ["user", "name", "created", "last used", "revoked"], rows)


@user_app.command("revoke")
def revoke(
    ctx: typer.Context,
    username: UsernameArgument,
    name: Annotated[str | None, typer.Argument(help="The token's name (see `haven user tokens`).")] = None,
    every: Annotated[bool, typer.Option("--all", help="Revoke all of the user's tokens.")] = False,
) -> None:
    """Revoke an API token by name, or all of a user's tokens with --all."""
    if (name is None) == (not every):
        raise HavenError("give a token NAME or --all (not both)")
    count = accounts.revoke_token(open_store(ctx), username, name, actor=_actor())
    console.print(f"revoked {count} token{'' if count == 1 else 's'} of {escape(username)}")


@user_app.command("audit")
def audit(
    ctx: typer.Context,
    user: Annotated[str | None, typer.Option("--user", help="Who acted.")] = None,
    kind: Annotated[str | None, typer.Option(help="Record kind: event, candidate, user.")] = None,
    key: Annotated[str | None, typer.Option(help="Record key, e.g. nw-syria-2020:K03.")] = None,
    start: FromOption = None,
    end: ToOption = None,
    limit: Annotated[int, typer.Option(help="At most this many of the newest lines.")] = 200,
    as_json: JsonOption = False,
) -> None:
    """The audit log: who claimed, decided or changed what, when and why (UTC)."""
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    entries = audit_entries(
        open_store(ctx),
        username=user,
        record_kind=kind,
        record_key=key,
        start=datetime.combine(first, time()) if first else None,
        end=datetime.combine(last + timedelta(days=1), time()) if last else None,
        limit=limit,
    )
    if as_json:
        print_json(entries)
        return
    rows = [
        (
            _when(e.at),
            e.username,
            e.action,
            f"{e.record_kind or ''} {e.record_key or ''}".strip(),
            e.note or "",
        )
        for e in entries
    ]
    print_table(f"{len(entries)} audit entries", ["at", "who", "action", "record", "note"], rows)
