// The explorer's "What does it take?" panel: `cpcsim solve` on the page. Builds a form from
// /api/levers (a target, the numeric levers to search with their ranges, the confidence and
// the measure to minimise), sends it to POST /api/solve, polls GET /api/solve for the settings
// tried so far and draws them with Chart.js (Debian's libjs-chart.js). The server checks every
// field; this page only shows what it says (docs/explorer.md, "Solve in the explorer").
"use strict";

(function () {
  const solve = { timer: null, chart: null, job: 0, levers: [] };
  const el = (tag, attrs, text) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const $ = (id) => document.getElementById(id);
  const show = (v, d) => (v === null || v === undefined ? "n/a"
    : Math.abs(v) >= 1e6 ? (v / 1e6).toFixed(2) + "m" : Number(v).toFixed(d === undefined ? 3 : d));
  const pct = (s) => Math.round(100 * s) + "%";

  function build(info) {
    const section = $("solve");
    section.appendChild(el("h2", {}, "What does it take to reach a target?"));
    section.appendChild(el("p", { class: "note" },
      "The cheapest setting of the chosen levers that meets the target in at least the asked share " +
      "of replicates: a design over the ranges, a surrogate of every replicate's response, " +
      "refinement, then a check on fresh replicates (cpcsim solve). One lever without a measure " +
      "to minimise: bisection."));
    const form = el("form", { id: "solve-form" });
    const measures = info.measures.map((m) => m.name);
    const select = (id, options, first) => {
      const s = el("select", { id, name: id });
      if (first !== undefined) s.appendChild(el("option", { value: "" }, first));
      for (const o of options) s.appendChild(el("option", { value: o }, o));
      return s;
    };
    const target = el("fieldset", {});
    target.appendChild(el("legend", {}, "Target"));
    const kind = select("solve-kind", ["level", "change from the baseline"]);
    const measure = select("solve-measure", measures);
    measure.value = "access_rate";
    const op = select("solve-op", [">=", "<="]);
    const value = el("input", { id: "solve-value", value: "0.01", size: "8", inputmode: "decimal" });
    kind.value = "change from the baseline";
    for (const e of [kind, measure, op, value]) target.appendChild(e);
    form.appendChild(target);

    const levers = el("fieldset", {});
    levers.appendChild(el("legend", {}, "Levers to search (tick up to 4) and their ranges"));
    solve.levers = info.levers.filter((l) => l.kind !== "boolean");
    for (const l of solve.levers) {
      const row = el("div", { class: "solve-lever" });
      const id = "solve-use-" + l.key.replace(/\./g, "-");
      const use = el("input", { type: "checkbox", id, "data-key": l.key });
      if (l.key === "funding.statutory_multiplier") use.checked = true;
      row.appendChild(use);
      row.appendChild(el("label", { for: id }, l.key));
      row.appendChild(el("input", { "data-low": l.key, value: String(l.value), size: "5", inputmode: "decimal" }));
      row.appendChild(el("input", { "data-high": l.key, value: String(l.max), size: "5", inputmode: "decimal" }));
      levers.appendChild(row);
    }
    form.appendChild(levers);

    const rest = el("fieldset", {});
    rest.appendChild(el("legend", {}, "Confidence and cost"));
    rest.appendChild(el("label", { for: "solve-confidence" }, "share of replicates "));
    rest.appendChild(el("input", { id: "solve-confidence", value: "0.8", size: "4", inputmode: "decimal" }));
    rest.appendChild(el("label", { for: "solve-minimise" }, " minimise "));
    const minimise = select("solve-minimise", measures, "(the levers themselves)");
    minimise.value = "cost_total_per_year";
    rest.appendChild(minimise);
    rest.appendChild(el("label", { for: "solve-replicates" }, " replicates "));
    rest.appendChild(el("input", { id: "solve-replicates", value: String(Math.min(10, info.replicates)),
      size: "3", inputmode: "numeric" }));
    form.appendChild(rest);
    form.appendChild(el("button", { type: "submit", id: "solve-button" }, "Solve"));
    section.appendChild(form);
    const errors = el("div", { id: "solve-errors", role: "alert" });
    errors.hidden = true;
    section.appendChild(errors);
    section.appendChild(el("p", { id: "solve-status", role: "status", "aria-live": "polite" }));
    section.appendChild(el("p", { id: "solve-answer" }));
    const box = el("div", { class: "solve-chart" });
    box.appendChild(el("canvas", { id: "solve-chart", height: "220" }));
    section.appendChild(box);
    form.addEventListener("submit", (ev) => { ev.preventDefault(); submit(); });
  }

  function fields() {
    const f = new URLSearchParams();
    const diff = $("solve-kind").value !== "level";
    f.append("target", (diff ? "diff " : "") + $("solve-measure").value + " " + $("solve-op").value + " " +
      $("solve-value").value.trim());
    for (const box of document.querySelectorAll("#solve-form input[type=checkbox]")) {
      if (!box.checked) continue;
      const key = box.getAttribute("data-key");
      f.append("low." + key, document.querySelector(`[data-low="${key}"]`).value.trim());
      f.append("high." + key, document.querySelector(`[data-high="${key}"]`).value.trim());
    }
    f.append("confidence", $("solve-confidence").value.trim());
    f.append("minimise", $("solve-minimise").value);
    f.append("replicates", $("solve-replicates").value.trim());
    return f;
  }

  function problems(list) {
    const box = $("solve-errors");
    box.replaceChildren();
    box.hidden = !list || list.length === 0;
    if (box.hidden) return;
    const ul = el("ul");
    for (const p of list) ul.appendChild(el("li", {}, p));
    box.appendChild(ul);
  }

  async function submit() {
    problems([]);
    const res = await fetch("/api/solve", { method: "POST", body: fields() });
    const body = await res.json();
    if (res.status !== 202) { problems(body.problems || ["the server said " + res.status]); return; }
    solve.job = body.job;
    $("solve-status").textContent = "Solving (job " + body.job + ")…";
    $("solve-answer").textContent = "";
    clearTimeout(solve.timer);
    poll();
  }

  async function poll() {
    const res = await fetch("/api/solve?job=" + solve.job);
    const s = await res.json();
    if (s.job !== solve.job) return;
    if (s.result) draw(s.result);
    const n = s.result ? s.result.points.length : 0;
    if (s.state === "waiting" || s.state === "running") {
      $("solve-status").textContent = "Solving: " + n + " settings tried…";
      solve.timer = setTimeout(poll, 500);
      return;
    }
    $("solve-status").textContent = "Solve " + s.state + ": " + n + " settings tried, " +
      (s.result ? s.result.runs : 0) + " runs.";
    if (s.state === "failed") problems(["the solve failed; see the server's log"]);
    if (s.state === "done" && s.result) answer(s.result);
  }

  function answer(r) {
    if (!r.answer) {
      $("solve-answer").textContent = "No setting tried met the target in " + pct(r.confidence) +
        " of replicates.";
      return;
    }
    const a = r.answer;
    let text = "Answer: " + Object.entries(a.levers).map(([k, v]) => k + " = " + show(v, 3)).join(", ") +
      "; met in " + pct(a.share_met.share) + " of " + a.replicates + " replicates; " + r.target.measure +
      (r.target.difference ? " change " : " ") + show(a.target.mean) + " [" + show(a.target.low) + ", " +
      show(a.target.high) + "]";
    if (r.objective !== "levers")
      text += "; " + r.objective + " " + show(a.objective.mean) + " [" + show(a.objective.low) + ", " +
        show(a.objective.high) + "]";
    if (r.verification) {
      const v = r.verification;
      text += ". Checked on " + v.replicates + " fresh replicates: met in " + pct(v.share_met.share) +
        " [95% interval " + pct(v.share_met.low) + ", " + pct(v.share_met.high) + "].";
      if (v.share_met.share < r.confidence)
        text += " That is less often than the " + pct(r.confidence) + " asked: the search's share is " +
          "optimistic for the setting it picked; a little more of the levers, or more replicates, is safer.";
    }
    $("solve-answer").textContent = text;
  }

  // One lever: the response curve (share met against the lever). Several: the settings tried
  // in the plane of the first two levers, those meeting the target apart from the rest.
  function draw(r) {
    if (typeof Chart === "undefined") return;
    const keys = r.levers.map((l) => l.key);
    const one = keys.length === 1;
    const ok = (p) => p.share_met.share >= r.confidence;
    const xy = (p) => one ? { x: p.levers[keys[0]], y: 100 * p.share_met.share }
      : { x: p.levers[keys[0]], y: p.levers[keys[1]] };
    const search = r.points.filter((p) => p.stage !== "verify");
    const datasets = [
      { label: "meets the target", data: search.filter(ok).map(xy), backgroundColor: "#17643a", pointRadius: 4 },
      { label: "does not", data: search.filter((p) => !ok(p)).map(xy), backgroundColor: "#c33", pointRadius: 4 },
    ];
    if (r.answer)
      datasets.push({ label: "answer", data: [xy(r.answer)], backgroundColor: "#1f5fbf", pointRadius: 8,
        pointStyle: "star", borderColor: "#1f5fbf" });
    const scales = {
      x: { title: { display: true, text: keys[0] } },
      y: one ? { title: { display: true, text: "share of replicates meeting the target (%)" }, min: 0, max: 100 }
        : { title: { display: true, text: keys[1] } },
    };
    if (solve.chart) {
      solve.chart.data.datasets = datasets;
      solve.chart.options.scales = scales;
      solve.chart.update("none");
      return;
    }
    solve.chart = new Chart($("solve-chart"), {
      type: "scatter", data: { datasets }, options: { animation: false, scales, responsive: true },
    });
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const res = await fetch("/api/levers");
    build(await res.json());
  });
})();
