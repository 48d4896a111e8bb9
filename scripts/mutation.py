"""Mutation testing of the planning core with mutmut, and each module's kill rate.

    python scripts/mutation.py                   # every module of [tool.mutmut] only_mutate
    python scripts/mutation.py planner streak    # some of them
    python scripts/mutation.py --sample 60 planner daily   # 60 mutants of each, drawn at random

Needs `pip install -e '.[test,mutation]'`. The fast tests run against each mutant (the slow
simulations are left out, see the `slow` marker); a surviving mutant a learner would notice is a
missing test: `mutmut show NAME` prints its diff.

A large module has a thousand mutants; `--sample N` runs N of each module's, drawn with a fixed
seed (`--seed`), and prints the kill rate with its 95 % margin, so a busy machine can still say
how strong the tests are in minutes rather than hours.
"""

from __future__ import annotations

import argparse
import json
import math
import random
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


def mutant_names(module: str) -> list[str]:
    """Every mutant mutmut made of MODULE, from the file it keeps beside the mutated copy."""
    meta = ROOT / "mutants" / "tracker" / f"{module}.py.meta"
    return sorted(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])


def mutmut(*args: str, quiet: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=ROOT, check=False,
                          stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL if quiet else None, text=True)


def draw(chosen: list[str], size: int, seed: int) -> list[str]:
    """SIZE mutants of each module, the same ones for the same seed and the same code."""
    # Makes the mutants and the map of which tests reach them, then stops: no mutant matches.
    mutmut("run", "tracker.__none__.*", quiet=True)
    rng = random.Random(seed)
    names: list[str] = []
    for module in chosen:
        every = mutant_names(module)
        names += rng.sample(every, min(size, len(every)))
    return names


def tally(chosen: list[str], only: set[str] | None) -> dict[str, Counter[str]]:
    listing = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
    counts: dict[str, Counter[str]] = {m: Counter() for m in chosen}
    for line in listing.splitlines():
        match = _RESULT.match(line)
        if not match or match.group(1) not in counts:
            continue
        if only is None or line.strip().split(":")[0] in only:
            counts[match.group(1)][match.group(2)] += 1
    return counts


def margin(killed: int, total: int) -> str:
    """The 95 % margin of a kill rate measured on a sample (normal approximation)."""
    rate = killed / total
    return f" ± {100 * 1.96 * math.sqrt(rate * (1 - rate) / total):.0f}"


def report(counts: dict[str, Counter[str]], sampled: bool) -> None:
    print(f"{'module':<12} {'mutants':>7} {'killed':>7} {'survived':>8} {'other':>6}"
          f" {'kill rate':>9}")
    for module, seen in counts.items():
        total = sum(seen.values())
        killed = seen["killed"]
        survived = seen["survived"]
        rate = f"{100 * killed / total:.0f} %" if total else "-"
        if sampled and total:
            rate += margin(killed, total)
        print(f"{module:<12} {total:>7} {killed:>7} {survived:>8} {total - killed - survived:>6}"
              f" {rate:>9}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*")
    parser.add_argument("--sample", type=int, default=0, help="mutants drawn per module")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    chosen = args.modules or modules()
    unknown = sorted(set(chosen) - set(modules()))
    if unknown:
        print(f"not in [tool.mutmut] only_mutate: {', '.join(unknown)}", file=sys.stderr)
        return 2
    names = draw(chosen, args.sample, args.seed) if args.sample else []
    run = mutmut("run", *(names or [f"tracker.{m}.*" for m in chosen]))
    if run.returncode != 0:
        print("mutmut could not run (see above)", file=sys.stderr)
        return 1
    report(tally(chosen, set(names) if names else None), sampled=bool(names))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
