#!/usr/bin/python3
"""One cpcsim replicate written as an analyst would write it in SimPy: the peer benchmark.

It simulates the same region (the scenario's areas.csv and providers.csv) with the same
parameter values (read from `cpcsim params`, so a change of default reaches both) over the same
warm-up and horizon, and prints the headline outcomes, which `bench/peer_bench.py` sets beside
cpcsim's own: both programs must simulate the same children and about the same events (children,
deaths, unplanned admissions, access within a few per cent), or the ratio of their times means
nothing. It is a benchmark peer, not a second implementation of the model. It keeps the core
logic: entries, the phase process, identification, referral with caseload limits and waiting
lists, SPPC discharge after a long stable spell, hospice beds, visits and contacts against daily
capacity, unplanned admissions (a daily risk in the active phases, exponential waiting times in
the stable phase), recognition of dying, 24/7 cover and place of death, inpatient end-of-life
consultations and transfers home. It simplifies:

* the initial population comes from the same illness-only prehistory, but without replaying
  identification and referral (children start unknown, and the 3-year warm-up settles them);
* capacity is the baseline staffing of each provider (no monthly funding, vacancy draws,
  charitable volatility or closures) and no network mechanism is modelled (the baseline);
* requests are served first come, first served (SimPy's stores), not by phase priority; there is
  no pooling; 24/7 cover of an area is out-of-hours nursing and out-of-hours specialist advice
  both serving it, as at baseline, without the rota's share of nights;
* no late recognition of dying, intensive care or withdrawal decisions, transfers to a hospice
  bed from hospital, or costs;
* outputs are region totals per year, not the cell x month tables.

Usage: bench/simpy_peer.py CPCSIM_BINARY SCENARIO_DIR [--seed N] [--years N] [--warmup N]
Prints one JSON line: wall seconds, children simulated and the outcomes.
"""
import argparse
import csv
import json
import math
import random
import re
import subprocess
import sys
import time

import simpy

AGE_BAND_END_YEARS = [1, 6, 11, 16]  # <1, 1-5, 6-10, 11-15, 16+
STABLE, UNSTABLE, DETERIORATING, DYING = range(4)
HOME, HOSPICE, HOSPITAL = range(3)


def read_params(binary):
    """Parameter defaults from `cpcsim params`: scalars, vectors and named rows."""
    text = subprocess.run([binary, "params"], check=True, capture_output=True, text=True).stdout
    params = {}
    for line in text.splitlines():
        m = re.match(r"^([a-z_]+\.[a-z_0-9]+) = (.*?)(?:  \[[EDA]\].*)?$", line)
        if not m:
            continue
        name, value = m.group(1), m.group(2)
        value = re.sub(r" (for|\(columns) .*$", "", value)
        if "= [" in value:  # rows: name = [..]; name = [..]
            params[name] = [json.loads(v.split(" = ", 1)[1]) for v in value.split("; ")]
        elif value.startswith("["):
            params[name] = json.loads(value)
        elif value in ("true", "false"):
            params[name] = value == "true"
        else:
            try:
                params[name] = float(value)
            except ValueError:
                params[name] = value
    return params


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def travel_minutes(a, p, road_factor, speed):
    lat1, lon1, lat2, lon2 = map(math.radians, (float(a["lat"]), float(a["lon"]), float(p["lat"]), float(p["lon"])))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    km = 2 * 6371.0 * math.asin(math.sqrt(h))
    return km * road_factor / speed * 60.0


def serves(provider, area):
    """Whether the provider's catchment holds the area."""
    cat = provider["catchment"].split(";")
    return area["la_code"] in cat or "*" in cat


def age_band(age_days):
    years = age_days / 365.0
    for b, end in enumerate(AGE_BAND_END_YEARS):
        if years < end:
            return b
    return 4


class Child:
    __slots__ = ("id", "area", "quintile", "ethnic", "female", "diagnosis", "category", "birth", "phase",
                 "identified", "acp", "caseload", "place", "alive", "preferred", "last_unmet", "reached_year",
                 "entered", "recognised", "eol_sppc", "proc")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw.get(k))


