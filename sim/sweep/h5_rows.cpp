#include "sweep/h5_rows.hpp"

#include "core/error.hpp"

#include <hdf5.h>

#include <algorithm>
#include <vector>

namespace cpcsim::sweep {

std::optional<io::NumType> num_type_of(const io::DatasetInfo& info) {
    if (!info.is_numeric) return std::nullopt;
    if (info.type_name == "float64") return io::NumType::f64;
    if (info.type_name == "int64") return io::NumType::i64;
    if (info.type_name == "int32") return io::NumType::i32;
    if (info.type_name == "uint32") return io::NumType::u32;
    if (info.type_name == "uint8") return io::NumType::u8;
    return std::nullopt;
}

namespace {

hid_t native(io::NumType t) {
    switch (t) {
        case io::NumType::f64:
            return H5T_NATIVE_DOUBLE;
        case io::NumType::i64:
            return H5T_NATIVE_INT64;
        case io::NumType::i32:
            return H5T_NATIVE_INT32;
        case io::NumType::u32:
            return H5T_NATIVE_UINT32;
        case io::NumType::u8:
            return H5T_NATIVE_UINT8;
    }
    return H5T_NATIVE_DOUBLE;
}

struct Space {
    hid_t id;
    ~Space() {
        if (id >= 0) H5Sclose(id);
    }
};

[[noreturn]] void fail(const io::Dataset& ds, const std::string& what) {
    H5Eclear2(H5E_DEFAULT);
    throw Error(ds.file_name(), ds.path(), what);
}

}  // namespace

void read_rows(const io::Dataset& ds, io::NumType type, std::uint64_t first, std::uint64_t count, void* out) {
    const io::Shape shape = ds.shape();
    if (shape.empty()) fail(ds, "cannot read rows of a scalar dataset");
    if (first + count > shape[0])
        fail(ds, "cannot read rows " + std::to_string(first) + " to " + std::to_string(first + count) +
                     ": the dataset has " + std::to_string(shape[0]) + " rows");
    if (count == 0) return;
    const Space file_space{H5Dget_space(static_cast<hid_t>(ds.id()))};
    if (file_space.id < 0) fail(ds, "cannot get the dataspace");
    std::vector<hsize_t> start(shape.size(), 0), cnt(shape.begin(), shape.end());
    start[0] = first;
    cnt[0] = count;
    if (H5Sselect_hyperslab(file_space.id, H5S_SELECT_SET, start.data(), nullptr, cnt.data(), nullptr) < 0)
        fail(ds, "cannot select rows");
    const Space mem_space{H5Screate_simple(static_cast<int>(cnt.size()), cnt.data(), nullptr)};
    if (mem_space.id < 0) fail(ds, "cannot create a memory dataspace");
    if (H5Dread(static_cast<hid_t>(ds.id()), native(type), mem_space.id, file_space.id, H5P_DEFAULT, out) < 0) {
        H5Eclear2(H5E_DEFAULT);
        ds.verify_rows(first, count);  // names the damaged row and HDF5's cause
        fail(ds, "cannot read rows " + std::to_string(first) + " to " + std::to_string(first + count));
    }
}

}  // namespace cpcsim::sweep

