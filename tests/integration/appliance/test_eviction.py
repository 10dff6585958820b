"""A client that dies holding a conflicting lock is evicted after the
callback timeout, and the client waiting for the lock proceeds (issue 5,
test 4). A takes a PW lock (a write left in its writeback cache) and is
SIGKILLed; B writes the same range: B's enqueue waits, ostd sends A a
blocking AST that nobody answers, after the callback timeout (5 s) A's export
is evicted and its locks cancelled, B is granted and its write completes."""
import json
import signal
import time

from conftest import OSTIO

MiB = 1 << 20


def ldlm(appliance):
    return appliance.ostctl("show", "ldlm", "namespaces")


def exports(appliance):
    return {e["pid"]: e for e in appliance.ostctl("show", "exports")["exports"]}


def hold_a_dirty_pw_lock(appliance, ostio_run, obj):
    a = ostio_run(appliance)
    a.do(f"write {obj} 0 {MiB} pattern 1")
    held = a.do("locks")["locks"]
    assert [(l["mode"], l["state"]) for l in held] == [("PW", "granted")], held
    assert appliance.ostctl("show", "locks", str(obj))["locks"][0]["mode"] == "PW"
    return a


def test_killed_lock_holder_is_evicted_and_the_waiter_proceeds(appliance, ostio_run):
    obj = 4001
    timeout_ms = ldlm(appliance)["service"]["callback_timeout_ms"]
    assert timeout_ms == 5000
    a = hold_a_dirty_pw_lock(appliance, ostio_run, obj)
    before = ldlm(appliance)
    pids_before = set(exports(appliance))
    a.process.send_signal(signal.SIGKILL)  # `ip netns exec` exec()s ostio: this is the client
    a.process.wait(timeout=10)

    started = time.monotonic()
    result = appliance.exec(OSTIO, "write", appliance.nid, obj, "--offset", 0, "--size", MiB,
                            "--pattern", 2, "--json", timeout=30)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, (result.stdout, result.stderr, appliance.log()[-2000:])
    # B waited for the callback timeout, not much more.
    assert timeout_ms / 1000 - 0.5 <= elapsed < timeout_ms / 1000 + 10, elapsed

    after = ldlm(appliance)
    assert after["service"]["evictions"] - before["service"]["evictions"] == 1, (before, after)
    assert after["namespaces"][0]["blocking_asts"] - before["namespaces"][0]["blocking_asts"] == 1
    assert after["namespaces"][0]["waits"] - before["namespaces"][0]["waits"] == 1
    # A's export (the one that was there before B came) is evicted or gone.
    now = exports(appliance)
    for pid in pids_before:
        assert pid not in now or now[pid]["evicted"], now
    assert appliance.ostctl("show", "locks", str(obj))["locks"] == []  # B disconnected, A's lock is gone

    # B's data is what the object holds; A's unflushed write was lost with A.
    result = appliance.exec(OSTIO, "read", appliance.nid, obj, "--size", MiB, "--verify-pattern", 2, "--json")
    doc = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.returncode == 0 and doc["verified"], doc


def test_a_frozen_holder_is_evicted_and_refused_afterwards(appliance, ostio_run):
    """The same with A stopped (SIGSTOP) instead of killed: once resumed it
    finds its export evicted, and its dirty data cannot be written."""
    obj = 4002
    a = hold_a_dirty_pw_lock(appliance, ostio_run, obj)
    before = ldlm(appliance)["service"]["evictions"]
    a.process.send_signal(signal.SIGSTOP)
    try:
        result = appliance.exec(OSTIO, "write", appliance.nid, obj, "--offset", 0, "--size", 4096,
                                "--pattern", 3, "--json", timeout=30)
        assert result.returncode == 0, (result.stdout, result.stderr)
        assert ldlm(appliance)["service"]["evictions"] == before + 1
    finally:
        a.process.send_signal(signal.SIGCONT)
    doc = a.do(f"fsync {obj}", ok=False)
    assert doc["ok"] is False, doc
    result = appliance.exec(OSTIO, "read", appliance.nid, obj, "--size", 4096, "--verify-pattern", 3, "--json")
    doc = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.returncode == 0 and doc["verified"], doc  # B's bytes, not A's stale ones
