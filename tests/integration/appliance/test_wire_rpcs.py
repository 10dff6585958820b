"""Wireshark's Lustre dissector decodes what the real client and ostd put on
the wire (issue 5, test 6; DESIGN.md 4.4, 4.5): captured on the TAP inside
the namespace while `ostio write` runs, decoded with tests/wire/lnet_udp.lua;
the LDLM_ENQUEUE (mode, extent, resource, flags), its reply (granted mode and
extent, the server's handle) and the OST_WRITE (object, niobufs, lock handle)
carry exactly what the client asked for."""
import json

import pytest

from conftest import LNET_LUA, OSTIO, run
from test_capture import capture

LDLM_ENQUEUE, OST_WRITE, OST_SYNC = 101, 4, 16
PTL_RPC_MSG_REQUEST, PTL_RPC_MSG_REPLY = 4711, 4713
LCK_PW = 2
LDLM_EXTENT = 11
NO_EXPANSION = 0x20000000
OBD_BRW_WRITE = 0x2
EOF_ = (1 << 64) - 1

FIELDS = ["frame.number", "ip.src", "ip.dst", "lnet.ptl_index", "lnet.msg_dst_match_bits",
          "lustre.ptlrpc_body.pb_opc", "lustre.ptlrpc_body.pb_type", "lustre.ptlrpc_body.pb_status",
          "lustre.ptlrpc_body.pb_handle",
          "lustre.ldlm_request.lock_flags", "lustre.ldlm_request.lock_count",
          "lustre.ldlm_resource_desc.lr_type", "lustre.ldlm_res_id.name",
          "lustre.ldlm_lock_desc.l_req_mode", "lustre.ldlm_lock_desc.l_granted_mode",
          "lustre.ldlm_extent.start", "lustre.ldlm_extent.end", "lustre.ldlm_reply.lock_flags",
          "lustre.obd_ioobj.ioo_id", "lustre.obd_ioobj.ioo_seq", "lustre.obd_ioobj.ioo_bufcnt",
          "lustre.niobuf_remote.offset", "lustre.niobuf_remote.len", "lustre.niobuf_remote.flags",
          "lustre.lustre_handle.cookie", "lustre.ost_io.id",
          "_ws.malformed", "lustre.bad_buflen", "lustre.bad_magic", "lustre.bad_opcode"]


def decode(path):
    args = ["tshark", "-n", "-X", f"lua_script:{LNET_LUA}", "-r", path, "-Y", "lustre", "-T", "fields",
            "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"]
    for field in FIELDS:
        args += ["-e", field]
    result = run(args, timeout=60)
    assert result.returncode == 0, result.stderr
    return [dict(zip(FIELDS, line.split("|"))) for line in result.stdout.splitlines() if line]


def num(text):
    return int(text, 0)


def nums(text):
    return [int(part, 0) for part in text.split(",") if part]


def rpcs(frames, opc, kind):
    return [f for f in frames if f["lustre.ptlrpc_body.pb_opc"] == str(opc)
            and f["lustre.ptlrpc_body.pb_type"] == str(kind)]


