// The cpcsim explorer page: builds the levers from /api/levers, sends every change to /api/run,
// polls /api/status for the job's results as replicates arrive, and fills the tables and the
// Leaflet map. The server validates everything; this page only shows what it says.
"use strict";

const LABELS = {
  access_rate: "Children reached by specialist palliative care (share)",
  known_rate: "Children known to palliative care (share)",
  preferred_place_rate: "Deaths at the preferred place (share)",
  acp_at_death_rate: "Deaths with an advance care plan (share)",
  unplanned_admissions_per_year: "Unplanned admissions per year",
  bed_days_per_year: "Hospital bed-days per year",
  first_assessment_wait_days: "Wait for a first SPPC contact (days)",
  referral_mean_delay_days: "Referral delay (days)",
  unmet_days_sppc_per_year: "Child-days of SPPC need unmet per year",
  unmet_days_ccn_per_year: "Child-days of community nursing unmet per year",
  unmet_days_eol_per_year: "Dying child-days without a wanted hospice bed per year",
  cost_total_per_year: "Total cost per year (GBP)",
  death_home_share: "Home", death_hospice_share: "Hospice", death_hospital_share: "Hospital",
  cost_statutory_per_year: "Statutory (NHS and local authorities)",
  cost_charitable_per_year: "Charitable (hospices' fundraising)",
  cost_hospital_per_year: "Hospital admissions",
  cost_network_per_year: "Network (coordinator, training, records, rota)",
};
// Benefits: higher is better (+1); harms: lower is better (-1).
const BENEFITS_HARMS = [
  ["access_rate", +1], ["known_rate", +1], ["preferred_place_rate", +1], ["acp_at_death_rate", +1],
  ["unplanned_admissions_per_year", -1], ["bed_days_per_year", -1], ["first_assessment_wait_days", -1],
  ["unmet_days_sppc_per_year", -1], ["unmet_days_ccn_per_year", -1], ["unmet_days_eol_per_year", -1],
  ["cost_total_per_year", -1],
];
const PLACES = ["death_home_share", "death_hospice_share", "death_hospital_share"];
const PAYERS = ["cost_statutory_per_year", "cost_charitable_per_year", "cost_hospital_per_year",
                "cost_network_per_year", "cost_total_per_year"];
const LEVER_LABELS = {
  "network.coordinator_wte": "Paid network coordinator (WTE)",
  "network.leadership": "Clinical leadership (0-1)",
  "network.early_wins": "Shared early wins (0-1)",
  "network.training": "Training programme intensity (0-1)",
  "network.common_standards": "Common standards and ACP templates",
  "network.shared_records": "Shared records",
  "network.pooled_capacity": "Pooled capacity across catchments",
  "network.pooling_max_travel_minutes": "Pooling travel limit (minutes)",
  "network.rota_24_7": "24/7 advice rota",
  "funding.statutory_multiplier": "Statutory funding (× baseline)",
  "funding.charitable_multiplier": "Charitable funding (× baseline)",
  "funding.statutory_by_type.hospice": "Statutory funding of hospices (× baseline)",
  "funding.statutory_by_type.sppc": "Statutory funding of SPPC teams (× baseline)",
  "funding.statutory_by_type.ccn": "Statutory funding of community nursing (× baseline)",
  "funding.statutory_by_type.hospital": "Statutory funding of hospitals (× baseline)",
};
const TYPE_NAMES = { hospice: "Hospices", sppc: "SPPC teams", ccn: "Community nursing teams", hospital: "Hospitals" };

const state = { levers: [], job: 0, timer: null, debounce: null, map: null, layer: null, areas: {}, info: null };

function $(id) { return document.getElementById(id); }

