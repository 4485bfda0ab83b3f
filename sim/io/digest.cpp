#include "io/digest.hpp"

#include "core/error.hpp"
#include "io/sha256.hpp"

#include <algorithm>
#include <bit>
#include <functional>

namespace cpcsim::io {

namespace {

static_assert(std::endian::native == std::endian::little,
              "digest_file hashes numbers as little-endian bytes; add byte swapping for this machine");

template <Numeric T>
std::string hash_numbers(const Dataset& d) {
    const auto a = d.read<T>();
    Sha256 h;
    h.add(a.values.data(), a.values.size() * sizeof(T));
    return h.hex();
}

std::string hash_numbers(const Dataset& d, NumType t) {
    switch (t) {
        case NumType::f64:
            return hash_numbers<double>(d);
        case NumType::i64:
            return hash_numbers<std::int64_t>(d);
        case NumType::i32:
            return hash_numbers<std::int32_t>(d);
        case NumType::u32:
            return hash_numbers<std::uint32_t>(d);
        case NumType::u8:
            return hash_numbers<std::uint8_t>(d);
    }
    return {};
}

std::string hash_strings(const std::vector<std::string>& values) {
    Sha256 h;
    const char zero = '\0';
    for (const auto& v : values) h.add(v).add(&zero, 1);
    return h.hex();
}

DatasetDigest digest_of(const Dataset& d) {
    const DatasetInfo info = d.info();
    DatasetDigest out{d.path().substr(1), "", info.shape, ""};
    if (info.is_string && is_provenance_dataset(out.path)) {
        out.dtype = "string";
        out.sha256 = kNotDigested;
    } else if (info.num_type) {
        out.dtype = num_type_name(*info.num_type);
        out.sha256 = hash_numbers(d, *info.num_type);
    } else if (info.is_string) {
        out.dtype = "string";
        out.sha256 = hash_strings(info.shape.empty() ? std::vector<std::string>{d.read_string()} : d.read_strings());
    } else {
        throw Error(d.file_name(), d.path(), "cannot digest a dataset of " + info.type_name);
    }
    return out;
}

}  // namespace

bool is_provenance_dataset(const std::string& path) {
    const auto slash = path.rfind('/');
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const std::string p = !path.empty() && path.front() == '/' ? path.substr(1) : path;
    return name == "scenario_toml" || p == "sweep/manifest";
}

std::vector<DatasetDigest> digest_file(const std::filesystem::path& path) {
    const File f = File::open_read_only(path);
    std::vector<DatasetDigest> out;
    std::function<void(const Group&)> walk = [&](const Group& g) {
        for (const auto& name : g.children()) {
            const std::string p = g.path() == "/" ? "/" + name : g.path() + "/" + name;
            if (g.is_group(p))
                walk(g.open_group(p));
            else if (g.is_dataset(p))
                out.push_back(digest_of(g.open_dataset(p)));
        }
    };
    walk(f);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return out;
}

std::string format_digest(const std::vector<DatasetDigest>& digests) {
    std::string out;
    for (const auto& d : digests) {
        std::string shape = "[";
        for (std::size_t i = 0; i < d.shape.size(); ++i) shape += (i > 0 ? "," : "") + std::to_string(d.shape[i]);
        out += d.path + " " + d.dtype + " " + shape + "] " + d.sha256 + "\n";
    }
    return out;
}

}  // namespace cpcsim::io
