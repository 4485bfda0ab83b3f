#include "io/h5.hpp"

#include "core/error.hpp"
#include "io_test_util.hpp"

#include <hdf5.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

using namespace cpcsim::io;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using cpcsim::Error;
using cpcsim::io::test::TempDir;

namespace {

template <class T>
std::vector<T> ramp(std::size_t n) {
    std::vector<T> v(n);
    for (std::size_t i = 0; i < n; ++i) {
        if constexpr (std::is_same_v<T, double>)
            v[i] = static_cast<double>(i) * 0.25 - 3.5;
        else if constexpr (std::is_same_v<T, std::uint8_t>)
            v[i] = static_cast<T>(i % 251);
        else if constexpr (std::is_signed_v<T>)
            v[i] = static_cast<T>(static_cast<T>(i % 1000) - 500);
        else
            v[i] = static_cast<T>(4000000000u + i * 7);
    }
    return v;
}

template <class T>
void check_round_trip(Group& g, const std::string& name, const Shape& shape, Layout expected) {
    const auto values = ramp<T>(static_cast<std::size_t>(element_count(shape)));
    g.write_dataset(name, values, shape);
    const Dataset d = g.open_dataset(name);
    const Array<T> back = d.read<T>();
    CHECK(back.shape == shape);
    CHECK(back.values == values);
    const DatasetInfo info = d.info();
    CHECK(info.layout == expected);
    CHECK(info.is_numeric);
    if (expected == Layout::chunked) {
        // shuffle (not for bytes), deflate, then the Fletcher-32 checksum of the stored bytes
        CHECK(info.filters.size() == (sizeof(T) > 1 ? 3u : 2u));
        CHECK(info.filters[info.filters.size() - 2] == "deflate(4)");
        CHECK(info.filters.back() == "fletcher32");
        CHECK(element_count(info.chunk) * sizeof(T) <= kMaxChunkBytes);
    } else {
        CHECK(info.filters.empty());
    }
}

}  // namespace

TEMPLATE_TEST_CASE("numeric datasets round-trip every type and shape", "[unit][io]", double, std::int64_t, std::int32_t,
                   std::uint32_t, std::uint8_t) {
    TempDir dir;
    const auto path = dir / "types.h5";
    {
        File f = File::create(path);
        Group g = f.create_group("data");
        check_round_trip<TestType>(g, "scalar", {}, Layout::compact);
        check_round_trip<TestType>(g, "vector", {5}, Layout::compact);
        check_round_trip<TestType>(g, "matrix", {3, 4}, Layout::compact);
        check_round_trip<TestType>(g, "six_d", {2, 3, 4, 2, 2, 2}, Layout::compact);
        check_round_trip<TestType>(g, "medium", {3, kCompressMinBytes / sizeof(TestType) / 4}, Layout::contiguous);
        check_round_trip<TestType>(g, "big_six_d", {4, 12, 30, 5, 5, 2}, Layout::chunked);
        check_round_trip<TestType>(g, "huge", {3, 1024 * 1024 / sizeof(TestType) + 7}, Layout::chunked);
        f.close();
    }
    // And again after reopening the file read-only.
    const File f = File::open_read_only(path);
    const auto six = f.read<TestType>("/data/big_six_d");
    CHECK(six.shape == Shape{4, 12, 30, 5, 5, 2});
    CHECK(six.values == ramp<TestType>(4 * 12 * 30 * 5 * 5 * 2));
    const auto info = f.open_dataset("data/huge").info();
    CHECK(info.storage_bytes < element_count(info.shape) * sizeof(TestType));  // compressed
    CHECK(f.open_group("data").children() ==
          std::vector<std::string>{"big_six_d", "huge", "matrix", "medium", "scalar", "six_d", "vector"});
}

