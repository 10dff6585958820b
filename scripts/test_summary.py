#!/usr/bin/env python3
"""Runs `meson test` and counts results per test case.

Each gtest binary writes its XML report into build/test-results/ (named after
the binary); a pytest suite writes its JUnit XML there named after its meson
test (`--junitxml=.../<name>.xml`). A meson test with no report (or one that
crashed before writing it) counts as one test with meson's verdict. Prints one line per meson test, then the closing
line `N passed, N failed[, N skipped]`, and exits non-zero if anything failed.
"""
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET


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


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    results = os.path.abspath(os.path.join(build, "test-results"))
    shutil.rmtree(results, ignore_errors=True)
    os.makedirs(results)
    env = dict(os.environ, GTEST_OUTPUT=f"xml:{results}/", GTEST_COLOR="no")
    extra = sys.argv[2:]
    subprocess.run(["meson", "test", "-C", build, "--print-errorlogs", *extra], env=env)

    totals = [0, 0, 0]
    all_failures = []
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
            print(f"  {name:<28} {passed:5d} passed {failed:5d} failed {skipped:5d} skipped")
            for i, value in enumerate((passed, failed, skipped)):
                totals[i] += value
            all_failures += failures

    for failure in all_failures:
        print(f"FAILED: {failure}")
    line = f"{totals[0]} passed, {totals[1]} failed"
    if totals[2]:
        line += f", {totals[2]} skipped"
    print(line)
    return 1 if totals[1] or totals[0] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
