"""How long the GitHub store waits out a fault, and how a wait is said.

A run waiting for GitHub must not look hung: every wait longer than a few seconds says what it
waits for, how long, and how much of the run's bounded total is left (the command line prints
it, in a log group inside Actions).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Protocol

# GitHub: after a secondary rate limit with no hint, wait at least a minute, then longer.
SECONDARY_FIRST_WAIT = 60.0
# Waits up to this long (the pause between writes, a quick retry) are not worth a line.
SAID_AFTER = 3.0


@dataclass(frozen=True)
class Fault:
    """A failed request worth waiting out."""

    reason: str  # in words, e.g. "answered 502", "says a secondary rate limit was hit (403)"
    wait: float | None = None  # what GitHub asked for (retry-after, the rate limit's reset)
    secondary: bool = False  # a secondary rate limit that named no wait


def backoff(fault: Fault, attempt: int, secondary: int, rng: random.Random) -> float:
    """Seconds to wait before try `attempt + 1`; `secondary` counts the secondary rate limits
    without a hint met so far in this request.

    What GitHub asked for is waited as asked. A secondary rate limit without a hint waits a
    minute, then twice as long each time, with up to a quarter more at random so that runs
    limited together do not come back together. Other faults (5xx, network) back off
    exponentially from a second or two, up to a minute, with jitter.
    """
    if fault.wait is not None:
        return fault.wait
    if fault.secondary:
        return SECONDARY_FIRST_WAIT * 2.0 ** (secondary - 1) * (1 + rng.random() / 4)
    return min(60.0, 2.0 ** attempt) * (0.5 + rng.random() / 2)


def duration(seconds: float) -> str:
    """`seconds` for a person: "45 s", "2 min 5 s", "10 min"."""
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def describe(action: str, fault: Fault, seconds: float, attempt: int, left: float,
             limit: float) -> str:
    """One line for a wait: what for, how long, and what is left of the bounded total."""
    return (f"GitHub {fault.reason} while trying to {action}: waiting {duration(seconds)} "
            f"before try {attempt + 1} ({duration(left)} of the {duration(limit)} this run may "
            f"spend waiting left)")


class WaitReport(Protocol):
    """Where a store says that it waits (the command line prints it)."""

    def waiting(self, text: str) -> None:
        """A wait begins, or goes on with another."""
        ...

    def resumed(self, text: str) -> None:
        """The wait is over: the request went through, or the run gives up."""
        ...


class Unsaid:
    """Says nothing: for library use and tests."""

    def waiting(self, text: str) -> None:
        pass

    def resumed(self, text: str) -> None:
        pass
