// RAII wrapper over the HDF5 C API: the only code in cpcsim that calls HDF5.
//
// Every failing HDF5 call becomes a cpcsim::Error naming the file, the object path and what
// failed, with HDF5's own description of the cause; HDF5's automatic printing of its error
// stack is switched off. Handles are reference counted (copying a handle shares the HDF5 id)
// and close themselves. Files are written with object time stamps off, so two runs with the
// same inputs give byte-identical files.
//
// Storage rules for numeric datasets (see docs/hdf5-conventions.md):
//   <= kCompactMaxBytes        compact (stored in the object header)
//   <  kCompressMinBytes       contiguous
//   otherwise, or extendible   chunked (choose_chunk_shape), shuffle + deflate + Fletcher-32
// Every chunk carries a Fletcher-32 checksum, so HDF5 refuses to read a chunk whose stored bytes
// changed; Dataset::verify_rows and verify_datasets read data through that check.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace cpcsim::io {

/// Extent of each dimension of a dataset, slowest varying first. Empty = scalar.
using Shape = std::vector<std::uint64_t>;

/// A maximum extent with no limit (the first dimension of an extendible dataset).
inline constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

inline constexpr std::size_t kCompactMaxBytes = 2 * 1024;
inline constexpr std::size_t kCompressMinBytes = 16 * 1024;
inline constexpr std::size_t kMaxChunkBytes = 1024 * 1024;
/// Target chunk size of an extendible dataset (rows are appended a few at a time).
inline constexpr std::size_t kAppendChunkBytes = 64 * 1024;

/// The numeric element types cpcsim stores.
enum class NumType { f64, i64, i32, u32, u8 };

template <class T>
concept Numeric = std::same_as<T, double> || std::same_as<T, std::int64_t> || std::same_as<T, std::int32_t> ||
    std::same_as<T, std::uint32_t> || std::same_as<T, std::uint8_t>;

template <Numeric T>
constexpr NumType num_type_of() noexcept {
    if constexpr (std::same_as<T, double>)
        return NumType::f64;
    else if constexpr (std::same_as<T, std::int64_t>)
        return NumType::i64;
    else if constexpr (std::same_as<T, std::int32_t>)
        return NumType::i32;
    else if constexpr (std::same_as<T, std::uint32_t>)
        return NumType::u32;
    else
        return NumType::u8;
}

/// A contiguous range of one of the numeric element types (std::vector, std::array, span...).
template <class R>
concept NumericRange = std::ranges::contiguous_range<R> && std::ranges::sized_range<R> &&
    Numeric<std::remove_cv_t<std::ranges::range_value_t<R>>>;

/// Number of elements of a shape (1 for a scalar).
[[nodiscard]] std::uint64_t element_count(const Shape& shape) noexcept;
/// "[2 x 3 x 0]", "[] (scalar)".
[[nodiscard]] std::string shape_to_string(const Shape& shape, const Shape& max_shape = {});
/// Chunk shape for a dataset: whole dataset if small, else halves the leading dimensions
/// until one chunk holds at most kMaxChunkBytes (kAppendChunkBytes worth of rows when
/// extendible). Zero extents count as 1. Never empty for rank >= 1.
[[nodiscard]] Shape choose_chunk_shape(const Shape& dims, std::size_t element_size, bool extendible);

/// Values read from a dataset with their shape (row-major, like C arrays).
template <class T>
struct Array {
    std::vector<T> values;
    Shape shape;
};

/// How a numeric dataset is created.
struct DatasetOptions {
    // ({} initializers: designated initializers may omit members without -Wextra warnings.)
    std::vector<std::string> dims{};  ///< name of each dimension -> attribute `dims`; empty = none
    std::string units{};              ///< -> attribute `units` when not empty
    std::string description{};        ///< -> attribute `description` when not empty
    bool extendible = false;          ///< first dimension unlimited, grows with append_rows()
    int deflate_level = 4;            ///< 0 = never compress, 1..9 = deflate level
    /// Mostly zeros: chunks are compressed by cpcsim's zero-run deflate (io/zero_run_deflate.hpp)
    /// and stored as they are, with the same filters declared (deflate_level names the level), in
    /// time that grows with the non-zero bytes rather than all of them. Chunked datasets only; a
    /// dataset too small to be chunked is written as usual.
    bool mostly_zero = false;
};

