"""The appliance with two workers on a two-queue TAP port (three lcores on two
CPUs): clients spread over the queues, each served end to end by the worker
that hears it; blocking ASTs leave through the holder's home worker."""
from conftest import OSTIO

MiB = 1 << 20
TWO_WORKERS = {"lcores": {"workers": [1, 2]}, "mbuf_pool": {"mbufs": 16383}}


def test_two_workers_serve_clients_byte_exact(appliance_factory):
    appliance = appliance_factory(extra=TWO_WORKERS, tag="w2")
    assert len(appliance.ostctl("show", "port", "stats", "all")["workers"]) == 2
    for obj in (1, 2, 3, 4):
        write = appliance.exec(OSTIO, "write", appliance.nid, str(obj), "--offset", "777",
                               "--size", str(3 * MiB), "--pattern", str(obj))
        assert write.returncode == 0, write.stderr
        read = appliance.exec(OSTIO, "read", appliance.nid, str(obj), "--offset", "777",
                              "--size", str(3 * MiB), "--verify-pattern", str(obj))
        assert read.returncode == 0, read.stdout + read.stderr
    stats = appliance.ostctl("show", "port", "stats", "all")
    assert sum(w["lnet_messages"] for w in stats["workers"]) > 0, stats


def test_two_workers_call_a_lock_back_through_its_home_worker(appliance_factory, ostio_run):
    appliance = appliance_factory(extra=TWO_WORKERS, tag="w2c")
    a, b = ostio_run(appliance), ostio_run(appliance)
    before = appliance.ostctl("show", "ldlm", "namespaces")["namespaces"][0]
    assert a.do(f"write 9 0 {MiB} pattern 1")["ok"]
    assert b.do(f"write 9 0 {MiB} pattern 2")["ok"]  # A's PW lock is in the way
    assert b.do("fsync 9")["ok"]
    held = a.do("locks")
    assert held["locks"] == [] and held["counters"]["blocking_asts"] == 1, held
    doc = b.do(f"read 9 0 {MiB} verify 2")
    assert doc["verified"], doc
    after = appliance.ostctl("show", "ldlm", "namespaces")["namespaces"][0]
    assert after["blocking_asts"] - before["blocking_asts"] == 1, (before, after)
    assert appliance.ostctl("show", "ldlm", "namespaces")["service"]["evictions"] == 0
    a.quit()
    b.quit()
