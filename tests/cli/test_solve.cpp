// cpcsim solve (issue 15 item 3, one lever): bisection brackets the smallest lever value at
// which the target is met in the required share of replicates, on common random numbers.
#include "cli_test_support.hpp"

#include <regex>

using namespace cli_test;

TEST_CASE("solve brackets the threshold of a monotone lever", "[regression][cli][solve]") {
    Scratch dir;
    const auto r = run_cli({"solve", two_area().string(), "--target", "cost_total_per_year >= 6500000", "--lever",
                            "funding.statutory_multiplier=0.5:2", "-r", "4", "-q", "--tolerance", "0.02"},
                           dir.path());
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    std::smatch m;
    REQUIRE(std::regex_search(r.out, m, std::regex(R"(threshold lies in \[([0-9.]+), ([0-9.]+)\])")));
    const double lo = std::stod(m[1]), hi = std::stod(m[2]);
    CHECK(lo < hi);
    CHECK(hi - lo <= 0.02 * 1.5 + 1e-9);
    // The curve: every value at or above the answer meets the target in at least 80% of
    // replicates, every value at or below the bracket's low end does not.
    const std::regex row(R"(\n  ([0-9.]+) +[0-9]+ \[[0-9]+, [0-9]+\] +([0-9]+)%)");
    int rows = 0;
    for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), row); it != std::sregex_iterator(); ++it, ++rows) {
        const double x = std::stod((*it)[1]), share = std::stod((*it)[2]);
        if (x >= hi - 1e-6) CHECK(share >= 80);
        if (x <= lo + 1e-6) CHECK(share < 80);
    }
    CHECK(rows >= 4);
}

TEST_CASE("solve says when the target is out of reach and refuses bad targets", "[regression][cli][solve]") {
    Scratch dir;
    const auto none = run_cli({"solve", two_area().string(), "--target", "cost_total_per_year >= 1e12", "--lever",
                               "funding.statutory_multiplier=0.5:2", "-r", "2", "-q"},
                              dir.path());
    CHECK(none.status == 1);
    CHECK(none.out.find("answer: none") != std::string::npos);
    const auto bad = run_cli({"solve", two_area().string(), "--target", "nope >= 1", "--lever",
                              "funding.statutory_multiplier=0.5:2", "-r", "2", "-q"},
                             dir.path());
    CHECK(bad.status == 2);
    CHECK(bad.err.find("'nope' is not a summary measure") != std::string::npos);
    const auto lever = run_cli({"solve", two_area().string(), "--target", "access_rate >= 0.2", "--lever",
                                "network.rota_24_7=0:1", "-r", "2", "-q"},
                               dir.path());
    CHECK(lever.status == 2);
    CHECK(lever.err.find("not a numeric scalar parameter") != std::string::npos);
}
