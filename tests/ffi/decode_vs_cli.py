#!/usr/bin/env python3
"""examples/c/build/decode against `vpsgate decode --from php` on the codec's PHP-generated cases.

    decode_vs_cli.py CASES.jsonl VPSGATE_CLI DECODE_BINARY [REJECTED_STRIDE]

CASES.jsonl is the output of crates/vpsgate/tests/php/gen_cases.php (inputs written by real PHP
serialize() and seeded mutations of them, with PHP's verdict). Every case PHP accepts is
compared, and every REJECTED_STRIDE-th case it rejects (default 10). For each: the same stdout
byte for byte, the same exit status, and for malformed input exactly one line on stderr.
"""

import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def compare(args):
    index, data, cli, decode, tmp = args
    path = os.path.join(tmp, f"case{index}")
    with open(path, "wb") as f:
        f.write(data)
    try:
        want = run([cli, "decode", "--from", "php", path])
        got = run([decode, path])
    finally:
        os.unlink(path)
    problems = []
    if got[0] != want[0] or got[1] != want[1]:
        problems.append(f"exit {got[0]} vs CLI {want[0]}; stdout {got[1][:200]!r} vs CLI {want[1][:200]!r}")
    if got[0] != 0 and got[2].count(b"\n") != 1:
        problems.append(f"stderr is not one line: {got[2][:300]!r}")
    return index, data, got[0], problems


def main():
    cases_path, cli, decode = sys.argv[1:4]
    stride = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    picked, rejected = [], 0
    with open(cases_path) as f:
        for i, line in enumerate(f):
            row = json.loads(line)
            if not row["ok"]:
                rejected += 1
                if rejected % stride:
                    continue
            picked.append((i, bytes.fromhex(row["in"])))
    failures, accepted, errors = 0, 0, 0
    with tempfile.TemporaryDirectory() as tmp, concurrent.futures.ThreadPoolExecutor(2) as pool:
        jobs = [(i, data, cli, decode, tmp) for i, data in picked]
        for index, data, status, problems in pool.map(compare, jobs):
            if status == 0:
                accepted += 1
            else:
                errors += 1
            if problems:
                failures += 1
                if failures <= 10:
                    print(f"case {index} (input {data[:80]!r}): " + "; ".join(problems), file=sys.stderr)
    print(f"decode_vs_cli: {len(picked)} cases ({accepted} decoded, {errors} malformed), {failures} differ")
    return 1 if failures or not picked else 0


if __name__ == "__main__":
    sys.exit(main())
