#!/usr/bin/env python3
"""Counts results per test case, for one build dir or several.

  test_summary.py [BUILD [meson test args...]]
      Runs `meson test` in BUILD (default build/). Each gtest binary writes its
      XML report into BUILD/test-results/ (named after the binary); a pytest
      suite writes its JUnit XML there named after its meson test
      (`--junitxml=.../<name>.xml`). A meson test with no report (or one that
      crashed before writing it) counts as one test with meson's verdict.
  test_summary.py --reports BUILD [--expect NAME...]
      Runs nothing: counts the JUnit/gtest XML reports already in
      BUILD/test-results/ (scripts/run-fuzz writes them). An expected report
      that is missing counts as one failed test.
  test_summary.py --total BUILD...
      Adds up what earlier runs of the two forms above counted in each BUILD
      (saved in BUILD/test-summary.json); a BUILD with no saved count is one
      failed test.

Each form prints one line per test (or per build dir), then the closing line
`N passed, N failed[, N skipped]`, and exits non-zero if anything failed or
nothing passed. With --stage (first two forms) the closing line is prefixed
by the build dir, so that a command running several stages prints one
unprefixed closing line: the --total one.
"""
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

SUMMARY_FILE = "test-summary.json"


def count_gtest_xml(path):
    passed = failed = skipped = 0
    failures = []
    for case in ET.parse(path).getroot().iter("testcase"):
        name = f"{case.get('classname')}.{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
            failures.append(name)
        elif case.get("result") == "skipped" or case.get("status") == "notrun" \
                or case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped, failures


class Tally:
    def __init__(self):
        self.totals = [0, 0, 0]
        self.failures = []

    def add(self, name, passed, failed, skipped, failures):
        print(f"  {name:<28} {passed:5d} passed {failed:5d} failed {skipped:5d} skipped")
        for i, value in enumerate((passed, failed, skipped)):
            self.totals[i] += value
        self.failures += failures

    def finish(self, prefix="", save_in=None):
        for failure in self.failures:
            print(f"FAILED: {failure}")
        line = f"{self.totals[0]} passed, {self.totals[1]} failed"
        if self.totals[2]:
            line += f", {self.totals[2]} skipped"
        print(prefix + line, flush=True)
        if save_in:
            with open(os.path.join(save_in, SUMMARY_FILE), "w") as out:
                json.dump({"passed": self.totals[0], "failed": self.totals[1],
                           "skipped": self.totals[2], "failures": self.failures}, out)
        return 1 if self.totals[1] or self.totals[0] == 0 else 0


def run_meson_tests(build, extra, tally):
    results = os.path.abspath(os.path.join(build, "test-results"))
    shutil.rmtree(results, ignore_errors=True)
    os.makedirs(results)
    env = dict(os.environ, GTEST_OUTPUT=f"xml:{results}/", GTEST_COLOR="no")
    subprocess.run(["meson", "test", "-C", build, "--print-errorlogs", *extra], env=env)

    with open(os.path.join(build, "meson-logs", "testlog.json")) as log:
        for line in log:
            test = json.loads(line)
            # "ostd:unit / ldlm" -> "ldlm": what a suite names its report after
            name, verdict = test["name"].split(" / ")[-1], test["result"]
            report = os.path.join(results, name + ".xml")
            if not os.path.exists(report):
                report = os.path.join(results, os.path.basename(test["command"][0]) + ".xml")
            if os.path.exists(report) and verdict in ("OK", "FAIL", "EXPECTEDFAIL"):
                passed, failed, skipped, failures = count_gtest_xml(report)
                if verdict == "FAIL" and failed == 0:
                    failed, failures = 1, [f"{name} (exit status)"]
            else:
                passed = int(verdict == "OK")
                skipped = int(verdict == "SKIP")
                failed = 1 - passed - skipped
                failures = [f"{name} ({verdict})"] if failed else []
            tally.add(name, passed, failed, skipped, failures)


def count_reports(build, expected, tally):
    results = os.path.join(build, "test-results")
    reports = sorted(f[:-4] for f in os.listdir(results) if f.endswith(".xml")) \
        if os.path.isdir(results) else []
    for name in reports:
        try:
            tally.add(name, *count_gtest_xml(os.path.join(results, name + ".xml")))
        except ET.ParseError as error:
            tally.add(name, 0, 1, 0, [f"{name} (unreadable report: {error})"])
    for name in expected:
        if name not in reports:
            tally.add(name, 0, 1, 0, [f"{name} (no report)"])


def add_saved(builds, tally):
    for build in builds:
        try:
            with open(os.path.join(build, SUMMARY_FILE)) as saved:
                s = json.load(saved)
            tally.add(os.path.basename(os.path.normpath(build)), s["passed"], s["failed"], s["skipped"],
                      [f"{os.path.basename(os.path.normpath(build))}: {f}" for f in s["failures"]])
        except (OSError, ValueError, KeyError):
            tally.add(build, 0, 1, 0, [f"{build} (no test results)"])


def main(argv):
    stage = "--stage" in argv
    argv = [a for a in argv if a != "--stage"]
    tally = Tally()
    if argv and argv[0] == "--total":
        add_saved(argv[1:], tally)
        return tally.finish()
    if argv and argv[0] == "--reports":
        build = argv[1]
        expected = argv[argv.index("--expect") + 1:] if "--expect" in argv else []
        count_reports(build, expected, tally)
    else:
        build = argv[0] if argv else "build"
        run_meson_tests(build, argv[1:], tally)
    prefix = f"[{os.path.basename(os.path.normpath(build))}] " if stage else ""
    return tally.finish(prefix, save_in=build)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
