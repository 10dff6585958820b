// ostctl's arguments, the request it sends, and how it recognises an error answer.
#include <gtest/gtest.h>

#include "control/cli/ostctl_args.hpp"

using namespace ostd::control::cli;

TEST(OstctlArgs, OptionsThenWords)
{
    OstctlOptions o;
    EXPECT_FALSE(parse_ostctl_args({"--socket", "/tmp/x.sock", "--json", "show", "lnet", "stats"}, o));
    EXPECT_EQ(o.socket_path, "/tmp/x.sock");
    EXPECT_TRUE(o.json);
    EXPECT_EQ(o.words, (std::vector<std::string>{"show", "lnet", "stats"}));
    EXPECT_EQ(ostctl_request(o), "set output json\nshow lnet stats\n");
}

TEST(OstctlArgs, SocketWithEqualsAndNoJson)
{
    OstctlOptions o;
    EXPECT_FALSE(parse_ostctl_args({"--socket=/a", "quit"}, o));
    EXPECT_EQ(o.socket_path, "/a");
    EXPECT_EQ(ostctl_request(o), "quit\n");
}

TEST(OstctlArgs, WordsAfterTheCommandAreNotOptions)
{
    OstctlOptions o;
    EXPECT_FALSE(parse_ostctl_args({"show", "--json"}, o));
    EXPECT_FALSE(o.json);
    EXPECT_EQ(o.words.size(), 2u);
}

TEST(OstctlArgs, Errors)
{
    OstctlOptions o;
    EXPECT_TRUE(parse_ostctl_args({}, o));
    EXPECT_TRUE(parse_ostctl_args({"--socket"}, o));
    EXPECT_TRUE(parse_ostctl_args({"--bogus", "help"}, o));
    EXPECT_TRUE(parse_ostctl_args({"show\nquit"}, o));
}

TEST(OstctlArgs, Help)
{
    OstctlOptions o;
    EXPECT_FALSE(parse_ostctl_args({"-h"}, o));
    EXPECT_TRUE(o.help);
}

TEST(OstctlAnswer, TextErrorLine)
{
    EXPECT_EQ(answer_error("error: unknown command 'show foo' (try help)\n"), "unknown command 'show foo' (try help)");
    EXPECT_EQ(answer_error("port:\n  id: 0\n"), std::nullopt);
}

TEST(OstctlAnswer, JsonErrorObject)
{
    EXPECT_EQ(answer_error("{\"error\": \"unknown command 'x'\"}\n"), "unknown command 'x'");
    EXPECT_EQ(answer_error("{\"workers\": []}\n"), std::nullopt);
}

TEST(OstctlAnswer, ErrorAfterOtherLines)
{
    EXPECT_EQ(answer_error("forwarding: true\nerror: boom\n"), "boom");
}