enum class Layout { compact, contiguous, chunked, other };

/// "float64", "int64", "int32", "uint32", "uint8".
[[nodiscard]] const char* num_type_name(NumType t) noexcept;

/// Everything `cpcsim info` shows about a dataset.
struct DatasetInfo {
    Shape shape;
    Shape max_shape;        ///< kUnlimited where extendible
    std::string type_name;  ///< "float64", "int32", "uint8", "string (variable-length UTF-8)"...
    bool is_numeric = false;
    bool is_string = false;
    std::optional<NumType> num_type;  ///< the stored element type when it is one of NumType
    std::size_t element_size = 0;     ///< bytes per element in the file (pointer size for VL strings)
    Layout layout = Layout::other;
    Shape chunk;                       ///< chunk shape when chunked
    std::vector<std::string> filters;  ///< "shuffle", "deflate(4)", ...
    std::uint64_t storage_bytes = 0;   ///< bytes allocated in the file for the raw data
    std::vector<std::string> dims;     ///< the `dims` attribute, if any
};

namespace detail {
/// Owns one reference to an HDF5 id (hid_t is int64_t in HDF5 >= 1.10).
class Id {
public:
    Id() noexcept = default;
    explicit Id(std::int64_t id) noexcept : id_(id) {}
    Id(const Id& other) noexcept;
    Id(Id&& other) noexcept : id_(other.id_) { other.id_ = -1; }
    Id& operator=(const Id& other) noexcept;
    Id& operator=(Id&& other) noexcept;
    ~Id() { reset(); }

    [[nodiscard]] std::int64_t get() const noexcept { return id_; }
    /// False when empty or when the id was closed (e.g. by File::close()).
    [[nodiscard]] bool valid() const noexcept;
    void reset() noexcept;
    [[nodiscard]] std::int64_t release() noexcept {
        const auto id = id_;
        id_ = -1;
        return id;
    }

private:
    std::int64_t id_ = -1;
};
}  // namespace detail

/// A file, group or dataset: something that can carry attributes.
class Object {
public:
    Object() = default;

    [[nodiscard]] bool valid() const noexcept { return id_.valid(); }
    /// The file name given when the file was opened or created.
    [[nodiscard]] const std::string& file_name() const noexcept { return file_; }
    /// Absolute path of this object inside the file ("/" for the file itself).
    [[nodiscard]] const std::string& path() const noexcept { return path_; }

    // Attributes. set_* replaces an existing attribute of the same name.
    void set_string_attr(std::string_view name, std::string_view value);                   ///< scalar VL UTF-8
    void set_strings_attr(std::string_view name, const std::vector<std::string>& values);  ///< 1-D VL UTF-8
    void set_int_attr(std::string_view name, std::int64_t value);
    void set_uint_attr(std::string_view name, std::uint64_t value);
    void set_double_attr(std::string_view name, double value);

    [[nodiscard]] bool has_attr(std::string_view name) const;
    [[nodiscard]] std::vector<std::string> attr_names() const;  ///< sorted by name
    /// A string attribute with one value: variable- or fixed-length, any character set.
    [[nodiscard]] std::string string_attr(std::string_view name) const;
    /// A string attribute with any number of values (a scalar gives one).
    [[nodiscard]] std::vector<std::string> strings_attr(std::string_view name) const;
    [[nodiscard]] std::int64_t int_attr(std::string_view name) const;    ///< any integer type
    [[nodiscard]] std::uint64_t uint_attr(std::string_view name) const;  ///< any integer type >= 0
    [[nodiscard]] double double_attr(std::string_view name) const;       ///< any numeric type
    /// Any attribute as text: strings verbatim, numbers in decimal, arrays as [a, b, ...].
    [[nodiscard]] std::string attr_as_text(std::string_view name) const;

protected:
    Object(detail::Id id, std::string file, std::string path)
        : id_(std::move(id)), file_(std::move(file)), path_(std::move(path)) {}
    /// Absolute path of `rel` resolved against this object's path.
    [[nodiscard]] std::string resolve(std::string_view rel) const;
    void require_valid(std::string_view what) const;

