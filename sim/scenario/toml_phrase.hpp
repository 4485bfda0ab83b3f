// What a TOML node is, in words, for error messages. For the readers that parse TOML with toml++
// (scenario files, sweep files), which link toml++ themselves; toml_text.hpp stays free of it.
#pragma once

#include <toml++/toml.h>

#include <string>

namespace cpcsim {

/// "a string", "an integer", "a number", "a boolean", "an array", "a table", ...
[[nodiscard]] std::string toml_type_phrase(const toml::node& node);

}  // namespace cpcsim
