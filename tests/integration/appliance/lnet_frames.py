"""Raw frames for the appliance tests, built with struct (no scapy): Ethernet,
IPv4 and UDP with correct checksums unless asked otherwise, the socklnd and
lnet_hdr headers (DESIGN.md 4.1-4.3), and a pcap writer. Shared by
test_malformed (link and LNET junk) and hostile_frames (LNET and ptlrpc)."""
import struct

APPLIANCE = "10.77.0.1"
CLIENT = "10.77.0.2"
OUTSIDER = "10.78.0.2"  # not in network.allowed_networks
CLIENT_MAC = bytes.fromhex("020000000002")
BROADCAST = b"\xff" * 6  # ostd accepts broadcast; net_pcap's own MAC is random
LNET_PORT = 988
CLIENT_PORT = 1023
LUSTRE_PID = 12345
CLIENT_PID = 0x4000_1234
ACK, PUT, GET, REPLY = 0, 1, 2, 3
PING_PORTAL, PING_BITS = 0, 0x8000_0000_0000_0000
NO_WMD = (0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF)
PING_INFO_SIZE = 16 + 16 * 2


def ip4(text):
    return bytes(int(part) for part in text.split("."))


def nid(text, net=0):
    """A tcp NID: (SOCKLND << 16 | net) << 32 | address, as a u64."""
    return ((2 << 16 | net) << 32) | int.from_bytes(ip4(text), "big")


def inet_checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ethernet(payload, ethertype=0x0800, dst=BROADCAST, src_mac=CLIENT_MAC):
    return dst + src_mac + struct.pack("!H", ethertype) + payload


def ipv4(payload, *, src=CLIENT, dst=APPLIANCE, proto=17, frag=0x4000, bad_checksum=False):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0x1234, frag, 64, proto, 0,
                         ip4(src), ip4(dst))
    checksum = inet_checksum(header) ^ (0x5A5A if bad_checksum else 0)
    return header[:10] + struct.pack("!H", checksum) + header[12:] + payload


def udp(payload, *, src=CLIENT, dst=APPLIANCE, sport=CLIENT_PORT, dport=LNET_PORT, bad_checksum=False):
    length = 8 + len(payload)
    pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17, length)
    header = struct.pack("!HHHH", sport, dport, length, 0)
    checksum = inet_checksum(pseudo + header + payload) or 0xFFFF
    if bad_checksum:
        checksum = checksum ^ 0x0F0F or 0x1111
    return struct.pack("!HHHH", sport, dport, length, checksum) + payload


def udp_frame(payload, *, src=CLIENT, dport=LNET_PORT, bad_ip_checksum=False, bad_udp_checksum=False,
              frag=0x4000, src_mac=CLIENT_MAC):
    return ethernet(ipv4(udp(payload, src=src, dport=dport, bad_checksum=bad_udp_checksum), src=src,
                         frag=frag, bad_checksum=bad_ip_checksum), src_mac=src_mac)


def socklnd(kind=0xC1, checksum=0):
    return struct.pack("<IIQQ", kind, checksum, 0, 0)


def lnet_hdr(kind, *, payload_length=0, dest=APPLIANCE, src=CLIENT, dest_pid=LUSTRE_PID,
             src_pid=CLIENT_PID, fields=b"", src_nid=None):
    """src_nid: a NID (u64) other than src@tcp."""
    header = struct.pack("<QQIIII", nid(dest), nid(src) if src_nid is None else src_nid, dest_pid, src_pid, kind,
                         payload_length)
    return header + fields.ljust(40, b"\0")


def get_fields(portal=PING_PORTAL, bits=PING_BITS, sink_length=PING_INFO_SIZE, wmd=(0x1111, 0x2222)):
    return struct.pack("<QQQIII", *wmd, bits, portal, 0, sink_length)


def put_fields(portal, bits=0x77):
    return struct.pack("<QQQQII", *NO_WMD, bits, 0, portal, 0)


def lnet(kind, payload=b"", *, payload_length=None, socklnd_checksum=0, **header):
    length = len(payload) if payload_length is None else payload_length
    return socklnd(checksum=socklnd_checksum) + lnet_hdr(kind, payload_length=length, **header) + payload


def ping(**header):
    return lnet(GET, fields=get_fields(), **header)


def write_pcap(path, frames):
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))  # LINKTYPE_ETHERNET
        for i, frame in enumerate(frames):
            out.write(struct.pack("<IIII", 1_700_000_000, i, len(frame), len(frame)) + frame)