TEST_CASE("dims, units and description attributes of a 6-D dataset", "[unit][io]") {
    TempDir dir;
    File f = File::create(dir / "dims.h5");
    const std::vector<std::string> names = {"replicate", "month", "area", "quintile", "ethnic_group", "rural"};
    DatasetOptions o;
    o.dims = names;
    o.units = "children";
    o.description = "children alive at the end of each month";
    const auto values = ramp<std::int64_t>(2 * 3 * 4 * 5 * 2 * 2);
    Dataset d = f.write_dataset("outcomes/alive", values, {2, 3, 4, 5, 2, 2}, o);
    CHECK(d.path() == "/outcomes/alive");
    CHECK(d.dims() == names);
    CHECK(d.strings_attr("dims") == names);
    CHECK(d.string_attr("units") == "children");
    CHECK(d.string_attr("description") == "children alive at the end of each month");
    CHECK(f.open_dataset("/outcomes/alive").info().dims == names);
    CHECK(d.attr_as_text("dims") == R"(["replicate", "month", "area", "quintile", "ethnic_group", "rural"])");

    DatasetOptions wrong;
    wrong.dims = {"replicate", "month"};
    CHECK_THROWS_WITH(f.write_dataset("outcomes/bad", values, {2, 3, 4, 5, 2, 2}, wrong),
                      Contains("2 dimension names for 6 dimensions") && Contains("/outcomes/bad"));
    CHECK_THROWS_WITH(f.write_dataset("outcomes/bad", values, {2, 3}), Contains("480 values given for shape [2 x 3]"));
    CHECK_THROWS_WITH(f.write_dataset("outcomes/alive", values, {480}), Contains("already exists"));
    CHECK_FALSE(f.exists("outcomes/bad"));
}

TEST_CASE("empty datasets with a zero-length dimension", "[unit][io]") {
    TempDir dir;
    const auto path = dir / "empty.h5";
    {
        File f = File::create(path);
        f.write_dataset("a", std::vector<double>{}, {0, 3});
        f.write_dataset("b", std::vector<std::int32_t>{}, {4, 0, 2});
        f.write_dataset("c", std::vector<std::uint8_t>{}, {0});
        f.write_strings("s", {});
        f.close();
    }
    const File f = File::open_read_only(path);
    const auto a = f.read<double>("a");
    CHECK(a.shape == Shape{0, 3});
    CHECK(a.values.empty());
    CHECK(f.read<std::int32_t>("b").shape == Shape{4, 0, 2});
    CHECK(f.read<std::int64_t>("b").values.empty());
    CHECK(f.read<std::uint8_t>("c").shape == Shape{0});
    CHECK(f.read_strings("s").empty());
    CHECK(f.open_dataset("s").shape() == Shape{0});
}

TEST_CASE("reading converts any stored numeric type", "[unit][io]") {
    TempDir dir;
    File f = File::create(dir / "convert.h5");
    f.write_dataset("i32", std::vector<std::int32_t>{-2, 0, 7}, {3});
    f.write_dataset("f64", std::vector<double>{1.0, 2.0, -3.0}, {3});
    f.write_dataset("u8", std::vector<std::uint8_t>{0, 200, 255}, {3});
    CHECK(f.read<double>("i32").values == std::vector<double>{-2.0, 0.0, 7.0});
    CHECK(f.read<std::int64_t>("f64").values == std::vector<std::int64_t>{1, 2, -3});
    CHECK(f.read<std::int32_t>("u8").values == std::vector<std::int32_t>{0, 200, 255});
    CHECK(f.read<double>("u8").values == std::vector<double>{0.0, 200.0, 255.0});
    f.write_strings("names", {"a", "b"});
    CHECK_THROWS_WITH(f.read<double>("names"), Contains("/names") && Contains("not numbers"));
    CHECK_THROWS_WITH(f.read_strings("i32"), Contains("holds int32, not strings"));
    CHECK_THROWS_WITH(f.read<double>("missing"), Contains("/missing: no such dataset"));
}

