"""A client that dies holding a conflicting lock is evicted after the
callback timeout, and the client waiting for the lock proceeds (issue 5,
test 4). A takes a PW lock (a write left in its writeback cache) and is
SIGKILLed; B writes the same range: B's enqueue waits, ostd sends A a
blocking AST that nobody answers, after the callback timeout (5 s) A's export
is evicted and its locks cancelled, B is granted and its write completes."""
import json
import signal
import subprocess
import time

from conftest import OSTIO, wait_for

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


# ---- issue 7: a client killed mid-bulk or mid-glimpse, and what is left ----

def io_engines(appliance):
    return appliance.ostctl("show", "objects")["io"]


def engine_totals(appliance, *keys):
    engines = io_engines(appliance)
    return {key: sum(e[key] for e in engines) for key in keys}


def idle_mds(appliance):
    """Per worker, the live MDs of an idle appliance (its request buffers):
    what must be there again once a dead client's traffic is cleaned up."""
    assert wait_for(lambda: engine_totals(appliance, "in_progress")["in_progress"] == 0, 15)
    return [e["mds"] for e in io_engines(appliance)]


def stop_mid_bulk(appliance, process, attempts=20):
    """Freezes the client (SIGSTOP) at a moment the server is moving bulk for
    one of its RPCs: the bulk then stalls with MDs linked, whatever happens to
    the client next. Fails if the client finishes first."""
    def moving():
        assert process.poll() is None, "the client finished before it could be caught mid-bulk"
        return engine_totals(appliance, "bulk_mds")["bulk_mds"] > 0
    for _ in range(attempts):
        assert wait_for(moving, 20, interval=0.05), "no bulk in progress seen"
        process.send_signal(signal.SIGSTOP)
        time.sleep(0.2)  # what was in flight lands
        if moving():
            return
        process.send_signal(signal.SIGCONT)  # between two RPCs: try again
    raise AssertionError(f"the client was never frozen mid-bulk in {attempts} attempts")


