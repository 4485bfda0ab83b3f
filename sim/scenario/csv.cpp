#include "scenario/csv.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>

namespace cpcsim::csv {

int Table::column(std::string_view name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
}

std::string_view trim(std::string_view s) noexcept {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t");
    return s.substr(first, last - first + 1);
}

namespace {

std::string row_where(std::size_t line) {
    return "row " + std::to_string(line);
}

// The line starting at `pos`, without its end-of-line characters.
std::string_view line_at(std::string_view text, std::size_t pos) {
    const auto end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

// Reads one record starting at `pos`; advances `pos` past its end of line and `line` by the
// number of line breaks consumed. Returns false (after adding a problem) if the record is malformed.
bool read_record(std::string_view text, std::size_t& pos, std::size_t& line, const std::string& file,
                 std::vector<std::string>& fields, ProblemList& problems) {
    const std::size_t first_line = line;
    fields.clear();
    std::string field;
    bool in_quotes = false;
    bool after_closing_quote = false;
    bool good = true;
    while (pos < text.size()) {
        const char c = text[pos];
        if (in_quotes) {
            if (c == '"') {
                if (pos + 1 < text.size() && text[pos + 1] == '"') {
                    field += '"';
                    pos += 2;
                    continue;
                }
                in_quotes = false;
                after_closing_quote = true;
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            ++pos;
            continue;
        }
        if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
            after_closing_quote = false;
            ++pos;
            continue;
        }
        if (c == '\n' || c == '\r') {
            pos += (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ? 2 : 1;
            ++line;
            fields.push_back(std::move(field));
            return good;
        }
        if (c == '"' && trim(field).empty() && !after_closing_quote) {
            field.clear();  // spaces before an opening quote are not part of the field
            in_quotes = true;
        } else if (after_closing_quote) {
            if (c != ' ' && c != '\t' && good) {
                problems.add(file, row_where(line),
                             "unexpected text after a closing quote (write \"\" for a quote inside a quoted field)");
                good = false;
            }
        } else {
            field += c;
        }
        ++pos;
    }
    if (in_quotes) {
        problems.add(file, row_where(first_line), "quoted field is not closed before the end of the file");
        good = false;
    }
    fields.push_back(std::move(field));
    return good;
}

// Adds a problem for every field that is not valid UTF-8 or holds a NUL byte.
void check_text(const std::vector<std::string>& fields, const std::vector<std::string>& header, std::size_t line,
                const std::string& file, ProblemList& problems) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string why = text_problem(fields[i]);
        if (why.empty()) continue;
        const std::string column = i < header.size() && text_problem(header[i]).empty()
                                       ? "column " + header[i]
                                       : "field " + std::to_string(i + 1);
        problems.add(file, row_where(line) + ", " + column, why);
    }
}

}  // namespace

Table parse(std::string_view text, std::string file, ProblemList& problems) {
    Table table;
    table.file = std::move(file);
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark

    std::size_t pos = 0;
    std::size_t line = 1;
    bool have_header = false;
    std::vector<std::string> fields;
    while (pos < text.size()) {
        const std::string_view this_line = line_at(text, pos);
        if (trim(this_line).empty() || this_line.starts_with('#')) {
            // Skipped, but the file's text is kept as provenance: it must be clean too.
            if (const std::string why = text_problem(this_line); !why.empty())
                problems.add(table.file, row_where(line), why + " in a comment or blank line");
            const auto end = text.find('\n', pos);
            pos = end == std::string_view::npos ? text.size() : end + 1;
            ++line;
            continue;
        }
        const std::size_t record_line = line;
        const bool good = read_record(text, pos, line, table.file, fields, problems);
        // A cell with bad text is reported, but its row is kept so that it causes no second
        // problem (an area that seems to be missing); the load fails either way.
        check_text(fields, table.header, record_line, table.file, problems);
        if (!have_header) {
            have_header = true;
            table.header_line = record_line;
            for (const auto& f : fields) table.header.emplace_back(trim(f));
            continue;
        }
        if (!good) continue;
        if (fields.size() != table.header.size()) {
            problems.add(table.file, row_where(record_line),
                         "has " + std::to_string(fields.size()) + " fields but the header has " +
                             std::to_string(table.header.size()));
            continue;
        }
        table.rows.push_back(Row{record_line, fields});
    }
    if (!have_header) problems.add(table.file, "", "no header row (the file is empty)");
    return table;
}

std::optional<std::string> read_file(const std::filesystem::path& path, const std::string& display_name,
                                     ProblemList& problems) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        problems.add(display_name, "", "file not found: " + path.string());
        return std::nullopt;
    }
    if (std::filesystem::is_directory(path, ec)) {
        problems.add(display_name, "", "is a directory, expected a file: " + path.string());
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::string text;
    if (in) text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!in.is_open() || in.bad()) {
        problems.add(display_name, "", "cannot read file: " + path.string());
        return std::nullopt;
    }
    return text;
}