TEST_CASE("chunk shapes stay under the chunk size limit", "[unit][io]") {
    CHECK(choose_chunk_shape({10, 20}, 8, false) == Shape{10, 20});
    const Shape big = {100, 120, 300, 5, 5, 2};
    const Shape c = choose_chunk_shape(big, 8, false);
    REQUIRE(c.size() == 6);
    CHECK(c[0] == 1);
    CHECK(element_count(c) * 8 <= kMaxChunkBytes);
    CHECK(element_count(c) * 8 > kMaxChunkBytes / 4);
    CHECK(Shape(c.begin() + 2, c.end()) == Shape{300, 5, 5, 2});
    const Shape e = choose_chunk_shape({0, 10}, 8, true);
    CHECK(e[1] == 10);
    CHECK(e[0] * 10 * 8 <= kAppendChunkBytes);
    CHECK(e[0] >= 1);
    CHECK(choose_chunk_shape({0, 0}, 4, true) == Shape{kAppendChunkBytes / 4, 1});
    CHECK(choose_chunk_shape({1u << 30}, 1, false) == Shape{kMaxChunkBytes});
}

TEST_CASE("string datasets hold UTF-8 labels and long texts", "[unit][io]") {
    TempDir dir;
    const auto path = dir / "strings.h5";
    const std::vector<std::string> areas = {"Ynys Môn", "Rhondda Cynon Taf", "", "Bro Morgannwg — Vale"};
    std::string toml;
    for (int i = 0; i < 5000; ++i) toml += "key_" + std::to_string(i) + " = " + std::to_string(i * 3) + "\n";
    {
        File f = File::create(path);
        DatasetOptions o;
        o.dims = {"area"};
        o.description = "area names";
        f.write_strings("labels/area", areas, o);
        f.write_string("scenario/text", toml);
        CHECK_THROWS_WITH(f.write_strings("labels/bad", areas, DatasetOptions{.dims = {"a", "b"}}),
                          Contains("2 dimension names for 1 dimension"));
        f.close();
    }
    const File f = File::open_read_only(path);
    CHECK(f.read_strings("labels/area") == areas);
    CHECK(f.open_dataset("labels/area").dims() == std::vector<std::string>{"area"});
    CHECK(f.read_string("scenario/text") == toml);
    CHECK(f.read_strings("scenario/text") == std::vector<std::string>{toml});
    CHECK_THROWS_WITH(f.read_string("labels/area"), Contains("holds 4 strings, expected exactly one"));
    const auto info = f.open_dataset("labels/area").info();
    CHECK(info.is_string);
    CHECK(info.type_name == "string (variable-length, UTF-8)");
}

TEST_CASE("attributes of every kind on files, groups and datasets", "[unit][io]") {
    TempDir dir;
    const auto path = dir / "attrs.h5";
    {
        File f = File::create(path);
        Group g = f.create_group("g");
        Dataset d = g.write_dataset("d", std::vector<double>{1, 2, 3}, {3});
        for (Object* o : std::vector<Object*>{&f, &g, &d}) {
            o->set_string_attr("name", "Sir Benfro ✓");
            o->set_int_attr("count", -42);
            o->set_uint_attr("seed", std::numeric_limits<std::uint64_t>::max());
            o->set_double_attr("rate", 0.1);
            o->set_strings_attr("list", {"x", "", "ζ"});
            o->set_strings_attr("none", {});
        }
        f.set_string_attr("name", "replaced");  // overwrite
        f.set_int_attr("count", 7);
        f.close();
    }
    const File f = File::open_read_only(path);
    const Group g = f.open_group("/g");
    const Dataset d = g.open_dataset("d");
    CHECK(f.string_attr("name") == "replaced");
    CHECK(f.int_attr("count") == 7);
    for (const Object* o : std::vector<const Object*>{&g, &d}) {
        CHECK(o->string_attr("name") == "Sir Benfro ✓");
        CHECK(o->int_attr("count") == -42);
        CHECK(o->double_attr("count") == -42.0);
        CHECK(o->uint_attr("seed") == std::numeric_limits<std::uint64_t>::max());
        CHECK(o->double_attr("rate") == 0.1);
        CHECK(o->strings_attr("list") == std::vector<std::string>{"x", "", "ζ"});
        CHECK(o->strings_attr("none").empty());
        CHECK(o->strings_attr("name") == std::vector<std::string>{"Sir Benfro ✓"});
        CHECK(o->attr_names() == std::vector<std::string>{"count", "list", "name", "none", "rate", "seed"});
        CHECK(o->has_attr("rate"));
        CHECK_FALSE(o->has_attr("nope"));
        CHECK(o->attr_as_text("rate") == "0.1");
        CHECK(o->attr_as_text("seed") == "18446744073709551615");
        CHECK(o->attr_as_text("count") == "-42");
        CHECK(o->attr_as_text("name") == "Sir Benfro ✓");
    }
    CHECK_THROWS_WITH(d.string_attr("nope"),
                      Contains(path.string()) && Contains("/g/d attribute 'nope'") && Contains("no such attribute"));
    CHECK_THROWS_WITH(d.int_attr("name"), Contains("expected an integer"));
    CHECK_THROWS_WITH(d.int_attr("seed"), Contains("does not fit in int64"));
    CHECK_THROWS_WITH(d.uint_attr("count"), Contains("is negative"));
    CHECK_THROWS_WITH(d.int_attr("rate"), Contains("holds float64, expected an integer"));
    CHECK_THROWS_WITH(d.string_attr("list"), Contains("holds 3 strings, expected exactly one"));
    CHECK_THROWS_WITH(d.double_attr("list"), Contains("expected a number"));
}

