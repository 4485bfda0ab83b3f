// Writing TOML text by hand: quoting of strings and keys, and numbers that read back exactly.
// Used for the resolved scenario (whose layout and comments we control) and for --set labels.
#pragma once

#include "scenario/params.hpp"

#include <string>
#include <string_view>

namespace cpcsim {

/// A TOML basic string: "..." with quotes, backslashes and control characters escaped.
[[nodiscard]] std::string toml_quoted(std::string_view text);
/// A key: bare when it only has A-Z a-z 0-9 _ -, else quoted.
[[nodiscard]] std::string toml_key(std::string_view key);
/// A dotted key ("a.b.c"), each part quoted as needed.
[[nodiscard]] std::string toml_dotted_key(std::string_view dotted);
/// A parameter value: true/false, a whole number, or a float that reads back to the same double.
[[nodiscard]] std::string toml_value(double value, ParamKind kind);

}  // namespace cpcsim
