#include "scenario/toml_text.hpp"
#include "scenario/toml_phrase.hpp"

#include "scenario/csv.hpp"

#include <cmath>
#include <cstdio>

namespace cpcsim {

std::string toml_quoted(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                    char escaped[8];
                    std::snprintf(escaped, sizeof escaped, "\\u%04x",
                                  static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += escaped;
                } else {
                    out += c;  // UTF-8 bytes pass through
                }
        }
    }
    return out + "\"";
}

std::string toml_key(std::string_view key) {
    const bool bare = !key.empty() && key.find_first_not_of(
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789_-") == std::string_view::npos;
    return bare ? std::string(key) : toml_quoted(key);
}

std::string toml_dotted_key(std::string_view dotted) {
    std::string out;
    std::size_t start = 0;
    while (true) {
        const auto dot = dotted.find('.', start);
        out += toml_key(dotted.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        if (dot == std::string_view::npos) return out;
        out += '.';
        start = dot + 1;
    }
}

std::string toml_value(double value, ParamKind kind) {
    switch (kind) {
        case ParamKind::Boolean:
            return value != 0.0 ? "true" : "false";
        case ParamKind::Integer:
            return std::to_string(static_cast<long long>(value));
        case ParamKind::Real:
            break;
    }
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    std::string text = csv::format_number(value);                     // shortest text that reads back exactly
    if (text.find_first_of(".e") == std::string::npos) text += ".0";  // keep it a TOML float
    return text;
}

std::string toml_type_phrase(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a number";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::table:
            return "a table";
        default:
            return "a date or time";
    }
}

}  // namespace cpcsim
