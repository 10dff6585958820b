// ostio's option parser: what each subcommand's arguments go through.
#include "client/ostio/options.hpp"

#include <gtest/gtest.h>

#include <array>

using namespace ostd::client::ostio;

namespace {

constexpr std::array<OptionSpec, 2> specs{{{"port", true}, {"json", false}}};

ostd::lnet::Result<ParsedArgs, std::string> parse(std::vector<std::string_view> args)
{
    return parse_options(args, specs);
}

}  // namespace

TEST(OstioOptions, ValuesFlagsAndPositionalsInAnyOrder)
{
    auto parsed = parse({"--port", "1988", "10.0.0.1@tcp", "--json"});
    ASSERT_TRUE(parsed) << parsed.error();
    EXPECT_EQ(parsed->positional, std::vector<std::string_view>{"10.0.0.1@tcp"});
    EXPECT_EQ(parsed->value("port"), "1988");
    EXPECT_TRUE(parsed->has("json"));
    EXPECT_FALSE(parse({"x"})->has("json"));
}

TEST(OstioOptions, InlineValueAndDoubleDash)
{
    auto parsed = parse({"--port=7", "--", "--json"});
    ASSERT_TRUE(parsed) << parsed.error();
    EXPECT_EQ(parsed->value("port"), "7");
    EXPECT_EQ(parsed->positional, std::vector<std::string_view>{"--json"});
    EXPECT_FALSE(parsed->has("json"));
}

TEST(OstioOptions, ErrorsNameTheOption)
{
    EXPECT_EQ(parse({"--colour"}).error(), "unknown option '--colour'");
    EXPECT_EQ(parse({"-p"}).error(), "unknown option '-p'");
    EXPECT_EQ(parse({"--port"}).error(), "option '--port' needs a value");
    EXPECT_EQ(parse({"--json=yes"}).error(), "option '--json' takes no value");
}

TEST(OstioOptions, IntegersAreCheckedAgainstTheirRange)
{
    EXPECT_EQ(parse_uint("988", 1, 65535), 988u);
    EXPECT_FALSE(parse_uint("0", 1, 65535));
    EXPECT_FALSE(parse_uint("65536", 1, 65535));
    EXPECT_FALSE(parse_uint("12x", 1, 65535));
    EXPECT_FALSE(parse_uint("", 1, 65535));
    EXPECT_FALSE(parse_uint("-1", 0, 65535));

    auto parsed = parse({"--port", "99999"});
    auto port = uint_option(*parsed, "port", 988, 1, 65535);
    ASSERT_FALSE(port);
    EXPECT_EQ(port.error(), "bad --port '99999': expected an integer from 1 to 65535");
    EXPECT_EQ(*uint_option(*parse({}), "port", 988, 1, 65535), 988u);
}
