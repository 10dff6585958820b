"""A corpus of hostile frames at the LNET and ptlrpc levels (issue 7, "Bad
input"; DESIGN.md 4.3-4.5, 11): lengths that overrun, bufcount and buflens
that lie, unknown opcodes, wrong magic and version, lock counts beyond the
buffer, extents and modes no lock can have, NID spoofing, PUTs to portals
nobody listens on, GETs for more than any MD.

Every frame is a whole Ethernet/IPv4/UDP frame to the appliance with correct
IP and UDP checksums, so only the layer it aims at can refuse it. Each entry
says which counter must count it, under which reason, and what ostd answers
(a ptlrpc error status, or nothing).

As a script:
  hostile_frames.py write PCAP          the corpus as a pcap (replay it with
                                        net_pcap's rx_pcap= or tcpreplay)
  hostile_frames.py inject IFACE PCAP   writes the pcap's frames into IFACE
                                        (AF_PACKET, the interface's own source
                                        MAC) while listening on the client's
                                        UDP port; prints the ptlrpc replies it
                                        got as one JSON line
"""
import argparse
import json
import select
import socket
import struct
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from lnet_frames import (ACK, APPLIANCE, CLIENT, CLIENT_PORT, GET, LUSTRE_PID, OUTSIDER, PING_BITS,
                         PING_PORTAL, PUT, REPLY, get_fields, lnet, nid, put_fields, udp_frame, write_pcap)

HELLO = 4
MSG_MAGIC, MSG_MAGIC_SWABBED = 0x0BD0_0BD3, 0xD30B_D00B
PTL_REQUEST, PTL_ERR, PTL_REPLY = 4711, 4712, 4713
OBD_VERSION, OST_VERSION, DLM_VERSION = 0x10003, 0x30003, 0x40003
OST_WRITE, OST_CREATE, OST_CONNECT, OBD_PING = 4, 5, 8, 400
LDLM_ENQUEUE, LDLM_CANCEL = 101, 103
OST_REQUEST_PORTAL, LDLM_CANCEL_PORTAL = 28, 17
LCK_EX, LCK_PW, LCK_GROUP = 1, 2, 64
LDLM_EXTENT, LDLM_PLAIN = 11, 10
EOF_ = (1 << 64) - 1
EPROTO, ENOTCONN = 71, 107
BOGUS_EXPORT = 0xBAD0_BAD0_BAD0_BAD0
FIRST_XID = 0x7000_0000  # each ptlrpc frame its own xid (client xids step by 128)


def version_of(opc):
    if opc in (OST_CONNECT, OBD_PING):
        return OBD_VERSION
    return DLM_VERSION if 101 <= opc <= 106 else OST_VERSION


def pad8(data):
    return data + bytes(-len(data) % 8)


def lustre_msg(buffers, *, bufcount=None, buflens=None, magic=MSG_MAGIC):
    """lustre_msg_v2 (DESIGN.md 4.5); bufcount and buflens may lie."""
    lens = [len(b) for b in buffers] if buflens is None else buflens
    count = len(lens) if bufcount is None else bufcount
    header = struct.pack("<8I", count, 0, magic, 0, 0, 0, 0, 0) + struct.pack(f"<{len(lens)}I", *lens)
    return pad8(header) + b"".join(pad8(b) for b in buffers)


def ptlrpc_body(opc, *, kind=PTL_REQUEST, version=None, handle=BOGUS_EXPORT, size=184):
    body = bytearray(184)
    struct.pack_into("<QIII", body, 0, handle, kind, version_of(opc) if version is None else version, opc)
    return bytes(body[:size])


def lock_desc(*, mode=LCK_PW, start=0, end=4095, resource_type=LDLM_EXTENT, obj=7):
    return struct.pack("<II4QII3Q8x", resource_type, 0, obj, 0, 0, 0, mode, 0, start, end, 0)


def ldlm_request(*, lock_count=1, handles=(0x1234, 0), flags=0, **desc):
    return struct.pack("<II", flags, lock_count) + lock_desc(**desc) + struct.pack(f"<{len(handles)}Q", *handles)


def request(opc, *buffers, **body):
    return lustre_msg([ptlrpc_body(opc, **body), *buffers])