// Digits for a number of magnitude `scale`: three decimals below 1, none from 100 up.
function digits(scale) { return scale < 1 ? 3 : scale < 100 ? 2 : 0; }
function fmt(v, d) {
  if (v === null || v === undefined || Number.isNaN(v)) return "n/a";
  if (Math.abs(v) >= 1e6) return (v / 1e6).toFixed(2) + "m";  // money: GBP millions
  if (d === undefined) d = digits(Math.abs(v));
  return v.toLocaleString("en-GB", { minimumFractionDigits: d, maximumFractionDigits: d });
}
// One precision for the mean and both ends, from the largest of them.
function fmtInterval(i) {
  const d = digits(Math.max(...[i.mean, i.low, i.high].filter((x) => x !== null).map(Math.abs), 0));
  return `${fmt(i.mean, d)}\n[${fmt(i.low, d)}, ${fmt(i.high, d)}]`;  // the interval on a line of its own
}
function points(i) { return i === null ? "n/a" : `${(100 * i.mean).toFixed(1)} [${(100 * i.low).toFixed(1)}, ${(100 * i.high).toFixed(1)}]`; }

function showErrors(problems) {
  const box = $("errors");
  if (!problems || problems.length === 0) { box.hidden = true; box.textContent = ""; return; }
  box.hidden = false;
  box.innerHTML = "<strong>The settings were not accepted:</strong>";
  const ul = document.createElement("ul");
  for (const p of problems) { const li = document.createElement("li"); li.textContent = p; ul.appendChild(li); }
  box.appendChild(ul);
}

async function getJson(url, options) {
  const res = await fetch(url, options);
  let body = null;
  try { body = await res.json(); } catch (e) { body = { problems: [`${res.status} ${res.statusText}`] }; }
  return { ok: res.ok, status: res.status, body };
}

// One lever's row. Region-wide levers are named by their key; a place's copy (`place` set) is
// named when sent (local.K.<name>) and starts at the region's current value.
function leverRow(l, place) {
  const div = document.createElement("div");
  div.className = "lever";
  const id = (place ? `place${place}-` : "lever-") + l.key.replace(/\W/g, "-");
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = LEVER_LABELS[l.key] || l.key;
  const input = document.createElement("input");
  input.id = id;
  if (place) {
    input.className = "place-lever";
    input.dataset.lever = l.key;
    const region = regionInput(l.key);
    l = Object.assign({}, l, { value: region.type === "checkbox" ? (region.checked ? 1 : 0) : Number(region.value) });
  } else {
    input.className = "region-lever";
    input.name = l.key;
    input.dataset.key = l.key;
  }
  const out = document.createElement("output");
  if (l.kind === "boolean") {
    input.type = "checkbox";
    input.checked = l.value !== 0;
    out.textContent = input.checked ? "on" : "off";
  } else {
    input.type = "range";
    input.min = l.min; input.max = l.max;
    // "any": a fixed step would snap the baseline's own value (60 minutes on a 1.8 grid) and
    // change the scenario before anyone touched it.
    input.step = l.kind === "integer" ? 1 : "any";
    input.value = l.value;
    out.textContent = fmt(l.value);
  }
  input.addEventListener("input", () => {
    out.textContent = input.type === "checkbox" ? (input.checked ? "on" : "off") : fmt(Number(input.value));
    schedule();
  });
  div.append(label, out, input);
  if (!place) {
    const help = document.createElement("div");
    help.className = "help";
    help.textContent = `${l.key}: ${l.help}`;
    div.append(help);
  }
  if (l.kind !== "boolean") { input.style.gridColumn = "1 / -1"; }
  return div;
}

// Only the levers that differ from the baseline: the job's overrides (and a saved scenario's
// header) then name exactly what was changed.
function regionInput(key) { return document.querySelector(`#lever-form input.region-lever[name="${key}"]`); }
function inputValue(input) { return input.type === "checkbox" ? String(input.checked) : input.value; }

