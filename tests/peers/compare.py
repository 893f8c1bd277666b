"""Compare one peer suite's results with its list of expected failures.

Usage:  compare.py SUITE REPORT EXPECTED   (or  compare.py --report-only SUITE REPORT)

REPORT: lines "OUTCOME<TAB>TEST-ID<TAB>why" (OUTCOME passed, failed or skipped), plus
"#started TEST-ID" as each test starts and "#finished N" when the suite ran to its end
(peers_report.py, tini_inner.py); a test started but never reported failed.
EXPECTED: one test id per line, each with its reason after " #":

    tests/cli_test.py::test_verbose[-v]  # reason, said once per line

Blank lines and lines starting with "#" are comments. The exit status is 1 when a
test failed that is not listed, when a listed test passed (the list must stay
exact), when a listed id was not run at all, when an entry has no reason, or when
the suite did not run to its end; 0 otherwise.
"""
import sys


def read_report(path):
    results, finished, started = {}, False, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#finished"):
                finished = True
            if line.startswith("#started "):
                started = line[len("#started "):]
            if not line or line.startswith("#"):
                continue
            outcome, test, why = (line.split("\t") + ["", ""])[:3]
            results[test] = (outcome, why)
    return results, finished, started


def read_expected(path):
    expected, problems = {}, []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            test, sep, reason = line.partition(" #")
            test, reason = test.strip(), reason.strip()
            if not sep or not reason:
                problems.append("{}:{}: no '# reason' for {}".format(path, n, test))
            if test in expected:
                problems.append("{}:{}: {} listed twice".format(path, n, test))
            expected[test] = reason
    return expected, problems


def main(argv):
    report_only = argv[:1] == ["--report-only"]
    if report_only:
        argv = argv[1:]
    suite, report = argv[0], argv[1]
    results, finished, started = read_report(report)
    if not finished and started and started not in results:
        results[started] = ("failed", "the run stopped during this test")
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for outcome, _ in results.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    failed = sorted(t for t, (o, _) in results.items() if o == "failed")

    if report_only:
        for t in failed:
            print("  failed  {}  -- {}".format(t, results[t][1]))
        print("peers {}: {} passed, {} failed, {} skipped{} (report only, not compared)".format(
            suite, counts["passed"], counts["failed"], counts["skipped"],
            "" if finished else ", RUN INCOMPLETE"))
        return 0 if finished else 1

    expected, problems = read_expected(argv[2])
    bad = list(problems)
    for t in failed:
        if t not in expected:
            bad.append("UNEXPECTED FAILURE  {}  -- {}".format(t, results[t][1]))
    not_run = 0
    for t, reason in sorted(expected.items()):
        outcome = results.get(t, ("not run", ""))[0]
        if outcome == "passed":
            bad.append("UNEXPECTED PASS     {}  (listed: {}; remove it from {})".format(
                t, reason, argv[2]))
        elif outcome != "failed" and finished:
            bad.append("LISTED, {}  {}  (stale entry in {})".format(outcome.upper(), t, argv[2]))
        elif outcome != "failed":
            not_run += 1
    if not finished:
        bad.append("the suite did not run to its end (killed, timed out or crashed); "
                   "{} listed tests did not run".format(not_run))
    for line in bad:
        print("  " + line)
    n_expected = sum(1 for t in failed if t in expected)
    print("peers {}: {} passed, {} failed ({} expected, {} unexpected), {} skipped: {}".format(
        suite, counts["passed"], counts["failed"], n_expected, counts["failed"] - n_expected,
        counts["skipped"], "FAIL" if bad else "ok"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
