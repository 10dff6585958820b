"""Two clients writing alternate 1 MiB blocks of one object, lock expansion
on (issue 5, test 2): each write needs a PW lock the other client holds
(expanded to [0, EOF]), so the server sends blocking ASTs, the holder flushes
its dirty data and cancels, the waiter is granted. The ASTs show in ostd's
counters and in the clients' own lock lists and counters, and the object ends
up with both clients' blocks, byte-exact."""
import pytest

MiB = 1 << 20
SEED = {"A": 101, "B": 202}


def namespace(appliance):
    return appliance.ostctl("show", "ldlm", "namespaces")["namespaces"][0]


def service(appliance):
    return appliance.ostctl("show", "ldlm", "namespaces")["service"]


def owner(block):
    return "AB"[block % 2]


def verify_blocks(appliance, ostio_run, obj, blocks):
    reader = ostio_run(appliance)
    assert reader.do(f"stat {obj}")["size"] == blocks * MiB
    for block in range(blocks):
        doc = reader.do(f"read {obj} {block * MiB} {MiB} verify {SEED[owner(block)]}")
        assert doc["bytes"] == MiB and doc["verified"], (block, doc)
    # Negative control: a block is not the other client's pattern.
    assert reader.do(f"read {obj} 0 {MiB} verify {SEED['B']}")["verified"] is False
    reader.quit()


@pytest.fixture
def expansion_on(appliance):
    assert appliance.ostctl("set", "ldlm", "expansion", "on") == {"expansion": True}


def test_alternate_blocks_call_locks_back(appliance, ostio_run, expansion_on):
    obj, blocks = 2001, 8
    clients = {"A": ostio_run(appliance), "B": ostio_run(appliance)}
    before = namespace(appliance)

    seen_locks = {"A": [], "B": []}
    for block in range(blocks):
        me = owner(block)
        other = "B" if me == "A" else "A"
        doc = clients[me].do(f"write {obj} {block * MiB} {MiB} pattern {SEED[me]}")
        assert doc["bytes"] == MiB, doc
        mine = clients[me].do("locks")
        theirs = clients[other].do("locks")
        # The writer holds a granted PW lock covering its block, expanded
        # beyond it; the other client's lock was called back and cancelled.
        pw = [l for l in mine["locks"] if l["mode"] == "PW" and l["state"] == "granted"]
        assert len(pw) == 1, mine
        assert pw[0]["start"] <= block * MiB and pw[0]["end"] == "EOF", mine
        assert theirs["locks"] == [], (block, theirs)
        seen_locks[me].append(pw[0]["cookie"])

    # Every write after the first called the previous holder's lock back.
    after = namespace(appliance)
    assert after["blocking_asts"] - before["blocking_asts"] >= blocks - 1, (before, after)
    assert after["cancels"] - before["cancels"] >= blocks - 1, (before, after)
    for name, client in clients.items():
        counters = client.do("locks")["counters"]
        assert counters["blocking_asts"] >= blocks // 2 - (1 if name == "B" else 0), (name, counters)
        assert counters["enqueues"] == blocks // 2, (name, counters)
        # A new lock (a new cookie) for each of its writes: the lists changed.
        assert len(set(seen_locks[name])) == blocks // 2, seen_locks
    # Both clients share the namespace's one address (one NID, two pids, two
    # UDP ports): each AST reached the client that holds the lock, which
    # cancelled it at once -- nobody waited out the callback timeout.
    assert service(appliance)["evictions"] == 0

    for client in clients.values():
        client.do(f"fsync {obj}")
        client.quit()
    verify_blocks(appliance, ostio_run, obj, blocks)


def test_concurrent_writers_end_with_both_patterns(appliance, ostio_run, expansion_on):
    """Both clients get all their writes at once and race for the lock."""
    obj, blocks = 2002, 12
    clients = {"A": ostio_run(appliance), "B": ostio_run(appliance)}
    before = namespace(appliance)
    for block in range(blocks):
        me = owner(block)
        clients[me].send(f"write {obj} {block * MiB} {MiB} pattern {SEED[me]}")
    for name, client in clients.items():
        client.send(f"fsync {obj}")
    for name, client in clients.items():
        for _ in range(blocks // 2):
            doc = client.result(timeout=45)
            assert doc["ok"] and doc["command"] == "write", (name, doc)
        doc = client.result(timeout=45)
        assert doc["ok"] and doc["command"] == "fsync", (name, doc)
    after = namespace(appliance)
    assert after["blocking_asts"] > before["blocking_asts"], (before, after)
    assert service(appliance)["evictions"] == 0  # every AST reached its own client, which cancelled
    for client in clients.values():
        client.quit()
    verify_blocks(appliance, ostio_run, obj, blocks)
    assert namespace(appliance)["locks"] == 0