    detail::Id id_;
    std::string file_;
    std::string path_;
};

class Dataset;

/// A group (or, as base of File, the root group).
class Group : public Object {
public:
    Group() = default;

    /// Creates a group and any missing intermediate groups; Error if `path` exists.
    Group create_group(std::string_view path);
    /// Opens an existing group.
    [[nodiscard]] Group open_group(std::string_view path) const;
    /// Opens the group if it exists, else creates it (with intermediate groups).
    Group require_group(std::string_view path);

    /// True if every link along `path` exists and resolves to an object.
    [[nodiscard]] bool exists(std::string_view path) const;
    [[nodiscard]] bool is_group(std::string_view path) const;
    [[nodiscard]] bool is_dataset(std::string_view path) const;
    /// Names of the links in this group, sorted by name.
    [[nodiscard]] std::vector<std::string> children() const;

    /// Writes a numeric dataset of the given shape from `data` (row-major); intermediate
    /// groups are created. data.size() must equal the product of `shape`.
    template <NumericRange R>
    Dataset write_dataset(std::string_view path, const R& data, const Shape& shape, const DatasetOptions& options = {});
    /// Writes a numeric dataset of element type T without holding it whole in memory:
    /// `fill(start, count, out)` puts the values of the slab at `start` of extent `count`
    /// (row-major, element_count(count) values) into `out`. Slabs follow the chunk grid, each
    /// chunk written once; layout, filters and attributes are those of write_dataset.
    template <Numeric T>
    Dataset write_dataset_by_slabs(std::string_view path, const Shape& shape, const DatasetOptions& options,
                                   const std::function<void(const Shape&, const Shape&, std::span<T>)>& fill);
    /// One chunk of an int32 dataset as its non-zero entries: fill(start, count, chunk, index,
    /// values) appends to `index` the positions of the chunk's non-zero elements in the chunk laid
    /// out at its full extent `chunk` (row-major, strictly ascending; an edge chunk's padding is
    /// zeros) and their values to `values` (the int32 bit patterns).
    using SparseChunkFill = std::function<void(const Shape& start, const Shape& count, const Shape& chunk,
                                               std::vector<std::uint32_t>& index, std::vector<std::uint32_t>& values)>;
    /// write_dataset_by_slabs for int32 data given chunk by chunk as non-zero entries. With
    /// DatasetOptions::mostly_zero the chunks are encoded from the entries (zero-run deflate), so
    /// neither the dense table nor a dense chunk is ever made; otherwise each chunk is laid out
    /// densely and written as usual.
    Dataset write_int32_by_sparse_chunks(std::string_view path, const Shape& shape, const DatasetOptions& options,
                                         const SparseChunkFill& fill);
    /// Writes a 1-D dataset of variable-length UTF-8 strings (labels such as area names).
    Dataset write_strings(std::string_view path, const std::vector<std::string>& values,
                          const DatasetOptions& options = {});
    /// Writes a scalar variable-length UTF-8 string dataset (long text such as a TOML file).
    Dataset write_string(std::string_view path, std::string_view value, const DatasetOptions& options = {});

    [[nodiscard]] Dataset open_dataset(std::string_view path) const;
    template <Numeric T>
    [[nodiscard]] Array<T> read(std::string_view path) const;
    [[nodiscard]] std::vector<std::string> read_strings(std::string_view path) const;
    [[nodiscard]] std::string read_string(std::string_view path) const;

