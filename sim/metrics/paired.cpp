#include "metrics/paired.hpp"

#include <cmath>
#include <limits>

namespace cpcsim {

PairedComparison compare_paired(const std::vector<double>& a, const std::vector<double>& b) {
    PairedComparison r;
    r.a = mean_interval(a);
    r.b = mean_interval(b);
    std::vector<double> d;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
        d.push_back(std::isnan(a[i]) || std::isnan(b[i]) ? std::numeric_limits<double>::quiet_NaN() : b[i] - a[i]);
    r.difference = mean_interval(d);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (r.a.n < 2 || r.b.n < 2) {
        r.unpaired_low = r.unpaired_high = r.narrowing = nan;
        return r;
    }
    // Welch-Satterthwaite interval for independent samples.
    const double va = r.a.sd * r.a.sd / r.a.n, vb = r.b.sd * r.b.sd / r.b.n;
    const double se = std::sqrt(va + vb);
    const double df = (va + vb) * (va + vb) / (va * va / (r.a.n - 1) + vb * vb / (r.b.n - 1));
    const double diff = r.b.mean - r.a.mean;
    const double half = se > 0 ? t_quantile_975(std::max(1, static_cast<int>(std::floor(df)))) * se : 0.0;
    r.unpaired_low = diff - half;
    r.unpaired_high = diff + half;
    const double paired_half = (r.difference.high - r.difference.low) / 2;
    r.narrowing = half > 0 ? 1.0 - paired_half / half : nan;
    return r;
}

}  // namespace cpcsim
