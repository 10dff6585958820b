// Wire fidelity of ptlrpc messages against an independent oracle: an
// LDLM_ENQUEUE request and its reply, and an OST_WRITE request, built with
// lnet_core/ptlrpc, are wrapped in LNET PUTs (DESIGN.md 4.4) and decoded by
// Wireshark's Lustre dissector; every decoded field must equal what we encoded.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "lnet_core/frame.hpp"
#include "lnet_core/nid.hpp"
#include "lnet_core/ptlrpc/ldlm_wire.hpp"
#include "lnet_core/ptlrpc/ost_wire.hpp"
#include "lnet_core/ptlrpc/rpc_layout.hpp"
#include "tests/wire/pcap_writer.hpp"
#include "tests/wire/field_assertions.hpp"
#include "tests/wire/tshark_runner.hpp"

namespace ostd::wire_test {
namespace {

using namespace ostd::lnet;
using namespace ostd::lnet::ptlrpc;

constexpr Pid server_pid = 12345;
constexpr Pid client_pid = 12345;
constexpr uint64_t enqueue_xid = 0x5f3e000000001080;
constexpr uint64_t write_xid = 0x5f3e000000001100;
constexpr uint64_t export_handle = 0xE1E2E3E4E5E6E7E8;
constexpr uint64_t client_cookie = 0x1111222233334444;
constexpr uint64_t server_cookie = 0xAAAABBBBCCCCDDDD;
constexpr uint32_t reply_offset = 224;  // request had AT_SUPPORT

enum Frame : size_t { enqueue_request, enqueue_reply, write_request, frame_count };

const std::vector<std::string> fields = {
    "frame.protocols", "lnet.ptl_index", "lnet.msg_dst_match_bits", "lnet.offset", "lnet.payload_length",
    "lnet.bad_buflen", "_ws.expert.message", "_ws.malformed",
    "lustre.lustre_msg_v2.lm_magic", "lustre.lustre_msg_v2.lm_bufcount", "lustre.lustre_msg_v2.lm_buflens",
    "lustre.lustre_msg_v2.lm_flags", "lustre.lustre_msg_v2.lm_repsize",
    "lustre.ptlrpc_body.pb_handle", "lustre.ptlrpc_body.pb_type", "lustre.ptlrpc_body.pb_version",
    "lustre.ptlrpc_body.pb_opc", "lustre.ptlrpc_body.pb_status", "lustre.ptlrpc_body.pb_last_xid",
    "lustre.ptlrpc_body.pb_flags", "lustre.ptlrpc_body.pb_conn_cnt", "lustre.ptlrpc_body.pb_timeout",
    "lustre.ptlrpc_body.pb_transno", "lustre.ptlrpc_body.pb_jobid",
    "lustre.ldlm_request.lock_flags", "lustre.ldlm_request.lock_count", "lustre.ldlm_request.lock_handle",
    "lustre.ldlm_reply.lock_flags", "lustre.ldlm_reply.lock_handle",
    "lustre.ldlm_reply.lock_policy_res1", "lustre.ldlm_reply.lock_policy_res2",
    "lustre.ldlm_resource_desc.lr_type", "lustre.ldlm_res_id.name",
    "lustre.ldlm_lock_desc.l_req_mode", "lustre.ldlm_lock_desc.l_granted_mode",
    "lustre.ldlm_extent.start", "lustre.ldlm_extent.end", "lustre.ldlm_extent.gid",
    "lustre.obdo.o_valid", "lustre.ost_id.oi", "lustre.obdo.o_size", "lustre.obdo.o_handle",
    "lustre.obdo.o_grant", "lustre.obd_ioobj.ioo_id", "lustre.obd_ioobj.ioo_seq",
    "lustre.obd_ioobj.ioo_max_brw", "lustre.obd_ioobj.ioo_bufcnt",
    "lustre.niobuf_remote.offset", "lustre.niobuf_remote.len", "lustre.niobuf_remote.flags",
    "lustre.bad_opcode", "lustre.bad_magic", "lustre.bad_buflen", "lustre.lustre_handle.cookie",
    "lustre.ost_io.id", "lustre.ost_oi.seq", "lustre.ost_lvb.lvb_size", "lustre.ptlrpc_body.pb_last_committed",
};

Nid nid(const char* text)
{
    auto parsed = parse_nid(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    return parsed.value_or(Nid{});
}

LockDesc enqueue_desc()
{
    LockDesc desc;
    desc.name = {0x1234, 0x0, 0x0, 0x0};
    desc.req_mode = lock_mode::pw;
    desc.granted_mode = 0;
    desc.extent = {4096, 0xFFFFFFFFFFFFFFFF, 0};
    return desc;
}

PtlrpcBody request_body(uint64_t last_xid)
{
    PtlrpcBody body;
    body.handle = export_handle;
    body.last_xid = last_xid;
    body.conn_cnt = 3;
    body.timeout = 7;
    std::snprintf(body.jobid.data(), body.jobid.size(), "dd.1000");
    return body;
}

std::vector<std::byte> build_enqueue_request()
{
    LdlmRequest req;
    req.flags = ldlm_flag::no_expansion;
    req.lock_count = 1;
    req.desc = enqueue_desc();
    req.handles = {client_cookie, 0};
    auto ldlm = encode_ldlm_request(req);
    MessageHeader header;
    header.repsize = 1024;
    return build_request(Opcode::ldlm_enqueue, request_body(0x5f3e000000001000), {ldlm}, header);
}

std::vector<std::byte> build_enqueue_reply(const std::vector<std::byte>& request)
{
    auto msg = decode_message(request);
    auto body = check_request(*msg);
    LdlmReply rep;
    rep.flags = ldlm_flag::lock_changed;
    rep.desc = enqueue_desc();
    rep.desc.granted_mode = lock_mode::pw;
    rep.desc.extent = {0, 0xFFFFFFFFFFFFFFFF, 0};
    rep.handle = server_cookie;
    rep.policy_res1 = 0x77;
    rep.policy_res2 = 0x88;
    OstLvb lvb{123456, 1700000000, 1700000001, 1700000002, 256, 1, 2, 3};
    auto ldlm = encode_ldlm_reply(rep);
    auto lvb_bytes = encode_ost_lvb(lvb);
    return build_reply(*body, msg->header.flags, ptlrpc::ReplyParams{.transno = 0x42, .last_committed = 0x41},
                       {ldlm, lvb_bytes});
}

std::vector<std::byte> build_write_request()
{
    Obdo oa;
    oa.valid = obd_md::id | obd_md::group | obd_md::handle | obd_md::size | obd_md::grant;
    oa.id = 0x2A;
    oa.seq = 0x0;
    oa.size_ = 0x30000;
    oa.grant = 0x100000;
    oa.handle = server_cookie;
    ObdIoobj ioo{0x2A, 0x0, 0, 2};
    NiobufRemote nb[] = {{0x10000, 4096, obd_brw_write}, {0x20000, 8192, obd_brw_write | 0x8}};
    auto oa_bytes = encode_obdo(oa);
    auto ioo_bytes = encode_ioobjs(std::span(&ioo, 1));
    auto nb_bytes = encode_niobufs(nb);
    PtlrpcBody body = request_body(0x5f3e000000001080);
    body.mbits = write_xid;
    return build_request(Opcode::ost_write, body, {oa_bytes, ioo_bytes, nb_bytes, {}, {}});
}

std::vector<std::byte> put_datagram(const std::vector<std::byte>& payload, bool to_client, uint32_t portal,
                                    uint64_t xid, uint32_t offset)
{
    LnetHeader header;
    header.dest_nid = nid(to_client ? "192.168.5.7@tcp" : "10.0.0.2@tcp");
    header.src_nid = nid(to_client ? "10.0.0.2@tcp" : "192.168.5.7@tcp");
    header.dest_pid = to_client ? client_pid : server_pid;
    header.src_pid = to_client ? server_pid : client_pid;
    header.payload_length = static_cast<uint32_t>(payload.size());
    header.fields = PutFields{WireHandle::none(), xid, 0, portal, offset};
    std::vector<std::byte> datagram(frame_overhead + payload.size());
    datagram.resize(encode_frame(header, payload, datagram));
    return datagram;
}

// Occurrences of a field joined by ',' in tree order, as numbers.
std::vector<uint64_t> numbers(const DecodedPacket& packet, const std::string& field)
{
    std::vector<uint64_t> values;
    std::string text = packet.at(field);
    size_t start = 0;
    while (start <= text.size() && !text.empty()) {
        size_t comma = text.find(',', start);
        std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        values.push_back(number(part).value_or(~uint64_t{0}));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return values;
}

class PtlrpcTshark : public testing::Test {
protected:
    static void SetUpTestSuite()
    {
        messages.resize(frame_count);
        messages[enqueue_request] = build_enqueue_request();
        messages[enqueue_reply] = build_enqueue_reply(messages[enqueue_request]);
        messages[write_request] = build_write_request();
        auto tshark = find_tshark();
        if (!tshark) {
            skip_reason = "tshark not installed: the wire suite needs Wireshark's Lustre dissector";
            return;
        }
        const char* tmp = std::getenv("TMPDIR");
        std::string dir_template = std::string(tmp && *tmp ? tmp : "/tmp") + "/ostd_ptlrpc_XXXXXX";
        if (!::mkdtemp(dir_template.data()))
            return;
        directory = dir_template;
        capture = directory + "/ptlrpc.pcap";
        std::vector<std::vector<std::byte>> frames = {
            wrap_in_udp(put_datagram(messages[enqueue_request], false, portal::ost_request, enqueue_xid, 0)),
            wrap_in_udp(put_datagram(messages[enqueue_reply], true, portal::osc_reply, enqueue_xid, reply_offset)),
            wrap_in_udp(put_datagram(messages[write_request], false, portal::ost_io, write_xid, 0)),
        };
        if (write_pcap(capture, frames))
            result = run_tshark(*tshark, OSTD_LNET_UDP_LUA, capture, fields);
    }

    static void TearDownTestSuite()
    {
        if (testing::UnitTest::GetInstance()->Failed() || std::getenv("OSTD_KEEP_CAPTURE")) {
            std::fprintf(stderr, "capture kept for inspection: %s\n", capture.c_str());
            return;
        }
        std::remove(capture.c_str());
        ::rmdir(directory.c_str());
    }

    void SetUp() override
    {
        if (!skip_reason.empty())
            GTEST_SKIP() << skip_reason;
        ASSERT_FALSE(directory.empty()) << "could not create a temporary directory";
        ASSERT_EQ(result.exit_status, 0) << "tshark failed on " << capture << ":\n" << result.stderr_text;
        ASSERT_EQ(result.packets.size(), size_t{frame_count}) << result.stderr_text;
        for (size_t i = 0; i < frame_count; ++i)
            ASSERT_TRUE(result.packets[i].at("frame.protocols").ends_with(":udp:lnet:lustre"))
                << "frame " << i << " not decoded as Lustre ('" << result.packets[i].at("frame.protocols")
                << "'); stderr:\n" << result.stderr_text;
    }

    static const DecodedPacket& decoded(Frame f) { return result.packets[f]; }

    // lustre_msg_v2 header and ptlrpc_body, common to every message.
    static void expect_envelope(Frame f, uint32_t bufcount, const std::string& buflens)
    {
        const DecodedPacket& p = decoded(f);
        EXPECT_TRUE(field_is(p, "lustre.lustre_msg_v2.lm_magic", msg_magic_v2));
        EXPECT_TRUE(field_is(p, "lustre.lustre_msg_v2.lm_bufcount", bufcount));
        EXPECT_TRUE(field_text_is(p, "lustre.lustre_msg_v2.lm_buflens", buflens));
        EXPECT_TRUE(field_is(p, "lustre.lustre_msg_v2.lm_flags", msghdr_at_support));
        EXPECT_TRUE(field_text_is(p, "lustre.bad_opcode", ""));
        EXPECT_TRUE(field_text_is(p, "lustre.bad_magic", ""));
        EXPECT_TRUE(field_text_is(p, "lustre.bad_buflen", ""));
        EXPECT_TRUE(field_text_is(p, "lnet.bad_buflen", ""));
        EXPECT_TRUE(field_text_is(p, "_ws.malformed", ""));
    }

    static inline std::vector<std::vector<std::byte>> messages;
    static inline TsharkResult result;
    static inline std::string skip_reason;
    static inline std::string directory;
    static inline std::string capture;
};

// Each message rides an LNET PUT as DESIGN.md 4.4 says, and the dissector
// finds the lustre_msg_v2 envelope exactly as encoded, buffer by buffer.
TEST_F(PtlrpcTshark, PutsCarryTheMessagesOnTheirPortalsWithTheXidAsMatchBits)
{
    struct Expected { Frame f; uint32_t portal; uint64_t xid; uint32_t offset; };
    for (auto e : {Expected{enqueue_request, portal::ost_request, enqueue_xid, 0},
                   Expected{enqueue_reply, portal::osc_reply, enqueue_xid, reply_offset},
                   Expected{write_request, portal::ost_io, write_xid, 0}}) {
        const DecodedPacket& p = decoded(e.f);
        EXPECT_TRUE(field_is(p, "lnet.ptl_index", e.portal)) << "frame " << e.f;
        EXPECT_TRUE(field_is(p, "lnet.msg_dst_match_bits", e.xid)) << "frame " << e.f;
        EXPECT_TRUE(field_is(p, "lnet.offset", e.offset)) << "frame " << e.f;
        EXPECT_TRUE(field_is(p, "lnet.payload_length", messages[e.f].size())) << "frame " << e.f;
    }
}

TEST_F(PtlrpcTshark, EnvelopesDecodeWithEveryBufferLength)
{
    expect_envelope(enqueue_request, 2, "184,104");
    expect_envelope(enqueue_reply, 3, "184,112,56");
    expect_envelope(write_request, 6, "184,208,24,32,0,0");
    EXPECT_TRUE(field_is(decoded(enqueue_request), "lustre.lustre_msg_v2.lm_repsize", 1024));
    EXPECT_TRUE(field_is(decoded(enqueue_reply), "lustre.lustre_msg_v2.lm_repsize", 0));
}

TEST_F(PtlrpcTshark, EnqueueRequestBodyAndLockDescriptor)
{
    const DecodedPacket& p = decoded(enqueue_request);
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_type", 4711));
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_opc", 101));
    // Quirk: the dissector masks pb_version with 0xffff, showing only
    // PTLRPC_MSG_VERSION (3), not the DLM target version 0x40000.
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_version", dlm_version & 0xffff));
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_status", 0));
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_last_xid", 0x5f3e000000001000));
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_conn_cnt", 3));
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_timeout", 7));
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_flags", 0));
    EXPECT_TRUE(field_text_is(p, "lustre.ptlrpc_body.pb_jobid", "dd.1000"));
    // Handles in tree order: pb_handle, lock_handle[0], lock_handle[1].
    EXPECT_EQ(numbers(p, "lustre.lustre_handle.cookie"),
              (std::vector<uint64_t>{export_handle, client_cookie, 0}));
    EXPECT_TRUE(field_is(p, "lustre.ldlm_request.lock_flags", ldlm_flag::no_expansion));
    EXPECT_TRUE(field_is(p, "lustre.ldlm_request.lock_count", 1));
    EXPECT_TRUE(field_is(p, "lustre.ldlm_resource_desc.lr_type", ldlm_extent_type));
    EXPECT_EQ(numbers(p, "lustre.ldlm_res_id.name"), (std::vector<uint64_t>{0x1234, 0, 0, 0}));
    EXPECT_TRUE(field_is(p, "lustre.ldlm_lock_desc.l_req_mode", lock_mode::pw));
    EXPECT_TRUE(field_is(p, "lustre.ldlm_lock_desc.l_granted_mode", 0));
    EXPECT_TRUE(field_is(p, "lustre.ldlm_extent.start", 4096));
    EXPECT_TRUE(field_is(p, "lustre.ldlm_extent.end", ~uint64_t{0}));
    EXPECT_TRUE(field_is(p, "lustre.ldlm_extent.gid", 0));
}

TEST_F(PtlrpcTshark, EnqueueReplyIsMatchedToItsRequestAndDecoded)
{
    const DecodedPacket& p = decoded(enqueue_reply);
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_type", 4713));
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_opc", 101));
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_status", 0));
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_transno", 0x42));
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_last_committed", 0x41));
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_conn_cnt", 3));
    EXPECT_EQ(numbers(p, "lustre.lustre_handle.cookie"), (std::vector<uint64_t>{0, server_cookie}));
    EXPECT_TRUE(field_is(p, "lustre.ldlm_reply.lock_flags", ldlm_flag::lock_changed));
    EXPECT_TRUE(field_is(p, "lustre.ldlm_reply.lock_policy_res1", 0x77));
    EXPECT_TRUE(field_is(p, "lustre.ldlm_reply.lock_policy_res2", 0x88));
    EXPECT_TRUE(field_is(p, "lustre.ldlm_lock_desc.l_req_mode", lock_mode::pw));
    EXPECT_TRUE(field_is(p, "lustre.ldlm_lock_desc.l_granted_mode", lock_mode::pw));
    EXPECT_TRUE(field_is(p, "lustre.ldlm_extent.start", 0));
    EXPECT_TRUE(field_is(p, "lustre.ldlm_extent.end", ~uint64_t{0}));
    EXPECT_EQ(numbers(p, "lustre.ldlm_res_id.name"), (std::vector<uint64_t>{0x1234, 0, 0, 0}));
    // Known limit (DESIGN.md 4.5): the enqueue reply's LVB is shown as raw data.
    EXPECT_TRUE(field_text_is(p, "lustre.ost_lvb.lvb_size", ""));
}

TEST_F(PtlrpcTshark, WriteRequestObdoIoobjAndNiobufs)
{
    const DecodedPacket& p = decoded(write_request);
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_type", 4711));
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_opc", 4));
    EXPECT_TRUE(field_is(p, "lustre.ptlrpc_body.pb_version", ost_version & 0xffff));
    EXPECT_TRUE(field_is(p, "lustre.obdo.o_valid",
                         obd_md::id | obd_md::group | obd_md::handle | obd_md::size | obd_md::grant));
    EXPECT_TRUE(field_is(p, "lustre.ost_io.id", 0x2A));
    EXPECT_TRUE(field_is(p, "lustre.ost_oi.seq", 0));
    EXPECT_TRUE(field_is(p, "lustre.obdo.o_size", 0x30000));
    EXPECT_TRUE(field_is(p, "lustre.obdo.o_grant", 0x100000));
    // pb_handle, then o_handle (the lock covering the I/O).
    EXPECT_EQ(numbers(p, "lustre.lustre_handle.cookie"), (std::vector<uint64_t>{export_handle, server_cookie}));
    EXPECT_TRUE(field_is(p, "lustre.obd_ioobj.ioo_id", 0x2A));
    EXPECT_TRUE(field_is(p, "lustre.obd_ioobj.ioo_seq", 0));
    EXPECT_TRUE(field_is(p, "lustre.obd_ioobj.ioo_max_brw", 0));
    EXPECT_TRUE(field_is(p, "lustre.obd_ioobj.ioo_bufcnt", 2));
    EXPECT_EQ(numbers(p, "lustre.niobuf_remote.offset"), (std::vector<uint64_t>{0x10000, 0x20000}));
    EXPECT_EQ(numbers(p, "lustre.niobuf_remote.len"), (std::vector<uint64_t>{4096, 8192}));
    EXPECT_EQ(numbers(p, "lustre.niobuf_remote.flags"), (std::vector<uint64_t>{obd_brw_write, obd_brw_write | 0x8}));
}

}  // namespace
}  // namespace ostd::wire_test
