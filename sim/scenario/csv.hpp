// A small CSV reader for the scenario tables (RFC 4180 style: comma separated, a header row,
// double-quoted fields with "" escapes, records may span lines inside quotes; blank lines and
// lines starting with # are skipped). Every record keeps its file line number so that problems
// can say "row 12, column beds" and the user finds the line in an editor.
#pragma once

#include "core/error.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpcsim::csv {

struct Row {
    std::size_t line = 0;             ///< file line number where the record starts (1-based)
    std::vector<std::string> fields;  ///< as written, quotes removed, not trimmed
};

struct Table {
    std::string file;  ///< name used in problems
    std::size_t header_line = 0;
    std::vector<std::string> header;  ///< trimmed column names
    std::vector<Row> rows;            ///< only rows with as many fields as the header

    /// Index of column `name`, or -1 when the table has no such column.
    [[nodiscard]] int column(std::string_view name) const;
    [[nodiscard]] bool has_column(std::string_view name) const { return column(name) >= 0; }
};

/// Parses CSV text. Syntax problems (no header, unterminated quote, text after a closing quote,
/// a row whose field count differs from the header's) are added to `problems`; such rows are
/// left out of the table so that later checks do not repeat the same complaint.
Table parse(std::string_view text, std::string file, ProblemList& problems);

/// Reads a whole file as text. Adds a problem naming the path when it cannot be read.
std::optional<std::string> read_file(const std::filesystem::path& path, const std::string& display_name,
                                     ProblemList& problems);

/// The columns a table must have and those it may have; anything else is a problem.
struct Schema {
    std::vector<std::string> required;
    std::vector<std::string> optional;
};

/// Checks the header against `schema`: missing required columns, unknown columns (naming the
/// expected ones) and repeated columns are problems. Returns true when the header is usable.
bool check_header(const Table& table, const Schema& schema, ProblemList& problems);

/// Space and tab trimmed from both ends.
[[nodiscard]] std::string_view trim(std::string_view s) noexcept;

/// The whole of `text` (trimmed) as a finite number, or nothing.
[[nodiscard]] std::optional<double> parse_number(std::string_view text) noexcept;

/// Shortest text that reads back as the same double ("0.25", "1e-07", "3").
[[nodiscard]] std::string format_number(double value);

/// Typed access to the cells of one row. Bad cells become problems naming file, row and column;
/// `ok()` tells whether every cell read so far was good, so that derived checks (sums) are only
/// made on good numbers.
class RowReader {
public:
    RowReader(const Table& table, const Row& row, ProblemList& problems)
        : table_(&table), row_(&row), problems_(&problems) {}

    /// Trimmed text of `column`; "" when the table has no such column.
    [[nodiscard]] std::string text(std::string_view column) const;
    /// The number in `column`, which must lie in [min, max]. A blank cell (or a missing optional
    /// column) gives `if_blank`, or is a problem when there is none. Bad cells give 0.
    /// `note` (e.g. "for a hospice") follows the range in a problem.
    double number(std::string_view column, double min, double max, std::optional<double> if_blank = std::nullopt,
                  std::string_view note = {});
    /// A 0/1 flag; blank gives false.
    bool flag(std::string_view column);

    /// Adds a problem at this row (and `column` when not empty).
    void problem(std::string_view column, std::string message);
    [[nodiscard]] bool ok() const noexcept { return ok_; }
    [[nodiscard]] std::size_t line() const noexcept { return row_->line; }
    [[nodiscard]] std::string where(std::string_view column) const;

private:
    const Table* table_;
    const Row* row_;
    ProblemList* problems_;
    bool ok_ = true;
};

}  // namespace cpcsim::csv