    /// An empty extendible dataset at `path` with the element type, row shape (all but the
    /// first dimension) and dims, units and description attributes of the numeric dataset
    /// `like`, its first dimension named `leading_dim`. Fill it with Dataset::append_rows_from.
    Dataset create_rows_like(std::string_view path, const Dataset& like, std::string_view leading_dim);
    /// Copies every dataset under `path` in `src` (numbers and strings, with their dims, units
    /// and description) to the same path here.
    void copy_datasets_from(const Group& src, std::string_view path);

protected:
    Group(detail::Id id, std::string file, std::string path)
        : Object(std::move(id), std::move(file), std::move(path)) {}

private:
    using SlabFill = std::function<void(const Shape& start, const Shape& count, std::span<std::byte> out)>;
    Dataset write_slabs_raw(std::string_view path, NumType type, const Shape& shape, const DatasetOptions& options,
                            const SlabFill* fill, const SparseChunkFill* sparse);
    Dataset write_raw(std::string_view path, NumType type, const void* data, std::size_t count, const Shape& shape,
                      const DatasetOptions& options);
    Dataset write_slabs_raw(std::string_view path, NumType type, const Shape& shape, const DatasetOptions& options,
                            const SlabFill& fill);
    /// Creates the dataset (layout, filters, attributes) without writing values.
    Dataset create_raw(std::string_view path, NumType type, const Shape& shape, const DatasetOptions& options);
};

/// An HDF5 file. The file stays open while any handle into it is alive.
class File : public Group {
public:
    File() = default;

    /// Creates (truncating) a file for writing.
    [[nodiscard]] static File create(const std::filesystem::path& path);
    /// Opens an existing file read-only.
    [[nodiscard]] static File open_read_only(const std::filesystem::path& path);
    /// Opens an existing file for reading and writing.
    [[nodiscard]] static File open_read_write(const std::filesystem::path& path);

    /// Writes all buffered data and metadata of the file to the operating system.
    void flush();
    /// Flushes and closes the file now, with every group and dataset handle opened through
    /// it (as h5py does): those handles become invalid. Call before AtomicOutput::commit().
    /// Without close(), the file closes when its last handle is destroyed.
    void close();
    /// Size of the file in bytes as HDF5 sees it.
    [[nodiscard]] std::uint64_t size_bytes() const;

private:
    File(detail::Id id, std::string file, std::string path) : Group(std::move(id), std::move(file), std::move(path)) {}
    static File open(const std::filesystem::path& path, bool writable);
};

/// A dataset: numeric or string.
class Dataset : public Object {
public:
    Dataset() = default;

    [[nodiscard]] Shape shape() const;
    /// With `storage_size` false, storage_bytes is left 0: HDF5 can only size the storage of a
    /// dataset after compressing every chunk it holds in its cache, which a dataset being appended
    /// to, a row at a time, would otherwise pay at every append.
    [[nodiscard]] DatasetInfo info(bool storage_size = true) const;
    /// The `dims` attribute, or empty if there is none.
    [[nodiscard]] std::vector<std::string> dims() const;

    /// Reads the whole dataset, converting from any stored numeric type to T.
    template <Numeric T>
    [[nodiscard]] Array<T> read() const {
        Array<T> out;
        out.shape = shape();
        out.values.resize(static_cast<std::size_t>(element_count(out.shape)));
        read_raw(num_type_of<T>(), out.values.data(), out.values.size());
        return out;
    }
    [[nodiscard]] std::vector<std::string> read_strings() const;
    /// A dataset holding exactly one string (scalar or 1 element).
    [[nodiscard]] std::string read_string() const;

    /// Appends rows to a dataset created with DatasetOptions::extendible. `rows` holds k
    /// whole rows (k * product of shape[1..]) of the dataset's own element type.
    /// Returns the new number of rows.
    template <NumericRange R>
    std::uint64_t append_rows(const R& rows) {
        using T = std::remove_cv_t<std::ranges::range_value_t<R>>;
        return append_raw(num_type_of<T>(), std::ranges::data(rows), static_cast<std::size_t>(std::ranges::size(rows)));
    }

