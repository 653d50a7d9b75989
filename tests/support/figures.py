"""Security figures: tests count what they measured; `make security-report` prints the totals.

A pytest plugin (loaded by tests/conftest.py). A test asks for the session-scoped `figures`
fixture and calls `figures.add(name, count)` with a name from `CATALOGUE`, once it has really
measured the thing; `figures.add(name, 0)` records "measured, none found", which the report shows
differently from "not measured". At the end of the session the totals are written as JSON to the
file named by the SECURITY_FIGURES environment variable (nothing is written when it is unset).

Some figures are counted here from real test outcomes rather than by the tests themselves: the
passkey attack tests (names starting test_r7_, test_r8_, test_r9_) and the migration round trips
(test_r26_). An attack counts as rejected only when its test passed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

FIGURES_ENV = "SECURITY_FIGURES"


@dataclass(frozen=True)
class Figure:
    """One number in the security report and what makes it bad."""

    name: str
    label: str
    must_be_zero: bool = False
    must_equal: str | None = None  # another figure this one must match (e.g. rejected == tried)


CATALOGUE: tuple[Figure, ...] = (
    Figure("r2.cells", "R2 access matrix cells covered"),
    Figure("r2.unexpected_2xx", "R2 unexpected 2xx responses", must_be_zero=True),
    Figure("canaries.planted", "R4/R17/R21 canaries planted"),
    Figure("canaries.leaked", "R4/R17/R21 canaries leaked", must_be_zero=True),
    Figure("headers.violations", "R13-R15 header violations", must_be_zero=True),
    Figure("passkeys.attacks_tried", "R7-R9 passkey attacks tried"),
    Figure("passkeys.attacks_rejected", "R7-R9 passkey attacks rejected", must_equal="passkeys.attacks_tried"),
    Figure("r24.rounds_raced", "R24 rounds of writers racing one item from one revision"),
    Figure("r24.writers_raced", "R24 writers raced"),
    Figure("r24.acknowledged", "R24 racing writes acknowledged (one per round)", must_equal="r24.rounds_raced"),
    Figure("r24.words_lost", "R24 writers' words lost (overwritten, or refused unshown)", must_be_zero=True),
    Figure("r25.writes_attempted", "R25 writes sent before and during the crash"),
    Figure("r25.writes_acknowledged", "R25 writes acknowledged (2xx)"),
    Figure("r25.writes_found", "R25 acknowledged writes found after kill -9"),
    Figure("r25.writes_lost", "R25 acknowledged writes lost", must_be_zero=True),
    Figure("r25.server_errors", "R23 5xx answers to concurrent writes (R25 load)", must_be_zero=True),
    Figure("r26.round_trips_run", "R26 migration round trips run"),
    Figure("r26.round_trips_passed", "R26 migration round trips passed", must_equal="r26.round_trips_run"),
    Figure("r27.values_rotated", "R27 encrypted values re-encrypted by key rotation"),
    Figure("r29.bad_inputs_tried", "R29 bad inputs tried (corpus on every form, query and JSON route; path ids)"),
    Figure("r29.server_errors", "R23/R29 5xx answers to bad input", must_be_zero=True),
    Figure("api.operations_fuzzed", "API operations run by schemathesis (every check, stateful links)"),
    Figure("api.cases_generated", "API cases schemathesis generated (Sam and Alex as peers)"),
    Figure(
        "api.contract_failures", "API failures schemathesis found (5xx, schema, auth, object leaks)", must_be_zero=True
    ),
)
NAMES = frozenset(figure.name for figure in CATALOGUE)

# Test-name prefixes whose outcomes are figures: (prefixes, figure counted when run, when passed).
OUTCOME_FIGURES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("test_r7_", "test_r8_", "test_r9_"), "passkeys.attacks_tried", "passkeys.attacks_rejected"),
    (("test_r26_",), "r26.round_trips_run", "r26.round_trips_passed"),
)


class Figures:
    """Counts collected during one pytest session."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, name: str, count: int = 1) -> None:
        """Add `count` to a figure; adding 0 marks it as measured."""
        if name not in NAMES:
            raise KeyError(f"unknown security figure {name!r}: add it to CATALOGUE in {__name__}")
        if count < 0:
            raise ValueError("figures only count up")
        self.counts[name] = self.counts.get(name, 0) + count


class _Outcomes:
    def __init__(self) -> None:
        self.passed = self.failed = self.errors = self.skipped = 0


_figures_key = pytest.StashKey[Figures]()
_outcomes_key = pytest.StashKey[_Outcomes]()


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_figures_key] = Figures()
    config.stash[_outcomes_key] = _Outcomes()
    # Under pytest-xdist the controller sees every worker's test reports: it alone counts outcomes
    # and writes the file; each worker hands back what its tests added (_WorkerFigures).
    if _is_xdist_worker(config):
        config.pluginmanager.register(_WorkerFigures(config), "security-figures-worker")
    else:
        config.pluginmanager.register(_OutcomeCounter(config), "security-figures-outcomes")


@pytest.fixture(scope="session")
def figures(pytestconfig: pytest.Config) -> Figures:
    """The session's figures: `figures.add("canaries.leaked", n)`."""
    return pytestconfig.stash[_figures_key]


class _WorkerFigures:
    """In a pytest-xdist worker: send the figures its tests added back to the controller."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self.config.workeroutput["security_figures"] = dict(self.config.stash[_figures_key].counts)  # type: ignore[attr-defined]


class _OutcomeCounter:
    """Counts test outcomes as they are reported, so the figures come from what really ran."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        outcomes = self.config.stash[_outcomes_key]
        figures = self.config.stash[_figures_key]
        if report.skipped:
            outcomes.skipped += report.when in ("setup", "call")
            return
        if report.failed and report.when != "call":
            outcomes.errors += 1
        elif report.when == "call":
            outcomes.passed += report.passed
            outcomes.failed += report.failed
        name = report.nodeid.rsplit("::", 1)[-1]
        # An attack whose setup failed was meant to be tried and was not shown rejected: count it.
        counted = report.when == "call" or (report.when == "setup" and report.failed)
        if not counted:
            return
        for prefixes, run, passed in OUTCOME_FIGURES:
            if name.startswith(prefixes):
                figures.add(run)
                figures.add(passed, int(report.when == "call" and report.passed))

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: object, error: object) -> None:
        """A pytest-xdist worker finished: add the figures its tests measured."""
        figures = self.config.stash[_figures_key]
        for name, count in getattr(node, "workeroutput", {}).get("security_figures", {}).items():
            figures.add(name, count)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.config.stash[_outcomes_key].errors += 1

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        target = os.environ.get(FIGURES_ENV)
        if not target:
            return
        outcomes = self.config.stash[_outcomes_key]
        payload = {
            "figures": self.config.stash[_figures_key].counts,
            "suite": {
                "exitstatus": int(exitstatus),
                "passed": outcomes.passed,
                "failed": outcomes.failed,
                "errors": outcomes.errors,
                "skipped": outcomes.skipped,
            },
        }
        Path(target).write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
