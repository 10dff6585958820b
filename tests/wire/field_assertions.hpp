// Assertions on fields tshark decoded, shared by the wire oracle tests: a
// failure names the field, what tshark showed and what we encoded.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "tests/wire/tshark_runner.hpp"

namespace ostd::wire_test {

// tshark prints numbers in decimal or 0x-hex.
inline std::optional<uint64_t> number(const std::string& text)
{
    if (text.empty())
        return std::nullopt;
    char* end = nullptr;
    uint64_t value = std::strtoull(text.c_str(), &end, 0);
    if (*end != '\0')
        return std::nullopt;
    return value;
}

inline testing::AssertionResult field_is(const DecodedPacket& packet, const std::string& field, uint64_t expected)
{
    const std::string& text = packet.at(field);
    if (number(text) == expected)
        return testing::AssertionSuccess();
    char hex[32];
    std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(expected));
    return testing::AssertionFailure() << field << " decoded as '" << text << "', encoded " << hex;
}

inline testing::AssertionResult field_text_is(const DecodedPacket& packet, const std::string& field,
                                              const std::string& expected)
{
    const std::string& text = packet.at(field);
    if (text == expected)
        return testing::AssertionSuccess();
    return testing::AssertionFailure() << field << " decoded as '" << text << "', expected '" << expected << "'";
}

}  // namespace ostd::wire_test
