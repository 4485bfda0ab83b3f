#include "io/h5.hpp"

#include "io/zero_run_deflate.hpp"

#include "core/error.hpp"

#include <hdf5.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <system_error>

static_assert(std::is_same_v<hid_t, std::int64_t>, "cpcsim needs HDF5 >= 1.10 (64-bit hid_t)");
static_assert(sizeof(hsize_t) == sizeof(std::uint64_t));
static_assert(H5S_UNLIMITED == cpcsim::io::kUnlimited);

namespace cpcsim::io {

namespace {

// HDF5 1.10 registers atexit(H5_term_library), which closes every id still open. When closing a
// file failed once (its last flush hit "No space left on device"), HDF5 has already freed part
// of the file but keeps its id, and the exit-time close then crashes (SIGSEGV after the error
// was reported). Every file cpcsim writes is closed explicitly before it is renamed into place,
// and what is still open at exit is an abandoned temporary file, so HDF5's exit clean-up is
// not needed: switch it off before the library initialises (tests/io/test_h5.cpp and
// tests/cli/full_disk.sh show the crash is gone).
[[maybe_unused]] const bool kNoExitCleanup = [] {
    H5dont_atexit();
    return true;
}();

// ---------------------------------------------------------------------------------------
// Errors

/// HDF5 keeps one error stack per thread (thread-safe build) and prints it by default.
void ensure_quiet() noexcept {
    thread_local bool quiet = false;
    if (!quiet) {
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
        quiet = true;
    }
}

herr_t collect_error(unsigned /*n*/, const H5E_error2_t* err, void* data) {
    auto& out = *static_cast<std::vector<std::string>*>(data);
    std::string d = err->desc != nullptr ? err->desc : "";
    if (d.empty()) {
        char buf[256] = {};
        if (H5Eget_msg(err->min_num, nullptr, buf, sizeof buf) > 0) d = buf;
    }
    if (!d.empty() && std::find(out.begin(), out.end(), d) == out.end()) out.push_back(std::move(d));
    return 0;
}

}  // namespace

std::string hdf5_error_text() {
    std::vector<std::string> descs;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_error, &descs);
    H5Eclear2(H5E_DEFAULT);
    std::string s;
    for (const auto& d : descs) s += (s.empty() ? "" : ": ") + d;
    return s;
}

namespace {

/// Where an operation happens, for error messages.
struct Ctx {
    const std::string& file;
    std::string where;
};

[[noreturn]] void fail_h5(const Ctx& ctx, std::string_view what) {
    const std::string cause = hdf5_error_text();
    std::string msg(what);
    if (!cause.empty()) msg += " (HDF5: " + cause + ")";
    throw Error(ctx.file, ctx.where, std::move(msg));
}

[[noreturn]] void fail(const Ctx& ctx, std::string msg) {
    throw Error(ctx.file, ctx.where, std::move(msg));
}

/// Runs one HDF5 call; a negative result becomes an Error with HDF5's description.
template <class F>
auto call(const Ctx& ctx, std::string_view what, F&& f) {
    ensure_quiet();
    auto r = f();
    if (r < 0) fail_h5(ctx, what);
    return r;
}

/// Runs an HDF5 call that returns a new id and takes ownership of it.
template <class F>
detail::Id make(const Ctx& ctx, std::string_view what, F&& f) {
    return detail::Id(call(ctx, what, std::forward<F>(f)));
}

// ---------------------------------------------------------------------------------------
// Types

hid_t mem_type(NumType t) {
    switch (t) {
        case NumType::f64:
            return H5T_NATIVE_DOUBLE;
        case NumType::i64:
            return H5T_NATIVE_INT64;
        case NumType::i32:
            return H5T_NATIVE_INT32;
        case NumType::u32:
            return H5T_NATIVE_UINT32;
        case NumType::u8:
            return H5T_NATIVE_UINT8;
    }
    return H5T_NATIVE_DOUBLE;
}

hid_t file_type(NumType t) {
    switch (t) {
        case NumType::f64:
            return H5T_IEEE_F64LE;
        case NumType::i64:
            return H5T_STD_I64LE;
        case NumType::i32:
            return H5T_STD_I32LE;
        case NumType::u32:
            return H5T_STD_U32LE;
        case NumType::u8:
            return H5T_STD_U8LE;
    }
    return H5T_IEEE_F64LE;
}

std::size_t type_size(NumType t) {
    switch (t) {
        case NumType::f64:
        case NumType::i64:
            return 8;
        case NumType::i32:
        case NumType::u32:
            return 4;
        case NumType::u8:
            return 1;
    }
    return 8;
}

}  // namespace

const char* num_type_name(NumType t) noexcept {
    switch (t) {
        case NumType::f64:
            return "float64";
        case NumType::i64:
            return "int64";
        case NumType::i32:
            return "int32";
        case NumType::u32:
            return "uint32";
        case NumType::u8:
            return "uint8";
    }
    return "?";
}

