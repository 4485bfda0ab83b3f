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
};

const state = { levers: [], job: 0, timer: null, debounce: null, map: null, layer: null, areas: {} };

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

function leverRow(l) {
  const div = document.createElement("div");
  div.className = "lever";
  const id = "lever-" + l.key.replace(/\W/g, "-");
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = LEVER_LABELS[l.key] || l.key;
  const input = document.createElement("input");
  input.id = id;
  input.name = l.key;
  input.dataset.key = l.key;
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
  const help = document.createElement("div");
  help.className = "help";
  help.textContent = `${l.key}: ${l.help}`;
  div.append(label, out, input, help);
  if (l.kind !== "boolean") { input.style.gridColumn = "1 / -1"; }
  return div;
}

// Only the levers that differ from the baseline: the job's overrides (and a saved scenario's
// header) then name exactly what was changed.
function leverFields() {
  const body = new URLSearchParams();
  for (const input of document.querySelectorAll("#lever-form input")) {
    const base = state.levers.find((l) => l.key === input.name);
    const value = input.type === "checkbox" ? input.checked : Number(input.value);
    const same = base && input.dataset.key === base.key &&
      (input.type === "checkbox" ? value === (base.value !== 0) : value === base.value);
    if (!same) body.append(input.dataset.key, input.type === "checkbox" ? String(value) : input.value);
  }
  return body;
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
    (s.overrides && s.overrides.length ? ` · changed: ${s.overrides.join(", ")}` : " · no lever changed");
  $("status").dataset.state = s.state;
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
  colourMap(s.areas);
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
  $("scenario").textContent = `Baseline: ${r.body.scenario} (${r.body.file}); up to ${r.body.replicates} paired replicates, seed ${r.body.seed}.`;
  const form = $("lever-form");
  for (const group of ["network", "funding"]) {
    const fs = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = group === "network" ? "Network mechanisms" : "Funding";
    fs.appendChild(legend);
    for (const l of state.levers.filter((x) => x.group === group)) fs.appendChild(leverRow(l));
    form.appendChild(fs);
  }
  $("reset").addEventListener("click", () => {
    for (const l of state.levers) {
      const input = document.querySelector(`#lever-form input[name="${l.key}"]`);
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
  await drawMap();
  $("status").textContent = "Ready: move a lever.";
  submit();  // the baseline against itself: every change 0, and the tables filled
}

init();
