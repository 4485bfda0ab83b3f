// The declaration of every model parameter: key, unit, default, valid range, help, evidence tag
// and source. The docs' parameter table is generated from this list (`cpcsim params --markdown`).
#include "scenario/params.hpp"

namespace cpcsim {

namespace {
std::vector<ParamSpec> declare() {
    std::vector<ParamSpec> p;
    auto scalar = [&](std::string key, std::string unit, double def, double lo, double hi, std::string help,
                      Evidence ev, std::string src, ParamKind kind = ParamKind::Real) {
        p.push_back(ParamSpec{std::move(key), std::move(unit), kind, {def}, lo, hi, {}, {}, std::move(help), ev,
                              std::move(src)});
    };
    scalar("run.years", "years", 10, 1, 100, "Reported horizon.", Evidence::Assumed, "MODEL.md §3",
           ParamKind::Integer);
    scalar("run.warmup_years", "years", 3, 0, 50, "Warm-up before the horizon (not reported).",
           Evidence::Assumed, "MODEL.md §3", ParamKind::Integer);
    p.push_back(ParamSpec{"population.ethnicity_rate_ratio", "ratio vs White", ParamKind::Real,
                          {1.0, 1.8, 1.55, 1.15}, 0.0, 10.0,
                          {"White", "South Asian", "Black", "Mixed/Other"}, {},
                          "Entry rate ratio by ethnic group.", Evidence::Published, "Fraser 2012"});
    p.push_back(ParamSpec{"population.category_by_diagnosis", "probability", ParamKind::Real,
                          {0.2, 0.1, 0.3, 0.4, 0.9, 0.0, 0.05, 0.05}, 0.0, 1.0,
                          {"cat1", "cat2", "cat3", "cat4"}, {"congenital", "oncology"},
                          "ACT category shares by diagnosis.", Evidence::Assumed, "evidence.md §3.2"});
    scalar("network.shared_records", "", 0, 0, 1, "Shared records between engaged members.",
           Evidence::Assumed, "MODEL.md §4.5", ParamKind::Boolean);
    return p;
}
}  // namespace

const ParamRegistry& ParamRegistry::model() {
    static const ParamRegistry registry(declare());
    return registry;
}

}  // namespace cpcsim
