"""Run tini's test/run_inner_tests.py and report each of its tests on its own.

That suite is one main() whose asserts stop it at the first failure, so a single
deliberate difference would hide every test after it. This driver compiles the
suite's own source (from the fetched Debian source package; nothing of it is kept in
this repository) with every `assert` turned into a recorded check, and names each
test by the "Running ..." line the suite prints before it, with directories
stripped from paths ("Running reaping test (subreaper-proxy.py tini with env {})").
A child that hangs fails its test instead of the whole run: Popen.wait() and
communicate() without a timeout get PEERS_STEP_TIMEOUT seconds (default 60), then
the process and its descendants are killed.

Usage:  tini_inner.py RUN_INNER_TESTS_PY REPORT
        (SOURCE_DIR, BUILD_DIR and FORCE_SUBREAPER as the suite itself reads them)
REPORT gets "#started ID" as each test starts, one line per test when it ends:
"passed<TAB>ID<TAB>" or "failed<TAB>ID<TAB>why", then "#finished 0" if the suite ran
to its end.
"""
import ast
import builtins
import os
import re
import subprocess
import sys
import time

import psutil

STEP = float(os.environ.get("PEERS_STEP_TIMEOUT", "60"))
SETTLE = 0.5


def test_id(line):
    """The suite's header line with directories dropped from every absolute path."""
    return re.sub(r"(?:/[^\s/'\"()]+)*/(?=[^\s/'\"()])", "", line.strip())


class Recorder:
    def __init__(self, path):
        self.path = path
        self.name = None
        self.why = []
        self.seen = set()
        open(path, "w").close()

    def _write(self, line):
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")

    def _close(self):
        if self.name is None and not self.why:
            return
        name = self.name or "(before the first test)"
        if self.why:
            self._write("failed\t{}\t{}".format(name, " | ".join(self.why[:5])))
        else:
            self._write("passed\t{}\t".format(name))

    def start(self, line):
        self._close()
        name, n = test_id(line), 2
        while name in self.seen:
            name, n = "{} #{}".format(test_id(line), n), n + 1
        self.seen.add(name)
        self.name, self.why = name, []
        self._write("#started " + name)

    def fail(self, msg, lineno=None):
        where = " (line {})".format(lineno) if lineno else ""
        text = " ".join(str(msg).split()) if msg is not None else "assertion failed"
        self.why.append(text[:300] + where)
        builtins.print("peers: FAIL{}: {}".format(where, text[:300]), flush=True)

    def finish(self, completed):
        self._close()
        self.name, self.why = None, []
        self._write("#finished 0" if completed else "#aborted")


class AssertToCheck(ast.NodeTransformer):
    """`assert c, m` -> `if not c: __peers_fail__(m, lineno)`: record, then go on."""

    def visit_Assert(self, node):
        msg = node.msg if node.msg is not None else ast.Constant(None)
        call = ast.Call(
            func=ast.Name(id="__peers_fail__", ctx=ast.Load()),
            args=[msg, ast.Constant(node.lineno)],
            keywords=[],
        )
        check = ast.If(test=ast.UnaryOp(op=ast.Not(), operand=node.test),
                       body=[ast.Expr(value=call)], orelse=[])
        return ast.copy_location(check, node)


def kill_tree(proc):
    try:
        kids = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        kids = []
    for p in kids + [proc]:
        try:
            p.kill()
        except (psutil.Error, OSError):
            pass


def bound_popen(rec):
    wait, communicate = subprocess.Popen.wait, subprocess.Popen.communicate

    def bounded_wait(self, timeout=None):
        if timeout is not None:
            return wait(self, timeout)
        try:
            return wait(self, STEP)
        except subprocess.TimeoutExpired:
            rec.fail("{} still running after {:g} s: killed".format(test_id(" ".join(
                map(str, self.args))), STEP))
            kill_tree(self)
            return wait(self)

    def bounded_communicate(self, input=None, timeout=None):
        if timeout is not None:
            return communicate(self, input, timeout)
        try:
            return communicate(self, input, STEP)
        except subprocess.TimeoutExpired:
            rec.fail("{} still running after {:g} s: killed".format(test_id(" ".join(
                map(str, self.args))), STEP))
            kill_tree(self)
            return communicate(self)

    subprocess.Popen.wait = bounded_wait
    subprocess.Popen.communicate = bounded_communicate


def main():
    suite, report = sys.argv[1], sys.argv[2]
    rec = Recorder(report)
    bound_popen(rec)

    def hooked_print(*args, **kwargs):
        if args and isinstance(args[0], str) and re.match(r"(?i)running ", args[0]):
            rec.start(args[0])
        kwargs.setdefault("flush", True)
        builtins.print(*args, **kwargs)

    with open(suite, encoding="utf-8") as f:
        tree = ast.fix_missing_locations(AssertToCheck().visit(ast.parse(f.read(), suite)))
    ns = {"__name__": "tini_inner_tests", "__file__": suite,
          "print": hooked_print, "__peers_fail__": rec.fail}
    exec(compile(tree, suite, "exec"), ns)

    # busy_wait(cond, timeout) polls cond(); a condition that raises (psutil on a
    # process that is already gone) counts as "not yet" instead of ending the run.
    # Once it is met, wait SETTLE seconds more: the process group test sends SIGUSR1
    # as soon as it sees two processes under the init, and the second one may still be
    # a forked Python that has not yet reset SIGUSR1 (ignored by its parent) to the
    # default in its preexec_fn; the signal is then lost and the test hangs. Seen with
    # Debian's tini too, in about one run of five. A short pause lets the process
    # tree the test waits for finish its own set-up; nothing the test asserts changes.
    suite_busy_wait = ns["busy_wait"]

    def busy_wait(condition, timeout):
        met = []

        def guarded():
            try:
                met[:] = [bool(condition())]
            except Exception:  # noqa: BLE001 - any error means "not met"
                met[:] = [False]
            return met[0]
        suite_busy_wait(guarded, timeout)
        if met and met[0]:
            time.sleep(SETTLE)

    ns["busy_wait"] = busy_wait

    # The signal configuration step prints every signal of the child's SigIgn/SigBlk by
    # name, from a table of the names Python knows; a signal it has no name for (32 or 33,
    # which glibc keeps for itself and Python cannot reset, ignored by whatever started the
    # run) would end the whole suite with a KeyError before its assertions, which look only
    # at named signals. Unknown numbers print as SIG<n>.
    class Names(dict):
        def __missing__(self, signum):
            return "SIG{}".format(signum)

    ns["SIGNUM_TO_SIGNAME"] = Names(ns["SIGNUM_TO_SIGNAME"])
    try:
        ns["main"]()
    except BaseException as e:  # noqa: BLE001 - record it against the running test
        rec.fail("{}: {}".format(type(e).__name__, e))
        rec.finish(False)
        raise
    rec.finish(True)


if __name__ == "__main__":
    main()