TEST_CASE("groups: intermediate creation, existence checks and listing", "[unit][io]") {
    TempDir dir;
    File f = File::create(dir / "groups.h5");
    Group c = f.create_group("a/b/c");
    CHECK(c.path() == "/a/b/c");
    CHECK(f.exists("a"));
    CHECK(f.exists("/a/b"));
    CHECK(f.exists("a/b/c"));
    CHECK(f.exists("/"));
    CHECK_FALSE(f.exists("a/x/y"));
    CHECK_FALSE(f.exists("x"));
    Group b = f.open_group("a/b");
    CHECK(b.exists("c"));
    CHECK(b.exists("/a"));
    b.write_dataset("d", std::vector<std::int32_t>{1}, {1});
    CHECK(b.is_dataset("d"));
    CHECK_FALSE(b.is_group("d"));
    CHECK(f.is_group("a/b"));
    CHECK_FALSE(f.exists("a/b/d/deeper"));
    CHECK(b.children() == std::vector<std::string>{"c", "d"});
    CHECK(f.children() == std::vector<std::string>{"a"});
    CHECK(f.require_group("a/b").path() == "/a/b");
    CHECK(f.require_group("a/new/one").path() == "/a/new/one");
    CHECK_THROWS_WITH(f.create_group("a/b"), Contains("/a/b: cannot create group: it already exists"));
    CHECK_THROWS_WITH(f.open_group("nothing/here"), Contains("/nothing/here: no such group"));
    CHECK_THROWS_WITH(f.open_group("a/b/d"), Contains("is not a group"));
    CHECK_THROWS_WITH(f.create_group("a/b/d/e"), Contains("/a/b/d exists and is not a group"));
    CHECK_THROWS_WITH(f.open_dataset("a/b"), Contains("is not a dataset"));
    f.flush();
}