namespace cpcsim::sweep {

namespace {

struct Handle {
    hid_t id;
    herr_t (*close)(hid_t);
    ~Handle() {
        if (id >= 0) close(id);
    }
};

struct ChunkLayout {
    std::vector<hsize_t> dims, chunk;
    std::vector<std::pair<H5Z_filter_t, std::vector<unsigned>>> filters;
    bool ok = false;
};

ChunkLayout layout_of(hid_t ds) {
    ChunkLayout l;
    const Handle dcpl{H5Dget_create_plist(ds), H5Pclose};
    const Handle space{H5Dget_space(ds), H5Sclose};
    if (dcpl.id < 0 || space.id < 0 || H5Pget_layout(dcpl.id) != H5D_CHUNKED) return l;
    const int rank = H5Sget_simple_extent_ndims(space.id);
    if (rank < 1) return l;
    l.dims.resize(static_cast<std::size_t>(rank));
    l.chunk.resize(static_cast<std::size_t>(rank));
    if (H5Sget_simple_extent_dims(space.id, l.dims.data(), nullptr) < 0) return l;
    if (H5Pget_chunk(dcpl.id, rank, l.chunk.data()) != rank) return l;
    const int n = H5Pget_nfilters(dcpl.id);
    if (n < 0) return l;
    for (int i = 0; i < n; ++i) {
        unsigned flags = 0, config = 0;
        std::size_t nelmts = 16;
        std::vector<unsigned> cd(16, 0);
        char name[64] = {};
        const H5Z_filter_t f =
            H5Pget_filter2(dcpl.id, static_cast<unsigned>(i), &flags, &nelmts, cd.data(), sizeof name, name, &config);
        if (f < 0) return l;
        cd.resize(std::min<std::size_t>(nelmts, 16));
        cd.push_back(flags);
        l.filters.emplace_back(f, std::move(cd));
    }
    l.ok = true;
    return l;
}

}  // namespace

bool append_rows_by_chunks(const io::Dataset& src, std::uint64_t first, std::uint64_t count, io::Dataset& dst) {
    const auto s = static_cast<hid_t>(src.id()), d = static_cast<hid_t>(dst.id());
    const ChunkLayout ls = layout_of(s), ld = layout_of(d);
    H5Eclear2(H5E_DEFAULT);
    if (!ls.ok || !ld.ok || ls.chunk != ld.chunk || ls.chunk[0] != 1 || ls.filters != ld.filters) return false;
    if (!std::equal(ls.dims.begin() + 1, ls.dims.end(), ld.dims.begin() + 1, ld.dims.end())) return false;
    if (first + count > ls.dims[0]) return false;
    {
        const Handle ts{H5Dget_type(s), H5Tclose}, td{H5Dget_type(d), H5Tclose};
        if (ts.id < 0 || td.id < 0 || H5Tequal(ts.id, td.id) <= 0) return false;
    }
    const std::size_t rank = ls.dims.size();
    // The chunk grid of one row, and the stored size of every source chunk.
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
    std::vector<hsize_t> offset(rank);
    for (std::uint64_t r = 0; r < count; ++r)
        for (const auto& g : grid) {
            offset[0] = first + r;
            std::copy(g.begin(), g.end(), offset.begin() + 1);
            hsize_t bytes = 0;
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
    std::vector<hsize_t> grown = ld.dims;
    const hsize_t base = grown[0];
    grown[0] += count;
    if (H5Dset_extent(d, grown.data()) < 0) {
        H5Eclear2(H5E_DEFAULT);
        throw Error(dst.file_name(), dst.path(), "cannot extend the dataset");
    }
    std::vector<unsigned char> buf;
    std::vector<hsize_t> to(rank);
    std::size_t k = 0;
    for (std::uint64_t r = 0; r < count; ++r)
        for (const auto& g : grid) {
            offset[0] = first + r;
            to[0] = base + r;
            std::copy(g.begin(), g.end(), offset.begin() + 1);
            std::copy(g.begin(), g.end(), to.begin() + 1);
            buf.resize(static_cast<std::size_t>(sizes[k]));
            std::uint32_t mask = 0;
            if (H5Dread_chunk(s, H5P_DEFAULT, offset.data(), &mask, buf.data()) < 0) {
                H5Eclear2(H5E_DEFAULT);
                throw Error(src.file_name(), src.path(),
                            "cannot read a stored chunk of row " + std::to_string(first + r));
            }
            if (H5Dwrite_chunk(d, H5P_DEFAULT, mask, to.data(), buf.size(), buf.data()) < 0) {
                throw Error(dst.file_name(), dst.path(),
                            "cannot write a chunk of row " + std::to_string(base + r) +
                                " (HDF5: " + io::hdf5_error_text() + ")");
            }
            ++k;
        }
    return true;
}

}  // namespace cpcsim::sweep
