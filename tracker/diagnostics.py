"""Problems found in a roadmap, worded so that a learner can fix them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .yamlsource import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where it is, in the file and in the plan's structure, and what to do."""

    line: int
    col: int
    where: str
    message: str
    file: str = "roadmap.yml"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.where}: {self.message}"

    def annotation(self) -> str:
        """The same problem as a GitHub Actions `::error` workflow command."""
        return (f"::error file={_escape_property(self.file)},line={self.line},col={self.col},"
                f"title={_escape_property('roadmap: ' + self.where)}::"
                f"{_escape_data(self.message)}")


class RoadmapError(Exception):
    """The roadmap cannot be used; `diagnostics` lists every reason found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def format_path(path: Path) -> str:
    """`('stages', 0, 'topics', 2, 'title')` -> `stages[0].topics[2].title`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


# Workflow command escaping, as @actions/core does it (escapeData / escapeProperty).
def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