TEST_CASE("append rows to an extendible dataset", "[unit][io]") {
    TempDir dir;
    const auto path = dir / "append.h5";
    {
        File f = File::create(path);
        DatasetOptions o;
        o.extendible = true;
        o.dims = {"run", "area", "month"};
        Dataset d = f.write_dataset("runs", std::vector<std::int32_t>{}, {0, 2, 3}, o);
        CHECK(d.shape() == Shape{0, 2, 3});
        CHECK(d.append_rows(std::vector<std::int32_t>{1, 2, 3, 4, 5, 6}) == 1);
        CHECK(d.append_rows(std::vector<std::int32_t>{7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}) == 3);
        CHECK(d.append_rows(std::vector<std::int32_t>{}) == 3);
        CHECK_THROWS_WITH(d.append_rows(std::vector<std::int32_t>{1, 2, 3, 4}),
                          Contains("/runs") && Contains("not a whole number of rows of 6 values"));
        CHECK_THROWS_WITH(d.append_rows(std::vector<double>(6, 1.0)), Contains("holds int32 but the rows are float64"));
        const auto info = d.info();
        CHECK(info.max_shape == Shape{kUnlimited, 2, 3});
        CHECK(info.layout == Layout::chunked);
        CHECK(shape_to_string(info.shape, info.max_shape) == "[3+ x 2 x 3]");
        CHECK(info.storage_bytes > 0);
        // Without the storage size (what appending asks, so as not to compress the cached
        // chunks at every append): the same description, storage_bytes left 0.
        auto light = d.info(false);
        CHECK(light.storage_bytes == 0);
        light.storage_bytes = info.storage_bytes;
        CHECK((light.shape == info.shape && light.max_shape == info.max_shape && light.chunk == info.chunk &&
               light.filters == info.filters && light.type_name == info.type_name && light.dims == info.dims));

        // A 1-D extendible dataset that starts with rows and grows one value at a time.
        DatasetOptions o1;
        o1.extendible = true;
        Dataset s = f.write_dataset("series", std::vector<double>{0.5, 1.5}, {2}, o1);
        for (int i = 0; i < 100; ++i) s.append_rows(std::vector<double>{static_cast<double>(i)});
        CHECK(s.shape() == Shape{102});

        Dataset fixed = f.write_dataset("fixed", std::vector<double>{1, 2}, {2});
        CHECK_THROWS_WITH(fixed.append_rows(std::vector<double>{3}), Contains("not extendible"));
        f.close();
    }
    const File f = File::open_read_only(path);
    const auto runs = f.read<std::int32_t>("runs");
    CHECK(runs.shape == Shape{3, 2, 3});
    std::vector<std::int32_t> expected(18);
    for (std::size_t i = 0; i < 18; ++i) expected[i] = static_cast<std::int32_t>(i + 1);
    CHECK(runs.values == expected);
    CHECK(f.open_dataset("runs").dims() == std::vector<std::string>{"run", "area", "month"});
    const auto series = f.read<double>("series").values;
    REQUIRE(series.size() == 102);
    CHECK(series[0] == 0.5);
    CHECK(series[1] == 1.5);
    CHECK(series[101] == 99.0);
}

TEST_CASE("fixed-length strings written the way h5py and numpy write them", "[unit][io]") {
    TempDir dir;
    const auto path = dir / "fixed.h5";
    {
        // Written with the C API directly, as another program would.
        const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        REQUIRE(file >= 0);
        const auto fixed = [](std::size_t size, H5T_str_t pad) {
            const hid_t t = H5Tcopy(H5T_C_S1);
            H5Tset_size(t, size);
            H5Tset_strpad(t, pad);
            return t;
        };
        const hid_t scalar = H5Screate(H5S_SCALAR);
        // numpy.bytes_(b"metres") -> 6-byte NULLPAD ASCII
        hid_t t = fixed(6, H5T_STR_NULLPAD);
        hid_t a = H5Acreate2(file, "units", t, scalar, H5P_DEFAULT, H5P_DEFAULT);
        REQUIRE(H5Awrite(a, t, "metres") >= 0);
        H5Aclose(a);
        H5Tclose(t);
        // numpy array of S5: ["ab", "cde", "fghij"]
        const hsize_t three = 3;
        const hid_t space3 = H5Screate_simple(1, &three, nullptr);
        t = fixed(5, H5T_STR_NULLPAD);
        a = H5Acreate2(file, "labels", t, space3, H5P_DEFAULT, H5P_DEFAULT);
        const char labels[] = "ab\0\0\0cde\0\0fghij";
        REQUIRE(H5Awrite(a, t, labels) >= 0);
        H5Aclose(a);
        H5Tclose(t);
        // Fortran-style space padding.
        t = fixed(8, H5T_STR_SPACEPAD);
        a = H5Acreate2(file, "padded", t, scalar, H5P_DEFAULT, H5P_DEFAULT);
        REQUIRE(H5Awrite(a, t, "abc     ") >= 0);
        H5Aclose(a);
        H5Tclose(t);
        // A NULLTERM UTF-8 fixed-length dataset.
        t = fixed(8, H5T_STR_NULLTERM);
        H5Tset_cset(t, H5T_CSET_UTF8);
        const hid_t ds = H5Dcreate2(file, "names", t, space3, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        const char names[] = "Môn\0\0\0\0x\0\0\0\0\0\0\0abcdefg";
        REQUIRE(H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, names) >= 0);
        H5Dclose(ds);
        H5Tclose(t);
        // A scalar variable-length ASCII string attribute (h5py with a bytes value).
        t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, H5T_VARIABLE);
        a = H5Acreate2(file, "ascii", t, scalar, H5P_DEFAULT, H5P_DEFAULT);
        const char* value = "plain";
        REQUIRE(H5Awrite(a, t, &value) >= 0);
        H5Aclose(a);
        H5Tclose(t);
        H5Sclose(space3);
        H5Sclose(scalar);
        REQUIRE(H5Fclose(file) >= 0);
    }
    const File f = File::open_read_only(path);
    CHECK(f.string_attr("units") == "metres");
    CHECK(f.strings_attr("labels") == std::vector<std::string>{"ab", "cde", "fghij"});
    CHECK(f.string_attr("padded") == "abc");
    CHECK(f.string_attr("ascii") == "plain");
    CHECK(f.attr_as_text("labels") == R"(["ab", "cde", "fghij"])");
    CHECK(f.read_strings("names") == std::vector<std::string>{"Môn", "x", "abcdefg"});
    CHECK(f.open_dataset("names").info().type_name == "string (fixed-length 8, UTF-8)");
}