function leverFields() {
  const body = new URLSearchParams();
  for (const input of document.querySelectorAll("#lever-form input.region-lever")) {
    const base = state.levers.find((l) => l.key === input.name);
    const value = input.type === "checkbox" ? input.checked : Number(input.value);
    const same = base && input.dataset.key === base.key &&
      (input.type === "checkbox" ? value === (base.value !== 0) : value === base.value);
    if (!same) body.append(input.dataset.key, input.type === "checkbox" ? String(value) : input.value);
  }
  // A place's lever is sent where it differs from the region-wide setting on the page; the
  // sets are numbered 1, 2, ... in page order, as the server's messages count them.
  document.querySelectorAll("#places fieldset.place").forEach((fs, i) => {
    const k = i + 1;
    const [kind, where] = splitWhere(fs.querySelector("select.where").value);
    body.append(`local.${k}.${kind}`, where);
    for (const input of fs.querySelectorAll("input.place-lever")) {
      const v = inputValue(input);
      if (v !== inputValue(regionInput(input.dataset.lever)))
        body.append(`local.${k}.${input.dataset.lever.replace(/^network\./, "")}`, v);
    }
  });
  body.append("uncertainty", $("uncertainty").checked ? "prior" : "none");
  document.querySelectorAll("#posts div.post").forEach((div, i) => {
    const amount = div.querySelector("input.amount").value.trim();
    if (amount === "") return;
    const k = i + 1;
    // One provider's id, or a selection "sel:ICB|TYPE" (either part may be empty).
    const who = div.querySelector("select.provider").value;
    if (who.startsWith("sel:")) {
      const [icb, type] = who.slice(4).split("|");
      if (icb) body.append(`post.${k}.icb`, icb);
      if (type) body.append(`post.${k}.provider_type`, type);
    } else {
      body.append(`post.${k}.provider`, who);
    }
    body.append(`post.${k}.${div.querySelector("select.unit").value}`, amount);
    body.append(`post.${k}.year`, div.querySelector("input.year").value.trim() || "0");
    body.append(`post.${k}.income`, div.querySelector("select.income").value);
  });
  return body;
}

function splitWhere(v) { const i = v.indexOf(":"); return [v.slice(0, i), v.slice(i + 1)]; }

function option(parent, value, text) {
  const o = document.createElement("option");
  o.value = value; o.textContent = text;
  parent.appendChild(o);
  return o;
}

function optgroup(label, pairs) {
  const g = document.createElement("optgroup");
  g.label = label;
  for (const [value, text] of pairs) option(g, value, text);
  return g;
}

// Removes `el` and renumbers the rest (the server's messages count them in page order).
function removeButton(el, selector, title) {
  const b = Object.assign(document.createElement("button"), { type: "button", textContent: "Remove", className: "remove" });
  b.addEventListener("click", () => { el.remove(); renumber(selector, title); schedule(); });
  return b;
}

function renumber(selector, title) {
  document.querySelectorAll(selector).forEach((el, i) => { el.querySelector(".title").textContent = `${title} ${i + 1}`; });
}

// A lever set for one place: where (an ICB or one area) and the levers [[local_network]] takes.
function addPlace() {
  const places = $("places");
  if (places.querySelectorAll("fieldset.place").length >= state.info.max_places) return;
  const n = places.querySelectorAll("fieldset.place").length + 1;
  const fs = document.createElement("fieldset");
  fs.className = "place";
  const legend = document.createElement("legend");
  legend.innerHTML = '<span class="title"></span>';
  fs.appendChild(legend);
  const label = document.createElement("label");
  label.textContent = "Where ";
  const select = document.createElement("select");
  select.className = "where";
  select.append(optgroup("Integrated care boards", state.info.icbs.map((icb) => [`icb:${icb}`, icb])),
    optgroup("Areas", state.info.areas.map((a) => [`areas:${a.code}`, `${a.name} (${a.icb})`])));
  select.addEventListener("change", schedule);
  label.appendChild(select);
  fs.append(label, removeButton(fs, "#places fieldset.place", "Lever set for one place"));
  for (const key of state.info.local_levers) {
    const l = state.levers.find((x) => x.key === key);
    if (l) fs.appendChild(leverRow(l, n));
  }
  places.appendChild(fs);
  renumber("#places fieldset.place", "Lever set for one place");
  return fs;
}