    /// Reads rows [first, first + count) of the first dimension, converted to T.
    template <Numeric T>
    [[nodiscard]] Array<T> read_rows(std::uint64_t first, std::uint64_t count) const {
        Array<T> out;
        out.shape = shape();
        if (out.shape.empty()) out.shape.push_back(0);  // read_rows_raw reports the scalar
        out.shape[0] = count;
        out.values.resize(static_cast<std::size_t>(element_count(out.shape)));
        read_rows_raw(num_type_of<T>(), first, count, out.values.data());
        return out;
    }

    /// Appends rows [first, first + count) of `src` to this extendible dataset; both must hold
    /// the same element type and row shape (an Error names both otherwise). When both store one
    /// row per chunk with the same chunk shape and filters, the stored (compressed) chunks are
    /// copied as they are, without decompressing and compressing again; otherwise the rows are
    /// read and appended in batches. The values in the file are the same either way.
    void append_rows_from(const Dataset& src, std::uint64_t first, std::uint64_t count);

    /// Reads rows [first, first + count) through HDF5's filter pipeline (Fletcher-32 checksum,
    /// decompression) one row at a time and discards them: a cpcsim::Error naming the file,
    /// the dataset and the row if a stored chunk is damaged. For code that copies stored chunks
    /// as they are (H5Dread_chunk checks nothing).
    void verify_rows(std::uint64_t first, std::uint64_t count) const;
    /// Reads the whole (numeric) dataset through the filter pipeline and discards it: an Error
    /// if any stored chunk fails its checksum or decompression. `info` is this dataset's info().
    void verify_all(const DatasetInfo& info) const;

private:
    friend class Group;
    Dataset(detail::Id id, std::string file, std::string path)
        : Object(std::move(id), std::move(file), std::move(path)) {}
    void read_raw(NumType type, void* out, std::size_t count) const;
    void read_rows_raw(NumType type, std::uint64_t first, std::uint64_t count, void* out) const;
    bool append_chunks_from(const Dataset& src, std::uint64_t first, std::uint64_t count);
    std::uint64_t append_raw(NumType type, const void* data, std::size_t count);
};

/// The result of verify_datasets: how many datasets were read in full, and one line per damaged
/// one ("/runs/monthly: ...").
struct Verification {
    std::size_t datasets = 0;
    std::vector<std::string> damaged;
};
/// Reads every dataset under `group` (recursively) in full, through HDF5's checksums and
/// decompression; never throws for damaged data, lists it instead (`cpcsim info --verify`).
[[nodiscard]] Verification verify_datasets(const Group& group);

/// The calling thread's HDF5 error stack as one line (outermost call first), and clears it; for
/// code outside this wrapper that calls HDF5 directly.
[[nodiscard]] std::string hdf5_error_text();

template <NumericRange R>
Dataset Group::write_dataset(std::string_view path, const R& data, const Shape& shape, const DatasetOptions& options) {
    using T = std::remove_cv_t<std::ranges::range_value_t<R>>;
    return write_raw(path, num_type_of<T>(), std::ranges::data(data), static_cast<std::size_t>(std::ranges::size(data)),
                     shape, options);
}

template <Numeric T>
Dataset Group::write_dataset_by_slabs(std::string_view path, const Shape& shape, const DatasetOptions& options,
                                      const std::function<void(const Shape&, const Shape&, std::span<T>)>& fill) {
    return write_slabs_raw(
        path, num_type_of<T>(), shape, options, [&](const Shape& start, const Shape& count, std::span<std::byte> out) {
            fill(start, count, std::span<T>(reinterpret_cast<T*>(out.data()), out.size() / sizeof(T)));
        });
}

template <Numeric T>
Array<T> Group::read(std::string_view path) const {
    return open_dataset(path).template read<T>();
}

}  // namespace cpcsim::io