@dataclass(frozen=True)
class Hostile:
    name: str
    counter: str           # "lnet": show lnet stats drops; "rpc": show exports malformed_by_reason;
                           # "not_connected": show exports not_connected
    reason: Optional[str]  # the reason it is counted under ("lnet", "rpc")
    frame: bytes
    status: Optional[int] = None  # pb_status of ostd's answer (ERR); None: no answer
    xid: Optional[int] = None


def build_corpus():
    corpus = []

    def lnet_level(name, reason, payload, **frame):
        corpus.append(Hostile(name, "lnet", reason, udp_frame(payload, **frame)))

    def rpc_level(name, counter, reason, message, status=None, portal=OST_REQUEST_PORTAL):
        xid = FIRST_XID + 128 * len(corpus)
        put = lnet(PUT, message, fields=put_fields(portal, bits=xid))
        corpus.append(Hostile(name, counter, reason, udp_frame(put), status, xid))

    enqueue = request(LDLM_ENQUEUE, ldlm_request())  # well formed, but from no export
    # -- LNET: lengths that overrun or fall short of the datagram -----------------
    lnet_level("put_length_beyond_datagram", "length_mismatch",
               lnet(PUT, enqueue, payload_length=len(enqueue) + 100, fields=put_fields(OST_REQUEST_PORTAL)))
    lnet_level("put_length_short_of_datagram", "length_mismatch",
               lnet(PUT, enqueue, payload_length=len(enqueue) - 8, fields=put_fields(OST_REQUEST_PORTAL)))
    lnet_level("put_length_near_4g", "payload_too_long",
               lnet(PUT, enqueue, payload_length=0xFFFF_FFF0, fields=put_fields(OST_REQUEST_PORTAL)))
    lnet_level("get_beyond_any_md", "payload_too_long", lnet(GET, fields=get_fields(sink_length=1 << 30)))
    lnet_level("get_unknown_match_bits", "no_match", lnet(GET, fields=get_fields(bits=PING_BITS | 0x1234)))
    # -- LNET: portals nobody listens on, handles nobody gave out -----------------
    lnet_level("put_to_portal_63", "no_match", lnet(PUT, enqueue, fields=put_fields(63)))
    lnet_level("put_to_bulk_portal", "no_match", lnet(PUT, bytes(4096 // 4), fields=put_fields(8, bits=0x77)))
    lnet_level("ack_for_unknown_md", "stale_handle",
               lnet(ACK, fields=struct.pack("<QQQI", 0x1111, 0x2222, 0x77, 0)))
    lnet_level("reply_for_unknown_md", "stale_handle", lnet(REPLY, bytes(64), fields=struct.pack("<QQ", 0x1111, 0x2222)))
    lnet_level("hello_on_udp", "unexpected_hello", lnet(HELLO, fields=struct.pack("<QI", 1, 2)))
    lnet_level("put_to_another_pid", "wrong_destination",
               lnet(PUT, enqueue, dest_pid=LUSTRE_PID + 1, fields=put_fields(OST_REQUEST_PORTAL)))
    # -- LNET: NID spoofing ---------------------------------------------------------
    lnet_level("nid_of_a_neighbour", "nid_spoofed",
               lnet(PUT, enqueue, src="10.77.0.5", fields=put_fields(OST_REQUEST_PORTAL)))
    lnet_level("nid_outside_allowed_networks", "nid_spoofed",
               lnet(PUT, enqueue, src=OUTSIDER, fields=put_fields(OST_REQUEST_PORTAL)))
    lnet_level("nid_on_another_lnet", "nid_spoofed",
               lnet(PUT, enqueue, src_nid=nid(CLIENT, net=1), fields=put_fields(OST_REQUEST_PORTAL)))
    lnet_level("source_outside_allowed_networks", "source_not_allowed",
               lnet(PUT, enqueue, src=OUTSIDER, fields=put_fields(OST_REQUEST_PORTAL)), src=OUTSIDER)

    # -- ptlrpc framing: not even a body to answer ------------------------------------
    body = ptlrpc_body(OBD_PING)
    rpc_level("msg_shorter_than_header", "rpc", "truncated_header", bytes(16))
    rpc_level("msg_bad_magic", "rpc", "bad_magic", lustre_msg([body], magic=0xDEAD_BEEF))
    rpc_level("msg_big_endian_magic", "rpc", "swabbed_magic", lustre_msg([body], magic=MSG_MAGIC_SWABBED))
    rpc_level("bufcount_zero", "rpc", "bad_bufcount", lustre_msg([body], bufcount=0, buflens=[]))
    rpc_level("bufcount_huge", "rpc", "bad_bufcount", lustre_msg([body], bufcount=0xFFFF_FFFF, buflens=[184]))
    rpc_level("buflens_beyond_message", "rpc", "truncated_header", lustre_msg([], bufcount=30, buflens=[184]))
    rpc_level("buflen_beyond_message", "rpc", "buffers_overrun", lustre_msg([body], buflens=[4000]))
    rpc_level("buflens_sum_past_message", "rpc", "buffers_overrun",
              lustre_msg([ptlrpc_body(LDLM_ENQUEUE), ldlm_request()], buflens=[184, 0xFFFF_FFF0]))
    rpc_level("body_too_short", "rpc", "short_body", lustre_msg([ptlrpc_body(OBD_PING, size=100)]))
    # -- ptlrpc body: answered -EPROTO --------------------------------------------------
    rpc_level("reply_sent_as_request", "rpc", "bad_message_type", request(OBD_PING, kind=PTL_REPLY), -EPROTO)
    rpc_level("opcode_not_served", "rpc", "unknown_opcode", request(OST_CREATE), -EPROTO)
    rpc_level("opcode_all_ones", "rpc", "unknown_opcode", request(0xFFFF_FFFF), -EPROTO)
    rpc_level("enqueue_with_ost_version", "rpc", "bad_version",
              request(LDLM_ENQUEUE, ldlm_request(), version=OST_VERSION), -EPROTO)
    rpc_level("connect_with_dlm_version", "rpc", "bad_version", request(OST_CONNECT, version=DLM_VERSION), -EPROTO)
    rpc_level("enqueue_without_its_request", "rpc", "missing_buffer", request(LDLM_ENQUEUE), -EPROTO)
    rpc_level("enqueue_request_cut_short", "rpc", "short_buffer", request(LDLM_ENQUEUE, ldlm_request()[:50]),
              -EPROTO)
    rpc_level("write_niobufs_unaccounted", "rpc", "niobuf_count_mismatch",
              request(OST_WRITE, bytes(208), struct.pack("<QQII", 7, 0, 0, 5), struct.pack("<QII", 0, 4096, 2)),
              -EPROTO)
    # -- LDLM: lock counts beyond the buffer, modes and extents no lock has -------------
    rpc_level("enqueue_lock_count_beyond_handles", "rpc", "lock_count_overflow",
              request(LDLM_ENQUEUE, ldlm_request(lock_count=3)), -EPROTO)
    rpc_level("cancel_lock_count_all_ones", "rpc", "lock_count_overflow",
              request(LDLM_CANCEL, ldlm_request(lock_count=0xFFFF_FFFF, mode=0)), -EPROTO, LDLM_CANCEL_PORTAL)
    rpc_level("cancel_lock_count_one_beyond", "rpc", "lock_count_overflow",
              request(LDLM_CANCEL, ldlm_request(lock_count=5, handles=(1, 2, 3, 4), mode=0)), -EPROTO,
              LDLM_CANCEL_PORTAL)
    rpc_level("enqueue_mode_zero", "rpc", "bad_lock_mode", request(LDLM_ENQUEUE, ldlm_request(mode=0)), -EPROTO)
    rpc_level("enqueue_mode_ex_and_pw", "rpc", "bad_lock_mode",
              request(LDLM_ENQUEUE, ldlm_request(mode=LCK_EX | LCK_PW)), -EPROTO)
    rpc_level("enqueue_mode_beyond_group_whole_file", "rpc", "bad_lock_mode",
              request(LDLM_ENQUEUE, ldlm_request(mode=LCK_GROUP << 1, end=EOF_)), -EPROTO)
    rpc_level("enqueue_start_after_end", "rpc", "bad_extent",
              request(LDLM_ENQUEUE, ldlm_request(start=4096, end=4095)), -EPROTO)
    rpc_level("enqueue_extent_inverted_at_eof", "rpc", "bad_extent",
              request(LDLM_ENQUEUE, ldlm_request(start=EOF_, end=0)), -EPROTO)
    rpc_level("enqueue_plain_resource", "rpc", "bad_resource_type",
              request(LDLM_ENQUEUE, ldlm_request(resource_type=LDLM_PLAIN)), -EPROTO)
    # -- well formed, from no export: -ENOTCONN ---------------------------------------------
    rpc_level("ping_from_no_export", "not_connected", None, request(OBD_PING), -ENOTCONN)
    rpc_level("group_lock_on_whole_file_from_no_export", "not_connected", None,
              request(LDLM_ENQUEUE, ldlm_request(mode=LCK_GROUP, start=0, end=EOF_)), -ENOTCONN)
    rpc_level("cancel_from_no_export", "not_connected", None,
              request(LDLM_CANCEL, ldlm_request(mode=0, handles=(0x5555, 0))), -ENOTCONN, LDLM_CANCEL_PORTAL)
    return corpus


CORPUS = build_corpus()


def expected_counts(corpus, counter):
    """{reason: frames} for a counter ("lnet", "rpc"), or the number of frames."""
    if counter == "not_connected":
        return sum(1 for h in corpus if h.counter == counter)
    return dict(Counter(h.reason for h in corpus if h.counter == counter))


def expected_answers(corpus):
    """{xid: pb_status} of the frames ostd answers."""
    return {h.xid: h.status for h in corpus if h.status is not None}


# -- as a script ----------------------------------------------------------------------


def read_pcap(path):
    data = Path(path).read_bytes()
    frames, at = [], 24
    while at + 16 <= len(data):
        length = struct.unpack_from("<I", data, at + 8)[0]
        frames.append(data[at + 16:at + 16 + length])
        at += 16 + length
    return frames


def parse_answer(datagram):
    """A ptlrpc answer PUT as ostd sends it: (match bits = xid, pb_type, pb_status)."""
    kind, = struct.unpack_from("<I", datagram, 24 + 24)
    xid, = struct.unpack_from("<Q", datagram, 24 + 48)
    msg = datagram[96:]
    bufcount, = struct.unpack_from("<I", msg, 0)
    body = 32 + 4 * bufcount + (-(32 + 4 * bufcount) % 8)
    pb_type, _, _, status = struct.unpack_from("<IIIi", msg, body + 8)
    return {"lnet_type": kind, "xid": xid, "type": pb_type, "status": status}


def inject(iface, pcap, port, expect, timeout):
    """Writes every frame of pcap into iface and collects what comes back on
    UDP `port` until `expect` answers arrived or `timeout` passed."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("", port))  # also keeps the kernel from answering ICMP port unreachable
    own_mac = bytes.fromhex(Path(f"/sys/class/net/{iface}/address").read_text().strip().replace(":", ""))
    raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    raw.bind((iface, 0))
    for frame in read_pcap(pcap):
        raw.send(frame[:6] + own_mac + frame[12:])  # answers come back to this interface
    answers, deadline = [], time.monotonic() + timeout
    while len(answers) < expect and time.monotonic() < deadline:
        ready, _, _ = select.select([listener], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            answers.append(parse_answer(listener.recv(65536)))
    return answers


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    write = sub.add_parser("write", help="write the corpus as a pcap")
    write.add_argument("pcap")
    put = sub.add_parser("inject", help="write a pcap's frames into an interface, print the answers")
    put.add_argument("iface")
    put.add_argument("pcap")
    put.add_argument("--port", type=int, default=CLIENT_PORT)
    put.add_argument("--expect", type=int, default=len(expected_answers(CORPUS)))
    put.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args(argv)
    if args.command == "write":
        write_pcap(args.pcap, [h.frame for h in CORPUS])
        print(f"{len(CORPUS)} frames to {APPLIANCE} written to {args.pcap}")
    else:
        print(json.dumps(inject(args.iface, args.pcap, args.port, args.expect, args.timeout)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