// New posts, money or a multiplier of an income for one provider or a selection (an ICB and/or a
// provider type), from a year on.
function addPost() {
  const posts = $("posts");
  if (posts.querySelectorAll("div.post").length >= state.info.max_places) return;
  const div = document.createElement("div");
  div.className = "post";
  const title = document.createElement("div");
  title.className = "title";
  const provider = document.createElement("select");
  provider.className = "provider";
  provider.setAttribute("aria-label", "Provider");
  for (const type of Object.keys(TYPE_NAMES)) {
    const ps = state.info.providers.filter((x) => x.type === type);
    if (ps.length) provider.appendChild(optgroup(TYPE_NAMES[type], ps.map((p) => [p.id, p.name])));
  }
  // Every provider of a type in an ICB, every provider in an ICB, or every provider of a type.
  const kinds = ["hospice", "sppc", "ccn"];
  const selections = [];
  // Only selections that hold a provider (a provider belongs to the ICB where it stands).
  const has = (icb, t) => state.info.providers.some((x) => kinds.includes(x.type) && (!icb || x.icb === icb) && (!t || x.type === t));
  for (const icb of state.info.icbs) {
    if (has(icb, "")) selections.push([`sel:${icb}|`, `every hospice and team standing in ${icb}`]);
    for (const t of kinds) if (has(icb, t)) selections.push([`sel:${icb}|${t}`, `${TYPE_NAMES[t]} standing in ${icb}`]);
  }
  for (const t of kinds) selections.push([`sel:|${t}`, `${TYPE_NAMES[t]}, whole region`]);
  provider.appendChild(optgroup("Several providers", selections));
  // An input or select with its class, accessible name, attributes and options.
  const control = (tag, cls, name, attrs, options) => {
    const el = Object.assign(document.createElement(tag), { className: cls }, attrs);
    el.setAttribute("aria-label", name);
    for (const [value, text] of options || []) option(el, value, text);
    return el;
  };
  const amount = control("input", "amount", "Amount", { type: "number", step: "any", placeholder: "amount" });
  const unit = control("select", "unit", "Unit", {}, [["wte", "new posts (WTE)"], ["amount_gbp", "GBP per year"],
    ["multiplier", "x the income (multiplier)"]]);
  const year = control("input", "year", "From year", { type: "number", min: 0, max: state.info.years, step: "any", value: 0 });
  const income = control("select", "income", "Paid from", {}, [["statutory", "statutory"], ["charitable", "charitable"]]);
  const remove = removeButton(div, "#posts div.post", "New posts or money");
  const line = (text, ...els) => { const l = document.createElement("label"); l.append(text, ...els); return l; };
  div.append(title, line("Provider ", provider), line("", amount, " ", unit), line("from year ", year),
    line("paid from ", income), remove);
  for (const el of [provider, amount, unit, year, income]) el.addEventListener("input", schedule);
  posts.appendChild(div);
  renumber("#posts div.post", "New posts or money");
  return div;
}

function schedule() {
  clearTimeout(state.debounce);
  state.debounce = setTimeout(submit, 150);
}

async function submit() {
  const r = await getJson("/api/run", { method: "POST", body: leverFields() });
  if (!r.ok) { showErrors(r.body.problems); $("status").textContent = "Not run: see the problems above."; return; }
  showErrors([]);
  state.job = r.body.job;
  $("status").textContent = `Job ${state.job}: running…`;
  poll();
}

async function poll() {
  clearTimeout(state.timer);
  const job = state.job;
  const r = await getJson(`/api/status?job=${job}`);
  if (job !== state.job) return;  // a newer job took over
  if (!r.ok) { showErrors(r.body.problems); return; }
  const s = r.body;
  if (s.measures) render(s);
  const finished = ["done", "cancelled", "failed", "superseded"].includes(s.state);
  $("status").textContent = `Job ${s.job}: ${s.done} of ${s.target} paired replicates (${s.state})` +
    (s.overrides && (s.overrides.length || s.places.length) ? ` · changed: ${s.overrides.concat(s.places).join(", ")}`
      : " · no lever changed");
  $("status").dataset.state = s.state;
  if (s.uncertainty_note) {
    $("mode").textContent = `Shown: ${s.uncertainty_note}.`;
    $("mode").dataset.mode = s.uncertainty;
  }
  $("status").dataset.done = s.done;
  if (!finished) state.timer = setTimeout(poll, 250);
}

