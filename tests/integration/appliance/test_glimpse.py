"""A second client's `stat` sees the first client's unflushed size through a
glimpse (issue 5, test 3): client A writes into its writeback cache (no
fsync) and holds still; client B's stat is an LDLM_ENQUEUE with IT_GLIMPSE
that conflicts with A's PW lock, so ostd sends A a GL AST, A answers with the
size it knows (dirty data included) and ostd's answer to B carries it. The
data itself stays in A's cache until A flushes."""
import json

import pytest

from conftest import OSTIO


def stat(appliance, obj):
    result = appliance.exec(OSTIO, "stat", appliance.nid, obj, "--json")
    assert result.returncode == 0, (result.stdout, result.stderr, appliance.log()[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def namespace(appliance):
    return appliance.ostctl("show", "ldlm", "namespaces")["namespaces"][0]


def stored_size(appliance, obj):
    """The object's size in ostd's store (0 when it does not exist yet)."""
    listed = {o["id"]: o["size"] for o in appliance.ostctl("show", "objects")["objects"]}
    return listed.get(obj, 0)


@pytest.mark.parametrize("no_expand", [False, True], ids=["expanded", "no-expand"])
def test_stat_sees_another_clients_unflushed_size(appliance, ostio_run, no_expand):
    obj = 3001 + int(no_expand)
    offset, size = 100_000, 5_000
    a = ostio_run(appliance)
    a.do(f"open {obj}" + (" no-expand" if no_expand else ""))
    a.do(f"write {obj} {offset} {size} pattern 7")
    held = a.do("locks")["locks"]
    assert [l["mode"] for l in held] == ["PW"], held
    assert (held[0]["end"] == offset + size - 1) == no_expand, held
    assert stored_size(appliance, obj) == 0  # nothing flushed yet
    assert appliance.ostctl("show", "locks", str(obj))["size"] == 0  # the resource's LVB
    before = namespace(appliance)

    a.send("wait-line")  # A holds still (still serving ASTs) while B looks
    doc = stat(appliance, obj)
    assert doc["size"] == offset + size, doc
    assert doc["lock_granted"] is False, doc  # answered from A's glimpse, no lock for B
    after = namespace(appliance)
    assert after["glimpse_asts"] - before["glimpse_asts"] == 1, (before, after)
    # The glimpse asked for the size, it did not call A's lock back or flush it.
    assert after["blocking_asts"] == before["blocking_asts"], (before, after)
    assert stored_size(appliance, obj) == 0  # the data is still only in A's cache
    # ostd merged the glimpsed size into the resource's LVB.
    assert appliance.ostctl("show", "locks", str(obj))["size"] == offset + size

    a.send("go")
    assert a.result()["released"] is True
    counters = a.do("locks")["counters"]
    assert counters["glimpse_asts"] == 1 and counters["blocking_asts"] == 0, counters
    assert a.do(f"stat {obj}")["dirty_end"] == offset + size  # still A's unflushed data
    a.do(f"fsync {obj}")
    assert stored_size(appliance, obj) == offset + size
    a.quit()
    assert stat(appliance, obj)["size"] == offset + size


def test_stat_without_other_writers_is_the_servers_size(appliance, ostio_run):
    """Control: with no lock held elsewhere the glimpse lock is granted and no
    GL AST is sent."""
    obj = 3010
    a = ostio_run(appliance)
    a.do(f"write {obj} 0 777 pattern 1")
    a.do(f"fsync {obj}")
    a.quit()
    before = namespace(appliance)
    doc = stat(appliance, obj)
    assert doc["size"] == 777, doc
    assert namespace(appliance)["glimpse_asts"] == before["glimpse_asts"]


def test_glimpse_takes_the_largest_of_two_writers(appliance, ostio_run):
    """Two clients with unflushed data under no-expand locks: the glimpse
    asks both (NO_EXPANSION locks do not stop the walk) and B sees the max."""
    obj = 3020
    a, b = ostio_run(appliance), ostio_run(appliance)
    a.do(f"open {obj} no-expand")
    b.do(f"open {obj} no-expand")
    a.do(f"write {obj} 0 4096 pattern 1")
    b.do(f"write {obj} 1048576 4096 pattern 2")
    before = namespace(appliance)
    a.send("wait-line")
    b.send("wait-line")
    assert stat(appliance, obj)["size"] == 1048576 + 4096
    after = namespace(appliance)
    assert after["glimpse_asts"] - before["glimpse_asts"] == 2, (before, after)
    for client in (a, b):
        client.send("go")
        assert client.result()["released"] is True
        client.quit()
