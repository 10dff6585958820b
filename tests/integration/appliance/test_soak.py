"""The soak driver (perf/soak) against a real appliance for a few seconds
(issue 7, Soak): several clients, each its own socket, pid and export, do a
seeded mix of locked writes, reads, stats and lockahead on shared objects;
every read, stat and the final read-back of every object agree with the
model of what was acknowledged. The long run is scripts/soak (run-main)."""
import json

from conftest import BUILD

SOAK = BUILD / "perf" / "soak" / "soak"


def soak(appliance, *args, seconds):
    assert SOAK.exists(), f"{SOAK} is not built"
    result = appliance.exec(SOAK, appliance.nid, "--seconds", seconds, *args, timeout=seconds + 120)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, (result.returncode, result.stdout, result.stderr)
    return result, json.loads(lines[-1])


def test_a_short_soak_verifies_every_object(appliance):
    result, doc = soak(appliance, "--clients", 3, "--objects", 2, "--object-span", 1 << 20, "--max-io", 64 << 10,
                       "--first-object", 91000, "--seed", 7, seconds=5)
    assert result.returncode == 0, (doc, result.stderr)
    assert (doc["mismatches"], doc["failures"]) == (0, 0), doc
    assert all(doc["ops"][kind] > 0 for kind in ("write", "read", "stat", "lockahead")), doc
    assert doc["verified_bytes"] > 0 and doc["bytes_written"] > 0, doc
    assert appliance.alive(), appliance.log()[-3000:]


def test_data_the_model_did_not_see_is_a_mismatch(appliance):
    """A negative control of the verification: a second soak on the first
    one's objects starts from an empty model, so what the first wrote shows
    as mismatches and the driver fails."""
    args = ("--clients", 1, "--objects", 1, "--object-span", 256 << 10, "--max-io", 16 << 10,
            "--first-object", 92000)
    first, doc = soak(appliance, *args, "--seed", 1, seconds=2)
    assert first.returncode == 0 and doc["mismatches"] == 0, doc
    second, doc = soak(appliance, *args, "--seed", 2, seconds=1)
    assert second.returncode == 1 and doc["mismatches"] > 0, doc
    assert "differ" in doc["first_problem"] or "size" in doc["first_problem"], doc


def test_bad_usage_is_refused(appliance):
    result = appliance.exec(SOAK, appliance.nid, "--clients", "many")
    assert result.returncode == 2 and "--clients needs a number" in result.stderr, result.stderr