namespace {
std::string join(const std::vector<std::string>& items) {
    std::string s;
    for (const auto& item : items) s += (s.empty() ? "" : ", ") + item;
    return s;
}
}  // namespace

bool check_header(const Table& table, const Schema& schema, ProblemList& problems) {
    bool usable = !table.header.empty();
    const std::string where = "row " + std::to_string(table.header_line) + " (header)";
    for (const auto& name : schema.required) {
        if (!table.has_column(name)) {
            problems.add(table.file, where, "missing required column '" + name + "'");
            usable = false;
        }
    }
    for (std::size_t i = 0; i < table.header.size(); ++i) {
        const std::string& name = table.header[i];
        const bool known = std::find(schema.required.begin(), schema.required.end(), name) != schema.required.end() ||
                           std::find(schema.optional.begin(), schema.optional.end(), name) != schema.optional.end();
        if (!known) {
            std::string expected = join(schema.required);
            if (!schema.optional.empty()) expected += "; optional: " + join(schema.optional);
            problems.add(table.file, where, "unknown column '" + name + "'; expected columns: " + expected);
            usable = false;
        } else if (table.column(name) != static_cast<int>(i)) {
            problems.add(table.file, where, "column '" + name + "' appears more than once");
            usable = false;
        }
    }
    return usable;
}

std::optional<double> parse_number(std::string_view text) noexcept {
    text = trim(text);
    if (text.starts_with('+')) text.remove_prefix(1);  // from_chars does not take a plus sign
    if (text.empty()) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

std::string format_number(double value) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

namespace {
// A bound as people write it: whole numbers in full ("3000000", not "3e+06").
std::string bound(double value) {
    if (value == std::floor(value) && std::abs(value) < 1e15) return std::to_string(static_cast<long long>(value));
    return format_number(value);
}

std::string expected_range(double min, double max) {
    if (std::isinf(max)) return "expected a number >= " + bound(min);
    return "expected a number in [" + bound(min) + ", " + bound(max) + "]";
}
}  // namespace

std::string RowReader::where(std::string_view column) const {
    std::string w = row_where(row_->line);
    if (!column.empty()) w += ", column " + std::string(column);
    return w;
}

void RowReader::problem(std::string_view column, std::string message) {
    problems_->add(table_->file, where(column), std::move(message));
    ok_ = false;
}

std::string RowReader::text(std::string_view column) const {
    const int index = table_->column(column);
    if (index < 0) return {};
    return std::string(trim(row_->fields[static_cast<std::size_t>(index)]));
}

double RowReader::number(std::string_view column, double min, double max, std::optional<double> if_blank,
                         std::string_view note) {
    const std::string cell = text(column);
    const std::string range = expected_range(min, max) + (note.empty() ? "" : " " + std::string(note));
    if (cell.empty()) {
        if (if_blank) return *if_blank;
        problem(column, "missing value; " + range);
        return 0;
    }
    const auto value = parse_number(cell);
    if (!value) {
        problem(column, "'" + cell + "' is not a number; " + range);
        return 0;
    }
    if (*value < min || *value > max) {
        problem(column, range + ", got " + cell);
        return 0;
    }
    return *value;
}

bool RowReader::flag(std::string_view column) {
    const std::string cell = text(column);
    if (cell.empty() || cell == "0") return false;
    if (cell == "1") return true;
    problem(column, "expected 0 or 1, got '" + cell + "'");
    return false;
}

}  // namespace cpcsim::csv
