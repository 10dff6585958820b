"""ICMP, ARP and LNET ping of an ostd on a TAP interface, from the kernel
side of that interface inside the test's namespace."""
import re

PING_INFO_NIS = ["0@lo"]  # then the appliance's own NID


def test_icmp_ping_answered(appliance):
    result = appliance.exec("ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", appliance.address)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert re.search(r"3 packets transmitted, 3 received", result.stdout), result.stdout
    replies = re.findall(rf"bytes from {re.escape(appliance.address)}: icmp_seq=(\d+) ttl=64", result.stdout)
    assert sorted(map(int, replies)) == [1, 2, 3], result.stdout


def test_arp_resolved(appliance):
    flushed = appliance.exec("ip", "neigh", "flush", "dev", appliance.iface)
    assert flushed.returncode == 0, flushed.stderr
    before = appliance.exec("ip", "neigh", "show", appliance.address, "dev", appliance.iface)
    assert "lladdr" not in before.stdout, before.stdout
    pinged = appliance.exec("ping", "-n", "-c", "1", "-W", "2", appliance.address)
    assert pinged.returncode == 0, pinged.stdout + pinged.stderr
    neigh = appliance.exec("ip", "neigh", "show", appliance.address, "dev", appliance.iface)
    assert neigh.returncode == 0, neigh.stderr
    match = re.search(r"lladdr ([0-9a-f:]{17}) (\w+)", neigh.stdout)
    assert match, f"no neighbour entry for {appliance.address}: {neigh.stdout!r}"
    assert match.group(2) in ("REACHABLE", "STALE", "DELAY", "PROBE"), neigh.stdout
    # net_tap gives the kernel side of the TAP interface the port's own MAC,
    # so ostd's ARP reply carries the MAC that `ip link` shows.
    link = appliance.exec("ip", "-o", "link", "show", "dev", appliance.iface)
    assert f"link/ether {match.group(1)} " in link.stdout, (neigh.stdout, link.stdout)


def test_ostio_ping_json(appliance):
    result, doc = appliance.ostio_ping_json("--timeout", "3000")
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert doc["target"] == f"12345-{appliance.nid}"
    assert doc["sent"] == 1 and doc["replied"] == 1, doc
    assert doc["errors"] == [], doc
    assert doc["pid"] == 12345, doc
    nis = doc["nis"]
    assert [ni["nid"] for ni in nis] == PING_INFO_NIS + [appliance.nid], nis
    assert all(ni["status"] == "UP" for ni in nis), nis
    # The appliance's NI advertises the largest payload it takes (lnet.max_payload).
    assert nis[1]["msg_size"] == appliance.config["lnet"]["max_payload"], nis
    assert len(doc["round_trip_ms"]) == 1 and 0 < doc["round_trip_ms"][0] < 3000, doc


def test_ostio_ping_count_20_all_replied(appliance):
    result, doc = appliance.ostio_ping_json("--count", "20", "--timeout", "3000")
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert doc["sent"] == 20 and doc["replied"] == 20, doc
    assert len(doc["round_trip_ms"]) == 20 and all(rtt > 0 for rtt in doc["round_trip_ms"]), doc
    assert doc["errors"] == [], doc


def test_ostio_ping_of_absent_nid_fails(appliance):
    """The negative control: a NID nobody answers for (inside the namespace's
    subnet) gets no reply, and ostio says so."""
    silent = appliance.address.rsplit(".", 1)[0] + ".99@tcp"
    result, doc = appliance.ostio_ping_json("--timeout", "300", nid=silent)
    assert result.returncode == 1, f"{result.stdout}\n{result.stderr}"
    assert doc["replied"] == 0 and len(doc["errors"]) == 1, doc
    assert "nis" not in doc, doc
