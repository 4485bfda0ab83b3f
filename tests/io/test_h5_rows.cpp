// Row reads, row copies (stored chunks copied as they are, or values read and appended),
// datasets shaped like others, and group copies.
#include "io/h5.hpp"

#include "core/error.hpp"
#include "io_test_util.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <numeric>
#include <vector>

using namespace cpcsim;
using namespace cpcsim::io;

namespace {
std::vector<double> iota(std::size_t n, double start) {
    std::vector<double> v(n);
    std::iota(v.begin(), v.end(), start);
    return v;
}
}  // namespace

TEST_CASE("read_rows reads a block of the first dimension", "[unit][io]") {
    test::TempDir dir;
    auto f = File::create(dir / "r.h5");
    const auto v = iota(4 * 3, 0);
    const auto d = f.write_dataset("x", v, {4, 3});
    const auto rows = d.read_rows<double>(1, 2);
    CHECK(rows.shape == Shape{2, 3});
    CHECK(rows.values == std::vector<double>{3, 4, 5, 6, 7, 8});
    CHECK(d.read_rows<std::int64_t>(3, 1).values == std::vector<std::int64_t>{9, 10, 11});
    CHECK(d.read_rows<double>(4, 0).values.empty());
    CHECK_THROWS_WITH(d.read_rows<double>(3, 2), Catch::Contains("the dataset has 4 rows"));
    const auto scalar = f.write_dataset("s", std::vector<double>{1}, {});
    CHECK_THROWS_WITH(scalar.read_rows<double>(0, 1), Catch::Contains("scalar"));
}

TEST_CASE("append_rows_from copies rows, by stored chunks when the layouts match", "[unit][io]") {
    test::TempDir dir;
    // Big enough rows to be compressed (chunked, one row per chunk in an extendible dataset).
    const std::uint64_t cols = 5000;
    auto src = File::create(dir / "src.h5");
    auto rows = src.write_dataset("runs/x", std::vector<double>{}, {0, cols},
                                  {.dims = {"run", "col"}, .units = "GBP", .extendible = true});
    for (int r = 0; r < 4; ++r) rows.append_rows(iota(cols, r * 1000.0));
    const auto fixed = src.write_dataset("runs/y", iota(4 * 3, 0), {4, 3}, {.dims = {"replicate", "col"}});

    auto dst = File::create(dir / "dst.h5");
    auto x = dst.create_rows_like("runs/x", rows, "row");
    auto y = dst.create_rows_like("runs/y", fixed, "run");
    CHECK(x.shape() == Shape{0, cols});
    CHECK(x.dims() == std::vector<std::string>{"row", "col"});
    CHECK(x.string_attr("units") == "GBP");
    CHECK(y.dims() == std::vector<std::string>{"run", "col"});

    x.append_rows_from(rows, 2, 2);  // chunk copy
    x.append_rows_from(rows, 0, 1);
    y.append_rows_from(fixed, 1, 3);  // contiguous source: read and append
    const auto xs = x.read<double>();
    REQUIRE(xs.shape == Shape{3, cols});
    CHECK(xs.values[0] == 2000.0);
    CHECK(xs.values[cols] == 3000.0);
    CHECK(xs.values[2 * cols + cols - 1] == double(cols - 1));
    CHECK(x.info().filters == rows.info().filters);
    CHECK(y.read<double>().values == iota(9, 3));

    SECTION("mismatched rows are refused, naming both datasets") {
        auto z = dst.write_dataset("runs/z", std::vector<std::int32_t>{}, {0, 3}, {.extendible = true});
        CHECK_THROWS_WITH(z.append_rows_from(fixed, 0, 1), Catch::Contains("float64") && Catch::Contains("int32"));
        CHECK_THROWS_WITH(y.append_rows_from(fixed, 3, 2), Catch::Contains("4 rows"));
    }
}

TEST_CASE("copy_datasets_from copies a group's numbers and strings with their attributes", "[unit][io]") {
    test::TempDir dir;
    auto src = File::create(dir / "a.h5");
    src.write_strings("labels/area", {"N", "S"}, {.dims = {"area"}});
    src.write_dataset("labels/sub/years", std::vector<std::int64_t>{2024, 2025}, {2},
                      {.dims = {"year"}, .description = "calendar year"});
    src.write_string("labels/text", "hello");
    src.write_dataset("other", std::vector<double>{1}, {1});
    auto dst = File::create(dir / "b.h5");
    dst.copy_datasets_from(src, "/labels");
    CHECK(dst.read_strings("labels/area") == std::vector<std::string>{"N", "S"});
    CHECK(dst.open_dataset("labels/area").dims() == std::vector<std::string>{"area"});
    CHECK(dst.read<std::int64_t>("labels/sub/years").values == std::vector<std::int64_t>{2024, 2025});
    CHECK(dst.open_dataset("labels/sub/years").string_attr("description") == "calendar year");
    CHECK(dst.read_string("labels/text") == "hello");
    CHECK_FALSE(dst.exists("other"));
}