class Model:
    def __init__(self, P, areas, providers, seed, years, warmup):
        self.P, self.areas, self.providers = P, areas, providers
        self.rng = random.Random(seed)
        self.env = simpy.Environment()
        self.warmup, self.end = warmup * 365, (warmup + years) * 365
        self.years = years
        self.next_id = 0
        self.out = [dict(children=0, reached=0, deaths=0, deaths_home=0, deaths_hospice=0, deaths_hospital=0,
                         preferred=0, admissions=0, unmet_visit_days=0, respite_nights=0) for _ in range(years)]
        self.alive = []
        road, speed = P["geography.road_factor"], P["geography.speed_kmh"]
        self.home = []  # per area: [hospice, sppc, ccn] provider index or None
        self.specialist_minutes = []
        for a in areas:
            homes = []
            for ptype in ("hospice", "sppc", "ccn"):
                best, best_t = None, 1e18
                for i, p in enumerate(providers):
                    if p["type"] == ptype and serves(p, a):
                        t = travel_minutes(a, p, road, speed)
                        if t < best_t:
                            best, best_t = i, t
                homes.append(best)
            self.home.append(homes)
            self.specialist_minutes.append(min(travel_minutes(a, p, road, speed) for p in providers
                                               if p["type"] in ("hospice", "sppc")))
        vac = dict(zip(("hospice", "sppc", "ccn", "hospital"), P["funding.vacancy_rate"]))
        # Daily capacity: visit/contact slots per day in a store refilled each morning; hospice beds
        # as a resource.
        self.slots, self.beds = {}, {}
        for i, p in enumerate(providers):
            if p["type"] in ("sppc", "ccn"):
                per_wte = float(p["contacts_per_wte_day"]) if p["contacts_per_wte_day"] else \
                    self.staff_time(p, road, speed)
                self.slots[i] = (simpy.Container(self.env, init=0, capacity=1e9),
                                 float(p["staff_wte"] or 0) * per_wte)
            elif p["type"] == "hospice":
                self.slots[i] = (simpy.Container(self.env, init=0, capacity=1e9), float(p["home_visits_per_day"] or 0))
                self.beds[i] = simpy.PriorityResource(self.env, capacity=max(1, int(float(p["beds"] or 0))))
        # Caseload limits at baseline staffing: per staffed hospice bed, per SPPC or CCN WTE.
        per_unit = dict(zip(("hospice", "sppc", "ccn"), P["referral.caseload_per_unit"]))
        self.caseload_limit = [per_unit[p["type"]] * float((p["beds"] if p["type"] == "hospice" else p["staff_wte"]) or 0)
                               if p["type"] in per_unit and per_unit[p["type"]] > 0 else math.inf for p in providers]
        self.on_caseload = [0] * len(providers)
        # 24/7 cover of an area: out-of-hours community nursing and out-of-hours specialist advice
        # (an SPPC team or a hospice) both serving it.
        def ooh(a, types):
            return any(p["type"] in types and p["out_of_hours"] == "1" and serves(p, a) for p in providers)
        self.cover = [ooh(a, ("ccn",)) and ooh(a, ("sppc", "hospice")) for a in areas]
        self.env.process(self.refill())
        for a in range(len(areas)):
            self.env.process(self.entries(a))
        self.env.process(self.year_start())

    def staff_time(self, p, road, speed):
        """Contacts per WTE per calendar day from staff time (docs/model.md), as cpcsim computes them."""
        P, t = self.P, 0 if p["type"] == "sppc" else 1
        weight = travel = 0.0
        for a in self.areas:
            if not serves(p, a):
                continue
            rural = float(a["pct_rural"]) / 100
            urban_min, rural_min = P["staff.local_travel_minutes"]
            minutes = (1 - rural) * urban_min + rural * rural_min
            if a["la_code"] != p["area"]:
                minutes += travel_minutes(a, p, road, speed)
            weight += float(a["population_0_19"])
            travel += float(a["population_0_19"]) * minutes
        patient = P["staff.working_days_per_wte"][t] / 365 * P["staff.hours_per_day"] * 60 * \
            P["staff.patient_time_share"][t]
        return patient / (P["staff.contact_minutes"][t] + P["staff.home_visit_share"][t] * travel / weight)

    # --- population -------------------------------------------------------------------------
    def area_mix(self, area):
        P = self.P
        q = [float(area[f"share_q{k}"]) for k in range(1, 6)]
        e = [float(area[k]) / 100.0 for k in ("pct_white", "pct_south_asian", "pct_black", "pct_mixed_other")]
        return q, e, sum(qi * P["population.deprivation_rate_ratio"][i] for i, qi in enumerate(q)) * \
            sum(ei * P["population.ethnicity_rate_ratio"][i] for i, ei in enumerate(e))

    def entry_rates(self, a):
        P = self.P
        area = self.areas[a]
        q, e, mix = self.area_mix(area)
        # The rates are region averages: the area's mix relative to the region's weighted mean.
        pops = [float(x["population_0_19"]) for x in self.areas]
        mix /= sum(p * self.area_mix(x)[2] for p, x in zip(pops, self.areas)) / sum(pops)
        pop = float(area["population_0_19"])
        band_years = [1, 5, 5, 5, 4]
        return [pop * band_years[b] / 20.0 * P["population.entry_rate_per_10000"][b] / 1e4 / 365.0 * mix *
                P["population.prevalence_multiplier"] for b in range(5)], q, e

    def new_child(self, a, day, rates, q, e):
        P, r = self.P, self.rng
        band = r.choices(range(5), weights=rates)[0]
        age = (0 if r.random() < 0.7 else r.randrange(365)) if band == 0 else \
            r.randrange(AGE_BAND_END_YEARS[band - 1] * 365, (AGE_BAND_END_YEARS[band] if band < 4 else 19) * 365)
        diag = r.choices(range(11), weights=P["population.diagnosis_shares"][0 if age < 365 else 1])[0]
        c = Child(id=self.next_id, area=a,
                  quintile=r.choices(range(5), weights=[qi * P["population.deprivation_rate_ratio"][i]
                                                        for i, qi in enumerate(q)])[0],
                  ethnic=r.choices(range(4), weights=[ei * P["population.ethnicity_rate_ratio"][i]
                                                      for i, ei in enumerate(e)])[0],
                  female=r.random() < 1 / (1 + P["population.male_rate_ratio"]), diagnosis=diag,
                  category=r.choices(range(4), weights=P["population.category_by_diagnosis"][diag])[0],
                  birth=day - age, phase=STABLE, identified=False, acp=False, caseload={}, place=HOME, alive=True,
                  preferred=HOME, last_unmet=-1000, reached_year=-1)
        if age == 0:
            c.phase = r.choices(range(4), weights=P["phase.at_birth_entry_phase"])[0]
        self.next_id += 1
        return c

    def entries(self, a):
        rates, q, e = self.entry_rates(a)
        total = sum(rates)
        # Prehistory: the illness only, so the initial population is the one the process sustains.
        for day in range(-19 * 365, 0):
            for _ in range(self.poisson(total)):
                c = self.new_child(a, day, rates, q, e)
                now = day
                while True:
                    when, to = self.transition(c, now)
                    if when >= 0:
                        self.start(c, (when, to))
                        break
                    if to is None:
                        break
                    now, c.phase = when, to
        while True:
            for _ in range(self.poisson(total)):
                self.start(self.new_child(a, int(self.env.now), rates, q, e), None)
            yield self.env.timeout(1)

    def poisson(self, lam):
        n, p, L = 0, 1.0, math.exp(-lam)
        while True:
            p *= self.rng.random()
            if p <= L:
                return n
            n += 1

    def transition(self, c, now):
        """(day, next phase or None for exit) of the current phase's end."""
        P, r = self.P, self.rng
        b = age_band(now - c.birth)
        exit_day = c.birth + int(P["run.max_age_years"]) * 365
        det = P["phase.deterioration_age_ratio"][b]
        if c.phase == STABLE:
            su = P["phase.stable_to_unstable_per_year"] * P["phase.instability_age_ratio"][b] * \
                P["phase.instability_ethnicity_ratio"][c.ethnic] * (P["phase.instability_girl_ratio"] if c.female else 1) * \
                P["phase.instability_diagnosis_ratio"][c.diagnosis] * P["phase.instability_category_ratio"][c.category] / 365
            sd = P["phase.stable_to_deteriorating_per_year"][c.category] * det / 365
            cure = P["population.cure_rate_per_year"][b] / 365 if c.category == 0 else 0
            ts = [r.expovariate(x) if x > 0 else 1e9 for x in (su, sd, cure)]
            t = min(ts)
            band_change = c.birth + (AGE_BAND_END_YEARS[b] * 365 if b < 4 else 10 ** 9)
            when = now + 1 + int(t)
            if min(exit_day, band_change) <= when:
                return (exit_day, None) if exit_day <= band_change else (band_change, STABLE)
            return (when, None) if t == ts[2] else (when, UNSTABLE if t == ts[0] else DETERIORATING)
        if c.phase == UNSTABLE:
            when = now + 1 + int(r.expovariate(1 / P["phase.unstable_mean_days"]))
            to = DETERIORATING if r.random() < min(0.95, P["phase.unstable_to_deteriorating"][c.category] * det) else STABLE
        elif c.phase == DETERIORATING:
            when = now + 1 + int(r.expovariate(1 / P["phase.deteriorating_mean_days"]))
            to = DYING if r.random() < P["phase.deteriorating_to_dying"][b] else UNSTABLE
        else:
            return now + int(P["phase.dying_days"]), None
        return (exit_day, None) if exit_day <= when else (when, to)

    def start(self, c, first_end):
        c.entered = int(self.env.now)
        y = self.report_year()
        if y is not None:
            self.out[y]["children"] += 1  # alive in the year it enters
        self.alive.append(c)
        c.proc = self.env.process(self.life(c, first_end))

    def life(self, c, first_end):
        env = self.env
        first = first_end
        while True:
            end, to = first if first is not None else self.transition(c, int(env.now))
            first = None
            self.on_phase(c, end)
            if c.phase != STABLE:
                env.process(self.daily_admission_risk(c, end))
            else:
                env.process(self.stable_admissions(c, end))
                days = self.P["referral.sppc_discharge_stable_days"]
                if "sppc" in c.caseload and 0 < days < end - env.now:
                    env.process(self.sppc_discharge(c, days))
            yield env.timeout(max(0, end - env.now))
            if to is None:
                self.exit(c)
                return
            c.phase = to

    def exit(self, c):
        c.alive = False
        for enrolment in c.caseload.values():
            self.on_caseload[enrolment[0]] -= 1
        y = self.report_year()
        if y is not None and c.phase == DYING:
            o = self.out[y]
            o["deaths"] += 1
            o[("deaths_home", "deaths_hospice", "deaths_hospital")[c.place]] += 1
            o["preferred"] += c.place == c.preferred

    def report_year(self):
        d = int(self.env.now) - self.warmup
        return d // 365 if 0 <= d < self.end - self.warmup else None

    def year_start(self):
        """At the start of each reported year, count the children alive then (those entering during
        the year are counted as they enter): children alive at any time in the year, as cpcsim
        counts them."""
        yield self.env.timeout(self.warmup)
        for y in range(self.years):
            now = int(self.env.now)
            self.alive = [c for c in self.alive if c.alive]
            self.out[y]["children"] += sum(1 for c in self.alive if c.entered < now)
            yield self.env.timeout(365)

    def reach(self, c):
        """A hospice or SPPC contact: the child counts once as reached in this year."""
        y = self.report_year()
        if y is not None and c.reached_year != y:
            c.reached_year = y
            self.out[y]["reached"] += 1

    # --- identification, referral, care ------------------------------------------------------
    def on_phase(self, c, end):
        P, r, env = self.P, self.rng, self.env
        if not c.identified:
            rate = P["identification.rate_per_year"][c.phase] / 365 * P["identification.deprivation_ratio"][c.quintile] * \
                P["identification.ethnicity_ratio"][c.ethnic] * \
                2 ** (-self.specialist_minutes[c.area] / P["identification.distance_halving_minutes"])
            t = r.expovariate(rate)
            if t < end - env.now:
                env.process(self.identify_after(c, t))
        if c.phase == DYING:
            self.end_of_life(c)
        elif c.phase == UNSTABLE and "hospice" in c.caseload and r.random() < P["care.symptom_stay_prob"]:
            env.process(self.hospice_stay(c, int(P["care.symptom_stay_nights"]), 1, 7))
        if c.identified and c.phase >= DETERIORATING:
            self.refer(c)

    def identify_after(self, c, t):
        yield self.env.timeout(t)
        if c.alive and not c.identified:
            c.identified = True
            self.refer(c)

    def refer(self, c):
        P, r = self.P, self.rng
        for k, service in enumerate(("hospice", "sppc", "ccn")):
            if service in c.caseload or self.home[c.area][k] is None:
                continue
            if r.random() >= P["referral.need_by_phase"][c.phase][k] or r.random() < P["referral.loss_prob"]:
                continue
            delay = P["referral.min_delay_days"] + r.expovariate(1 / P["referral.delay_mean_days"])
            self.env.process(self.referral(c, service, self.home[c.area][k], delay))

    def referral(self, c, service, provider, delay):
        yield self.env.timeout(delay)
        if not c.alive or service in c.caseload:
            return
        cat = c.category + 1
        if self.rng.random() >= float(self.providers[provider][f"accept_cat{cat}"]):
            return
        # Caseload limit: a stable or unstable child waits while the provider is full, looked at
        # again every few days and refused after the longest wait; the sicker are always taken.
        waited = 0
        while c.phase < DETERIORATING and self.on_caseload[provider] >= self.caseload_limit[provider]:
            if waited >= self.P["referral.waitlist_max_days"]:
                return
            yield self.env.timeout(self.P["referral.waitlist_recheck_days"])
            waited += self.P["referral.waitlist_recheck_days"]
            if not c.alive or service in c.caseload:
                return
        enrolment = [provider]  # its identity ends the visits of an earlier enrolment
        c.caseload[service] = enrolment
        self.on_caseload[provider] += 1
        self.env.process(self.visits(c, service, enrolment))
        if service == "hospice":
            self.env.process(self.short_breaks(c))

    def sppc_discharge(self, c, days):
        """A child stable this long (the same stable phase) leaves the SPPC caseload."""
        yield self.env.timeout(days)
        if c.alive and c.phase == STABLE and "sppc" in c.caseload:
            self.on_caseload[c.caseload.pop("sppc")[0]] -= 1

    def visits(self, c, service, enrolment):
        P, env, provider = self.P, self.env, enrolment[0]
        key = {"ccn": "care.ccn_visit_interval_days", "sppc": "care.sppc_contact_interval_days",
               "hospice": "care.hospice_home_visit_interval_days"}[service]
        store = self.slots[provider][0]
        while c.alive and c.caseload.get(service) is enrolment:
            gap = max(1, int(P[key][min(c.phase, 3)]))
            if c.place != HOSPITAL:
                patience = min(gap, int(P["care.visit_max_wait_days"]))
                get = store.get(1)
                result = yield get | env.timeout(patience)
                if get in result:
                    if service != "ccn":
                        self.reach(c)
                        if not c.acp and self.rng.random() < (P["care.acp_prob_per_contact"] if c.phase >= DETERIORATING
                                                              else P["care.acp_prob_stable_contact"]):
                            c.acp = True
                else:
                    get.cancel()
                    c.last_unmet = env.now
                    y = self.report_year()
                    if y is not None:
                        self.out[y]["unmet_visit_days"] += patience
            yield env.timeout(gap)

    def refill(self):
        while True:
            for store, per_day in self.slots.values():
                if store.level:
                    store.get(store.level)  # unused slots do not carry over
                units = int(per_day) + (self.rng.random() < per_day - int(per_day))
                if units:
                    store.put(units)
            yield self.env.timeout(1)

    def short_breaks(self, c):
        P = self.P
        nights = P["care.respite_nights_per_year"]
        if nights <= 0:
            return
        gap = 365 * P["care.respite_stay_nights"] / nights
        while c.alive:
            yield self.env.timeout(max(1, int(gap * (0.5 + self.rng.random()))))
            if c.alive and c.phase == STABLE and c.place == HOME:
                yield self.env.process(self.hospice_stay(c, int(P["care.respite_stay_nights"]), 2,
                                                         int(P["care.respite_max_wait_days"])))

    def hospice_stay(self, c, nights, priority, patience):
        hospice = self.home[c.area][0]
        if hospice is None or hospice not in self.beds:
            return
        with self.beds[hospice].request(priority=priority) as req:
            result = yield req | self.env.timeout(patience)
            if req not in result:
                return
            c.place = HOSPICE
            y = self.report_year()
            self.reach(c)
            if y is not None:
                self.out[y]["respite_nights"] += nights
            yield self.env.timeout(nights)
            if c.alive and c.place == HOSPICE:
                c.place = HOME

    def daily_admission_risk(self, c, end):
        P, env = self.P, self.env
        while c.alive and env.now < end:
            if c.place == HOME:
                # One ratio per pathway, deteriorating and dying children only.
                level = 0
                if c.phase >= 2 and c.caseload:
                    level = 1
                    if c.acp and ("sppc" in c.caseload or "hospice" in c.caseload):
                        level = 3 if self.cover[c.area] else 2
                    if env.now - c.last_unmet <= P["admission.unmet_need_window_days"]:
                        level -= 1
                rr = (1, P["admission.rr_community"], P["admission.rr_specialist"],
                      P["admission.rr_specialist_24_7"])[level]
                if self.rng.random() < 1 - math.exp(-P["admission.rate_per_year"][c.phase] / 365 * rr):
                    self.admit(c)
            elif c.place == HOSPITAL and c.phase == DYING and c.recognised:
                self.hospital_end_of_life(c)
            yield env.timeout(1)

    def hospital_end_of_life(self, c):
        """A recognised dying inpatient: an SPPC team may see them (once) and make a plan, and a
        child with a plan for home goes home on a day when 24/7 cover allows it."""
        P, r = self.P, self.rng
        if c.eol_sppc is None:
            c.eol_sppc = "sppc" in c.caseload or (self.home[c.area][1] is not None and
                                                  r.random() < P["eol.inpatient_sppc_consult_prob"])
            if c.eol_sppc and not c.acp and r.random() < P["eol.inpatient_acp_prob"]:
                c.acp = True
        if c.eol_sppc and c.acp and c.preferred == HOME and self.cover[c.area] and \
                r.random() < P["eol.rapid_transfer_prob"]:
            c.place = HOME

    def stable_admissions(self, c, end):
        """A stable child's unplanned admissions: a constant hazard, so exponential waiting times
        (as cpcsim schedules them), redrawn after each discharge, until the phase ends."""
        env, rate = self.env, self.P["admission.rate_per_year"][STABLE] / 365
        while c.alive and rate > 0:
            t = self.rng.expovariate(rate)
            if env.now + t >= end:
                return
            yield env.timeout(1 + int(t))
            if not c.alive or c.phase != STABLE or env.now >= end:
                return
            if c.place == HOME:
                stay = self.admit(c)
                yield env.timeout(stay)

    def admit(self, c):
        P = self.P
        c.place = HOSPITAL
        y = self.report_year()
        if y is not None:
            self.out[y]["admissions"] += 1
        stay = 1 + int(self.rng.expovariate(1 / P["admission.mean_stay_days"][c.phase]))
        if c.phase != DYING:
            self.env.process(self.discharge(c, stay))
        if not c.identified and self.rng.random() < P["identification.at_admission_prob"]:
            c.identified = True
            self.refer(c)
        return stay

    def discharge(self, c, los):
        yield self.env.timeout(los)
        if c.alive and c.place == HOSPITAL and c.phase != DYING:
            c.place = HOME

    def end_of_life(self, c):
        P, r = self.P, self.rng
        w = list(P["eol.preference"])
        if c.diagnosis == 1:
            w = [x * y for x, y in zip(w, P["eol.preference_cancer_ratio"])]
        if c.quintile == 4:
            w = [x * y for x, y in zip(w, P["eol.preference_q5_ratio"])]
        if c.ethnic != 0:
            w = [x * y for x, y in zip(w, P["eol.preference_minority_ratio"])]
        neonate = self.env.now - c.birth < P["eol.neonatal_days"]
        if neonate:
            w = [x * y for x, y in zip(w, P["eol.preference_neonate_ratio"])]
        c.preferred = r.choices(range(3), weights=w)[0]
        c.recognised = recognised = r.random() < (P["eol.neonatal_recognition_prob"] if neonate
                                                  else P["eol.recognition_prob"][c.category])
        c.eol_sppc = None  # not yet assessed in hospital
        if c.place == HOSPITAL:
            return
        u = r.random()
        if neonate:
            hospital = u < P["eol.neonatal_hospital_prob"]
        elif not recognised or not ("sppc" in c.caseload or "hospice" in c.caseload):
            hospital = u < P["eol.unidentified_hospital_prob"]
        elif not c.acp:
            hospital = u < P["eol.served_no_acp_hospital_prob"]
        else:  # achievement with or without 24/7 cover (a hospice is staffed 24/7)
            cover = c.preferred == HOSPICE or self.cover[c.area]
            p = P["eol.achievement_prob"][0 if cover else 1] * P["eol.achievement_quintile_ratio"][c.quintile] * \
                P["eol.achievement_ethnicity_ratio"][c.ethnic]
            hospital = c.preferred == HOSPITAL or u >= p
        if hospital:
            self.admit(c)
        elif c.preferred == HOSPICE and "hospice" in c.caseload:
            self.env.process(self.hospice_stay(c, int(P["phase.dying_days"]), 0, 3))

    def run(self):
        self.env.run(until=self.end + 1)  # the last year-end runs at day `end`
        return self.out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("scenario_dir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    a = ap.parse_args()
    t0 = time.perf_counter()
    P = read_params(a.binary)
    areas = read_csv(f"{a.scenario_dir}/areas.csv")
    providers = read_csv(f"{a.scenario_dir}/providers.csv")
    P["population.prevalence_multiplier"] = 1.05  # as the Y&H baseline scenario sets it
    m = Model(P, areas, providers, a.seed, a.years, a.warmup)
    out = m.run()
    wall = time.perf_counter() - t0
    children = sum(o["children"] for o in out) / max(1, len(out))
    reached = sum(o["reached"] for o in out) / max(1, sum(o["children"] for o in out))
    deaths = sum(o["deaths"] for o in out)
    json.dump({"peer": "simpy", "simpy_version": simpy.__version__, "wall_seconds": round(wall, 3),
               "children_simulated": m.next_id, "mean_children_per_year": round(children, 1),
               "access_rate": round(reached, 4), "deaths_per_year": round(deaths / len(out), 1),
               "hospital_death_share": round(sum(o["deaths_hospital"] for o in out) / max(1, deaths), 3),
               "admissions_per_year": round(sum(o["admissions"] for o in out) / len(out), 1)}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
