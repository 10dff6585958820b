// The CLI's answer formatting: one JSON object per answer, aligned text.
#include <gtest/gtest.h>

#include "control/cli/output.hpp"

using ostd::control::cli::json_quote;
using ostd::control::cli::render_json;
using ostd::control::cli::render_text;
using ostd::control::cli::Value;

TEST(CliOutput, JsonKeepsKeyOrderAndTypes)
{
    Value v;
    v.set("b", uint64_t{18446744073709551615u}).set("a", -3).set("on", true).set("name", "net_tap0");
    EXPECT_EQ(render_json(v), "{\"b\": 18446744073709551615, \"a\": -3, \"on\": true, \"name\": \"net_tap0\"}\n");
}

TEST(CliOutput, JsonNestsArraysAndObjects)
{
    auto workers = Value::array();
    workers.add(Value::object().set("worker", 0u).set("peers", Value::array()));
    Value v;
    v.set("workers", std::move(workers));
    EXPECT_EQ(render_json(v), "{\"workers\": [{\"worker\": 0, \"peers\": []}]}\n");
}

TEST(CliOutput, JsonEscapesStrings)
{
    EXPECT_EQ(json_quote("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
}

TEST(CliOutput, TextAlignsScalarsOfOneObject)
{
    Value v;
    v.set("id", 0).set("rx_packets", 12u);
    EXPECT_EQ(render_text(v), "id:         0\nrx_packets: 12\n");
}

TEST(CliOutput, TextIndentsNestedObjects)
{
    Value v;
    v.set("received", Value::object().set("put", 1).set("get", 2));
    EXPECT_EQ(render_text(v), "received:\n  put: 1\n  get: 2\n");
}

TEST(CliOutput, TextListsArrayOfObjectsAsItems)
{
    auto workers = Value::array();
    workers.add(Value::object().set("worker", 0).set("rx", 5));
    workers.add(Value::object().set("worker", 1).set("rx", 7));
    Value v;
    v.set("workers", std::move(workers));
    EXPECT_EQ(render_text(v), "workers:\n- worker: 0\n  rx:     5\n- worker: 1\n  rx:     7\n");
}

TEST(CliOutput, TextShowsEmptyAndScalarArrays)
{
    auto numbers = Value::array();
    numbers.add(1);
    numbers.add(2);
    Value v;
    v.set("peers", Value::array()).set("ids", std::move(numbers));
    EXPECT_EQ(render_text(v), "peers: (none)\nids: 1, 2\n");
}

TEST(CliOutput, TextItemWhoseFirstMemberIsAList)
{
    auto inner = Value::array();
    inner.add(Value::object().set("portal", 0));
    auto outer = Value::array();
    outer.add(Value::object().set("portals", std::move(inner)));
    Value v;
    v.set("workers", std::move(outer));
    EXPECT_EQ(render_text(v), "workers:\n- portals:\n  - portal: 0\n");
}
