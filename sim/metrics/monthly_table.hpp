// One replicate's monthly table ([month][cell][MonthlyVar]), held sparsely. About 8% of the
// default region's 3 million entries are non-zero, so a dense cube would be zeroed, paged in
// and compressed mostly for nothing (issue 14: that was a tenth of a whole run and most of its
// recording). The month being counted is a dense row that stays in cache; when counting moves
// on, the row's non-zero entries are appended to a compact list and the row is cleared.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace cpcsim {

class MonthlyTable {
public:
    MonthlyTable() = default;
    /// An empty table of `months` months of `row_size` entries (cells x monthly variables).
    MonthlyTable(int months, std::size_t row_size) : months_(months), row_size_(row_size), begin_{0} {}

    [[nodiscard]] int months() const noexcept { return months_; }
    [[nodiscard]] std::size_t row_size() const noexcept { return row_size_; }
    /// Entries of the dense table (months x row size), zeros included.
    [[nodiscard]] std::size_t size() const noexcept { return static_cast<std::size_t>(months_) * row_size_; }
    /// Non-zero entries stored so far (the month being counted is not included until it is left).
    [[nodiscard]] std::size_t stored_nonzeros() const noexcept { return slot_.size(); }

    /// Adds n to entry `slot` of `month`. Months are counted in order: a month before the one
    /// being counted is a logic error (std::logic_error), as is a month outside the table.
    void add(int month, std::size_t slot, std::int32_t n) {
        if (month != current_) [[unlikely]]
            move_to(month);
        row_[slot] += n;
    }
    /// Stores the month being counted; the table is then complete and takes no more counts.
    void finish();
    /// Entry `slot` of `month` (0 for a month not reached).
    [[nodiscard]] std::int32_t at(int month, std::size_t slot) const;
    /// Months [from, to) written densely into `out`, which holds (to - from) x row_size() values.
    void fill(int from, int to, std::span<std::int32_t> out) const;
    /// The whole table, dense.
    [[nodiscard]] std::vector<std::int32_t> dense() const;
    /// Calls f(month, slot, value) for each non-zero entry of months [from, to), in the order of
    /// the dense table (months ascending, slots ascending within a month): what fill() writes,
    /// without the zeros.
    template <class F>
    void for_each_nonzero(int from, int to, F&& f) const {
        for (int m = std::max(from, 0); m < std::min(to, months_); ++m) {
            if (m == current_ && !row_.empty()) {
                for (std::size_t slot = 0; slot < row_size_; ++slot)
                    if (row_[slot] != 0) f(m, slot, row_[slot]);
            } else if (m < stored_months()) {
                for (auto e = begin_[static_cast<std::size_t>(m)]; e < begin_[static_cast<std::size_t>(m) + 1]; ++e)
                    f(m, static_cast<std::size_t>(slot_[e]), value_[e]);
            }
        }
    }

    bool operator==(const MonthlyTable&) const = default;

private:
    void move_to(int month);
    /// Appends the non-zero entries of row_ (month current_) and clears them.
    void store_row();
    /// Months whose entries are in slot_/value_.
    [[nodiscard]] int stored_months() const noexcept { return static_cast<int>(begin_.size()) - 1; }

    int months_ = 0;
    std::size_t row_size_ = 0;
    int current_ = -1;  ///< the month in row_; -1 before the first count; months_ once finished
    std::vector<std::int32_t> row_;
    /// Month m's entries are [begin_[m], begin_[m + 1]) of slot_ and value_, slots ascending.
    std::vector<std::uint32_t> begin_;
    std::vector<std::uint32_t> slot_;
    std::vector<std::int32_t> value_;
};

}  // namespace cpcsim