def start_ostio(appliance, *args):
    return subprocess.Popen(appliance.netns_args(OSTIO, *args, "--json"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def kill(process):
    process.send_signal(signal.SIGKILL)  # `ip netns exec` exec()s ostio: this is the client
    process.wait(timeout=10)


def write_as_b(appliance, obj, pattern, size=MiB):
    """B writes [0, size) of obj: it conflicts with the dead client's lock,
    so it completes only once that client is evicted."""
    result = appliance.exec(OSTIO, "write", appliance.nid, obj, "--size", size, "--pattern", pattern, "--json",
                            timeout=60)
    assert result.returncode == 0, (result.stdout, result.stderr, appliance.log()[-3000:])
    result = appliance.exec(OSTIO, "read", appliance.nid, obj, "--size", size, "--verify-pattern", pattern, "--json")
    doc = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.returncode == 0 and doc["verified"], doc


def assert_clean(appliance, obj, dead_pids, baseline_mds):
    """Nothing of the dead clients is left: no lock on the object, no export
    live, no AST or callback pending, no RPC in progress, no bulk MD linked,
    as many MDs per worker as when idle before, no event waiting in an EQ,
    no message parked on a portal."""
    def settled():
        engines = io_engines(appliance)
        return all(e["in_progress"] == 0 and e["bulk_mds"] == 0 for e in engines) and \
            [e["mds"] for e in engines] == baseline_mds
    assert wait_for(settled, 15), (io_engines(appliance), baseline_mds)
    assert appliance.ostctl("show", "locks", str(obj))["locks"] == []
    service = ldlm(appliance)["service"]
    assert (service["asts_in_flight"], service["callbacks_pending"], service["glimpses_pending"]) == (0, 0, 0), \
        service
    assert ldlm(appliance)["namespaces"][0]["waiting"] == 0
    now = exports(appliance)
    for pid in dead_pids:
        assert pid not in now or now[pid]["evicted"], now
    assert all(w["depth"] == 0 for w in appliance.ostctl("show", "eq")["workers"])
    for worker in appliance.ostctl("show", "portals")["workers"]:
        assert all(p["delayed"] == 0 for p in worker["portals"]), worker


def new_pids(appliance, before):
    return set(exports(appliance)) - before


def kill_mid_bulk_then_write(appliance, obj, ostio_args, pattern):
    """Starts client A (`ostio ARGS` on obj), SIGKILLs it while the server
    moves its bulk, then B writes obj over A's lock: A is evicted after the
    callback timeout, B completes, and nothing of A is left. Returns the
    RPCs ended without a reply meanwhile (timed out or abandoned)."""
    baseline = idle_mds(appliance)
    pids = set(exports(appliance))
    ended_before = engine_totals(appliance, "timeouts", "abandoned")
    evictions = ldlm(appliance)["service"]["evictions"]
    a = start_ostio(appliance, *ostio_args)
    try:
        stop_mid_bulk(appliance, a)
        dead = new_pids(appliance, pids)
    finally:
        kill(a)  # SIGKILL ends a stopped process too
    assert len(dead) == 1, dead
    write_as_b(appliance, obj, pattern)
    assert ldlm(appliance)["service"]["evictions"] == evictions + 1
    assert_clean(appliance, obj, dead, baseline)
    ended = engine_totals(appliance, "timeouts", "abandoned")
    return sum(ended.values()) - sum(ended_before.values())


def test_killed_mid_bulk_write_is_evicted_and_leaves_nothing(appliance):
    obj = 4101
    ended = kill_mid_bulk_then_write(appliance, obj, ["write", appliance.nid, obj, "--size", 64 * MiB,
                                                     "--pattern", 1], pattern=2)
    assert ended >= 1  # the RPC caught mid-bulk ended without a reply (timed out or abandoned)


def test_killed_mid_bulk_read_is_evicted_and_leaves_nothing(appliance):
    obj = 4102
    result = appliance.exec(OSTIO, "write", appliance.nid, obj, "--size", 64 * MiB, "--pattern", 3, "--json",
                            timeout=120)
    assert result.returncode == 0, result.stderr
    ended = kill_mid_bulk_then_write(appliance, obj, ["read", appliance.nid, obj, "--size", 64 * MiB,
                                                     "--verify-pattern", 3], pattern=4)  # PW against A's PR
    assert ended >= 1


def test_an_evicted_client_loses_its_bulk_at_once(appliance):
    """A frozen client caught mid-bulk and evicted by hand: its RPC stops at
    the eviction (abandoned: MDs unlinked, the write not applied), not when
    the bulk timeout runs out."""
    obj = 4103
    baseline = idle_mds(appliance)
    before = engine_totals(appliance, "timeouts", "abandoned")
    live = [e for e in exports(appliance).values() if not e["evicted"]]
    assert not live, f"another client is connected, evicting the NID would take it too: {live}"
    a = start_ostio(appliance, "write", appliance.nid, obj, "--size", 64 * MiB, "--pattern", 5)
    try:
        stop_mid_bulk(appliance, a)
        dead = {pid for pid, e in exports(appliance).items() if not e["evicted"]}
        assert len(dead) == 1, dead
        assert appliance.ostctl("evict", f"{appliance.client}@tcp")["evicted"] == 1
        assert_clean(appliance, obj, dead, baseline)
        after = engine_totals(appliance, "timeouts", "abandoned")
        assert after["abandoned"] - before["abandoned"] >= 1, (before, after)
        assert after["timeouts"] == before["timeouts"], (before, after)  # not the bulk timeout
    finally:
        a.send_signal(signal.SIGCONT)
        kill(a)


def test_killed_mid_glimpse_is_evicted_and_the_stat_answers(appliance, ostio_run):
    """A holds a PW lock over unflushed data and is frozen; B's stat makes
    ostd glimpse A; A is killed while that glimpse waits. B's stat answers
    after the glimpse timeout (with what the server knows), B's write then
    calls A's lock back, A is evicted and everything of A is gone."""
    obj = 4104
    baseline = idle_mds(appliance)
    pids = set(exports(appliance))
    a = hold_a_dirty_pw_lock(appliance, ostio_run, obj)
    dead = new_pids(appliance, pids)
    glimpses = ldlm(appliance)["namespaces"][0]["glimpse_asts"]
    a.process.send_signal(signal.SIGSTOP)
    stat_started = time.monotonic()
    b = start_ostio(appliance, "stat", appliance.nid, obj)
    try:
        assert wait_for(lambda: ldlm(appliance)["service"]["glimpses_pending"] == 1, 10), ldlm(appliance)
        kill(a.process)
        out, err = b.communicate(timeout=30)
    finally:
        if b.poll() is None:
            kill(b)
    assert b.returncode == 0, (out, err)
    assert json.loads(out.strip().splitlines()[-1])["size"] == 0  # A's bytes never reached ostd
    assert time.monotonic() - stat_started >= ldlm(appliance)["service"]["glimpse_timeout_ms"] / 1000
    # B's client resends its enqueue while the glimpse waits, and the resend glimpses A
    # again: that one times out too, a glimpse timeout later.
    assert wait_for(lambda: ldlm(appliance)["service"]["glimpses_pending"] == 0, 10), ldlm(appliance)
    after = ldlm(appliance)
    assert after["namespaces"][0]["glimpse_asts"] > glimpses
    evictions = after["service"]["evictions"]
    write_as_b(appliance, obj, 6)
    assert ldlm(appliance)["service"]["evictions"] == evictions + 1
    assert_clean(appliance, obj, dead, baseline)
