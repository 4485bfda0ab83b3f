#include "scenario/params.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace cpcsim {

std::string_view evidence_tag(Evidence e) noexcept {
    switch (e) {
        case Evidence::Published:
            return "E";
        case Evidence::Derived:
            return "D";
        case Evidence::Assumed:
            return "A";
    }
    return "?";
}

std::string ParamSpec::check(double v) const {
    std::ostringstream os;
    if (kind == ParamKind::Boolean) {
        if (v != 0.0 && v != 1.0) return "expected true or false";
        return "";
    }
    if (kind == ParamKind::Integer && v != static_cast<double>(static_cast<long long>(v))) {
        os << "expected a whole number in [" << min << ", " << max << "]";
        return os.str();
    }
    if (!(v >= min && v <= max)) {  // also rejects NaN
        os << "expected a value in [" << min << ", " << max << "]";
        if (!unit.empty()) os << " (" << unit << ")";
        os << ", got " << v;
        return os.str();
    }
    return "";
}

ParamRegistry::ParamRegistry(std::vector<ParamSpec> specs) : specs_(std::move(specs)) {
    for (std::size_t i = 0; i < specs_.size(); ++i) {
        const auto& s = specs_[i];
        if (!by_key_.emplace(s.key, static_cast<int>(i)).second)
            throw std::logic_error("parameter declared twice: " + s.key);
        const std::size_t expected =
            (s.labels.empty() ? 1 : s.labels.size()) * (s.row_labels.empty() ? 1 : s.row_labels.size());
        if (s.defaults.size() != expected)
            throw std::logic_error("parameter " + s.key + ": defaults do not match its labels");
        for (double d : s.defaults)
            if (!s.check(d).empty())
                throw std::logic_error("parameter " + s.key + ": default out of range: " + s.check(d));
    }
}

int ParamRegistry::index(std::string_view key) const {
    auto it = by_key_.find(std::string(key));
    return it == by_key_.end() ? -1 : it->second;
}

const ParamSpec* ParamRegistry::find(std::string_view key) const {
    const int i = index(key);
    return i < 0 ? nullptr : &specs_[static_cast<std::size_t>(i)];
}

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}
}  // namespace

std::vector<std::string> ParamRegistry::similar(std::string_view key) const {
    std::vector<std::pair<std::size_t, std::string>> scored;
    for (const auto& s : specs_) {
        const std::size_t d = edit_distance(key, s.key);
        if (d <= std::max<std::size_t>(3, key.size() / 4)) scored.emplace_back(d, s.key);
    }
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> out;
    for (std::size_t i = 0; i < scored.size() && i < 3; ++i) out.push_back(scored[i].second);
    return out;
}

namespace {
const ParamRegistry& no_parameters() {
    static const ParamRegistry none({});
    return none;
}
}  // namespace

ParamSet::ParamSet() : ParamSet(no_parameters()) {}

ParamSet::ParamSet(const ParamRegistry& registry) : registry_(&registry) {
    values_.reserve(registry.specs().size());
    for (const auto& s : registry.specs()) values_.push_back(s.defaults);
}

namespace {
[[noreturn]] void unknown(std::string_view key) {
    throw std::logic_error("unknown parameter key in code: " + std::string(key));
}
}  // namespace

double ParamSet::get(std::string_view key) const {
    const int i = registry_->index(key);
    if (i < 0) unknown(key);
    const auto& v = values_[static_cast<std::size_t>(i)];
    if (v.size() != 1 || !registry_->specs()[static_cast<std::size_t>(i)].is_scalar())
        throw std::logic_error("parameter is not a scalar: " + std::string(key));
    return v.front();
}

std::span<const double> ParamSet::array(std::string_view key) const {
    const int i = registry_->index(key);
    if (i < 0) unknown(key);
    return values_[static_cast<std::size_t>(i)];
}

std::span<const double> ParamSet::row(std::string_view key, std::size_t r) const {
    const int i = registry_->index(key);
    if (i < 0) unknown(key);
    const auto& spec = registry_->specs()[static_cast<std::size_t>(i)];
    const std::size_t width = spec.labels.size();
    return std::span<const double>(values_[static_cast<std::size_t>(i)]).subspan(r * width, width);
}

void ParamSet::set(std::string_view key, std::vector<double> values) {
    const int i = registry_->index(key);
    if (i < 0) unknown(key);
    values_[static_cast<std::size_t>(i)] = std::move(values);
}

}  // namespace cpcsim
