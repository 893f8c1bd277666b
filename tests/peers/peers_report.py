"""pytest plugin for tests/peers/run.sh: one line per test, as each test ends.

Loaded with `-p peers_report` (tests/peers on PYTHONPATH). Writes to $PEERS_REPORT:

    passed<TAB>NODEID<TAB>
    failed<TAB>NODEID<TAB>first line of the failure (setup, call or teardown)
    skipped<TAB>NODEID<TAB>reason

and `#collected N` once, `#started NODEID` as each test starts, `#finished N` when the
session ends normally, so that compare.py can tell a complete run from one that was
killed half-way, and where it was.
"""
import os

_REPORT = os.environ.get("PEERS_REPORT")
_state = {}


def _write(line):
    if _REPORT:
        with open(_REPORT, "a", encoding="utf-8") as f:
            f.write(line + "\n")


def _one_line(text):
    text = " ".join(str(text).split())
    return text[:300]


def _why(report):
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return _one_line(crash.message)
    if isinstance(report.longrepr, tuple):  # skip: (file, line, reason)
        return _one_line(report.longrepr[-1])
    return _one_line(report.longreprtext.strip().splitlines()[-1] if report.longreprtext else "")


def pytest_collection_modifyitems(items):
    _write("#collected {}".format(len(items)))


def pytest_runtest_logstart(nodeid, location):
    _write("#started " + nodeid)


def pytest_runtest_logreport(report):
    outcome, why = _state.get(report.nodeid, ("passed", ""))
    if report.failed and outcome != "failed":
        outcome, why = "failed", "[{}] {}".format(report.when, _why(report))
    elif report.skipped and outcome == "passed":
        outcome, why = "skipped", _why(report)
    _state[report.nodeid] = (outcome, why)
    if report.when == "teardown":
        _write("{}\t{}\t{}".format(outcome, report.nodeid, why))
        del _state[report.nodeid]


def pytest_sessionfinish(session, exitstatus):
    _write("#finished {}".format(int(exitstatus)))
