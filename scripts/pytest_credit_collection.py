"""pytest plugin loaded by scripts/test.sh: a test fails for what it checks, not for the load.

Property tests (hypothesis) have no deadline and no "input generation is slow" health
check: on a shared two-core machine a draw can take seconds, and timing is what benchmarks
measure, not tests.

Browser tours run, or the run fails: Odoo's test browser gives headless Chromium 10 s to
open its DevTools port and otherwise *skips* the tour. On a loaded two-core machine
Chromium sometimes needs longer, and a skipped tour is a test that cannot fail. Here
Chromium gets 60 s, and a tour skipped because the browser could not be started or
reached counts as a failure.
"""

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "credit_collection", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("credit_collection")

BROWSER_START_SECONDS = 60


def pytest_configure(config):
    from odoo.tests import common  # noqa: PLC0415 (Odoo is configured by pytest-odoo first)

    common.CHECK_BROWSER_ITERATIONS = int(BROWSER_START_SECONDS / common.CHECK_BROWSER_SLEEP)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and "chrome" in str(report.longrepr).lower():
        report.outcome = "failed"
        report.longrepr = f"browser tour could not run, which fails the run: {report.longrepr}"
