// libFuzzer target: the input as the text of an ostd YAML configuration file.
// load_config_text must answer with a configuration or an error message for
// any text: no crash, no exception escaping, no sanitizer finding.
#include "control/config/config_loader.hpp"
#include "tests/fuzz/fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string text(reinterpret_cast<const char*>(data), size);
    auto config = ostd::control::load_config_text(text, "fuzz.yaml");
    if (!config)
        FUZZ_CHECK(!config.error().empty());
    return 0;
}