TEST_CASE("opening files that are missing, not HDF5 or truncated gives clear errors", "[unit][io]") {
    TempDir dir;
    const auto missing = dir / "missing.h5";
    CHECK_THROWS_WITH(File::open_read_only(missing), missing.string() + ": no such file");

    const auto text = dir / "text.h5";
    cpcsim::io::test::write_file(text, "area,beds\nCardiff,12\n");
    CHECK_THROWS_WITH(File::open_read_only(text), text.string() + ": not an HDF5 file");
    CHECK_THROWS_WITH(File::open_read_only(dir.path()), Contains("is a directory"));

    const auto good = dir / "good.h5";
    {
        File f = File::create(good);
        f.write_dataset("x", ramp<double>(100000), {100000});
        f.close();
    }
    const std::string bytes = cpcsim::io::test::read_file(good);
    const auto cut = dir / "cut.h5";
    cpcsim::io::test::write_file(cut, bytes.substr(0, bytes.size() / 2));
    cpcsim::io::test::StderrCapture capture(dir / "stderr.txt");
    try {
        (void)File::open_read_only(cut);
        FAIL("opening a truncated file succeeded");
    } catch (const Error& e) {
        const std::string msg = e.what();
        CHECK_THAT(msg, StartsWith(cut.string() + ": cannot open HDF5 file; it may be truncated or corrupt"));
        CHECK_THAT(msg, Contains("(HDF5: ") && Contains("truncated file"));
    }
    CHECK(capture.text().empty());  // HDF5 printed nothing
    CHECK_THROWS_WITH(File::create(dir / "no" / "dir.h5"), Contains("cannot create HDF5 file (HDF5: "));
}

TEST_CASE("File::close closes the file and every handle into it", "[unit][io]") {
    TempDir dir;
    const auto path = dir / "close.h5";
    File f = File::create(path);
    Group g = f.create_group("g");
    Dataset d = g.write_dataset("d", std::vector<double>{1, 2}, {2});
    Group root_copy = f;
    CHECK(d.valid());
    CHECK_NOTHROW(f.close());
    CHECK_FALSE(f.valid());
    CHECK_FALSE(g.valid());
    CHECK_FALSE(d.valid());
    CHECK_FALSE(root_copy.valid());
    CHECK_THROWS_WITH(f.flush(), Contains("closed or empty"));
    CHECK_THROWS_WITH(d.read<double>(), Contains("/g/d") && Contains("closed or empty"));
    // The file is really closed: it can be opened again, even for writing.
    File again = File::open_read_write(path);
    CHECK(again.read<double>("g/d").values == std::vector<double>{1, 2});
    again.set_int_attr("reopened", 1);
    again.close();
}
