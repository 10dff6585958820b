"""ladvise against the real ostd (DESIGN.md 6): LOCKAHEAD's results (sent,
same, different, the synchronous form, EINVAL/EFBIG), a speculative request
refused because of another client's lock leaving both views consistent,
LOCKNOEXPAND, and the glimpse rule: a client that locked ahead blocks it
never wrote must not make another client's `stat` report a wrong size."""
import json

from conftest import OSTIO, wait_for


def namespace(appliance):
    return appliance.ostctl("show", "ldlm", "namespaces")["namespaces"][0]


def server_locks(appliance, obj):
    return appliance.ostctl("show", "locks", str(obj))["locks"]


def results(doc):
    return [r["result"] for r in doc["results"]]


def settled(client):
    """The client's locks once every async enqueue has come back (granted or gone)."""
    held = []

    def done():
        held[:] = client.do("locks")["locks"]
        return all(l["state"] == "granted" for l in held)

    assert wait_for(done, 10)
    return held


def test_lockahead_command_sends_speculative_no_expand_locks(appliance):
    obj = 6001
    result = appliance.exec(OSTIO, "ladvise", appliance.nid, str(obj), "--advice", "lockahead", "--mode", "write",
                            "--start", "0", "--end", "4095", "--extent", "65536:69631", "--async", "--json")
    assert result.returncode == 0, (result.stdout, result.stderr)
    doc = json.loads(result.stdout.strip().splitlines()[-1])
    assert results(doc) == ["sent", "sent"], doc
    assert [(l["mode"], l["start"], l["end"], l["state"]) for l in doc["locks"]] == [
        ("PW", 0, 4095, "granted"), ("PW", 65536, 69631, "granted")], doc
    assert server_locks(appliance, obj) == []  # cancelled at disconnect


def test_lockahead_command_refuses_bad_arguments(appliance):
    result = appliance.exec(OSTIO, "ladvise", appliance.nid, "6002", "--advice", "lockahead", "--mode", "7",
                            "--start", "0", "--end", "4095", "--async")
    assert result.returncode == 1 and "EINVAL" in result.stderr, (result.stdout, result.stderr)
    result = appliance.exec(OSTIO, "ladvise", appliance.nid, "6002", "--advice", "lockahead", "--mode", "write",
                            "--start", "4096", "--end", "4096")
    assert result.returncode == 1 and "EINVAL" in result.stderr, (result.stdout, result.stderr)


def test_same_different_and_the_synchronous_form(appliance, ostio_run):
    obj = 6003
    a = ostio_run(appliance)
    assert results(a.do(f"ladvise {obj} lockahead write 0:4095 async")) == ["sent"]
    assert results(a.do(f"ladvise {obj} lockahead write 0:4095 1024:2047 async")) == ["same", "different"]
    settled(a)
    assert results(a.do(f"ladvise {obj} lockahead read 0:4095 0:99 async")) == ["same", "different"]
    # Without async: 0 each time, the lock waited for (exactly the extent), a held one reused.
    before = namespace(appliance)
    assert results(a.do(f"ladvise {obj} lockahead write 8192:12287 0:4095")) == ["sent", "sent"]
    after = namespace(appliance)
    assert after["enqueues"] - before["enqueues"] == 1, (before, after)
    held = a.do("locks")["locks"]
    assert [(l["start"], l["end"], l["state"], l["no_expand"]) for l in held] == [
        (0, 4095, "granted", True), (8192, 12287, "granted", True)], held
    srv = server_locks(appliance, obj)
    assert sorted((l["start"], l["end"]) for l in srv) == [(0, 4095), (8192, 12287)], srv

    bad_mode = a.do(f"ladvise {obj} lockahead 3 0:4095 async", ok=False)
    assert not bad_mode["ok"] and "EINVAL" in bad_mode["error"], bad_mode
    empty = a.do(f"ladvise {obj} lockahead write 5:5 async", ok=False)
    assert "EINVAL" in empty["error"], empty
    too_many = " ".join(f"{i * 8192}:{i * 8192 + 4095}" for i in range(1024))
    big = a.do(f"ladvise {obj} lockahead write {too_many} async", ok=False)
    assert "EFBIG" in big["error"], big
    assert len(a.do("locks")["locks"]) == 2  # nothing was sent by the refused calls
    doc, code = a.quit()
    assert code == 1  # three commands failed, as asked


