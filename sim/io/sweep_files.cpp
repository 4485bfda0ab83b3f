#include "io/sweep_files.hpp"

#include "core/error.hpp"
#include "io/run_output.hpp"

namespace cpcsim::io {

namespace {

void write_plan(File& f, const SweepPlan& p) {
    f.set_string_attr("manifest_hash", p.manifest_hash);
    f.set_string_attr("sweep_name", p.sweep_name);
    f.set_string_attr("design", p.design);
    if (p.task >= 0) {
        f.set_int_attr("task", p.task);
        f.set_int_attr("tasks", p.tasks);
    }
}

void write_sweep_group(File& f, const SweepPlan& p) {
    const auto nruns = static_cast<std::uint64_t>(p.run_id.size());
    const auto npoints = static_cast<std::uint64_t>(p.point_names.size());
    const auto nparams = static_cast<std::uint64_t>(p.parameter_names.size());
    Group sw = f.require_group("/sweep");
    sw.set_string_attr("design", p.design);
    sw.set_string_attr("sweep_name", p.sweep_name);
    sw.set_string_attr("manifest_hash", p.manifest_hash);
    sw.set_string_attr("base_hash", p.base_hash);
    sw.set_uint_attr("seed", p.seed);
    sw.set_uint_attr("design_seed", p.design_seed);
    sw.set_int_attr("manifest_runs", p.manifest_runs);
    if (p.levels > 0) sw.set_int_attr("levels", p.levels);
    if (p.lhs_points > 0) sw.set_int_attr("lhs_points", p.lhs_points);
    sw.set_strings_attr("base_overrides", p.base_overrides);
    f.write_dataset("/sweep/run_id", p.run_id, {nruns}, {.dims = {"run"}, .description = "run id in the manifest"});
    f.write_dataset("/sweep/point", p.point, {nruns}, {.dims = {"run"}, .description = "design point of each run"});
    f.write_dataset("/sweep/replicate", p.replicate, {nruns},
                    {.dims = {"run"}, .description = "replicate index: the random key is (seed, replicate)"});
    f.write_strings("/sweep/run_hash", p.run_hash, {.dims = {"run"}, .description = "content hash of each run"});
    f.write_strings("/sweep/point_names", p.point_names, {.dims = {"point"}});
    f.write_strings(
        "/sweep/point_settings", p.point_settings,
        {.dims = {"point"}, .description = "the point's --set overrides (after the sweep's base overrides)"});
    f.write_strings("/sweep/parameter_names", p.parameter_names, {.dims = {"parameter"}});
    f.write_dataset("/sweep/point_values", p.point_values, {npoints, nparams},
                    {.dims = {"point", "parameter"},
                     .description = "value of each parameter at each point (NaN where not a single number)"});
    if (!p.range_min.empty()) {
        f.write_dataset("/sweep/parameter_min", p.range_min, {nparams}, {.dims = {"parameter"}});
        f.write_dataset("/sweep/parameter_max", p.range_max, {nparams}, {.dims = {"parameter"}});
    }
    if (p.morris) {
        f.write_dataset("/sweep/morris_trajectory", p.morris_trajectory, {npoints}, {.dims = {"point"}});
        f.write_dataset(
            "/sweep/morris_changed", p.morris_changed, {npoints},
            {.dims = {"point"},
             .description = "parameter changed from the previous point of the trajectory; -1 at its start"});
    }
    f.write_string("/sweep/manifest", p.manifest_csv, {.description = "the sweep manifest (CSV), verbatim"});
}

/// /runs: every numeric dataset of the sources' /runs with a leading run dimension, rows in the
/// order of `rows`; consecutive rows of one source are copied together (by stored chunks when
/// the layouts allow).
void assemble_runs(File& f, const std::vector<std::filesystem::path>& sources, const std::vector<RowSource>& rows) {
    struct Out {
        std::string path;
        std::string type;
        Shape row;
        Dataset ds;
    };
    std::vector<Out> outs;
    std::size_t open_index = static_cast<std::size_t>(-1);
    File src;
    for (std::size_t i = 0; i < rows.size();) {
        // A segment: consecutive rows of one file.
        const std::size_t file = rows[i].file;
        const std::uint64_t first = rows[i].row;
        std::size_t n = 1;
        while (i + n < rows.size() && rows[i + n].file == file && rows[i + n].row == first + n) ++n;
        if (file != open_index) {
            src = File();
            src = File::open_read_only(sources.at(file));
            open_index = file;
        }
        const std::string src_name = sources[file].string();
        if (outs.empty()) {
            for (const auto& name : src.open_group("/runs").children()) {
                const std::string p = "/runs/" + name;
                if (!src.is_dataset(p)) continue;
                const Dataset d = src.open_dataset(p);
                const auto info = d.info();
                if (!info.num_type || info.shape.empty()) continue;
                outs.push_back({p, info.type_name, Shape(info.shape.begin() + 1, info.shape.end()),
                                f.create_rows_like(p, d, "run")});
            }
        }
        for (auto& o : outs) {
            if (!src.is_dataset(o.path))
                throw Error(src_name, o.path, "missing: the sources of a sweep must hold the same datasets");
            const Dataset d = src.open_dataset(o.path);
            const auto info = d.info();
            const Shape row(info.shape.empty() ? info.shape.begin() : info.shape.begin() + 1, info.shape.end());
            if (info.type_name != o.type || row != o.row)
                throw Error(src_name, o.path,
                            "has rows of " + info.type_name + " " + shape_to_string(row) + "; the other runs have " +
                                shape_to_string(o.row) +
                                " (a sweep cannot vary run.years or anything else that changes the output shapes)");
            o.ds.append_rows_from(d, first, n);
        }
        i += n;
    }
}

}  // namespace

void write_part_file(const std::filesystem::path& path, const PartHeader& h, const RunOutputs& outputs,
                     const RunMeasures& measures) {
    auto f = File::create(path);
    f.set_string_attr("format", kPartFormat);
    f.set_int_attr("run_id", h.run_id);
    f.set_int_attr("point", h.point);
    f.set_int_attr("replicate", h.replicate);
    f.set_string_attr("run_hash", h.run_hash);
    f.set_string_attr("base_hash", h.base_hash);
    if (h.uncertainty != "none") f.set_string_attr("uncertainty", h.uncertainty);
    write_runs(f, std::span(&outputs, 1), std::span(&measures, 1), {h.replicate}, "run", h.store);
    f.close();
}

bool part_file_matches(const std::filesystem::path& path, std::int64_t run_id, const std::string& run_hash) {
    try {
        const auto f = File::open_read_only(path);
        return f.has_attr("format") && f.string_attr("format") == kPartFormat && f.int_attr("run_id") == run_id &&
               f.string_attr("run_hash") == run_hash && f.is_group("/runs");
    } catch (const Error&) {
        return false;  // unreadable: redo the run
    }
}

std::string part_file_uncertainty(const std::filesystem::path& path) {
    try {
        const auto f = File::open_read_only(path);
        return f.has_attr("uncertainty") ? f.string_attr("uncertainty") : "none";
    } catch (const Error&) {
        return "";
    }
}

void write_sweep_results_file(const std::filesystem::path& path, const Provenance& provenance, const SweepPlan& plan,
                              const SweepLabels& labels, const std::vector<std::filesystem::path>& sources,
                              const std::vector<RowSource>& rows) {
    if (rows.size() != plan.run_id.size())
        throw Error(path.string(), "",
                    "internal error: " + std::to_string(rows.size()) + " row sources for " +
                        std::to_string(plan.run_id.size()) + " runs");
    auto f = File::create(path);
    write_provenance(f, provenance);
    write_plan(f, plan);
    if (labels.scenario != nullptr) {
        write_labels(f, *labels.scenario);
    } else {
        const File from = File::open_read_only(labels.copy_from);
        f.copy_datasets_from(from, "/labels");
        f.copy_datasets_from(from, "/population");
    }
    write_sweep_group(f, plan);
    assemble_runs(f, sources, rows);
    f.close();
}

SweepFileHeader read_sweep_header(const std::filesystem::path& path) {
    const auto f = open_results(path);
    const std::string name = path.string();
    if (f.string_attr("kind") != "sweep" || !f.has_attr("manifest_hash") || !f.is_dataset("/sweep/run_id"))
        throw Error(name, "", "not a sweep task or results file (kind is '" + f.string_attr("kind") + "')");
    if (!f.is_dataset("/sweep/manifest")) throw Error(name, "", "not a sweep results file (no /sweep/manifest)");
    SweepFileHeader h;
    h.manifest_hash = f.string_attr("manifest_hash");
    h.manifest_csv = f.read_string("/sweep/manifest");
    if (f.has_attr("task")) {
        h.task = static_cast<int>(f.int_attr("task"));
        h.tasks = static_cast<int>(f.int_attr("tasks"));
    }
    h.run_id = f.read<std::int64_t>("/sweep/run_id").values;
    if (f.is_dataset("/sweep/run_hash")) h.run_hash = f.read_strings("/sweep/run_hash");
    return h;
}

std::vector<double> read_sweep_point_values(const std::filesystem::path& path) {
    return open_results(path).read<double>("/sweep/point_values").values;
}

SweepSummaryData read_sweep_summary(const std::filesystem::path& path) {
    const auto f = open_results(path);
    const std::string name = path.string();
    if (f.string_attr("kind") != "sweep" || !f.is_group("/sweep"))
        throw Error(name, "", "not a sweep results file (kind is '" + f.string_attr("kind") + "'); use cpcsim info");
    SweepSummaryData s;
    SweepPlan& p = s.plan;
    const auto sw = f.open_group("/sweep");
    p.design = sw.string_attr("design");
    p.sweep_name = sw.string_attr("sweep_name");
    p.manifest_hash = sw.string_attr("manifest_hash");
    p.manifest_runs = sw.int_attr("manifest_runs");
    p.point = f.read<std::int64_t>("/sweep/point").values;
    p.point_names = f.read_strings("/sweep/point_names");
    p.point_settings = f.read_strings("/sweep/point_settings");
    s.measures = f.read_strings("/labels/summary_measures");
    s.units = f.read_strings("/labels/summary_units");
    if (!p.point.empty()) {
        const auto a = f.read<double>("/runs/summary");
        if (a.shape.size() != 2 || a.shape[0] != p.point.size() || a.shape[1] != s.measures.size())
            throw Error(name, "/runs/summary",
                        "shape " + shape_to_string(a.shape) + " does not match /sweep/point and the summary measures");
        s.summary = a.values;
    }
    if (p.design == "morris" && f.is_dataset("/sweep/morris_trajectory")) {
        p.morris = true;
        p.morris_trajectory = f.read<std::int64_t>("/sweep/morris_trajectory").values;
        p.morris_changed = f.read<std::int64_t>("/sweep/morris_changed").values;
        p.point_values = f.read<double>("/sweep/point_values").values;
        p.parameter_names = f.read_strings("/sweep/parameter_names");
        p.range_min = f.read<double>("/sweep/parameter_min").values;
        p.range_max = f.read<double>("/sweep/parameter_max").values;
    }
    return s;
}

}  // namespace cpcsim::io
