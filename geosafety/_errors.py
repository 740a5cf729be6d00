"""Error and warning classes raised by geosafety.

Every problem with a user's input or options is raised as a :class:`GeosafetyError`, so
callers (the command line among them) can catch that one class. Messages name the file, row
and column, quote the bad value and say how to fix it. Errors about a bad value also derive
from :class:`ValueError`, as Python code expects of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike


class GeosafetyError(Exception):
    """Base class of every error geosafety raises on purpose."""


class InputFileError(GeosafetyError, ValueError):
    """An input file cannot be used; the message lists every problem found.

    Parameters
    ----------
    path : str or PathLike
        The file (or archive member) with the problem.
    problems : sequence of str
        One line per problem, each already naming its row and column where those apply.
    hint : str, optional
        How to fix it.
    """

    def __init__(
        self, path: str | PathLike[str], problems: Sequence[str], hint: str | None = None
    ) -> None:
        self.path = str(path)
        self.problems = list(problems)
        self.hint = hint
        lines = [f"{self.path}: " + (self.problems[0] if len(self.problems) == 1 else
                                     f"{len(self.problems)} problems")]
        if len(self.problems) > 1:
            lines += [f"  - {p}" for p in self.problems]
        if hint:
            lines.append(f"  How to fix: {hint}")
        super().__init__("\n".join(lines))


class InvalidOptionError(GeosafetyError, ValueError):
    """An option (a period, a level, a method name, a domain) has a value geosafety refuses."""


class UnknownAreaError(InvalidOptionError):
    """No English local authority, police force area or partnership has the name given."""


class AreaNotChosenError(GeosafetyError):
    """The data covers several authorities and no study area was chosen."""


class DatasetNotFoundError(GeosafetyError, KeyError):
    """A bundled dataset name was not recognised."""

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return str(self.args[0])


class MissingReferenceDataError(GeosafetyError):
    """The study area lacks a reference table a step needs (postcodes, an IoD edition)."""


class NoRecordsInStudyAreaError(GeosafetyError):
    """None of the records read fall inside the study area.

    Parameters
    ----------
    message : str
        The report to show, naming where the records are instead.
    report : object, optional
        The :class:`~geosafety.geography.LocationReport` describing the excluded records.
    """

    def __init__(self, message: str, report: object | None = None) -> None:
        self.report = report
        super().__init__(message)


class NoRecordsInPeriodError(GeosafetyError, ValueError):
    """None of a source's records fall in the reporting period.

    Parameters
    ----------
    message : str
        Which source, the period asked for, what the data covers and how to choose.
    source : str
        The source, as the message names it.
    """

    def __init__(self, message: str, *, source: str = "") -> None:
        self.source = source
        super().__init__(message)


class RecordsExcludedWarning(UserWarning):
    """Some records were left out (outside the study area, no location, outside the period)."""


class DataQualityWarning(UserWarning):
    """A recoverable problem in the input data (a missing month, a record placed by fallback)."""
