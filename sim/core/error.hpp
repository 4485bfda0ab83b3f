// One error policy for the whole library: bad input and I/O failures throw cpcsim::Error,
// which carries every problem found (file, line or key, what was expected). Internal
// invariants are assertions. The library never prints or exits on its own.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace cpcsim {

/// One problem in one input: where it is and what was expected.
struct Problem {
    std::string file;     ///< file the problem is in ("" when not file-bound, e.g. --set)
    std::string where;    ///< "line 12", "key phase.unstable_mean_days", "row 4, column beds"
    std::string message;  ///< what is wrong and what was expected

    [[nodiscard]] std::string to_string() const;
};

/// The root of every exception cpcsim throws for bad input or failed I/O.
class Error : public std::runtime_error {
public:
    explicit Error(std::vector<Problem> problems);
    Error(std::string file, std::string where, std::string message);

    [[nodiscard]] const std::vector<Problem>& problems() const noexcept { return problems_; }

private:
    std::vector<Problem> problems_;
};

/// Collects problems so that a whole input can be checked before failing once.
class ProblemList {
public:
    void add(std::string file, std::string where, std::string message);
    void add(Problem p) { problems_.push_back(std::move(p)); }
    void append(const ProblemList& other);
    [[nodiscard]] bool empty() const noexcept { return problems_.empty(); }
    [[nodiscard]] std::size_t size() const noexcept { return problems_.size(); }
    [[nodiscard]] const std::vector<Problem>& items() const noexcept { return problems_; }
    /// Throws Error with every collected problem if there is at least one.
    void throw_if_any() const;

private:
    std::vector<Problem> problems_;
};

}  // namespace cpcsim
