"""One family of located errors, with French messages meant for the user."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Location:
    """Where a problem lies: a file, and a line and column (1-based) or a spreadsheet cell."""

    file: str
    line: int | None = None
    column: int | None = None
    cell: str | None = None  # a spreadsheet cell, 'Actions!D7'

    def __str__(self) -> str:
        if self.cell:
            return f"{self.file}:{self.cell}"
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


def shown(path: Path, root: Path) -> str:
    """A path as the user knows it: relative to the project when it lies inside it."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


class AtfpbError(Exception):
    """Base of every error the toolkit reports to its user (message in French)."""

    exit_code = 1

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (self.__class__, (self.message, self.location))  # errors cross process boundaries whole


class DataError(AtfpbError):
    """An instance or reference file that cannot be read or is not valid."""


class ClauseError(AtfpbError):
    """A clause or template that cannot be parsed or rendered."""


class ConversionError(AtfpbError):
    """LibreOffice failed to produce a readable PDF."""


class MisuseError(AtfpbError):
    """A command given what it cannot work with (an unknown commune, no project): exit code 2, and what to do."""

    exit_code = 2


class ToolMissingError(AtfpbError):
    """A program the toolkit needs is not installed."""


class Problems(AtfpbError):
    """Several errors found together (a validation pass reports them all)."""

    def __init__(self, problems: Iterable[AtfpbError]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{len(self.problems)} erreur(s)")

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (self.__class__, (self.problems,))


def raise_all(problems: list[AtfpbError]) -> None:
    """Raise the problems found, if any: alone when there is one, together otherwise."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Problems(problems)


class Collector:
    """The errors of a pass gathered to be reported all at once (the one way to collect located errors)."""

    def __init__(self) -> None:
        self.problems: list[AtfpbError] = []

    def add(self, error: AtfpbError) -> None:
        self.problems.extend(error.problems if isinstance(error, Problems) else (error,))

    def extend(self, errors: Iterable[AtfpbError]) -> None:
        for error in errors:
            self.add(error)

    def attempt(self, step: Callable[[], T]) -> T | None:
        """The result of `step`, or None when it raised (its errors are kept)."""
        try:
            return step()
        except AtfpbError as error:
            self.add(error)
            return None

    def raise_any(self) -> None:
        """Raise what was gathered, if anything."""
        raise_all(self.problems)
