#include "io/records_output.hpp"

#include "core/error.hpp"
#include "metrics/child_records.hpp"

#include <string>

namespace cpcsim::io {

namespace {

std::vector<std::string> names_of(const auto& info) {
    std::vector<std::string> out;
    for (const auto& i : info) out.emplace_back(i.name);
    return out;
}

}  // namespace

void write_child_records(Group& group, std::span<const RunOutputs> runs,
                         const std::vector<std::int64_t>& replicate_ids) {
    std::size_t with = 0;
    for (const auto& r : runs) with += r.records ? 1 : 0;
    if (with == 0) return;
    if (with != runs.size())
        throw Error(group.file_name(), group.path(), "internal error: only some runs carry per-child records");

    std::vector<std::int64_t> replicate, ref_replicate;
    std::vector<std::uint32_t> id, cell, ref_child;
    std::vector<std::int32_t> area, birth, entry, exit, identified, ref_sent, ref_decided;
    std::vector<std::uint8_t> quintile, ethnic, rural, female, diagnosis, category, exit_cause, death_place, preferred,
        acp, ref_service, ref_outcome;
    std::vector<std::int32_t> phase_days, phase_first, caseload_from, totals;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const ChildRecords& rec = *runs[i].records;
        for (const ChildRecord& c : rec.children) {
            replicate.push_back(replicate_ids[i]);
            id.push_back(c.id);
            cell.push_back(c.cell);
            area.push_back(c.area);
            quintile.push_back(c.quintile), ethnic.push_back(c.ethnic), rural.push_back(c.rural);
            female.push_back(c.female), diagnosis.push_back(c.diagnosis), category.push_back(c.category);
            birth.push_back(c.birth_day), entry.push_back(c.entry_day), exit.push_back(c.exit_day);
            exit_cause.push_back(static_cast<std::uint8_t>(c.exit_cause));
            identified.push_back(c.identified_day);
            death_place.push_back(c.death_place), preferred.push_back(c.preferred_place), acp.push_back(c.acp);
            phase_days.insert(phase_days.end(), c.phase_days.begin(), c.phase_days.end());
            phase_first.insert(phase_first.end(), c.phase_first_day.begin(), c.phase_first_day.end());
            caseload_from.insert(caseload_from.end(), c.caseload_from.begin(), c.caseload_from.end());
            totals.insert(totals.end(), c.totals.begin(), c.totals.end());
        }
        for (const ReferralRecord& r : rec.referrals) {
            ref_replicate.push_back(replicate_ids[i]);
            ref_child.push_back(r.child);
            ref_service.push_back(r.service);
            ref_outcome.push_back(static_cast<std::uint8_t>(r.outcome));
            ref_sent.push_back(r.sent_day);
            ref_decided.push_back(r.decided_day);
        }
    }
    const std::uint64_t n = replicate.size(), nr = ref_replicate.size();
    const std::string days = "days from the first reported day (day 0 = 1 January of labels/years[0]); " +
                             std::to_string(kNoDay) + " = none, " + std::to_string(kBeforeStart) +
                             " = before the simulation's first day";
    Group g = group.create_group("records");
    g.set_string_attr("description",
                      "one row per child alive on a reported day, per replicate (children/), and one row per "
                      "referral of those children (referrals/); docs/hdf5-schema.md");
    g.set_int_attr("no_day", kNoDay);
    g.set_int_attr("before_start_day", kBeforeStart);
    g.write_strings("phases", dims::phase.label_list());
    g.write_strings("services", dims::service.label_list());
    g.write_strings("places", dims::place.label_list());
    g.write_strings("exit_causes", {"death", "age", "cure", "none"});
    g.write_strings("referral_outcomes", {"pending", "lost", "refused", "accepted"});
    g.write_strings("totals_vars", names_of(kMonthlyVarInfo));

    // One 1-D column of the children (or referrals) table.
    const auto column = [&](const std::string& table, std::uint64_t rows, const char* name, const auto& v,
                            std::string description, std::string units) {
        g.write_dataset(table + "/" + name, v, {rows},
                        {.dims = {table == "children" ? "child" : "referral"},
                         .units = std::move(units),
                         .description = std::move(description)});
    };
    const auto col = [&](const char* name, const auto& v, std::string description, std::string units = "") {
        column("children", n, name, v, std::move(description), std::move(units));
    };
    col("replicate", replicate, "replicate index (the random key)");
    col("id", id, "child id within its replicate (the same child in every scenario of a comparison)");
    col("cell", cell, "cell index: ((area * 5 + quintile) * 4 + ethnic_group) * 2 + rural");
    col("area", area, "area index (labels/area_codes)");
    col("quintile", quintile, "IMD quintile index (labels/quintiles)");
    col("ethnic_group", ethnic, "ethnic group index (labels/ethnic_groups)");
    col("rural", rural, "0 urban, 1 rural");
    col("female", female, "1 female, 0 male");
    col("diagnosis", diagnosis, "diagnosis group index (labels/diagnoses)");
    col("category", category, "ACT category index (labels/categories)");
    col("birth_day", birth, days, "day");
    col("entry_day", entry, "day the condition began (entry to the model); " + days, "day");
    col("exit_day", exit, "day the child left (died, aged out, cured); none = alive at the end; " + days, "day");
    col("exit_cause", exit_cause, "index into records/exit_causes");
    col("identified_day", identified, "first day known to palliative care; " + days, "day");
    col("death_place", death_place, "index into records/places; 255 = did not die");
    col("preferred_place", preferred, "the family's preferred place of death at exit or the end (records/places)");
    col("acp", acp, "1 if an advance care plan was in place at exit or the end");
    g.write_dataset("children/phase_days", phase_days, {n, kPhases},
                    {.dims = {"child", "phase"},
                     .units = "days",
                     .description = "days in each phase (records/phases) within the reported horizon"});
    g.write_dataset("children/phase_first_day", phase_first, {n, kPhases},
                    {.dims = {"child", "phase"},
                     .units = "day",
                     .description = "first day in each phase; phases reached only before the simulation's first "
                                    "day are not known (none); " +
                                    days});
    g.write_dataset(
        "children/caseload_from", caseload_from, {n, kServices},
        {.dims = {"child", "service"},
         .units = "day",
         .description = "day the child joined each caseload (records/services), kept until it leaves; " + days});
    g.write_dataset("children/totals", totals, {n, kMonthlyVars},
                    {.dims = {"child", "monthly_var"},
                     .description = "the child's share of each monthly counter (records/totals_vars, as "
                                    "labels/monthly_vars) over the reported horizon: care needed and received, "
                                    "admissions, bed-days, referrals ...; prevalent is 0"});

    const auto rcol = [&](const char* name, const auto& v, std::string description, std::string units = "") {
        column("referrals", nr, name, v, std::move(description), std::move(units));
    };
    rcol("replicate", ref_replicate, "replicate index");
    rcol("child", ref_child, "child id (records/children/id)");
    rcol("service", ref_service, "index into records/services");
    rcol("outcome", ref_outcome, "index into records/referral_outcomes (pending: the child left first)");
    rcol("sent_day", ref_sent, days, "day");
    rcol("decided_day", ref_decided, "lost: the day sent; refused or accepted: the day it arrived; " + days, "day");
}

}  // namespace cpcsim::io
