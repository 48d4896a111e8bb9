"""Mutation testing of the planning core with mutmut, and each module's kill rate.

    python scripts/mutation.py                   # every module of [tool.mutmut] only_mutate
    python scripts/mutation.py planner streak    # some of them

Needs `pip install -e '.[test,mutation]'`. The fast tests run against each mutant (the slow
simulations are left out, see the `slow` marker); a surviving mutant a learner would notice is a
missing test: `mutmut show NAME` prints its diff.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_RESULT = re.compile(r"^\s*tracker\.(\w+)\.\S+: (\w[\w ]*)$")


def modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [Path(p).stem for p in config["tool"]["mutmut"]["only_mutate"]]


def main(argv: list[str]) -> int:
    chosen = argv or modules()
    unknown = sorted(set(chosen) - set(modules()))
    if unknown:
        print(f"not in [tool.mutmut] only_mutate: {', '.join(unknown)}", file=sys.stderr)
        return 2
    run = subprocess.run([sys.executable, "-m", "mutmut", "run",
                          *(f"tracker.{m}.*" for m in chosen)],
                         cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    if run.returncode != 0:
        print("mutmut could not run (see above)", file=sys.stderr)
        return 1
    listing = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
    counts: dict[str, Counter[str]] = {m: Counter() for m in chosen}
    for line in listing.splitlines():
        match = _RESULT.match(line)
        if match and match.group(1) in counts:
            counts[match.group(1)][match.group(2)] += 1
    print(f"{'module':<12} {'mutants':>7} {'killed':>7} {'survived':>8} {'other':>6}"
          f" {'kill rate':>9}")
    for module, seen in counts.items():
        total = sum(seen.values())
        killed = seen["killed"]
        survived = seen["survived"]
        rate = f"{100 * killed / total:.0f} %" if total else "-"
        print(f"{module:<12} {total:>7} {killed:>7} {survived:>8} {total - killed - survived:>6}"
              f" {rate:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
