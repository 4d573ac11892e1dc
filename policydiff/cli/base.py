"""The ``policydiff`` group and what every command shares: one-line errors that exit 2."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from policydiff._version import __version__
from policydiff.errors import PolicyDiffError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_ERROR = 2


def fail(message: str) -> None:
    """Print ``policydiff: error: MESSAGE`` to stderr and exit 2."""
    click.echo(f"policydiff: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def handle_errors(func: F) -> F:
    """Turn policydiff's own errors (and unreadable files) into one line on stderr and exit 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PolicyDiffError as exc:
            fail(str(exc))
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            fail(f"{exc.filename}: {exc.strerror}")
        except KeyboardInterrupt:
            click.echo("policydiff: interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


class _Group(click.Group):
    """A click group whose usage errors also exit 2 with ``policydiff: error:``."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            kwargs["standalone_mode"] = False
            return super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
            sys.exit(EXIT_ERROR)
        except click.UsageError as exc:
            fail(exc.format_message())
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("policydiff: aborted", err=True)
            sys.exit(130)
        except click.ClickException as exc:
            fail(exc.format_message())
        return None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policydiff")
def main() -> None:
    """policydiff: what changed in a privacy policy, and which changes touch consent."""


class AliasChoice(click.Choice[str]):
    """A case-insensitive choice that also accepts short aliases (``md`` for ``markdown``)."""

    def __init__(self, choices: list[str], aliases: dict[str, str] | None = None) -> None:
        super().__init__(choices, case_sensitive=False)
        self.aliases = aliases or {}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if isinstance(value, str):
            value = self.aliases.get(value.strip().lower(), value.strip())
        return str(super().convert(value, param, ctx))


FORMAT_ALIASES = {"md": "markdown", "txt": "text", "htm": "html"}
SEVERITY = AliasChoice(["high", "medium", "low"])