namespace {

/// A variable-length string type in the given character set.
detail::Id vl_string_type(const Ctx& ctx, H5T_cset_t cset = H5T_CSET_UTF8) {
    auto t = make(ctx, "copy string type", [] { return H5Tcopy(H5T_C_S1); });
    call(ctx, "set string size", [&] { return H5Tset_size(t.get(), H5T_VARIABLE); });
    call(ctx, "set string character set", [&] { return H5Tset_cset(t.get(), cset); });
    return t;
}

/// "float64", "uint8", "string (variable-length, UTF-8)", ...
std::string describe_type(hid_t type) {
    ensure_quiet();
    const H5T_class_t cls = H5Tget_class(type);
    const std::size_t size = H5Tget_size(type);
    const std::string bits = std::to_string(size * 8);
    switch (cls) {
        case H5T_INTEGER:
            return (H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + bits;
        case H5T_FLOAT:
            return "float" + bits;
        case H5T_STRING: {
            const char* cs = H5Tget_cset(type) == H5T_CSET_UTF8 ? "UTF-8" : "ASCII";
            if (H5Tis_variable_str(type) > 0) return std::string("string (variable-length, ") + cs + ")";
            return "string (fixed-length " + std::to_string(size) + ", " + cs + ")";
        }
        case H5T_ENUM:
            return "enum" + bits;
        case H5T_COMPOUND:
            return "compound (" + std::to_string(size) + " bytes)";
        case H5T_ARRAY:
            return "array type";
        case H5T_VLEN:
            return "variable-length sequence";
        case H5T_OPAQUE:
            return "opaque";
        case H5T_BITFIELD:
            return "bitfield" + bits;
        case H5T_REFERENCE:
            return "reference";
        case H5T_TIME:
            return "time";
        default:
            return "unknown type";
    }
}

// ---------------------------------------------------------------------------------------
// Paths

std::vector<std::string> split_path(std::string_view p) {
    std::vector<std::string> parts;
    std::size_t i = 0;
    while (i <= p.size()) {
        const std::size_t j = std::min(p.find('/', i), p.size());
        const std::string_view part = p.substr(i, j - i);
        if (!part.empty() && part != ".") parts.emplace_back(part);
        i = j + 1;
    }
    return parts;
}

std::string join_path(const std::vector<std::string>& parts, std::size_t n) {
    if (n == 0) return "/";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += "/" + parts[i];
    return s;
}

std::string normalize(std::string_view p) {
    const auto parts = split_path(p);
    return join_path(parts, parts.size());
}

// ---------------------------------------------------------------------------------------
// Reading strings and numbers from attributes or datasets

/// An attribute or a dataset, read whole.
struct Source {
    hid_t id;
    bool is_attr;

    [[nodiscard]] hid_t type() const { return is_attr ? H5Aget_type(id) : H5Dget_type(id); }
    [[nodiscard]] hid_t space() const { return is_attr ? H5Aget_space(id) : H5Dget_space(id); }
    [[nodiscard]] herr_t read(hid_t memtype, void* buf) const {
        return is_attr ? H5Aread(id, memtype, buf) : H5Dread(id, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
    }
};

std::size_t point_count(const Ctx& ctx, hid_t space) {
    return static_cast<std::size_t>(
        call(ctx, "get number of elements", [&] { return H5Sget_simple_extent_npoints(space); }));
}

std::vector<std::string> read_strings_from(const Ctx& ctx, const Source& src) {
    const auto ftype = make(ctx, "get datatype", [&] { return src.type(); });
    const H5T_class_t cls = H5Tget_class(ftype.get());
    if (cls != H5T_STRING) fail(ctx, "holds " + describe_type(ftype.get()) + ", not strings");
    const auto space = make(ctx, "get dataspace", [&] { return src.space(); });
    const std::size_t n = point_count(ctx, space.get());
    const H5T_cset_t cset = H5Tget_cset(ftype.get());
    if (cset < 0) fail_h5(ctx, "get string character set");
    std::vector<std::string> out;
    out.reserve(n);

    if (call(ctx, "check string type", [&] { return H5Tis_variable_str(ftype.get()); }) > 0) {
        const auto mt = vl_string_type(ctx, cset);
        std::vector<char*> buf(n, nullptr);
        if (n == 0) return out;
        call(ctx, "read strings", [&] { return src.read(mt.get(), buf.data()); });
        struct Reclaim {
            hid_t type, space;
            std::vector<char*>& buf;
            ~Reclaim() { H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf.data()); }
        } reclaim{mt.get(), space.get(), buf};
        for (const char* s : buf) out.emplace_back(s != nullptr ? s : "");
        return out;
    }

    const std::size_t size = H5Tget_size(ftype.get());
    if (size == 0) fail_h5(ctx, "get string size");
    const H5T_str_t pad = H5Tget_strpad(ftype.get());
    if (pad < 0) fail_h5(ctx, "get string padding");
    const auto mt = make(ctx, "copy string type", [] { return H5Tcopy(H5T_C_S1); });
    call(ctx, "set string size", [&] { return H5Tset_size(mt.get(), size); });
    call(ctx, "set string character set", [&] { return H5Tset_cset(mt.get(), cset); });
    call(ctx, "set string padding", [&] { return H5Tset_strpad(mt.get(), pad); });
    if (n == 0) return out;
    std::vector<char> buf(n * size, '\0');
    call(ctx, "read strings", [&] { return src.read(mt.get(), buf.data()); });
    for (std::size_t i = 0; i < n; ++i) {
        std::string s(buf.data() + i * size, size);
        if (pad == H5T_STR_SPACEPAD) {
            s.erase(s.find_last_not_of(' ') + 1);
        } else if (pad == H5T_STR_NULLTERM) {
            s.erase(std::min(s.find('\0'), s.size()));
        } else {  // NULLPAD
            const auto last = s.find_last_not_of('\0');
            s.erase(last == std::string::npos ? 0 : last + 1);
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::string single_string(const Ctx& ctx, const Source& src) {
    auto v = read_strings_from(ctx, src);
    if (v.size() != 1) fail(ctx, "holds " + std::to_string(v.size()) + " strings, expected exactly one");
    return std::move(v.front());
}

/// Reads all values of a numeric source converted to T (memory type `mt`).
template <class T>
std::vector<T> read_numbers_from(const Ctx& ctx, const Source& src, hid_t mt) {
    const auto space = make(ctx, "get dataspace", [&] { return src.space(); });
    std::vector<T> v(point_count(ctx, space.get()));
    if (!v.empty()) call(ctx, "read values", [&] { return src.read(mt, v.data()); });
    return v;
}

struct NumberKind {
    H5T_class_t cls;
    bool is_signed;
    std::string name;
};

NumberKind number_kind(const Ctx& ctx, const Source& src) {
    const auto t = make(ctx, "get datatype", [&] { return src.type(); });
    return {H5Tget_class(t.get()), H5Tget_sign(t.get()) == H5T_SGN_2, describe_type(t.get())};
}

std::string format_double(double v) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

// ---------------------------------------------------------------------------------------
// Attributes

void write_attr(const Ctx& ctx, hid_t loc, const std::string& name, hid_t ftype, hid_t mtype, hid_t space,
                const void* buf) {
    if (call(ctx, "check attribute", [&] { return H5Aexists(loc, name.c_str()); }) > 0)
        call(ctx, "delete old attribute", [&] { return H5Adelete(loc, name.c_str()); });
    const auto a = make(ctx, "create attribute",
                        [&] { return H5Acreate2(loc, name.c_str(), ftype, space, H5P_DEFAULT, H5P_DEFAULT); });
    call(ctx, "write attribute", [&] { return H5Awrite(a.get(), mtype, buf); });
}

detail::Id scalar_space(const Ctx& ctx) {
    return make(ctx, "create dataspace", [] { return H5Screate(H5S_SCALAR); });
}

detail::Id simple_space(const Ctx& ctx, const Shape& dims, const Shape& maxdims = {}) {
    if (dims.empty()) return scalar_space(ctx);
    std::vector<hsize_t> d(dims.begin(), dims.end());
    std::vector<hsize_t> m(maxdims.begin(), maxdims.end());
    return make(ctx, "create dataspace",
                [&] { return H5Screate_simple(static_cast<int>(d.size()), d.data(), m.empty() ? nullptr : m.data()); });
}

/// Gets (rank, dims, maxdims) of a dataspace.
void extent(const Ctx& ctx, hid_t space, Shape& dims, Shape* maxdims = nullptr) {
    const int rank = call(ctx, "get rank", [&] { return H5Sget_simple_extent_ndims(space); });
    std::vector<hsize_t> d(static_cast<std::size_t>(rank)), m(static_cast<std::size_t>(rank));
    if (rank > 0) call(ctx, "get extent", [&] { return H5Sget_simple_extent_dims(space, d.data(), m.data()); });
    dims.assign(d.begin(), d.end());
    if (maxdims != nullptr) maxdims->assign(m.begin(), m.end());
}

bool deflate_available() {
    ensure_quiet();
    return H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0;
}

/// One filter of a dataset's pipeline (deflate, shuffle, Fletcher-32...) with its settings.
struct Filter {
    H5Z_filter_t id = 0;
    unsigned flags = 0;
    std::vector<unsigned> values;  ///< client data, e.g. the deflate level
    std::string name;
    bool operator==(const Filter& o) const { return id == o.id && flags == o.flags && values == o.values; }
};

/// The filter pipeline of a dataset creation property list, in order.
std::vector<Filter> filter_pipeline(const Ctx& ctx, hid_t dcpl) {
    std::vector<Filter> out;
    const int n = call(ctx, "count filters", [&] { return H5Pget_nfilters(dcpl); });
    for (int i = 0; i < n; ++i) {
        Filter f;
        unsigned config = 0;
        std::size_t nvalues = 16;
        f.values.assign(16, 0);
        char name[64] = {};
        f.id = call(ctx, "get filter", [&] {
            return H5Pget_filter2(dcpl, static_cast<unsigned>(i), &f.flags, &nvalues, f.values.data(), sizeof name,
                                  name, &config);
        });
        f.values.resize(std::min<std::size_t>(nvalues, 16));
        f.name = name;
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Free functions

std::uint64_t element_count(const Shape& shape) noexcept {
    std::uint64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

std::string shape_to_string(const Shape& shape, const Shape& max_shape) {
    if (shape.empty()) return "[] (scalar)";
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0) s += " x ";
        s += std::to_string(shape[i]);
        if (i < max_shape.size() && max_shape[i] == kUnlimited) s += "+";
    }
    return s + "]";
}

Shape choose_chunk_shape(const Shape& dims, std::size_t element_size, bool extendible) {
    Shape chunk(dims.size());
    for (std::size_t i = 0; i < dims.size(); ++i) chunk[i] = std::max<std::uint64_t>(dims[i], 1);
    if (chunk.empty()) return chunk;
    const auto bytes = [&] { return element_count(chunk) * element_size; };
    const std::size_t first = extendible ? 1 : 0;
    if (extendible) chunk[0] = 1;
    // Halve the slowest-varying dimensions first: a chunk then holds whole rows of the
    // fastest-varying dimensions (e.g. one replicate's months x areas x ... block).
    for (std::size_t i = first; i < chunk.size(); ++i)
        while (bytes() > kMaxChunkBytes && chunk[i] > 1) chunk[i] = (chunk[i] + 1) / 2;
    if (extendible) {
        const std::uint64_t row = bytes();
        chunk[0] = std::max<std::uint64_t>(1, kAppendChunkBytes / std::max<std::uint64_t>(row, 1));
        chunk[0] = std::min<std::uint64_t>(
            chunk[0], std::max<std::uint64_t>(kMaxChunkBytes / std::max<std::uint64_t>(row, 1), 1));
    }
    return chunk;
}

// ---------------------------------------------------------------------------------------
// detail::Id

namespace detail {
Id::Id(const Id& other) noexcept : id_(other.id_) {
    if (id_ >= 0) {
        ensure_quiet();
        H5Iinc_ref(id_);
    }
}

Id& Id::operator=(const Id& other) noexcept {
    if (this != &other) {
        if (other.id_ >= 0) {
            ensure_quiet();
            H5Iinc_ref(other.id_);
        }
        reset();
        id_ = other.id_;
    }
    return *this;
}

Id& Id::operator=(Id&& other) noexcept {
    if (this != &other) {
        reset();
        id_ = other.id_;
        other.id_ = -1;
    }
    return *this;
}

bool Id::valid() const noexcept {
    if (id_ < 0) return false;
    ensure_quiet();
    return H5Iis_valid(id_) > 0;
}

void Id::reset() noexcept {
    if (id_ >= 0) {
        ensure_quiet();
        H5Idec_ref(id_);
        id_ = -1;
    }
}
}  // namespace detail

// ---------------------------------------------------------------------------------------
// Object

std::string Object::resolve(std::string_view rel) const {
    if (!rel.empty() && rel.front() == '/') return normalize(rel);
    return normalize(path_ + "/" + std::string(rel));
}

void Object::require_valid(std::string_view what) const {
    if (!valid()) throw Error(file_, path_, "cannot " + std::string(what) + ": the HDF5 handle is closed or empty");
}

namespace {
std::string attr_where(const std::string& path, std::string_view name) {
    return path + " attribute '" + std::string(name) + "'";
}
}  // namespace

void Object::set_string_attr(std::string_view name, std::string_view value) {
    require_valid("write attribute");
    const Ctx ctx{file_, attr_where(path_, name)};
    const auto t = vl_string_type(ctx);
    const auto s = scalar_space(ctx);
    const std::string v(value);
    const char* p = v.c_str();
    write_attr(ctx, id_.get(), std::string(name), t.get(), t.get(), s.get(), &p);
}

void Object::set_strings_attr(std::string_view name, const std::vector<std::string>& values) {
    require_valid("write attribute");
    const Ctx ctx{file_, attr_where(path_, name)};
    const auto t = vl_string_type(ctx);
    const auto s = simple_space(ctx, Shape{values.size()});
    std::vector<const char*> ptrs;
    ptrs.reserve(values.size());
    for (const auto& v : values) ptrs.push_back(v.c_str());
    const char* none = "";  // HDF5 wants a buffer even for zero values
    write_attr(ctx, id_.get(), std::string(name), t.get(), t.get(), s.get(), ptrs.empty() ? &none : ptrs.data());
}

void Object::set_int_attr(std::string_view name, std::int64_t value) {
    require_valid("write attribute");
    const Ctx ctx{file_, attr_where(path_, name)};
    const auto s = scalar_space(ctx);
    write_attr(ctx, id_.get(), std::string(name), H5T_STD_I64LE, H5T_NATIVE_INT64, s.get(), &value);
}

void Object::set_uint_attr(std::string_view name, std::uint64_t value) {
    require_valid("write attribute");
    const Ctx ctx{file_, attr_where(path_, name)};
    const auto s = scalar_space(ctx);
    write_attr(ctx, id_.get(), std::string(name), H5T_STD_U64LE, H5T_NATIVE_UINT64, s.get(), &value);
}

void Object::set_double_attr(std::string_view name, double value) {
    require_valid("write attribute");
    const Ctx ctx{file_, attr_where(path_, name)};
    const auto s = scalar_space(ctx);
    write_attr(ctx, id_.get(), std::string(name), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, s.get(), &value);
}

bool Object::has_attr(std::string_view name) const {
    require_valid("check attribute");
    const Ctx ctx{file_, attr_where(path_, name)};
    const std::string n(name);
    return call(ctx, "check attribute", [&] { return H5Aexists(id_.get(), n.c_str()); }) > 0;
}

namespace {
herr_t collect_attr_name(hid_t /*loc*/, const char* name, const H5A_info_t* /*info*/, void* data) {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
}

detail::Id open_attr(const Ctx& ctx, hid_t loc, std::string_view name) {
    const std::string n(name);
    if (call(ctx, "check attribute", [&] { return H5Aexists(loc, n.c_str()); }) <= 0) fail(ctx, "no such attribute");
    return make(ctx, "open attribute", [&] { return H5Aopen(loc, n.c_str(), H5P_DEFAULT); });
}
}  // namespace

std::vector<std::string> Object::attr_names() const {
    require_valid("list attributes");
    const Ctx ctx{file_, path_};
    std::vector<std::string> names;
    hsize_t idx = 0;
    call(ctx, "list attributes",
         [&] { return H5Aiterate2(id_.get(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attr_name, &names); });
    return names;
}

std::string Object::string_attr(std::string_view name) const {
    require_valid("read attribute");
    const Ctx ctx{file_, attr_where(path_, name)};
    const auto a = open_attr(ctx, id_.get(), name);
    return single_string(ctx, Source{a.get(), true});
}

std::vector<std::string> Object::strings_attr(std::string_view name) const {
    require_valid("read attribute");
    const Ctx ctx{file_, attr_where(path_, name)};
    const auto a = open_attr(ctx, id_.get(), name);
    return read_strings_from(ctx, Source{a.get(), true});
}

std::int64_t Object::int_attr(std::string_view name) const {
    require_valid("read attribute");
    const Ctx ctx{file_, attr_where(path_, name)};
    const auto a = open_attr(ctx, id_.get(), name);
    const Source src{a.get(), true};
    const auto kind = number_kind(ctx, src);
    if (kind.cls != H5T_INTEGER) fail(ctx, "holds " + kind.name + ", expected an integer");
    if (kind.is_signed) {
        const auto v = read_numbers_from<std::int64_t>(ctx, src, H5T_NATIVE_INT64);
        if (v.size() != 1) fail(ctx, "holds " + std::to_string(v.size()) + " values, expected one");
        return v.front();
    }
    const auto v = read_numbers_from<std::uint64_t>(ctx, src, H5T_NATIVE_UINT64);
    if (v.size() != 1) fail(ctx, "holds " + std::to_string(v.size()) + " values, expected one");
    if (v.front() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        fail(ctx, "value " + std::to_string(v.front()) + " does not fit in int64");
    return static_cast<std::int64_t>(v.front());
}

std::uint64_t Object::uint_attr(std::string_view name) const {
    require_valid("read attribute");
    const Ctx ctx{file_, attr_where(path_, name)};
    const auto a = open_attr(ctx, id_.get(), name);
    const Source src{a.get(), true};
    const auto kind = number_kind(ctx, src);
    if (kind.cls != H5T_INTEGER) fail(ctx, "holds " + kind.name + ", expected an integer");
    if (kind.is_signed) {
        const auto v = read_numbers_from<std::int64_t>(ctx, src, H5T_NATIVE_INT64);
        if (v.size() != 1) fail(ctx, "holds " + std::to_string(v.size()) + " values, expected one");
        if (v.front() < 0) fail(ctx, "value " + std::to_string(v.front()) + " is negative, expected >= 0");
        return static_cast<std::uint64_t>(v.front());
    }
    const auto v = read_numbers_from<std::uint64_t>(ctx, src, H5T_NATIVE_UINT64);
    if (v.size() != 1) fail(ctx, "holds " + std::to_string(v.size()) + " values, expected one");
    return v.front();
}

double Object::double_attr(std::string_view name) const {
    require_valid("read attribute");
    const Ctx ctx{file_, attr_where(path_, name)};
    const auto a = open_attr(ctx, id_.get(), name);
    const Source src{a.get(), true};
    const auto kind = number_kind(ctx, src);
    if (kind.cls != H5T_INTEGER && kind.cls != H5T_FLOAT) fail(ctx, "holds " + kind.name + ", expected a number");
    const auto v = read_numbers_from<double>(ctx, src, H5T_NATIVE_DOUBLE);
    if (v.size() != 1) fail(ctx, "holds " + std::to_string(v.size()) + " values, expected one");
    return v.front();
}

std::string Object::attr_as_text(std::string_view name) const {
    require_valid("read attribute");
    const Ctx ctx{file_, attr_where(path_, name)};
    const auto a = open_attr(ctx, id_.get(), name);
    const Source src{a.get(), true};
    const auto kind = number_kind(ctx, src);
    std::vector<std::string> items;
    bool quote = false;
    if (kind.cls == H5T_STRING) {
        items = read_strings_from(ctx, src);
        quote = items.size() != 1;
    } else if (kind.cls == H5T_INTEGER && kind.is_signed) {
        for (auto v : read_numbers_from<std::int64_t>(ctx, src, H5T_NATIVE_INT64)) items.push_back(std::to_string(v));
    } else if (kind.cls == H5T_INTEGER) {
        for (auto v : read_numbers_from<std::uint64_t>(ctx, src, H5T_NATIVE_UINT64)) items.push_back(std::to_string(v));
    } else if (kind.cls == H5T_FLOAT) {
        for (auto v : read_numbers_from<double>(ctx, src, H5T_NATIVE_DOUBLE)) items.push_back(format_double(v));
    } else {
        return "<" + kind.name + ">";
    }
    const auto space = make(ctx, "get dataspace", [&] { return src.space(); });
    const bool scalar = H5Sget_simple_extent_type(space.get()) == H5S_SCALAR;
    if (scalar && items.size() == 1) return items.front();
    std::string s = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        s += (i > 0 ? ", " : "") + (quote ? "\"" + items[i] + "\"" : items[i]);
    return s + "]";
}

// ---------------------------------------------------------------------------------------
// Group

namespace {
/// Object type at an absolute path that is known to exist.
H5I_type_t object_type(const Ctx& ctx, hid_t loc, const std::string& abs) {
    const auto o = make(ctx, "open object", [&] { return H5Oopen(loc, abs.c_str(), H5P_DEFAULT); });
    return H5Iget_type(o.get());
}

bool path_exists(hid_t loc, const std::string& abs) {
    ensure_quiet();
    const auto parts = split_path(abs);
    for (std::size_t n = 1; n <= parts.size(); ++n) {
        const std::string prefix = join_path(parts, n);
        if (H5Lexists(loc, prefix.c_str(), H5P_DEFAULT) <= 0) return false;  // < 0: parent is not a group
    }
    if (parts.empty()) return true;
    return H5Oexists_by_name(loc, abs.c_str(), H5P_DEFAULT) > 0;  // soft links must resolve
}

detail::Id object_create_plist(const Ctx& ctx, hid_t cls) {
    auto p = make(ctx, "create property list", [&] { return H5Pcreate(cls); });
    // No time stamps: the same inputs give byte-identical files.
    call(ctx, "switch off time stamps", [&] { return H5Pset_obj_track_times(p.get(), 0); });
    return p;
}

/// Transfer properties for writing `count` variable-length strings: HDF5 1.10 converts them
/// through a type-conversion and a background buffer of 1 MiB each by default, allocated and
/// zeroed on every write, which made a results file's ~30 label writes a third of a whole
/// `cpcsim run` (profile in docs/benchmarks.md). A buffer sized to the strings is enough.
detail::Id string_transfer_plist(const Ctx& ctx, std::size_t count) {
    auto p = make(ctx, "create transfer property list", [] { return H5Pcreate(H5P_DATASET_XFER); });
    const std::size_t bytes = std::max<std::size_t>(count, 1) * 64;  // >= one element of any string type
    call(ctx, "set transfer buffer", [&] { return H5Pset_buffer(p.get(), bytes, nullptr, nullptr); });
    return p;
}

/// Creates every missing group above `abs`.
void ensure_parents(const Ctx& ctx, hid_t loc, const std::string& abs) {
    const auto parts = split_path(abs);
    for (std::size_t n = 1; n < parts.size(); ++n) {
        const std::string prefix = join_path(parts, n);
        if (path_exists(loc, prefix)) {
            if (object_type(ctx, loc, prefix) != H5I_GROUP)
                fail(ctx, "cannot create it: " + prefix + " exists and is not a group");
            continue;
        }
        const auto gcpl = object_create_plist(ctx, H5P_GROUP_CREATE);
        const Ctx gctx{ctx.file, prefix};
        make(gctx, "create group",
             [&] { return H5Gcreate2(loc, prefix.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT); });
    }
}

herr_t collect_link_name(hid_t /*group*/, const char* name, const H5L_info_t* /*info*/, void* data) {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
}
}  // namespace

Group Group::create_group(std::string_view path) {
    require_valid("create group");
    const std::string abs = resolve(path);
    const Ctx ctx{file_, abs};
    if (path_exists(id_.get(), abs)) fail(ctx, "cannot create group: it already exists");
    ensure_parents(ctx, id_.get(), abs);
    const auto gcpl = object_create_plist(ctx, H5P_GROUP_CREATE);
    auto g = make(ctx, "create group",
                  [&] { return H5Gcreate2(id_.get(), abs.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT); });
    return Group(std::move(g), file_, abs);
}

Group Group::open_group(std::string_view path) const {
    require_valid("open group");
    const std::string abs = resolve(path);
    const Ctx ctx{file_, abs};
    if (!path_exists(id_.get(), abs)) fail(ctx, "no such group");
    if (object_type(ctx, id_.get(), abs) != H5I_GROUP) fail(ctx, "is not a group");
    auto g = make(ctx, "open group", [&] { return H5Gopen2(id_.get(), abs.c_str(), H5P_DEFAULT); });
    return Group(std::move(g), file_, abs);
}

Group Group::require_group(std::string_view path) {
    return exists(path) ? open_group(path) : create_group(path);
}

bool Group::exists(std::string_view path) const {
    require_valid("check path");
    return path_exists(id_.get(), resolve(path));
}

bool Group::is_group(std::string_view path) const {
    const std::string abs = resolve(path);
    return exists(abs) && object_type(Ctx{file_, abs}, id_.get(), abs) == H5I_GROUP;
}

bool Group::is_dataset(std::string_view path) const {
    const std::string abs = resolve(path);
    return exists(abs) && object_type(Ctx{file_, abs}, id_.get(), abs) == H5I_DATASET;
}

std::vector<std::string> Group::children() const {
    require_valid("list group");
    const Ctx ctx{file_, path_};
    std::vector<std::string> names;
    hsize_t idx = 0;
    call(ctx, "list group",
         [&] { return H5Literate(id_.get(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_link_name, &names); });
    return names;
}

namespace {
/// Copies the block of extent `count` that starts at `from_start` in a row-major array of extent
/// `from_extent` into the corner of a row-major array of extent `to_extent` (count[i] <=
/// to_extent[i]); elements of `es` bytes. Packing a chunk out of a whole array, or laying a
/// packed edge chunk out at full chunk extent.
void copy_block(std::span<const std::byte> from, const Shape& from_extent, const Shape& from_start, const Shape& count,
                std::span<std::byte> to, const Shape& to_extent, std::size_t es) {
    if (count.empty()) {
        std::memcpy(to.data(), from.data(), es);
        return;
    }
    const std::size_t last = count.size() - 1;
    const std::size_t run = static_cast<std::size_t>(count[last]) * es;
    const std::uint64_t rows = element_count(count) / std::max<std::uint64_t>(count[last], 1);
    Shape idx(count.size(), 0);
    for (std::uint64_t r = 0; r < rows && run > 0; ++r) {
        std::uint64_t src = 0, dst = 0;
        for (std::size_t i = 0; i < count.size(); ++i) {
            src = src * from_extent[i] + from_start[i] + idx[i];
            dst = dst * to_extent[i] + idx[i];
        }
        std::memcpy(to.data() + dst * es, from.data() + src * es, run);
        for (std::size_t i = last; i-- > 0;) {  // next row: odometer over all but the last dimension
            if (++idx[i] < count[i]) break;
            idx[i] = 0;
        }
    }
}
}  // namespace

Dataset Group::write_raw(std::string_view path, NumType type, const void* data, std::size_t count, const Shape& shape,
                         const DatasetOptions& options) {
    require_valid("write dataset");
    const std::string abs = resolve(path);
    const Ctx ctx{file_, abs};
    const std::uint64_t want = element_count(shape);
    if (count != want)
        fail(ctx, "cannot write dataset: " + std::to_string(count) + " values given for shape " +
                      shape_to_string(shape) + " (" + std::to_string(want) + " values)");
    if (options.mostly_zero && !shape.empty() && count > 0) {
        // Chunk by chunk through the zero-run deflate (write_slabs_raw), each chunk cut out of the array.
        const std::size_t es = type_size(type);
        const std::span<const std::byte> all(static_cast<const std::byte*>(data), count * es);
        return write_slabs_raw(path, type, shape, options,
                               [&](const Shape& start, const Shape& extent, std::span<std::byte> out) {
                                   copy_block(all, shape, start, extent, out, extent, es);
                               });
    }
    Dataset d = create_raw(path, type, shape, options);
    if (count > 0)
        call(ctx, "write dataset",
             [&] { return H5Dwrite(d.id_.get(), mem_type(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, data); });
    return d;
}

Dataset Group::write_int32_by_sparse_chunks(std::string_view path, const Shape& shape, const DatasetOptions& options,
                                            const SparseChunkFill& fill) {
    return write_slabs_raw(path, NumType::i32, shape, options, nullptr, &fill);
}

Dataset Group::write_slabs_raw(std::string_view path, NumType type, const Shape& shape, const DatasetOptions& options,
                               const SlabFill& fill) {
    return write_slabs_raw(path, type, shape, options, &fill, nullptr);
}

Dataset Group::write_slabs_raw(std::string_view path, NumType type, const Shape& shape, const DatasetOptions& options,
                               const SlabFill* fill, const SparseChunkFill* sparse) {
    require_valid("write dataset");
    Dataset d = create_raw(path, type, shape, options);
    const Ctx ctx{file_, d.path_};
    const std::uint64_t total = element_count(shape);
    if (total == 0) return d;
    // Slabs follow the chunk grid, so each stored chunk is compressed once, from one slab;
    // a dataset that is not chunked is one slab.
    Shape slab = shape;
    const auto info = d.info();
    if (info.layout == Layout::chunked) slab = info.chunk;
    const std::size_t es = type_size(type);
    // Chunks compressed here: the pipeline must be exactly what zero_run_deflate reproduces.
    const std::vector<std::string> own_pipeline =
        es > 1 ? std::vector<std::string>{"shuffle", "deflate(" + std::to_string(options.deflate_level) + ")",
                                          "fletcher32"}
               : std::vector<std::string>{"deflate(" + std::to_string(options.deflate_level) + ")", "fletcher32"};
    const bool direct = options.mostly_zero && info.layout == Layout::chunked && info.filters == own_pipeline;
    const std::uint64_t slab_elements = element_count(slab);
    std::vector<std::byte> buffer(static_cast<std::size_t>(slab_elements) * es);
    std::vector<std::byte> padded;           // an edge chunk laid out at full chunk extent
    std::vector<std::uint32_t> index, bits;  // a sparse chunk's entries
    Shape start(shape.size(), 0);
    // A chunk compressed here, with HDF5's Fletcher-32 appended, stored as it is at `start`.
    auto store_chunk = [&](std::vector<std::uint8_t> stored) {
        const std::uint32_t sum = hdf5_fletcher32(stored);
        for (int b = 0; b < 32; b += 8) stored.push_back(static_cast<std::uint8_t>(sum >> b));
        const std::vector<hsize_t> at(start.begin(), start.end());
        call(ctx, "write chunk",
             [&] { return H5Dwrite_chunk(d.id_.get(), H5P_DEFAULT, 0, at.data(), stored.size(), stored.data()); });
    };
    while (true) {
        Shape count(shape.size());
        for (std::size_t i = 0; i < shape.size(); ++i) count[i] = std::min(slab[i], shape[i] - start[i]);
        const auto n = static_cast<std::size_t>(element_count(count));
        const std::span<std::byte> out(buffer.data(), n * es);
        bool stored_sparse = false;  // written from the entries: nothing left to write below
        if (sparse) {
            index.clear(), bits.clear();
            (*sparse)(start, count, slab, index, bits);
            if (index.size() != bits.size())
                fail(ctx, "internal error: a sparse chunk has " + std::to_string(index.size()) + " indices and " +
                              std::to_string(bits.size()) + " values");
            if (direct) {  // encoded from the entries: the dense chunk is never made
                store_chunk(shuffle_zero_run_deflate_sparse(static_cast<std::size_t>(slab_elements), index, bits));
                stored_sparse = true;
            } else {  // laid out at chunk extent, then cut to the slab written
                padded.assign(buffer.size(), std::byte{0});
                for (std::size_t k = 0; k < index.size(); ++k) {
                    if (index[k] >= slab_elements)
                        fail(ctx, "internal error: a sparse chunk's index " + std::to_string(index[k]) +
                                      " is outside its " + std::to_string(slab_elements) + " elements");
                    std::memcpy(padded.data() + std::size_t{index[k]} * es, &bits[k], es);
                }
                copy_block(padded, slab, Shape(slab.size(), 0), count, out, count, es);
            }
        } else {
            (*fill)(start, count, out);
        }
        if (stored_sparse) {
        } else if (direct) {
            std::span<const std::byte> chunk = out;
            if (count != slab) {
                padded.assign(buffer.size(), std::byte{0});
                copy_block(out, count, Shape(count.size(), 0), count, padded, slab, es);
                chunk = padded;
            }
            store_chunk(shuffle_zero_run_deflate(chunk, es));
        } else {
            const auto fspace = make(ctx, "get dataspace", [&] { return H5Dget_space(d.id_.get()); });
            const std::vector<hsize_t> st(start.begin(), start.end()), cn(count.begin(), count.end());
            call(ctx, "select slab", [&] {
                return H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, st.data(), nullptr, cn.data(), nullptr);
            });
            const auto mspace = simple_space(ctx, count);
            call(ctx, "write slab", [&] {
                return H5Dwrite(d.id_.get(), mem_type(type), mspace.get(), fspace.get(), H5P_DEFAULT, out.data());
            });
        }
        // Next slab, last dimension fastest.
        std::size_t i = shape.size();
        while (i > 0) {
            --i;
            start[i] += slab[i];
            if (start[i] < shape[i]) break;
            start[i] = 0;
            if (i == 0) return d;
        }
        if (shape.empty()) return d;
    }
}

Dataset Group::create_raw(std::string_view path, NumType type, const Shape& shape, const DatasetOptions& options) {
    const std::string abs = resolve(path);
    const Ctx ctx{file_, abs};
    const std::uint64_t want = element_count(shape);
    if (!options.dims.empty() && options.dims.size() != shape.size())
        fail(ctx, "cannot write dataset: " + std::to_string(options.dims.size()) + " dimension names for " +
                      std::to_string(shape.size()) + " dimensions");
    if (options.deflate_level < 0 || options.deflate_level > 9)
        fail(ctx, "cannot write dataset: deflate level " + std::to_string(options.deflate_level) + " is outside 0..9");
    if (options.extendible && shape.empty()) fail(ctx, "cannot write dataset: a scalar cannot be extendible");
    if (path_exists(id_.get(), abs)) fail(ctx, "cannot write dataset: the path already exists");
    ensure_parents(ctx, id_.get(), abs);

    Shape maxdims = shape;
    if (options.extendible) {
        maxdims[0] = kUnlimited;
        // A chunk extent is >= 1, which a fixed extent of 0 cannot hold.
        for (auto& m : maxdims)
            if (m == 0) m = kUnlimited;
    }
    const auto space = simple_space(ctx, shape, maxdims);
    const auto dcpl = object_create_plist(ctx, H5P_DATASET_CREATE);
    const std::size_t elsize = type_size(type);
    const std::uint64_t bytes = want * elsize;
    const bool compress = options.deflate_level > 0 && deflate_available();
    if (options.extendible || (!shape.empty() && compress && bytes >= kCompressMinBytes)) {
        const Shape c = choose_chunk_shape(shape, elsize, options.extendible);
        const std::vector<hsize_t> ch(c.begin(), c.end());
        call(ctx, "set chunk shape", [&] { return H5Pset_chunk(dcpl.get(), static_cast<int>(ch.size()), ch.data()); });
        if (compress) {
            if (elsize > 1) call(ctx, "set shuffle filter", [&] { return H5Pset_shuffle(dcpl.get()); });
            call(ctx, "set deflate filter",
                 [&] { return H5Pset_deflate(dcpl.get(), static_cast<unsigned>(options.deflate_level)); });
        }
        // Last in the pipeline: the checksum covers the bytes as stored, so any change to them
        // (a bad disk, an edit) is refused on reading instead of passed on.
        call(ctx, "set Fletcher-32 checksum filter", [&] { return H5Pset_fletcher32(dcpl.get()); });
    } else if (bytes > 0 && bytes <= kCompactMaxBytes) {
        call(ctx, "set compact layout", [&] { return H5Pset_layout(dcpl.get(), H5D_COMPACT); });
    }
    auto ds = make(ctx, "create dataset", [&] {
        return H5Dcreate2(id_.get(), abs.c_str(), file_type(type), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT);
    });
    Dataset d(std::move(ds), file_, abs);
    if (!options.dims.empty()) d.set_strings_attr("dims", options.dims);
    if (!options.units.empty()) d.set_string_attr("units", options.units);
    if (!options.description.empty()) d.set_string_attr("description", options.description);
    return d;
}

Dataset Group::write_strings(std::string_view path, const std::vector<std::string>& values,
                             const DatasetOptions& options) {
    require_valid("write dataset");
    const std::string abs = resolve(path);
    const Ctx ctx{file_, abs};
    if (options.extendible) fail(ctx, "cannot write string dataset: extendible string datasets are not supported");
    if (!options.dims.empty() && options.dims.size() != 1)
        fail(ctx, "cannot write string dataset: " + std::to_string(options.dims.size()) +
                      " dimension names for 1 dimension");
    if (path_exists(id_.get(), abs)) fail(ctx, "cannot write dataset: the path already exists");
    ensure_parents(ctx, id_.get(), abs);
    const auto t = vl_string_type(ctx);
    const auto space = simple_space(ctx, Shape{values.size()});
    const auto dcpl = object_create_plist(ctx, H5P_DATASET_CREATE);
    auto ds = make(ctx, "create dataset", [&] {
        return H5Dcreate2(id_.get(), abs.c_str(), t.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT);
    });
    std::vector<const char*> ptrs;
    ptrs.reserve(values.size());
    for (const auto& v : values) ptrs.push_back(v.c_str());
    if (!ptrs.empty()) {
        const auto xfer = string_transfer_plist(ctx, ptrs.size());
        call(ctx, "write dataset",
             [&] { return H5Dwrite(ds.get(), t.get(), H5S_ALL, H5S_ALL, xfer.get(), ptrs.data()); });
    }
    Dataset d(std::move(ds), file_, abs);
    if (!options.dims.empty()) d.set_strings_attr("dims", options.dims);
    if (!options.units.empty()) d.set_string_attr("units", options.units);
    if (!options.description.empty()) d.set_string_attr("description", options.description);
    return d;
}

Dataset Group::write_string(std::string_view path, std::string_view value, const DatasetOptions& options) {
    require_valid("write dataset");
    const std::string abs = resolve(path);
    const Ctx ctx{file_, abs};
    if (options.extendible || !options.dims.empty())
        fail(ctx, "cannot write string dataset: a scalar string has no dimensions");
    if (path_exists(id_.get(), abs)) fail(ctx, "cannot write dataset: the path already exists");
    ensure_parents(ctx, id_.get(), abs);
    const auto t = vl_string_type(ctx);
    const auto space = scalar_space(ctx);
    const auto dcpl = object_create_plist(ctx, H5P_DATASET_CREATE);
    auto ds = make(ctx, "create dataset", [&] {
        return H5Dcreate2(id_.get(), abs.c_str(), t.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT);
    });
    const std::string v(value);
    const char* p = v.c_str();
    const auto xfer = string_transfer_plist(ctx, 1);
    call(ctx, "write dataset", [&] { return H5Dwrite(ds.get(), t.get(), H5S_ALL, H5S_ALL, xfer.get(), &p); });
    Dataset d(std::move(ds), file_, abs);
    if (!options.units.empty()) d.set_string_attr("units", options.units);
    if (!options.description.empty()) d.set_string_attr("description", options.description);
    return d;
}

Dataset Group::open_dataset(std::string_view path) const {
    require_valid("open dataset");
    const std::string abs = resolve(path);
    const Ctx ctx{file_, abs};
    if (!path_exists(id_.get(), abs)) fail(ctx, "no such dataset");
    if (object_type(ctx, id_.get(), abs) != H5I_DATASET) fail(ctx, "is not a dataset");
    auto ds = make(ctx, "open dataset", [&] { return H5Dopen2(id_.get(), abs.c_str(), H5P_DEFAULT); });
    return Dataset(std::move(ds), file_, abs);
}

std::vector<std::string> Group::read_strings(std::string_view path) const {
    return open_dataset(path).read_strings();
}

std::string Group::read_string(std::string_view path) const {
    return open_dataset(path).read_string();
}

// ---------------------------------------------------------------------------------------
// File

namespace {
detail::Id file_access_plist(const Ctx& ctx) {
    auto fapl = make(ctx, "create file access property list", [] { return H5Pcreate(H5P_FILE_ACCESS); });
#if H5_VERSION_GE(1, 10, 7)
    // Lock the file, but do not fail on file systems without locks (NFS, Lustre).
    call(ctx, "set file locking", [&] { return H5Pset_file_locking(fapl.get(), 1, 1); });
#endif
    return fapl;
}
}  // namespace

File File::create(const std::filesystem::path& path) {
    const std::string name = path.string();
    const Ctx ctx{name, ""};
    const auto fcpl = object_create_plist(ctx, H5P_FILE_CREATE);
    const auto fapl = file_access_plist(ctx);
    auto f = make(ctx, "cannot create HDF5 file",
                  [&] { return H5Fcreate(name.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()); });
    return File(std::move(f), name, "/");
}

File File::open(const std::filesystem::path& path, bool writable) {
    const std::string name = path.string();
    const Ctx ctx{name, ""};
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(st)) fail(ctx, "no such file");
    if (std::filesystem::is_directory(st)) fail(ctx, "is a directory, not an HDF5 file");
    ensure_quiet();
    const htri_t is_h5 = H5Fis_hdf5(name.c_str());
    if (is_h5 < 0) fail_h5(ctx, "cannot read file");
    if (is_h5 == 0) fail(ctx, "not an HDF5 file");
    const auto fapl = file_access_plist(ctx);
    auto f = make(ctx, "cannot open HDF5 file; it may be truncated or corrupt",
                  [&] { return H5Fopen(name.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl.get()); });
    return File(std::move(f), name, "/");
}

File File::open_read_only(const std::filesystem::path& path) {
    return open(path, false);
}
File File::open_read_write(const std::filesystem::path& path) {
    return open(path, true);
}

void File::flush() {
    require_valid("flush file");
    call(Ctx{file_, ""}, "cannot flush file", [&] { return H5Fflush(id_.get(), H5F_SCOPE_GLOBAL); });
}

void File::close() {
    require_valid("close file");
    const Ctx ctx{file_, ""};
    flush();
    // Like h5py: close every object opened through this file id, then the file itself, so
    // that nothing is written to the file after close() returns. Handles still held
    // elsewhere become invalid (using them throws; HDF5 never reuses an id).
    const unsigned types = H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR | H5F_OBJ_LOCAL;
    const ssize_t n = call(ctx, "count open objects", [&] { return H5Fget_obj_count(id_.get(), types); });
    if (n > 0) {
        std::vector<hid_t> ids(static_cast<std::size_t>(n));
        const ssize_t got =
            call(ctx, "list open objects", [&] { return H5Fget_obj_ids(id_.get(), types, ids.size(), ids.data()); });
        for (ssize_t i = 0; i < got; ++i)
            while (H5Iis_valid(ids[static_cast<std::size_t>(i)]) > 0 &&
                   H5Idec_ref(ids[static_cast<std::size_t>(i)]) > 0) {
            }
    }
    const hid_t id = id_.release();
    for (int refs = H5Iget_ref(id); refs > 1; --refs) H5Idec_ref(id);  // copies of this File handle
    call(ctx, "cannot close file", [&] { return H5Fclose(id); });
}

std::uint64_t File::size_bytes() const {
    require_valid("get file size");
    hsize_t size = 0;
    call(Ctx{file_, ""}, "cannot get file size", [&] { return H5Fget_filesize(id_.get(), &size); });
    return size;
}

// ---------------------------------------------------------------------------------------
// Dataset

Shape Dataset::shape() const {
    require_valid("get dataset shape");
    const Ctx ctx{file_, path_};
    const auto space = make(ctx, "get dataspace", [&] { return H5Dget_space(id_.get()); });
    Shape dims;
    extent(ctx, space.get(), dims);
    return dims;
}

std::vector<std::string> Dataset::dims() const {
    return has_attr("dims") ? strings_attr("dims") : std::vector<std::string>{};
}

DatasetInfo Dataset::info(bool storage_size) const {
    require_valid("describe dataset");
    const Ctx ctx{file_, path_};
    DatasetInfo info;
    const auto space = make(ctx, "get dataspace", [&] { return H5Dget_space(id_.get()); });
    extent(ctx, space.get(), info.shape, &info.max_shape);
    const auto type = make(ctx, "get datatype", [&] { return H5Dget_type(id_.get()); });
    const H5T_class_t cls = H5Tget_class(type.get());
    info.type_name = describe_type(type.get());
    info.is_numeric = cls == H5T_INTEGER || cls == H5T_FLOAT;
    info.is_string = cls == H5T_STRING;
    for (const NumType t : {NumType::f64, NumType::i64, NumType::i32, NumType::u32, NumType::u8})
        if (info.is_numeric && H5Tequal(type.get(), file_type(t)) > 0) info.num_type = t;
    info.element_size = H5Tget_size(type.get());
    const auto dcpl = make(ctx, "get creation properties", [&] { return H5Dget_create_plist(id_.get()); });
    switch (H5Pget_layout(dcpl.get())) {
        case H5D_COMPACT:
            info.layout = Layout::compact;
            break;
        case H5D_CONTIGUOUS:
            info.layout = Layout::contiguous;
            break;
        case H5D_CHUNKED:
            info.layout = Layout::chunked;
            break;
        default:
            info.layout = Layout::other;
            break;
    }
    if (info.layout == Layout::chunked) {
        std::vector<hsize_t> ch(info.shape.size());
        call(ctx, "get chunk shape", [&] { return H5Pget_chunk(dcpl.get(), static_cast<int>(ch.size()), ch.data()); });
        info.chunk.assign(ch.begin(), ch.end());
    }
    for (const auto& f : filter_pipeline(ctx, dcpl.get())) {
        if (f.id == H5Z_FILTER_DEFLATE)
            info.filters.push_back("deflate(" + std::to_string(f.values.empty() ? 0 : f.values[0]) + ")");
        else if (f.id == H5Z_FILTER_SHUFFLE)
            info.filters.emplace_back("shuffle");
        else if (f.id == H5Z_FILTER_FLETCHER32)
            info.filters.emplace_back("fletcher32");
        else if (f.id == H5Z_FILTER_SZIP)
            info.filters.emplace_back("szip");
        else if (f.id == H5Z_FILTER_NBIT)
            info.filters.emplace_back("nbit");
        else if (f.id == H5Z_FILTER_SCALEOFFSET)
            info.filters.emplace_back("scaleoffset");
        else
            info.filters.push_back("filter " + std::to_string(f.id) + (f.name.empty() ? "" : " (" + f.name + ")"));
    }
    ensure_quiet();
    if (storage_size) info.storage_bytes = H5Dget_storage_size(id_.get());
    info.dims = dims();
    return info;
}

std::vector<std::string> Dataset::read_strings() const {
    require_valid("read dataset");
    return read_strings_from(Ctx{file_, path_}, Source{id_.get(), false});
}

std::string Dataset::read_string() const {
    require_valid("read dataset");
    return single_string(Ctx{file_, path_}, Source{id_.get(), false});
}

void Dataset::read_raw(NumType type, void* out, std::size_t count) const {
    require_valid("read dataset");
    const Ctx ctx{file_, path_};
    const auto ftype = make(ctx, "get datatype", [&] { return H5Dget_type(id_.get()); });
    const H5T_class_t cls = H5Tget_class(ftype.get());
    if (cls != H5T_INTEGER && cls != H5T_FLOAT)
        fail(ctx, std::string("cannot read as ") + num_type_name(type) + ": the dataset holds " +
                      describe_type(ftype.get()) + ", not numbers");
    if (count == 0) return;
    call(ctx, std::string("cannot read dataset as ") + num_type_name(type),
         [&] { return H5Dread(id_.get(), mem_type(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, out); });
}

namespace {
/// Reads the selection `file_space` of `ds` with its own file type (no conversion) into scratch.
herr_t read_selection(hid_t ds, hid_t type, hid_t mem_space, hid_t file_space, std::vector<unsigned char>& scratch,
                      std::size_t bytes) {
    scratch.resize(bytes);
    return H5Dread(ds, type, mem_space, file_space, H5P_DEFAULT, scratch.data());
}
}  // namespace

void Dataset::verify_rows(std::uint64_t first, std::uint64_t count) const {
    require_valid("verify dataset");
    const Ctx ctx{file_, path_};
    const auto ftype = make(ctx, "get datatype", [&] { return H5Dget_type(id_.get()); });
    const H5T_class_t cls = H5Tget_class(ftype.get());
    if (cls != H5T_INTEGER && cls != H5T_FLOAT) fail(ctx, "cannot verify rows: the dataset does not hold numbers");
    const auto space = make(ctx, "get dataspace", [&] { return H5Dget_space(id_.get()); });
    Shape dims;
    extent(ctx, space.get(), dims);
    if (dims.empty() || first + count > dims[0]) fail(ctx, "cannot verify rows: they are outside the dataset");
    std::vector<hsize_t> start(dims.size(), 0), cnt(dims.begin(), dims.end());
    cnt[0] = 1;
    const Shape row(cnt.begin(), cnt.end());
    const auto mem_space = simple_space(ctx, row);
    const std::size_t bytes = static_cast<std::size_t>(element_count(row)) * H5Tget_size(ftype.get());
    std::vector<unsigned char> scratch;
    for (std::uint64_t r = first; r < first + count; ++r) {
        start[0] = r;
        call(ctx, "select a row", [&] {
            return H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, cnt.data(), nullptr);
        });
        ensure_quiet();
        if (bytes > 0 && read_selection(id_.get(), ftype.get(), mem_space.get(), space.get(), scratch, bytes) < 0) {
            const std::string cause = hdf5_error_text();
            fail(ctx, "row " + std::to_string(r) +
                          " is damaged: its stored data fails HDF5's checks (Fletcher-32 checksum or "
                          "decompression), so it is not reused" +
                          (cause.empty() ? std::string() : " (HDF5: " + cause + ")"));
        }
    }
}

void Dataset::verify_all(const DatasetInfo& info) const {
    require_valid("verify dataset");
    const Ctx ctx{file_, path_};
    const auto ftype = make(ctx, "get datatype", [&] { return H5Dget_type(id_.get()); });
    std::vector<unsigned char> scratch;
    const std::size_t bytes = static_cast<std::size_t>(element_count(info.shape)) * info.element_size;
    ensure_quiet();
    if (bytes > 0 && read_selection(id_.get(), ftype.get(), H5S_ALL, H5S_ALL, scratch, bytes) < 0)
        fail_h5(ctx,
                "cannot be read in full: its stored data fails HDF5's checks (Fletcher-32 "
                "checksum or decompression)");
}

Verification verify_datasets(const Group& group) {
    Verification v;
    for (const auto& name : group.children()) {
        const std::string p = group.path() == "/" ? "/" + name : group.path() + "/" + name;
        try {
            if (group.is_group(p)) {
                const Verification sub = verify_datasets(group.open_group(p));
                v.datasets += sub.datasets;
                v.damaged.insert(v.damaged.end(), sub.damaged.begin(), sub.damaged.end());
                continue;
            }
            if (!group.is_dataset(p)) continue;
            const Dataset d = group.open_dataset(p);
            ++v.datasets;
            const DatasetInfo info = d.info();
            if (info.is_string) {
                (void)d.read_strings();
            } else if (info.is_numeric) {
                d.verify_all(info);
            }
        } catch (const Error& e) {
            v.damaged.push_back(p + ": " + e.what());
        }
    }
    return v;
}

std::uint64_t Dataset::append_raw(NumType type, const void* data, std::size_t count) {
    require_valid("append rows");
    const Ctx ctx{file_, path_};
    const auto space = make(ctx, "get dataspace", [&] { return H5Dget_space(id_.get()); });
    Shape dims, maxdims;
    extent(ctx, space.get(), dims, &maxdims);
    if (dims.empty() || maxdims[0] != kUnlimited)
        fail(ctx, "cannot append rows: the dataset is not extendible (create it with DatasetOptions::extendible)");
    const auto ftype = make(ctx, "get datatype", [&] { return H5Dget_type(id_.get()); });
    if (call(ctx, "compare datatypes", [&] { return H5Tequal(ftype.get(), file_type(type)); }) <= 0)
        fail(ctx, "cannot append rows: the dataset holds " + describe_type(ftype.get()) + " but the rows are " +
                      num_type_name(type));
    Shape row(dims.begin() + 1, dims.end());
    const std::uint64_t row_size = element_count(row);
    if (row_size == 0) fail(ctx, "cannot append rows: a row of shape " + shape_to_string(row) + " holds no values");
    if (count % row_size != 0)
        fail(ctx, "cannot append rows: " + std::to_string(count) + " values is not a whole number of rows of " +
                      std::to_string(row_size) + " values");
    const std::uint64_t k = count / row_size;
    if (k == 0) return dims[0];
    Shape grown = dims;
    grown[0] += k;
    const std::vector<hsize_t> g(grown.begin(), grown.end());
    call(ctx, "cannot extend dataset", [&] { return H5Dset_extent(id_.get(), g.data()); });
    const auto fspace = make(ctx, "get dataspace", [&] { return H5Dget_space(id_.get()); });
    std::vector<hsize_t> start(dims.size(), 0), cnt(dims.begin(), dims.end());
    start[0] = dims[0];
    cnt[0] = k;
    call(ctx, "select rows",
         [&] { return H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start.data(), nullptr, cnt.data(), nullptr); });
    Shape mshape(cnt.begin(), cnt.end());
    const auto mspace = simple_space(ctx, mshape);
    call(ctx, "cannot write rows",
         [&] { return H5Dwrite(id_.get(), mem_type(type), mspace.get(), fspace.get(), H5P_DEFAULT, data); });
    return grown[0];
}

// ---------------------------------------------------------------------------------------
// Rows: partial reads, chunk copies, datasets shaped like others

void Dataset::read_rows_raw(NumType type, std::uint64_t first, std::uint64_t count, void* out) const {
    require_valid("read rows");
    const Ctx ctx{file_, path_};
    const Shape dims = shape();
    if (dims.empty()) fail(ctx, "cannot read rows of a scalar dataset");
    if (first + count > dims[0])
        fail(ctx, "cannot read rows " + std::to_string(first) + " to " + std::to_string(first + count) +
                      ": the dataset has " + std::to_string(dims[0]) + " rows");
    if (count == 0) return;
    const auto fspace = make(ctx, "get dataspace", [&] { return H5Dget_space(id_.get()); });
    std::vector<hsize_t> start(dims.size(), 0), cnt(dims.begin(), dims.end());
    start[0] = first;
    cnt[0] = count;
    call(ctx, "select rows",
         [&] { return H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start.data(), nullptr, cnt.data(), nullptr); });
    const auto mspace = simple_space(ctx, Shape(cnt.begin(), cnt.end()));
    ensure_quiet();
    if (H5Dread(id_.get(), mem_type(type), mspace.get(), fspace.get(), H5P_DEFAULT, out) < 0) {
        H5Eclear2(H5E_DEFAULT);
        verify_rows(first, count);  // names the damaged row and HDF5's cause
        fail_h5(ctx, "cannot read rows " + std::to_string(first) + " to " + std::to_string(first + count));
    }
}

namespace {

/// Chunk shape and filter pipeline of a chunked dataset; `ok` is false for other layouts.
struct ChunkLayout {
    Shape dims, chunk;
    std::vector<Filter> filters;
    bool ok = false;
};

ChunkLayout chunk_layout(const Ctx& ctx, hid_t ds) {
    ChunkLayout l;
    const auto dcpl = make(ctx, "get creation properties", [&] { return H5Dget_create_plist(ds); });
    if (H5Pget_layout(dcpl.get()) != H5D_CHUNKED) return l;
    const auto space = make(ctx, "get dataspace", [&] { return H5Dget_space(ds); });
    extent(ctx, space.get(), l.dims);
    if (l.dims.empty()) return l;
    std::vector<hsize_t> ch(l.dims.size());
    call(ctx, "get chunk shape", [&] { return H5Pget_chunk(dcpl.get(), static_cast<int>(ch.size()), ch.data()); });
    l.chunk.assign(ch.begin(), ch.end());
    l.filters = filter_pipeline(ctx, dcpl.get());
    l.ok = true;
    return l;
}

}  // namespace

bool Dataset::append_chunks_from(const Dataset& src, std::uint64_t first, std::uint64_t count) {
    const Ctx sctx{src.file_, src.path_}, dctx{file_, path_};
    const hid_t s = src.id_.get(), d = id_.get();
    const ChunkLayout ls = chunk_layout(sctx, s), ld = chunk_layout(dctx, d);
    if (!ls.ok || !ld.ok || ls.chunk != ld.chunk || ls.chunk[0] != 1 || ls.filters != ld.filters) return false;
    const std::size_t rank = ls.dims.size();
    // The chunk grid of one row, and the stored size of every source chunk (all must be stored).
    std::vector<std::vector<hsize_t>> grid{{}};
    for (std::size_t i = 1; i < rank; ++i) {
        std::vector<std::vector<hsize_t>> next;
        for (const auto& g : grid)
            for (hsize_t o = 0; o < ls.dims[i]; o += ls.chunk[i]) {
                auto h = g;
                h.push_back(o);
                next.push_back(std::move(h));
            }
        grid = std::move(next);
    }
    std::vector<hsize_t> sizes;
    sizes.reserve(static_cast<std::size_t>(count) * grid.size());
    std::vector<hsize_t> offset(rank), to(rank);
    for (std::uint64_t r = 0; r < count; ++r)
        for (const auto& g : grid) {
            offset[0] = first + r;
            std::copy(g.begin(), g.end(), offset.begin() + 1);
            hsize_t bytes = 0;
            ensure_quiet();
            if (H5Dget_chunk_storage_size(s, offset.data(), &bytes) < 0 || bytes == 0) {
                H5Eclear2(H5E_DEFAULT);
                return false;
            }
            sizes.push_back(bytes);
        }
    // H5Dread_chunk copies stored bytes without checking them: read the rows through the
    // filter pipeline first, so a damaged chunk is refused (naming file, dataset and row)
    // instead of passed on to the merged file.
    src.verify_rows(first, count);
    Shape grown = ld.dims;
    const std::uint64_t base = grown[0];
    grown[0] += count;
    const std::vector<hsize_t> g(grown.begin(), grown.end());
    call(dctx, "cannot extend dataset", [&] { return H5Dset_extent(d, g.data()); });
    std::vector<unsigned char> buf;
    std::size_t k = 0;
    for (std::uint64_t r = 0; r < count; ++r)
        for (const auto& cell : grid) {
            offset[0] = first + r;
            to[0] = base + r;
            std::copy(cell.begin(), cell.end(), offset.begin() + 1);
            std::copy(cell.begin(), cell.end(), to.begin() + 1);
            buf.resize(static_cast<std::size_t>(sizes[k++]));
            std::uint32_t mask = 0;
            call(sctx, "cannot read a stored chunk of row " + std::to_string(first + r),
                 [&] { return H5Dread_chunk(s, H5P_DEFAULT, offset.data(), &mask, buf.data()); });
            call(dctx, "cannot write a chunk of row " + std::to_string(base + r),
                 [&] { return H5Dwrite_chunk(d, H5P_DEFAULT, mask, to.data(), buf.size(), buf.data()); });
        }
    return true;
}

void Dataset::append_rows_from(const Dataset& src, std::uint64_t first, std::uint64_t count) {
    require_valid("append rows");
    src.require_valid("read rows");
    // Without the storage size: asking it of this dataset would compress its cached chunks at
    // every append (most of a sweep's merge time).
    const DatasetInfo si = src.info(false), di = info(false);
    const Shape srow(si.shape.empty() ? si.shape.begin() : si.shape.begin() + 1, si.shape.end());
    const Shape drow(di.shape.empty() ? di.shape.begin() : di.shape.begin() + 1, di.shape.end());
    if (!si.num_type || si.num_type != di.num_type || si.shape.empty() || srow != drow)
        throw Error(src.file_, src.path_,
                    "has rows of " + si.type_name + " " + shape_to_string(srow) + "; " + file_ + ":" + path_ +
                        " has rows of " + di.type_name + " " + shape_to_string(drow));
    if (first + count > si.shape[0])
        fail(Ctx{src.file_, src.path_}, "cannot read rows " + std::to_string(first) + " to " +
                                            std::to_string(first + count) + ": the dataset has " +
                                            std::to_string(si.shape[0]) + " rows");
    if (count == 0 || append_chunks_from(src, first, count)) return;
    // Batches of at most ~32 MB.
    const NumType type = *si.num_type;
    const std::uint64_t row_bytes = std::max<std::uint64_t>(1, element_count(srow) * type_size(type));
    const std::uint64_t per_batch = std::max<std::uint64_t>(1, (std::uint64_t{32} << 20) / row_bytes);
    std::vector<unsigned char> buf;
    for (std::uint64_t done = 0; done < count;) {
        const std::uint64_t k = std::min(per_batch, count - done);
        buf.resize(static_cast<std::size_t>(k * row_bytes));
        src.read_rows_raw(type, first + done, k, buf.data());
        append_raw(type, buf.data(), static_cast<std::size_t>(k * element_count(srow)));
        done += k;
    }
}

namespace {
DatasetOptions options_like(const Dataset& d) {
    DatasetOptions o;
    o.dims = d.dims();
    if (d.has_attr("units")) o.units = d.string_attr("units");
    if (d.has_attr("description")) o.description = d.string_attr("description");
    return o;
}
}  // namespace

Dataset Group::create_rows_like(std::string_view path, const Dataset& like, std::string_view leading_dim) {
    const DatasetInfo info = like.info();
    if (!info.num_type || info.shape.empty())
        throw Error(like.file_name(), like.path(),
                    "cannot make rows like a dataset of " + info.type_name + " " + shape_to_string(info.shape));
    DatasetOptions o = options_like(like);
    if (!o.dims.empty()) o.dims[0] = std::string(leading_dim);
    o.extendible = true;
    Shape shape = info.shape;
    shape[0] = 0;
    return write_raw(path, *info.num_type, nullptr, 0, shape, o);
}

void Group::copy_datasets_from(const Group& src, std::string_view path) {
    const Group g = src.open_group(path);
    for (const auto& name : g.children()) {
        const std::string p = g.path() == "/" ? "/" + name : g.path() + "/" + name;
        if (src.is_group(p)) {
            copy_datasets_from(src, p);
            continue;
        }
        const Dataset d = src.open_dataset(p);
        const DatasetInfo info = d.info();
        const DatasetOptions o = options_like(d);
        if (info.is_string) {
            if (info.shape.empty())
                write_string(p, d.read_string(), o);
            else
                write_strings(p, d.read_strings(), o);
        } else if (info.num_type) {
            std::vector<unsigned char> buf(static_cast<std::size_t>(element_count(info.shape)) *
                                           type_size(*info.num_type));
            d.read_raw(*info.num_type, buf.data(), static_cast<std::size_t>(element_count(info.shape)));
            write_raw(p, *info.num_type, buf.data(), static_cast<std::size_t>(element_count(info.shape)), info.shape,
                      o);
        } else {
            throw Error(src.file_name(), p, "cannot copy a dataset of " + info.type_name);
        }
    }
}

}  // namespace cpcsim::io
