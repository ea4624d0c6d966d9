#!/usr/bin/env python3
"""Compares two Moodline output folders: one unsharded run's and a sharded, merged run's.

Every visible file of the first must be in the second with the same bytes, and the second may hold nothing else but
its shard folders (NAME.shard-K-of-N, which merge leaves). A run.json is compared as JSON without what says how
the run went rather than what it found: its times (`timing_s`) and how many photos an earlier, stopped run had done
(`resumed_after_files`). Prints each difference and exits 1 if there is one.

    scripts/compare-outputs.py WANT GOT
"""

import json
import re
import sys
from pathlib import Path

SHARD_FOLDER = re.compile(r".+\.shard-\d+-of-\d+$")


def visible_files(root: Path, skip_shards: bool) -> set[str]:
    found = set()
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if any(part.startswith(".") for part in parts):
            continue
        if skip_shards and SHARD_FOLDER.match(parts[0]):
            continue
        if path.is_file():
            found.add("/".join(parts))
    return found


RUN_HISTORY = ("timing_s", "resumed_after_files")


def without_run_history(path: Path) -> dict:
    record = json.loads(path.read_text(encoding="utf-8"))
    for key in RUN_HISTORY:
        record.pop(key, None)
    return record


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    want, got = Path(sys.argv[1]), Path(sys.argv[2])
    want_files, got_files = visible_files(want, False), visible_files(got, True)
    problems = [f"missing: {name}" for name in sorted(want_files - got_files)]
    problems += [f"not in the unsharded run: {name}" for name in sorted(got_files - want_files)]
    for name in sorted(want_files & got_files):
        if Path(name).name == "run.json":
            same = without_run_history(want / name) == without_run_history(got / name)
        else:
            same = (want / name).read_bytes() == (got / name).read_bytes()
        if not same:
            problems.append(f"differs: {name}")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"compared {len(want_files)} files: {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
