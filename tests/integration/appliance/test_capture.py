"""What ostd puts on the wire, captured on its TAP interface inside the
namespace and decoded by Wireshark's LNet dissector (tests/wire/lnet_udp.lua
hands it UDP 988): an LNET ping is a GET from the client answered by a
well-formed REPLY carrying the ping info."""
import re
import signal
import subprocess
import threading
import time


from conftest import LNET_LUA, run

PING_INFO_SIZE = 16 + 16 * 2  # header + 2 NIs (0@lo, the appliance)
LNET_GET, LNET_REPLY = 2, 3
FIELDS = ["frame.number", "ip.src", "ip.dst", "udp.srcport", "udp.dstport", "lnet.ksm_type",
          "lnet.msg_type", "lnet.payload_length", "lnet.src_pid", "lnet.dest_pid",
          "lnet.ptl_index", "lnet.msg_dst_match_bits", "lnet.sink_length",
          "_ws.expert", "_ws.malformed", "lnet.bad_buflen"]


# Wireshark's UDP dissector notes "Possible traceroute" (a Chat-level hint, not
# a problem with the frame) on any datagram whose source port is in
# 33435..33464, classic traceroute's range. The client's ephemeral port lands
# there about once in a thousand runs (seen in CI: port 33462).
TRACEROUTE_HINT = re.compile(r"Expert Info \(Chat/Sequence\): Possible traceroute: hop #\d+, attempt #\d+")


def expert_problems(expert_field):
    """The frame's expert infos, less the traceroute port hint."""
    return TRACEROUTE_HINT.sub("", expert_field).strip(", ")


def capture(appliance, path, during, duration_s=30):
    """Captures on the appliance's TAP interface while `during()` runs.
    dumpcap says "Capturing on" before its socket sees traffic: ICMP pings
    go first until it has counted a packet."""
    dumpcap = subprocess.Popen(
        appliance.netns_args("dumpcap", "-i", appliance.iface, "-w", path, "-a", f"duration:{duration_s}"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    output = []
    reader = threading.Thread(target=lambda: output.extend(iter(dumpcap.stderr.readline, "")), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 15
        while not any("Packets" in line for line in output):
            assert dumpcap.poll() is None, f"dumpcap exited: {''.join(output)}"
            assert time.monotonic() < deadline, f"dumpcap saw no warm-up ping: {''.join(output)}"
            appliance.exec("ping", "-n", "-c", "1", "-W", "1", appliance.address)
        result = during()
        time.sleep(0.5)  # let the last frames reach the capture
    finally:
        if dumpcap.poll() is None:
            dumpcap.send_signal(signal.SIGINT)
        try:
            dumpcap.wait(timeout=15)
        except subprocess.TimeoutExpired:
            dumpcap.kill()
            dumpcap.wait()
        reader.join(timeout=5)
    return result, "".join(output)


def decode(path):
    args = ["tshark", "-n", "-X", f"lua_script:{LNET_LUA}", "-r", path, "-Y", "udp.port == 988", "-T", "fields",
            "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"]
    for field in FIELDS:
        args += ["-e", field]
    result = run(args, timeout=60)
    assert result.returncode == 0, result.stderr
    return [dict(zip(FIELDS, line.split("|"))) for line in result.stdout.splitlines() if line]


def test_lnet_ping_reply_is_well_formed(appliance, tmp_path):
    pcap = tmp_path / "ping.pcapng"
    (result, doc), dumpcap_log = capture(
        appliance, pcap, lambda: appliance.ostio_ping_json("--count", "3", "--timeout", "3000"))
    assert result.returncode == 0 and doc["replied"] == 3, (doc, result.stderr)

    frames = decode(pcap)
    assert frames, f"nothing captured on {appliance.iface}: {dumpcap_log}"
    gets = [f for f in frames if f["lnet.msg_type"] == str(LNET_GET)]
    replies = [f for f in frames if f["lnet.msg_type"] == str(LNET_REPLY)]
    assert len(gets) == 3, frames
    assert len(replies) == 3, frames
    assert len(frames) == 6, f"unexpected LNET traffic: {frames}"

    for get in gets:
        assert (get["ip.src"], get["ip.dst"], get["udp.dstport"]) == (appliance.client, appliance.address, "988"), get
        assert get["lnet.ksm_type"] == "0x000000c1", get
        assert get["lnet.payload_length"] == "0", get
        assert get["lnet.ptl_index"] == "0", get  # the ping portal
    for reply in replies:
        assert (reply["ip.src"], reply["ip.dst"], reply["udp.srcport"]) == (appliance.address, appliance.client, "988"), reply
        assert reply["lnet.ksm_type"] == "0x000000c1", reply
        assert reply["lnet.payload_length"] == str(PING_INFO_SIZE), reply
        # The dissector swaps the pids (DESIGN.md 4.3): the REPLY is from
        # 12345 (the Lustre pid) to the client's pid.
        assert reply["lnet.dest_pid"] == "12345", reply
    # Each REPLY goes back to the port that sent the GET.
    assert sorted(r["udp.dstport"] for r in replies) == sorted(g["udp.srcport"] for g in gets)
    for frame in frames:
        assert expert_problems(frame["_ws.expert"]) == "", f"frame {frame['frame.number']}: {frame}"
        for flag in ("_ws.malformed", "lnet.bad_buflen"):
            assert frame[flag] == "", f"frame {frame['frame.number']}: {flag} = {frame[flag]!r}: {frame}"


def test_capture_needs_the_lua_shim(appliance, tmp_path):
    """Negative control for the decoding above: without tests/wire/lnet_udp.lua
    tshark does not decode UDP 988 as LNET, so the fields checked there come
    from the shim and our frames, not from a lenient decoder."""
    pcap = tmp_path / "plain.pcapng"
    (result, _), log = capture(appliance, pcap, lambda: appliance.ostio_ping_json("--timeout", "3000"))
    assert result.returncode == 0, result.stderr
    plain = run(["tshark", "-n", "-r", pcap, "-Y", "udp.port == 988", "-T", "fields", "-e", "udp.port",
                 "-e", "lnet.msg_type"], timeout=60)
    assert plain.returncode == 0, plain.stderr
    rows = [line.split("\t") for line in plain.stdout.splitlines()]
    assert len(rows) == 2, (plain.stdout, log)
    assert all(row[1] == "" for row in rows), plain.stdout
    assert [f["lnet.msg_type"] for f in decode(pcap)] == [str(LNET_GET), str(LNET_REPLY)]
