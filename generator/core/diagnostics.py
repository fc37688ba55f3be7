"""The one type for what the user should know about their source: a located message with a
hint of the fix, and a severity. Errors stop a command; warnings are printed and do not,
unless the command runs with --strict (as mkdocs' `strict`): only the CLI decides what fails.
"""
from __future__ import annotations

import signal
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

Severity = Literal["error", "warning"]


# Exit statuses, as the shell reads them (the signals' as 128 + the signal's number on every
# platform, where Windows has no SIGPIPE to compute it from).
EXIT_INPUT = 2  # the user's source has problems
EXIT_ENGINE = 1  # the site engine failed
EXIT_CHECK = 1  # `check`: an item of a checklist is missing or unmapped
EXIT_INTERRUPTED = 130  # SIGINT: the shell's convention for Ctrl-C
EXIT_TERMINATED = 143  # SIGTERM
EXIT_PIPE = 141  # SIGPIPE: what `yes | head` reports for `yes`


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: Severity = "error"

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"

    def as_warning(self) -> Diagnostic:
        return replace(self, severity="warning")

    def __str__(self) -> str:
        label = "warning: " if self.is_warning else ""
        text = f"{self.path}:{self.line}:{self.column}: {label}{self.message}"
        return f"{text}; {self.hint}" if self.hint else text


def warning(path: str, line: int, column: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, column, message, hint, "warning")


class PolicyError(Exception):
    """Raised with every diagnostic found, so that the user fixes them all in one pass."""

    def __init__(self, diagnostics: Iterable[Diagnostic], strict: bool = False):
        self.diagnostics = sorted(set(diagnostics))
        self.strict = strict  # warnings alone failed the command, because of --strict
        super().__init__("\n".join(map(str, self.diagnostics)))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_warning]


def settle(found: Iterable[Diagnostic], strict: bool = False) -> tuple[Diagnostic, ...]:
    """The warnings among `found`, sorted, for the caller to print; raises PolicyError when
    any is an error, or when any is a warning and `strict` asks warnings to fail."""
    found = sorted(set(found))
    if any(not d.is_warning for d in found) or (strict and found):
        raise PolicyError(found, strict=strict and all(d.is_warning for d in found))
    return tuple(found)


class UsageError(Exception):
    """The command line or the environment asks for something policygen must refuse: not a
    mistake in a source file, so it has no line, but a message and the fix all the same."""

    def __init__(self, message: str, hint: str = ""):
        self.message, self.hint = message, hint
        super().__init__(f"{message}; {hint}" if hint else message)

    def __reduce__(self):  # raised in worker processes too: keep both parts across pickling
        return (type(self), (self.message, self.hint))


class CacheChanged(UsageError):
    """What policygen keeps between builds (a result, a PDF, the spare site) was changed or
    removed during the build: by another policygen command in the project, or by hand. A
    build made again from the files makes it anew."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every `finally` cleans up on the way out. Defined
    here, not in cli, so that `python -m generator.cli` and the modules it calls share it."""


# The signals received while a command runs (see stop_on_signal).
_received: set[int] = set()


def stop_on_signal(signum: int, frame: object) -> None:
    """Ctrl-C and SIGTERM for every command: raise, so that every `finally` cleans up, and
    remember the signal, because Python swallows an exception raised inside a weakref
    callback or `__del__` ("Exception ignored in ...", e.g. while a module is imported)
    and the command would then run on and replace the site it was told not to."""
    _received.add(signum)
    raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


def stop_if_signalled() -> None:
    """Before a point of no return: act on a signal whose exception was swallowed."""
    if signal.SIGTERM in _received:
        raise Terminated()
    if _received:
        raise KeyboardInterrupt()


def forget_signals() -> None:
    _received.clear()
