// `ostio write / read / stat / punch / sync / locks` through the dispatcher,
// in-process, against the in-test OST.
#include <gtest/gtest.h>

#include <sstream>

#include "client/ostio/commands.hpp"
#include "tests/unit/client/ostio_invocation.hpp"
#include "client/ostio/object_command.hpp"
#include "tests/unit/client/ost_harness.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::ostio;
using namespace ostd::client::testing;

TEST(OstioObjectCommands, WriteReadVerifyStatPunchSync)
{
    OstHarness h;
    std::string port = std::to_string(h.server.port());
    auto write = run_ostio({"write", "127.0.0.1@tcp", "42", "--port", port, "--offset", "5000", "--size", "300000",
                            "--pattern", "9"});
    ASSERT_EQ(write.code, exit_ok) << write.err;
    EXPECT_TRUE(contains(write.out, "wrote 300000 bytes at 5000 of object 42 in 1 OST_WRITE RPCs")) << write.out;
    EXPECT_TRUE(contains(write.out, "1 lock\n  object 42 PW [0, EOF] granted")) << write.out;

    auto read = run_ostio({"read", "127.0.0.1@tcp", "42", "--port", port, "--offset", "6000", "--size", "1000",
                           "--verify-pattern", "9", "--json"});
    ASSERT_EQ(read.code, exit_ok) << read.err;
    EXPECT_TRUE(contains(read.out, "\"bytes\":1000")) << read.out;
    EXPECT_TRUE(contains(read.out, "\"verified\":true")) << read.out;

    auto wrong = run_ostio({"read", "127.0.0.1@tcp", "42", "--port", port, "--offset", "6000", "--size", "10",
                            "--verify-pattern", "8"});
    EXPECT_EQ(wrong.code, exit_failed);
    EXPECT_TRUE(contains(wrong.out, "pattern mismatch at offset 600")) << wrong.out;

    auto stat = run_ostio({"stat", "127.0.0.1@tcp", "42", "--port", port, "--json"});
    ASSERT_EQ(stat.code, exit_ok) << stat.err;
    EXPECT_TRUE(contains(stat.out, "\"size\":305000")) << stat.out;

    auto punch = run_ostio({"punch", "127.0.0.1@tcp", "42", "--port", port, "--offset", "1000"});
    ASSERT_EQ(punch.code, exit_ok) << punch.err;
    EXPECT_EQ(h.ost.object(42).size(), 1000u);

    auto sync = run_ostio({"sync", "127.0.0.1@tcp", "42", "--port", port});
    ASSERT_EQ(sync.code, exit_ok) << sync.err;
    EXPECT_EQ(sync.out, "synced object 42, size 1000\n");
}

TEST(OstioObjectCommands, LocksShowsTheNoExpandLockItTook)
{
    OstHarness h;
    auto run = run_ostio({"locks", "127.0.0.1@tcp", "7", "--port", std::to_string(h.server.port()), "--offset", "4096",
                          "--size", "4096", "--mode", "PW", "--no-expand"});
    ASSERT_EQ(run.code, exit_ok) << run.err;
    EXPECT_TRUE(contains(run.out, "1 lock\n  object 7 PW [4096, 8191] granted")) << run.out;
    EXPECT_TRUE(contains(run.out, ", no-expand\n")) << run.out;
    EXPECT_EQ(h.ost.count("cancel"), 1u);  // dropped at disconnect
}

TEST(OstioObjectCommands, BadArgumentsAreUsageErrors)
{
    EXPECT_EQ(run_ostio({"write", "127.0.0.1@tcp"}).code, exit_usage);
    EXPECT_EQ(run_ostio({"read", "127.0.0.1@tcp", "x1"}).code, exit_usage);
    EXPECT_EQ(run_ostio({"write", "127.0.0.1@tcp", "1", "--pattern", "3"}).code, exit_usage);  // no --size
    EXPECT_EQ(run_ostio({"locks", "127.0.0.1@tcp", "1", "--mode", "EX"}).code, exit_usage);
}

TEST(OstioObjectCommands, PatternIsAFunctionOfTheOffset)
{
    std::vector<std::byte> whole(100), part(10);
    fill_pattern(5, 0, whole);
    fill_pattern(5, 37, part);
    EXPECT_TRUE(std::equal(part.begin(), part.end(), whole.begin() + 37));
    EXPECT_FALSE(check_pattern(5, 37, part));
    EXPECT_EQ(check_pattern(6, 37, part), std::optional<uint64_t>(37));
}
