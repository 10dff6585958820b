#include <gtest/gtest.h>

#include "lnet_core/ptlrpc/opcodes.hpp"
#include "lnet_core/ptlrpc/ptlrpc_body.hpp"

namespace ostd::lnet::ptlrpc {
namespace {

struct Row {
    uint32_t opc;
    const char* name;
    uint32_t request_portal;
    uint32_t reply_portal;
    uint32_t version;
};

// DESIGN.md 4.4 table and 4.6 pb_version choice, written out independently.
const Row design_table[] = {
    {8, "OST_CONNECT", 28, 4, 0x10003},       {9, "OST_DISCONNECT", 28, 4, 0x10003},
    {400, "OBD_PING", 28, 4, 0x10003},        {1, "OST_GETATTR", 28, 4, 0x30003},
    {2, "OST_SETATTR", 28, 4, 0x30003},       {16, "OST_SYNC", 28, 4, 0x30003},
    {101, "LDLM_ENQUEUE", 28, 4, 0x40003},    {3, "OST_READ", 6, 4, 0x30003},
    {4, "OST_WRITE", 6, 4, 0x30003},          {10, "OST_PUNCH", 6, 4, 0x30003},
    {21, "OST_LADVISE", 6, 4, 0x30003},       {103, "LDLM_CANCEL", 17, 18, 0x40003},
    {102, "LDLM_CONVERT", 17, 18, 0x40003},   {104, "LDLM_BL_CALLBACK", 15, 16, 0x40003},
    {105, "LDLM_CP_CALLBACK", 15, 16, 0x40003}, {106, "LDLM_GL_CALLBACK", 15, 16, 0x40003},
};

TEST(Opcodes, EveryRpcHasTheDesignPortalsVersionAndName)
{
    for (const Row& row : design_table) {
        SCOPED_TRACE(row.name);
        ASSERT_TRUE(is_known_opcode(row.opc));
        auto route = rpc_route(row.opc);
        ASSERT_TRUE(route.has_value());
        EXPECT_EQ(route->request_portal, row.request_portal);
        EXPECT_EQ(route->reply_portal, row.reply_portal);
        EXPECT_EQ(route->version, row.version);
        EXPECT_EQ(opcode_name(row.opc), row.name);
    }
}

TEST(Opcodes, UnknownOpcodesHaveNoRouteAndAreNamedUnknown)
{
    for (uint32_t opc : {0u, 5u, 6u, 13u, 33u, 107u, 250u, 401u, 0xFFFFFFFFu}) {
        EXPECT_FALSE(is_known_opcode(opc)) << opc;
        EXPECT_FALSE(rpc_route(opc).has_value()) << opc;
        EXPECT_EQ(opcode_name(opc), "unknown") << opc;
    }
}

TEST(Opcodes, BulkPortalIsEight)
{
    EXPECT_EQ(portal::ost_bulk, 8u);
}

}  // namespace
}  // namespace ostd::lnet::ptlrpc
