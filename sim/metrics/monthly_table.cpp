#include "metrics/monthly_table.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace cpcsim {

void MonthlyTable::move_to(int month) {
    if (month < current_ || month < 0 || month >= months_)
        throw std::logic_error("monthly table: count for month " + std::to_string(month) + " after month " +
                               std::to_string(current_) + " (months are counted in order, 0.." +
                               std::to_string(months_ - 1) + ")");
    if (current_ >= 0) store_row();
    if (row_.empty()) row_.assign(row_size_, 0);
    current_ = month;
}

void MonthlyTable::store_row() {
    while (stored_months() < current_) begin_.push_back(static_cast<std::uint32_t>(slot_.size()));
    // Counted first, so the lists grow by exactly the entries kept (plus one slot the branchless
    // copy below may write past the last of them). Blocks of 16 entries that are all zero (most
    // of them) are then skipped with one test; the rest are appended without a branch per entry.
    std::size_t nonzero = 0;
    for (const auto x : row_) nonzero += x != 0 ? 1 : 0;
    const std::size_t old = slot_.size();
    slot_.resize(old + nonzero + 1);
    value_.resize(old + nonzero + 1);
    std::size_t k = old;
    std::size_t i = 0;
    constexpr std::size_t kBlock = 16;
    for (; i + kBlock <= row_size_; i += kBlock) {
        std::int32_t any = 0;
        for (std::size_t j = 0; j < kBlock; ++j) any |= row_[i + j];
        if (any == 0) continue;
        for (std::size_t j = i; j < i + kBlock; ++j) {
            slot_[k] = static_cast<std::uint32_t>(j);
            value_[k] = row_[j];
            k += row_[j] != 0 ? 1 : 0;
        }
    }
    for (; i < row_size_; ++i) {
        slot_[k] = static_cast<std::uint32_t>(i);
        value_[k] = row_[i];
        k += row_[i] != 0 ? 1 : 0;
    }
    slot_.resize(k);
    value_.resize(k);
    std::fill(row_.begin(), row_.end(), 0);
    if (slot_.size() > std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("monthly table: more than 2^32 non-zero entries");
    begin_.push_back(static_cast<std::uint32_t>(slot_.size()));
}

void MonthlyTable::finish() {
    if (current_ >= 0 && current_ < months_) store_row();
    while (stored_months() < months_) begin_.push_back(static_cast<std::uint32_t>(slot_.size()));
    current_ = months_;
    row_ = {};
}

std::int32_t MonthlyTable::at(int month, std::size_t slot) const {
    if (month == current_ && !row_.empty()) return row_[slot];
    if (month < 0 || month >= stored_months()) return 0;
    const auto first = slot_.begin() + begin_[static_cast<std::size_t>(month)];
    const auto last = slot_.begin() + begin_[static_cast<std::size_t>(month) + 1];
    const auto it = std::lower_bound(first, last, static_cast<std::uint32_t>(slot));
    return it != last && *it == slot ? value_[static_cast<std::size_t>(it - slot_.begin())] : 0;
}

void MonthlyTable::fill(int from, int to, std::span<std::int32_t> out) const {
    if (from < 0 || to > months_ || from > to || out.size() != static_cast<std::size_t>(to - from) * row_size_)
        throw std::logic_error("monthly table: fill of months [" + std::to_string(from) + ", " + std::to_string(to) +
                               ") into " + std::to_string(out.size()) + " values");
    std::fill(out.begin(), out.end(), 0);
    for (int m = from; m < to; ++m) {
        const auto dst = out.subspan(static_cast<std::size_t>(m - from) * row_size_, row_size_);
        if (m == current_ && !row_.empty()) {
            std::copy(row_.begin(), row_.end(), dst.begin());
        } else if (m < stored_months()) {
            for (auto e = begin_[static_cast<std::size_t>(m)]; e < begin_[static_cast<std::size_t>(m) + 1]; ++e)
                dst[slot_[e]] = value_[e];
        }
    }
}

std::vector<std::int32_t> MonthlyTable::dense() const {
    std::vector<std::int32_t> out(size());
    fill(0, months_, out);
    return out;
}

}  // namespace cpcsim
