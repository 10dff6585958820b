-- Wireshark's LNet dissector registers on TCP port 988 only; ostd carries one
-- LNET message per UDP datagram on port 988 (DESIGN.md 4.1), so hand those
-- datagrams to the same dissector.
local lnet = DissectorTable.get("tcp.port"):get_dissector(988)
DissectorTable.get("udp.port"):add(988, lnet)
