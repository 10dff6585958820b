// The lock budget's ostio options, in-process against the in-test OST:
// ladvise --count/--batch/--hold and --lru-size (the LRU's cancels seen on
// the server), and their usage errors.
#include <gtest/gtest.h>

#include "client/ostio/command.hpp"
#include "tests/unit/client/ost_harness.hpp"
#include "tests/unit/client/ostio_invocation.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::testing;

namespace {

std::vector<std::string> lockahead_series(const OstHarness& h, std::vector<std::string> extra)
{
    std::vector<std::string> args{"ladvise", "127.0.0.1@tcp", "11", "--port", std::to_string(h.server.port()),
                                  "--advice", "lockahead", "--mode", "write", "--start", "0", "--end", "4095"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

}  // namespace

TEST(OstioLockBudget, LockaheadSeriesWithASmallLruKeepsOnlyTheCap)
{
    OstHarness h;
    auto run = run_ostio(lockahead_series(h, {"--count", "50", "--batch", "7", "--async", "--lru-size", "10", "--json"}));
    ASSERT_EQ(run.code, ostio::exit_ok) << run.err;
    EXPECT_EQ(run.out, "{\"requested\":50,\"sent\":50,\"different\":0,\"same\":0,\"refused\":0,\"lru_cancels\":40,"
                       "\"held\":10}\n");
    EXPECT_EQ(h.ost.count("enqueue"), 50u);
    EXPECT_EQ(h.ost.count("cancel"), 50u);  // 40 by the LRU, 10 at disconnect
    EXPECT_TRUE(h.ost.locks().empty());
}

TEST(OstioLockBudget, TheSynchronousSeriesWaitsForEachLock)
{
    OstHarness h;
    auto run = run_ostio(lockahead_series(h, {"--count", "5", "--stride", "65536", "--batch", "2"}));
    ASSERT_EQ(run.code, ostio::exit_ok) << run.err;
    EXPECT_TRUE(contains(run.out, "lockahead: {\"requested\":5,\"sent\":5,")) << run.out;
    std::vector<uint64_t> starts;
    for (const auto& e : h.ost.log())
        if (e.what == "grant")
            starts.push_back(e.a);
    EXPECT_EQ(starts, (std::vector<uint64_t>{0, 65536, 131072, 196608, 262144}));
}

TEST(OstioLockBudget, BadOptionsAreUsageErrors)
{
    OstHarness h;
    auto bad_lru = run_ostio(lockahead_series(h, {"--count", "5", "--lru-size", "many"}));
    EXPECT_EQ(bad_lru.code, ostio::exit_usage);
    EXPECT_TRUE(contains(bad_lru.err, "--lru-size")) << bad_lru.err;
    EXPECT_EQ(run_ostio(lockahead_series(h, {"--count", "0"})).code, ostio::exit_usage);
    EXPECT_EQ(run_ostio(lockahead_series(h, {"--count", "5", "--batch", "1024"})).code, ostio::exit_usage);
    auto two = run_ostio(lockahead_series(h, {"--count", "5", "--extent", "8192:12287"}));
    EXPECT_EQ(two.code, ostio::exit_usage);
    EXPECT_TRUE(contains(two.err, "--count needs exactly one extent")) << two.err;
    EXPECT_EQ(run_ostio({"locks", "127.0.0.1@tcp", "1", "--lru-size", "-1"}).code, ostio::exit_usage);
    EXPECT_EQ(h.ost.count("enqueue"), 0u);
}