def test_speculative_refusal_leaves_the_clients_view_consistent(appliance, ostio_run):
    obj = 6004
    a = ostio_run(appliance)
    b = ostio_run(appliance)
    a.do(f"write {obj} 0 4096")  # an expanded PW lock: [0, EOF]
    assert [(l["start"], l["end"]) for l in a.do("locks")["locks"]] == [(0, "EOF")]
    before = namespace(appliance)
    assert results(b.do(f"ladvise {obj} lockahead write 1048576:2097151 async")) == ["sent"]
    assert wait_for(lambda: b.do("locks")["counters"]["async_refused"] == 1, 10)
    assert b.do("locks")["locks"] == []  # the pending lock just disappeared
    after = namespace(appliance)
    assert after["speculative_refusals"] - before["speculative_refusals"] == 1, (before, after)
    assert after["blocking_asts"] == before["blocking_asts"]  # A was not called back
    srv = server_locks(appliance, obj)
    assert len(srv) == 1 and srv[0]["mode"] == "PW", srv  # no trace of B's request
    assert len(a.do("locks")["locks"]) == 1
    # B's later ordinary write calls A's lock back and gets its lock; then lockahead works again.
    b.do(f"ladvise {obj} locknoexpand")
    b.do(f"write {obj} 1048576 4096")
    a.do("sleep 100")
    assert a.do("locks")["locks"] == []
    assert results(b.do(f"ladvise {obj} lockahead write 2097152:3145727 async")) == ["sent"]
    held = settled(b)
    assert sorted((l["start"], l["end"]) for l in held) == [(1048576, 1052671), (2097152, 3145727)], held
    a.quit()
    b.quit()


def test_locknoexpand_set_and_unset(appliance, ostio_run):
    a = ostio_run(appliance)
    assert a.do("ladvise 6005 locknoexpand")["no_expand"] is True
    a.do("write 6005 4096 100")
    assert [(l["start"], l["end"]) for l in a.do("locks")["locks"]] == [(4096, 4195)]
    assert a.do("ladvise 6006 locknoexpand unset")["no_expand"] is False
    a.do("write 6006 4096 100")
    held = [l for l in a.do("locks")["locks"] if l["object"] == "6006"]
    assert [(l["start"], l["end"]) for l in held] == [(0, "EOF")], held
    a.quit()


def test_glimpse_is_right_when_a_client_locked_ahead_blocks_it_never_wrote(appliance, ostio_run):
    """A locks stripes 0 and 2, B stripes 1 and 3 (lockahead, no-expand). A
    writes 0 and 2, B writes only 1. The highest lock is B's stripe 3, but B
    never wrote there: ostd must also glimpse A and report the end of
    stripe 2, not B's idea of the size."""
    obj = 6007
    stripe = 65536
    a = ostio_run(appliance)
    b = ostio_run(appliance)
    for client, stripes in ((a, (0, 2)), (b, (1, 3))):
        client.do(f"ladvise {obj} locknoexpand")
        extents = " ".join(f"{s * stripe}:{(s + 1) * stripe - 1}" for s in stripes)
        assert results(client.do(f"ladvise {obj} lockahead write {extents} async")) == ["sent", "sent"]
    assert len(settled(a)) == 2 and len(settled(b)) == 2
    a.do(f"write {obj} 0 {stripe} pattern 1")
    a.do(f"write {obj} {2 * stripe} {stripe} pattern 1")
    b.do(f"write {obj} {stripe} {stripe} pattern 1")
    assert a.do("locks")["counters"]["blocking_asts"] == 0  # every write used its lockahead lock
    assert b.do("locks")["counters"]["blocking_asts"] == 0

    def stat():
        result = appliance.exec(OSTIO, "stat", appliance.nid, str(obj), "--json")
        assert result.returncode == 0, (result.stdout, result.stderr)
        return json.loads(result.stdout.strip().splitlines()[-1])

    assert stat()["size"] == 3 * stripe  # unflushed: from A's and B's glimpse answers
    a.do(f"fsync {obj}")
    b.do(f"fsync {obj}")
    assert stat()["size"] == 3 * stripe
    assert b.do(f"stat {obj}")["size"] == 3 * stripe  # B, holding the top lock, asks too
    a.quit()
    b.quit()
    assert stat()["size"] == 3 * stripe