@pytest.mark.parametrize("no_expand", [True, False], ids=["no-expand", "expanded"])
def test_enqueue_and_write_decode_as_sent(appliance, tmp_path, no_expand):
    obj, offset, size = 6001 + int(no_expand), 8192, 12288
    appliance.ostctl("set", "ldlm", "expansion", "on")
    pcap = tmp_path / "write.pcapng"
    args = [OSTIO, "write", appliance.nid, obj, "--offset", offset, "--size", size, "--pattern", 9, "--json"]
    result, log = capture(appliance, pcap, lambda: appliance.exec(*args, *(["--no-expand"] if no_expand else [])))
    assert result.returncode == 0, (result.stdout, result.stderr)
    # The lock as the client saw it: the server's handle ostd gave it.
    sent = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(sent["locks"]) == 1, sent
    lock_cookie = int(sent["locks"][0]["cookie"], 16)
    server_handle = int(sent["locks"][0]["server_handle"], 16)
    frames = decode(pcap)
    assert frames, f"nothing decoded as Lustre: {log}"

    for frame in frames:
        for flag in ("_ws.malformed", "lustre.bad_buflen", "lustre.bad_magic", "lustre.bad_opcode"):
            assert frame[flag] == "", (flag, frame)

    # LDLM_ENQUEUE request: PW on resource {obj, 0, 0, 0}, the write's extent.
    enqueues = rpcs(frames, LDLM_ENQUEUE, PTL_RPC_MSG_REQUEST)
    assert len(enqueues) == 1, enqueues
    enq = enqueues[0]
    assert (enq["ip.src"], enq["ip.dst"], enq["lnet.ptl_index"]) == (appliance.client, appliance.address, "28"), enq
    assert num(enq["lustre.ldlm_request.lock_count"]) == 1
    assert num(enq["lustre.ldlm_resource_desc.lr_type"]) == LDLM_EXTENT
    assert nums(enq["lustre.ldlm_res_id.name"]) == [obj, 0, 0, 0], enq
    assert num(enq["lustre.ldlm_lock_desc.l_req_mode"]) == LCK_PW
    assert (num(enq["lustre.ldlm_extent.start"]), num(enq["lustre.ldlm_extent.end"])) == (offset, offset + size - 1)
    assert bool(num(enq["lustre.ldlm_request.lock_flags"]) & NO_EXPANSION) == no_expand, enq
    # lustre_handle cookies in tree order: pb_handle (the export), then the
    # request's lock handles (ours first).
    cookies = nums(enq["lustre.lustre_handle.cookie"])
    assert len(cookies) >= 2 and cookies[1] == lock_cookie, (hex(lock_cookie), enq)
    export_handle = cookies[0]
    assert export_handle != 0

    # Its reply: granted PW, the extent ostd granted, the server's handle.
    replies = [f for f in rpcs(frames, LDLM_ENQUEUE, PTL_RPC_MSG_REPLY)
               if f["lnet.msg_dst_match_bits"] == enq["lnet.msg_dst_match_bits"]]
    assert len(replies) == 1, frames
    rep = replies[0]
    assert (rep["ip.src"], rep["ip.dst"], rep["lnet.ptl_index"]) == (appliance.address, appliance.client, "4"), rep
    assert num(rep["lustre.ptlrpc_body.pb_status"]) == 0
    assert num(rep["lustre.ldlm_lock_desc.l_granted_mode"]) == LCK_PW, rep
    granted = (num(rep["lustre.ldlm_extent.start"]), num(rep["lustre.ldlm_extent.end"]))
    assert granted == ((offset, offset + size - 1) if no_expand else (0, EOF_)), rep
    # pb_handle (0 in a reply, as Lustre's), then the reply's lock handle:
    # the server's cookie for the lock.
    assert nums(rep["lustre.lustre_handle.cookie"])[1:] == [server_handle], (hex(server_handle), rep)

    # OST_WRITE: the object, one niobuf per page-aligned run of the write, under that lock.
    writes = rpcs(frames, OST_WRITE, PTL_RPC_MSG_REQUEST)
    assert len(writes) == 1, writes
    wr = writes[0]
    assert (wr["ip.dst"], wr["lnet.ptl_index"]) == (appliance.address, "6"), wr
    assert num(wr["lustre.obd_ioobj.ioo_id"]) == obj and num(wr["lustre.obd_ioobj.ioo_seq"]) == 0, wr
    offsets, lengths = nums(wr["lustre.niobuf_remote.offset"]), nums(wr["lustre.niobuf_remote.len"])
    assert num(wr["lustre.obd_ioobj.ioo_bufcnt"]) == len(offsets) == len(lengths) >= 1, wr
    assert offsets[0] == offset and sum(lengths) == size, wr
    assert all(a + n == b for a, n, b in zip(offsets, lengths, offsets[1:])), wr  # contiguous, in order
    assert all(flag & OBD_BRW_WRITE for flag in nums(wr["lustre.niobuf_remote.flags"])), wr
    # pb_handle, then o_handle: the I/O names the lock that covers it.
    assert nums(wr["lustre.lustre_handle.cookie"]) == [export_handle, server_handle], (hex(server_handle), wr)
    assert rpcs(frames, OST_WRITE, PTL_RPC_MSG_REPLY), "no OST_WRITE reply decoded"
    assert rpcs(frames, OST_SYNC, PTL_RPC_MSG_REQUEST), "ostio write syncs"
