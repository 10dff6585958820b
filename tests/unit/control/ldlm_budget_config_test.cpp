// The lock budget's YAML keys (ldlm.max_locks_per_client,
// ldlm.max_locks_per_resource): defaults, values read, refusals named.
#include <gtest/gtest.h>

#include <string>

#include "control/config/config_loader.hpp"

using namespace ostd::control;

namespace {

const std::string minimal = "port:\n  device: net_null0\nnetwork:\n  address: 10.77.0.1\n";

std::string error_of(const std::string& ldlm_section)
{
    auto result = load_config_text(minimal + "ldlm:\n" + ldlm_section, "budget.yaml");
    EXPECT_FALSE(result) << "accepted:\n" << ldlm_section;
    return result ? "" : result.error();
}

}  // namespace

TEST(LdlmBudgetConfig, DefaultsAndValues)
{
    auto defaults = load_config_text(minimal, "budget.yaml");
    ASSERT_TRUE(defaults) << defaults.error();
    EXPECT_EQ(defaults->ldlm.max_locks_per_client, 4096u);
    EXPECT_EQ(defaults->ldlm.max_locks_per_resource, 32768u);
    auto set = load_config_text(minimal + "ldlm:\n  max_locks_per_client: 100\n  max_locks_per_resource: 7\n",
                                "budget.yaml");
    ASSERT_TRUE(set) << set.error();
    EXPECT_EQ(set->ldlm.max_locks_per_client, 100u);
    EXPECT_EQ(set->ldlm.max_locks_per_resource, 7u);
}

TEST(LdlmBudgetConfig, BadValuesAreRefusedWithKeyAndLine)
{
    // Line 6: the first key of the ldlm section (after 4 lines and "ldlm:").
    std::string zero = error_of("  max_locks_per_client: 0\n");
    EXPECT_NE(zero.find("budget.yaml:6"), std::string::npos) << zero;
    EXPECT_NE(zero.find("ldlm.max_locks_per_client: 0 is out of range"), std::string::npos) << zero;
    std::string huge = error_of("  max_locks_per_resource: 99999999999\n");
    EXPECT_NE(huge.find("ldlm.max_locks_per_resource"), std::string::npos) << huge;
    std::string text = error_of("  max_locks_per_client: many\n");
    EXPECT_NE(text.find("ldlm.max_locks_per_client"), std::string::npos) << text;
    std::string negative = error_of("  max_locks_per_resource: -1\n");
    EXPECT_NE(negative.find("ldlm.max_locks_per_resource"), std::string::npos) << negative;
    std::string typo = error_of("  max_locks_per_clients: 10\n");
    EXPECT_NE(typo.find("ldlm.max_locks_per_clients: unknown key"), std::string::npos) << typo;
}