function byName(list) { const m = {}; for (const x of list) m[x.name] = x; return m; }

function fillRows(tbody, rows) {
  tbody.textContent = "";
  for (const cells of rows) {
    const tr = document.createElement("tr");
    cells.forEach((c, i) => {
      const td = document.createElement(i === 0 ? "th" : "td");
      if (typeof c === "object") { td.textContent = c.text; if (c.cls) td.className = c.cls; if (c.key) tr.dataset.measure = c.key; }
      else { td.textContent = c; if (i > 0) td.className = "num"; }
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
  }
}

function verdict(d, direction) {
  if (d.low === null || d.high === null) return { text: "no clear change", cls: "" };
  if (d.low > 0 || d.high < 0) {
    const up = d.low > 0;
    return (up === (direction > 0)) ? { text: "better", cls: "verdict better" } : { text: "worse", cls: "verdict worse" };
  }
  return { text: "no clear change", cls: "verdict" };
}

function render(s) {
  const m = byName(s.measures);
  fillRows($("benefits-harms").tBodies[0], BENEFITS_HARMS.filter(([k]) => m[k]).map(([k, dir]) => [
    { text: LABELS[k] || k, key: k }, fmtInterval(m[k].a), fmtInterval(m[k].b), fmtInterval(m[k].diff), verdict(m[k].diff, dir)]));
  fillRows($("place-of-death").tBodies[0], PLACES.filter((k) => m[k]).map((k) => [
    { text: LABELS[k], key: k }, fmtInterval(m[k].a), fmtInterval(m[k].b), fmtInterval(m[k].diff)]));
  fillRows($("cost-per-payer").tBodies[0], PAYERS.filter((k) => m[k]).map((k) => [
    { text: LABELS[k], key: k }, fmtInterval(m[k].a), fmtInterval(m[k].b), fmtInterval(m[k].diff)]));
  for (const id of ["quintiles", "ethnic_groups"]) {
    fillRows($(id).tBodies[0], s[id].map((g) => [{ text: g.name }, points(g.a), points(g.b), points(g.diff)]));
  }
  state.last = s;
  colourMap($("map-measure").value === "cover" ? s.areas_cover_24_7 : s.areas);
}

// Diverging colours for a change in access (points): blue = more access, red = less.
function colour(v, scale) {
  if (v === null || Number.isNaN(v)) return "#cccccc";
  const t = Math.max(-1, Math.min(1, v / scale));
  const c = (a, b) => Math.round(a + (b - a) * Math.abs(t));
  return t >= 0 ? `rgb(${c(247, 33)},${c(247, 102)},${c(247, 172)})` : `rgb(${c(247, 178)},${c(247, 24)},${c(247, 43)})`;
}

function colourMap(areas) {
  if (!state.layer) return;
  const change = {};
  let scale = 0.5;
  for (const a of areas) {
    const pts = a.diff.mean === null ? null : 100 * a.diff.mean;
    change[a.name] = { pts, a, };
    if (pts !== null) scale = Math.max(scale, Math.abs(pts));
  }
  state.layer.eachLayer((layer) => {
    const code = layer.feature.properties.code;
    const c = change[code];
    const pts = c ? c.pts : null;
    layer.setStyle({ fillColor: colour(pts, scale), fillOpacity: 0.85 });
    const el = layer.getElement ? layer.getElement() : null;
    if (el) { el.dataset.code = code; el.dataset.change = pts === null ? "" : pts.toFixed(2); }
    layer.bindTooltip(`${layer.feature.properties.name}: ${c ? points(c.a.diff) : "n/a"} points` +
      (c ? ` (baseline ${(100 * c.a.a.mean).toFixed(1)}%)` : ""));
  });
  $("legend").innerHTML = `<span style="background:${colour(-scale, scale)}"></span> −${scale.toFixed(1)} ` +
    `<span style="background:${colour(0, scale)}"></span> 0 <span style="background:${colour(scale, scale)}"></span> +${scale.toFixed(1)} points`;
  $("map").dataset.coloured = String(areas.length);
}

async function drawMap() {
  const r = await getJson("/api/boundaries");
  const attribution = await getJson("/api/attribution");
  if (!r.ok) { $("map").textContent = "No boundaries file beside the scenario: no map."; return; }
  state.map = L.map("map", { zoomSnap: 0.25, attributionControl: true });
  state.layer = L.geoJSON(r.body, {
    style: () => ({ color: "#444", weight: 1, fillColor: "#cccccc", fillOpacity: 0.85, className: "area" }),
  }).addTo(state.map);
  state.map.fitBounds(state.layer.getBounds());
  if (attribution.ok) {
    $("attribution").textContent = attribution.body.join(" · ");
    state.map.attributionControl.addAttribution("Boundaries: ONS/OS (OGL v3), M. Chorley (CC BY 4.0)");
  }
  $("map").dataset.features = String(r.body.features.length);
}

async function init() {
  const r = await getJson("/api/levers");
  if (!r.ok) { showErrors(r.body.problems); return; }
  state.levers = r.body.levers;
  state.info = r.body;
  $("uncertainty").checked = r.body.uncertainty === "prior";
  $("uncertainty-note").textContent = `(${r.body.uncertainty_note}; the intervals then include it)`;
  $("uncertainty").addEventListener("change", schedule);
  $("scenario").textContent = `Baseline: ${r.body.scenario} (${r.body.file}); up to ${r.body.replicates} paired replicates, seed ${r.body.seed}.`;
  const form = $("lever-form");
  for (const group of ["network", "funding"]) {
    const fs = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = group === "network" ? "Network mechanisms" : "Funding";
    fs.appendChild(legend);
    for (const l of state.levers.filter((x) => x.group === group)) fs.appendChild(leverRow(l));
    form.appendChild(fs);
    // After the region-wide levers of each group: its additions for one place or provider.
    const extra = document.createElement("div");
    extra.id = group === "network" ? "places" : "posts";
    const add = document.createElement("button");
    add.type = "button";
    add.id = group === "network" ? "add-place" : "add-post";
    add.textContent = group === "network" ? "Add network levers for one ICB or area" : "Add new posts, money or a funding change for a provider or an ICB";
    add.addEventListener("click", () => { if (group === "network") addPlace(); else addPost(); });
    form.append(extra, add);
  }
  $("reset").addEventListener("click", () => {
    for (const el of document.querySelectorAll("#places fieldset.place, #posts div.post")) el.remove();
    $("uncertainty").checked = state.info.uncertainty === "prior";
    for (const l of state.levers) {
      const input = regionInput(l.key);
      if (input.type === "checkbox") input.checked = l.value !== 0; else input.value = l.value;
      input.dispatchEvent(new Event("input"));
    }
  });
  $("save-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const s = await getJson("/api/save", { method: "POST", body: new URLSearchParams({ name: $("save-name").value }) });
    if (!s.ok) { showErrors(s.body.problems); return; }
    showErrors([]);
    $("saved").innerHTML = "";
    const a = document.createElement("a");
    a.href = `/api/download?file=${encodeURIComponent(s.body.file)}`;
    a.textContent = `Saved ${s.body.path}`;
    a.id = "saved-link";
    a.dataset.path = s.body.path;
    $("saved").appendChild(a);
  });
  $("h5-button").addEventListener("click", async () => {
    const s = await getJson("/api/results.h5", { method: "POST", body: new URLSearchParams({ name: "explorer-results.h5" }) });
    if (!s.ok) { showErrors(s.body.problems); return; }
    $("h5-saved").innerHTML = `<a href="/api/download?file=${encodeURIComponent(s.body.file)}">${s.body.file}</a>`;
  });
  $("map-measure").addEventListener("change", () => { if (state.last) render(state.last); });
  await drawMap();
  $("status").textContent = "Ready: move a lever.";
  submit();  // the baseline against itself: every change 0, and the tables filled
}

init();
