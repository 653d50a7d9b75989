"""Run the test suite and print the security figures it measured (`make security-report`).

The tests count what they checked through the `figures` fixture (tests/support/figures.py); this
script runs pytest with SECURITY_FIGURES pointing at a scratch file, then prints the totals. A
figure no test measured prints as "not measured", never as 0. Exits non-zero when a test failed,
when a figure that must be 0 is not (a leak, an unexpected 2xx, a lost write...), or when one that
must match another does not (an attack that was tried but not shown rejected).

    python bench/security_report.py            # tests/ only
    python bench/security_report.py --e2e      # and the browser tests (needs Chromium)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from tests.support.figures import CATALOGUE, FIGURES_ENV, NAMES  # noqa: E402 - needs the path above


def database_name() -> str:
    """Which database the tests use, without any password the URL may hold."""
    from sqlalchemy.engine import make_url

    url = os.environ.get("DATABASE_URL")
    return make_url(url).render_as_string(hide_password=True) if url else "SQLite"


def run_suite(paths: list[str], extra: list[str]) -> dict[str, Any]:
    """Run pytest on `paths` with the figures plugin; return what it wrote."""
    with tempfile.TemporaryDirectory(prefix="security-figures-") as scratch:
        target = Path(scratch) / "figures.json"
        env = {**os.environ, FIGURES_ENV: str(target)}
        # -p loads the plugin for suites whose conftest does not (e2e); loading it twice is a no-op.
        command = [sys.executable, "-m", "pytest", *paths, "-q", "-p", "tests.support.figures", *extra]
        print(f"• {' '.join(['pytest', *command[3:]])}  (database: {database_name()})")
        done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=False)
        if not target.exists():
            return {"figures": {}, "suite": {"exitstatus": done.returncode or 1, "missing": True}}
        result: dict[str, Any] = json.loads(target.read_text())
        return result


def merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    figures: dict[str, int] = {}
    suite: dict[str, int] = {"exitstatus": 0, "passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    for run in runs:
        for name, count in run["figures"].items():
            figures[name] = figures.get(name, 0) + count
        for key in ("passed", "failed", "errors", "skipped"):
            suite[key] += run["suite"].get(key, 0)
        suite["exitstatus"] = suite["exitstatus"] or run["suite"]["exitstatus"]
    return {"figures": figures, "suite": suite}


def report(result: dict[str, Any]) -> int:
    """Print the table; return the number of problems found."""
    figures: dict[str, int] = result["figures"]
    suite = result["suite"]
    problems: list[str] = []
    width = max(len(figure.label) for figure in CATALOGUE)
    print("\nSecurity figures")
    print(f"  {'':{width}}  {'count':>12}")
    for figure in CATALOGUE:
        count = figures.get(figure.name)
        verdict = ""
        if count is None:
            shown = "not measured"
        else:
            shown = str(count)
            if figure.must_be_zero and count != 0:
                verdict = "  << must be 0"
            elif figure.must_equal is not None and figures.get(figure.must_equal) not in (None, count):
                verdict = f"  << must equal {figures[figure.must_equal]}"
            if verdict:
                problems.append(f"{figure.label}: {count}")
        print(f"  {figure.label:{width}}  {shown:>12}{verdict}")
    for name in sorted(set(figures) - NAMES):
        print(f"  {name:{width}}  {figures[name]:>12}  (not in the catalogue)")
    print(
        f"\nTests: {suite['passed']} passed, {suite['failed']} failed, {suite['errors']} errors, "
        f"{suite['skipped']} skipped or xfailed (pytest exit status {suite['exitstatus']})"
    )
    if suite["exitstatus"] != 0:
        problems.append(f"pytest exited with status {suite['exitstatus']}")
    if problems:
        print("\nProblems:")
        for problem in problems:
            print(f"  - {problem}")
    else:
        print("\nNo leaks, unexpected answers, lost writes or failed tests.")
    return len(problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--e2e", action="store_true", help="also run the browser tests in e2e/")
    parser.add_argument("pytest_args", nargs="*", help="passed on to pytest (after --)")
    args = parser.parse_args(argv)
    # The unit and integration tests spread over the cores as `make test` does (the figures plugin
    # gathers what each pytest-xdist worker measured); the browser tests run in one process.
    runs = [run_suite(["tests"], ["-n", "auto", "--dist", "loadfile", *args.pytest_args])]
    if args.e2e:
        # A separate run: e2e has its own conftest and fixtures, and must not share a session with tests/.
        runs.append(run_suite(["e2e"], args.pytest_args))
    return 1 if report(merge(runs)) else 0


if __name__ == "__main__":
    sys.exit(main())
