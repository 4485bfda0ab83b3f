// Checks on text read from files and the command line before it can reach an output file:
// every name, id and string must be valid UTF-8 without NUL bytes (HDF5 strings and the HTML
// report would otherwise truncate it or fail later, far from the input that caused it).
// Header-only so that every folder can use it without a link dependency.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cpcsim {

/// "" when `text` is valid UTF-8 (no overlong forms, surrogates or code points above U+10FFFF)
/// without a NUL byte; else what is wrong and where, e.g. "invalid UTF-8 at byte 4".
/// Bytes count from 1.
[[nodiscard]] inline std::string text_problem(std::string_view text) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    std::size_t i = 0;
    while (i < text.size()) {
        const unsigned char c = byte(i);
        if (c == 0) return "NUL byte (\\0) at byte " + std::to_string(i + 1);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            if (c == 0xE0) low = 0xA0;   // no overlong forms
            if (c == 0xED) high = 0x9F;  // no surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            if (c == 0xF0) low = 0x90;   // no overlong forms
            if (c == 0xF4) high = 0x8F;  // nothing above U+10FFFF
        }
        bool good = length > 0 && i + length <= text.size();
        for (std::size_t k = 1; good && k < length; ++k) {
            const unsigned char next = byte(i + k);
            good = k == 1 ? (next >= low && next <= high) : (next >= 0x80 && next <= 0xBF);
        }
        if (!good) return "invalid UTF-8 at byte " + std::to_string(i + 1) + " (files must be UTF-8 text)";
        i += length;
    }
    return "";
}

}  // namespace cpcsim
