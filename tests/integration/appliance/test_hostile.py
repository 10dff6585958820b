"""The hostile corpus (hostile_frames.py: LNET and ptlrpc frames with lying
lengths, counts, opcodes, versions, lock modes, extents and NIDs) written into
a serving ostd's TAP (issue 7, "Bad input"; DESIGN.md 11): each frame is
refused and counted under its own reason, the ones with a body to answer get
the error they deserve, and ostd goes on serving a real client afterwards."""
import json

import pytest

from conftest import OSTIO, lnet_drops, run, wait_for
from hostile_frames import CORPUS, ENOTCONN, EPROTO, PTL_ERR, expected_answers, expected_counts
from lnet_frames import write_pcap

HERE = __import__("pathlib").Path(__file__).resolve().parent
INJECT_TIMEOUT_S = 15


def rpc_counters(app):
    """(malformed_by_reason, not_connected) from `show exports`."""
    exports = app.ostctl("show", "exports")
    return exports["malformed_by_reason"], exports["not_connected"]


def difference(after, before):
    return {reason: after[reason] - before.get(reason, 0) for reason in after if after[reason] != before.get(reason, 0)}


@pytest.fixture(scope="module")
def attacked(appliance, tmp_path_factory):
    """The corpus written into the appliance's TAP once for the module:
    (appliance, ostd's answers, {counter: what moved})."""
    pcap = tmp_path_factory.mktemp("hostile") / "hostile.pcap"
    write_pcap(pcap, [h.frame for h in CORPUS])
    lnet_before = lnet_drops(appliance.ostctl("show", "lnet", "stats"))
    rpc_before, not_connected_before = rpc_counters(appliance)
    expect = len(expected_answers(CORPUS))
    injected = appliance.exec("/usr/bin/python3", HERE / "hostile_frames.py", "inject", appliance.iface, pcap,
                              "--expect", expect, "--timeout", INJECT_TIMEOUT_S, timeout=INJECT_TIMEOUT_S + 30)
    assert injected.returncode == 0, (injected.stdout, injected.stderr)
    answers = json.loads(injected.stdout)

    def moved():
        lnet = difference(lnet_drops(appliance.ostctl("show", "lnet", "stats")), lnet_before)
        rpc, not_connected = rpc_counters(appliance)
        return {"lnet": lnet, "rpc": difference(rpc, rpc_before), "not_connected": not_connected - not_connected_before}

    wanted = {counter: expected_counts(CORPUS, counter) for counter in ("lnet", "rpc", "not_connected")}
    # Answers can overtake the counters of frames without one: wait for the totals.
    wait_for(lambda: sum(moved()["rpc"].values()) >= sum(wanted["rpc"].values()), timeout=10)
    return appliance, answers, moved()


def test_the_corpus_is_what_it_claims(tmp_path):
    """Every frame has good IP and UDP checksums (tshark, validation on), so
    any refusal is at the LNET or ptlrpc level it aims at."""
    path = tmp_path / "hostile.pcap"
    write_pcap(path, [h.frame for h in CORPUS])
    checked = run(["tshark", "-n", "-r", path, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                   "-T", "fields", "-E", "separator=|", "-e", "ip.checksum.status", "-e", "udp.checksum.status"],
                  timeout=60)
    assert checked.returncode == 0, checked.stderr
    good = "1"  # PROTO_CHECKSUM_E_GOOD
    statuses = [tuple(line.split("|")) for line in checked.stdout.splitlines()]
    assert statuses == [(good, good)] * len(CORPUS), list(zip((h.name for h in CORPUS), statuses))
    assert len({h.name for h in CORPUS}) == len(CORPUS)


def test_lnet_frames_counted_under_their_reasons(attacked):
    app, _, moved = attacked
    wanted = expected_counts(CORPUS, "lnet")
    assert {reason: moved["lnet"].get(reason, 0) for reason in wanted} == wanted, moved["lnet"]
    # Nothing else at the LNET level moved (link-level noise from the kernel,
    # e.g. IPv6 on the TAP, is not the corpus's and may come and go).
    stats = app.ostctl("show", "lnet", "stats")
    lnet_reasons = set(stats["workers"][0]["drops"])
    others = {r: n for r, n in moved["lnet"].items() if r in lnet_reasons and r not in wanted}
    assert others == {}, moved["lnet"]


def test_ptlrpc_frames_counted_under_their_reasons(attacked):
    _, _, moved = attacked
    assert moved["rpc"] == expected_counts(CORPUS, "rpc")
    assert moved["not_connected"] == expected_counts(CORPUS, "not_connected")


def test_answered_with_the_error_each_deserves(attacked):
    """A request whose body decodes gets an ERR reply: -EPROTO when it is
    malformed, -ENOTCONN when it is well formed from no export; one without a
    body gets nothing (the client resends)."""
    _, answers, _ = attacked
    by_name = {h.xid: h.name for h in CORPUS if h.xid is not None}
    got = {by_name.get(a["xid"], hex(a["xid"])): a["status"] for a in answers}
    assert got == {by_name[xid]: status for xid, status in expected_answers(CORPUS).items()}, answers
    assert {a["type"] for a in answers} == {PTL_ERR}, answers
    assert {a["status"] for a in answers} == {-EPROTO, -ENOTCONN}


def test_ostd_serves_a_client_after_the_corpus(attacked):
    app, _, _ = attacked
    assert app.alive(), app.log()[-3000:]
    _, ping = app.ostio_ping_json("--timeout", "3000")
    assert ping["replied"] == 1, ping
    obj, offset, size, seed = 4242, 4095, 300_000, 17
    wrote = app.exec(OSTIO, "write", app.nid, obj, "--offset", offset, "--size", size, "--pattern", seed, "--json",
                     timeout=60)
    assert wrote.returncode == 0, (wrote.stdout, wrote.stderr)
    read = app.exec(OSTIO, "read", app.nid, obj, "--offset", offset, "--size", size, "--verify-pattern", seed,
                    "--json", timeout=60)
    doc = json.loads(read.stdout.strip().splitlines()[-1])
    assert read.returncode == 0 and doc["bytes"] == size and doc["verified"], (doc, read.stderr)
