#include "core/error.hpp"

namespace cpcsim {

std::string Problem::to_string() const {
    std::string s;
    if (!file.empty()) s += file;
    if (!where.empty()) s += (s.empty() ? "" : ": ") + where;
    s += (s.empty() ? "" : ": ") + message;
    return s;
}

namespace {
std::string join(const std::vector<Problem>& problems) {
    if (problems.size() == 1) return problems.front().to_string();
    std::string s = std::to_string(problems.size()) + " problems:";
    for (const auto& p : problems) s += "\n  " + p.to_string();
    return s;
}
}  // namespace

Error::Error(std::vector<Problem> problems) : std::runtime_error(join(problems)), problems_(std::move(problems)) {}

Error::Error(std::string file, std::string where, std::string message)
    : Error(std::vector<Problem>{Problem{std::move(file), std::move(where), std::move(message)}}) {}

void ProblemList::add(std::string file, std::string where, std::string message) {
    problems_.push_back(Problem{std::move(file), std::move(where), std::move(message)});
}

void ProblemList::append(const ProblemList& other) {
    problems_.insert(problems_.end(), other.problems_.begin(), other.problems_.end());
}

void ProblemList::throw_if_any() const {
    if (!problems_.empty()) throw Error(problems_);
}

}  // namespace cpcsim
