"""The lock budget (issue 7): a client asking for 100000 lockahead extents
cannot exhaust the appliance -- ostd refuses beyond max_locks_per_client
(-EINPROGRESS, counted), keeps serving a second client, its lock counts stay
at the cap, and after the client is gone they are back to 0 -- and the
client's own LRU cap (--lru-size) holds on the server."""
import json
import subprocess

import pytest

from conftest import OSTCTL, OSTIO, wait_for

PER_CLIENT = 2000
PER_RESOURCE = 3000


@pytest.fixture
def capped(appliance_factory):
    return appliance_factory(tag="bud", extra={"ldlm": {"max_locks_per_client": PER_CLIENT,
                                                        "max_locks_per_resource": PER_RESOURCE}})


def lockahead_holder(appliance, obj, count, *extra, start=0):
    """ostio ladvise asking for `count` 4 KiB lockahead extents of obj (from
    `start`, back to back), then holding what it got; returns the process and
    how many locks it holds once it says so."""
    proc = subprocess.Popen(appliance.netns_args(
        OSTIO, "ladvise", appliance.nid, str(obj), "--advice", "lockahead", "--mode", "write",
        "--start", str(start), "--end", str(start + 4095), "--count", str(count), "--async", "--json", *extra),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    if "holding" not in line:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"ostio ladvise did not get to hold its locks: {line}{err}\n{out}")
    return proc, int(line.split("holding ")[1].split()[0])


def clients(appliance):
    return appliance.ostctl("show", "ldlm", "clients")


def namespace(appliance):
    return appliance.ostctl("show", "ldlm", "namespaces")["namespaces"][0]


def resources(appliance):
    return {r["object"]: r for r in appliance.ostctl("show", "ldlm", "resources")["resources"]}


def no_locks_left(appliance):
    return namespace(appliance)["locks"] == 0 and clients(appliance)["clients"] == [] \
        and resources(appliance) == {}


def test_a_hundred_thousand_lockahead_extents_cannot_exhaust_the_appliance(capped):
    appliance = capped
    # A: its own LRU unlimited in practice, so only the appliance's cap stops it.
    holder, held = lockahead_holder(appliance, 7001, 100000, "--lru-size", "1000000", "--hold", "120000")
    try:
        assert held == PER_CLIENT
        budget = clients(appliance)
        assert budget["max_locks_per_client"] == PER_CLIENT
        assert [c["locks"] for c in budget["clients"]] == [PER_CLIENT], budget
        ns = namespace(appliance)
        assert ns["locks"] == PER_CLIENT and ns["client_limit_refusals"] == 100000 - PER_CLIENT, ns
        assert ns["resource_limit_refusals"] == 0, ns
        assert resources(appliance)[7001]["granted"] == PER_CLIENT

        # B still locks, writes and reads: beside A's extents on the same object, and elsewhere.
        beyond = str(100000 * 4096)
        for obj, offset in ((7001, beyond), (7002, "0")):
            write = appliance.exec(OSTIO, "write", appliance.nid, str(obj), "--offset", offset, "--size", "65536",
                                   "--pattern", "5")
            assert write.returncode == 0, (write.stdout, write.stderr)
            read = appliance.exec(OSTIO, "read", appliance.nid, str(obj), "--offset", offset, "--size", "65536",
                                  "--verify-pattern", "5")
            assert read.returncode == 0, (read.stdout, read.stderr)
        assert namespace(appliance)["locks"] == PER_CLIENT, "B's locks went with B; A's stayed at the cap"
        from test_telemetry import telemetry
        tel = telemetry(appliance, "/ostd/ldlm")
        assert tel["busiest_client_locks"] == PER_CLIENT and tel["max_locks_per_client"] == PER_CLIENT, tel
        assert tel["client_limit_refusals"] == 100000 - PER_CLIENT, tel
    finally:
        holder.kill()
        holder.communicate()
    # A dies holding its locks: evicting it frees them all.
    assert appliance.ostctl("evict", f"{appliance.client}@tcp")["evicted"] == 1
    assert wait_for(lambda: no_locks_left(appliance), 10), (namespace(appliance), clients(appliance))
    assert appliance.alive()


def test_a_resource_cap_refuses_lockahead_from_many_clients(capped):
    appliance = capped
    first, held_first = lockahead_holder(appliance, 7101, PER_CLIENT, "--lru-size", "100000", "--hold", "60000")
    second, held_second = lockahead_holder(appliance, 7101, PER_CLIENT, "--lru-size", "100000", "--hold", "1",
                                           start=PER_CLIENT * 4096)
    try:
        out, err = second.communicate(timeout=60)
        assert second.returncode == 0, (out, err)
        summary = json.loads(out.strip().splitlines()[-1])
        assert held_first == PER_CLIENT and held_second == PER_RESOURCE - PER_CLIENT
        assert summary["refused"] == PER_CLIENT - held_second, summary
        ns = namespace(appliance)
        assert ns["resource_limit_refusals"] == PER_CLIENT - held_second and ns["client_limit_refusals"] == 0, ns
        assert resources(appliance)[7101]["granted"] == PER_CLIENT, "the second client's locks went with it"
    finally:
        first.kill()
        first.communicate()
    assert appliance.ostctl("evict", f"{appliance.client}@tcp")["evicted"] == 1
    assert wait_for(lambda: no_locks_left(appliance), 10), namespace(appliance)


def test_the_client_lru_cap_holds_on_the_server(capped):
    appliance = capped
    holder, held = lockahead_holder(appliance, 7201, 300, "--lru-size", "100", "--hold", "3000")
    try:
        assert held == 100
        assert [c["locks"] for c in clients(appliance)["clients"]] == [100]
        assert resources(appliance)[7201]["granted"] == 100
        out, err = holder.communicate(timeout=60)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.communicate()
    assert holder.returncode == 0, (out, err)
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["sent"] == 300 and summary["refused"] == 0, summary
    assert summary["lru_cancels"] == 200 and summary["held"] == 100, summary
    # Disconnected: every count is back to 0.
    assert wait_for(lambda: no_locks_left(appliance), 10), (namespace(appliance), clients(appliance))
    assert namespace(appliance)["client_limit_refusals"] == 0


def test_the_caps_change_at_run_time_and_bad_values_are_refused(capped):
    appliance = capped
    assert appliance.ostctl("set", "ldlm", "max_locks_per_client", "50") == {
        "max_locks_per_client": 50, "max_locks_per_resource": PER_RESOURCE}
    holder, held = lockahead_holder(appliance, 7301, 80, "--hold", "1")
    out, err = holder.communicate(timeout=60)
    assert held == 50 and holder.returncode == 0, (out, err)
    assert json.loads(out.strip().splitlines()[-1])["refused"] == 30
    ns = namespace(appliance)
    assert ns["max_locks_per_client"] == 50 and ns["client_limit_refusals"] == 30, ns
    refused = appliance.exec(OSTCTL, "--socket", appliance.ctl, "set", "ldlm", "max_locks_per_client", "0")
    assert refused.returncode != 0 and "expected 1 to 16777216" in refused.stdout + refused.stderr, refused
    assert namespace(appliance)["max_locks_per_client"] == 50
