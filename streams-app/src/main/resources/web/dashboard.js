// Chipstream dashboard: polls the app's JSON API and draws with uPlot (served by the app from
// its WebJar; nothing is fetched from a CDN).
"use strict";

const FAMILIES = ["APPLE_A_SERIES", "APPLE_M_SERIES", "GRAVITON", "INFERENTIA", "TRAINIUM",
  "NVIDIA_GPU", "X86"];
const COLORS = ["#8e44ad", "#c0392b", "#16a085", "#2980b9", "#d35400", "#27ae60", "#7f8c8d"];
const RANGE_MINUTES = 30;
const charts = {};
let range = [0, 1];

window.addEventListener("error", (e) => report("error: " + e.message));
window.addEventListener("unhandledrejection", (e) => report("error: " + e.reason));

function report(message) {
  document.getElementById("errors").textContent += message + "\n";
}

async function json(path) {
  const response = await fetch(path);
  if (!response.ok) {
    throw new Error(path + " answered " + response.status);
  }
  return response.json();
}

function tokensPerJoule(r) {
  return r.tokensPerJoule;
}

function tokensPerDollar(r) {
  return r.tokensPerDollar;
}

function series(records, value) {
  const starts = [...new Set(records.map((r) => Date.parse(r.windowStart) / 1000))]
    .sort((a, b) => a - b);
  const index = new Map(starts.map((s, i) => [s, i]));
  const data = [starts];
  for (const family of FAMILIES) {
    const column = starts.map(() => null);
    for (const r of records) {
      if (r.chipFamily === family) {
        column[index.get(Date.parse(r.windowStart) / 1000)] = value(r);
      }
    }
    data.push(column);
  }
  return data;
}

function draw(id, data, label) {
  const element = document.getElementById(id);
  if (!charts[id]) {
    const options = {
      width: element.clientWidth || 900, height: 260,
      series: [{}].concat(FAMILIES.map((f, i) => ({
        label: f, stroke: COLORS[i], width: 2, spanGaps: true,
        value: (u, v) => v == null ? "-" : v.toFixed(3) }))),
      scales: { x: { time: true, range: () => range } },
      axes: [{}, { label: label, size: 95 }],
    };
    charts[id] = new uPlot(options, data, element);
    document.body.dataset.chartsDrawn = String(Object.keys(charts).length);
  } else {
    charts[id].setData(data);
  }
}

function ratio(a, b) {
  return a > 0 && b > 0 ? a / b : null;
}

// Sums tokens and joules per family over the windows shown: measured where telemetry exists.
function efficiencyByFamily(records) {
  const sums = {};
  for (const r of records) {
    const s = sums[r.chipFamily] || (sums[r.chipFamily] = {
      measuredTokens: 0, measuredJoules: 0, tokens: 0, joules: 0, trainTokens: 0, trainJoules: 0 });
    s.measuredTokens += r.measuredTokens;
    s.measuredJoules += r.measuredEnergyJoules;
    s.tokens += r.promptTokens + r.outputTokens;
    s.joules += r.estimatedEnergyJoules;
    s.trainTokens += r.trainingTokens;
    s.trainJoules += r.trainingEnergyJoules;
  }
  const out = {};
  for (const [family, s] of Object.entries(sums)) {
    out[family] = {
      inference: s.measuredJoules > 0 ? ratio(s.measuredTokens, s.measuredJoules)
        : ratio(s.tokens, s.joules),
      training: ratio(s.trainTokens, s.trainJoules),
      // The tokens the inference figure rests on (a small sample moves a lot).
      inferenceTokens: s.measuredJoules > 0 ? s.measuredTokens : s.tokens,
    };
  }
  return out;
}

// sample: what the figures rest on, e.g. "on 48k vs 21k tokens".
function claimRow(claim, published, mine, baseline, sample) {
  let measured = "no data yet";
  let css = "";
  const index = mine != null && baseline != null ? mine / baseline : null;
  if (index != null) {
    // Rounded before its sign is chosen: 0.996x reads "0%", not "-0%", and is not a shortfall.
    const percent = Math.round((index - 1) * 100) || 0;
    measured = (percent > 0 ? "+" : "") + percent + "% (" + index.toFixed(2) + "x)"
      + (sample ? " <small>" + sample + "</small>" : "");
    css = percent > 0 ? "good" : percent < 0 ? "bad" : "";
  }
  return "<tr><td>" + claim + "</td><td>" + published + "</td><td class='" + css + "'>"
    + measured + "</td></tr>";
}

function claims(records) {
  const e = efficiencyByFamily(records);
  const inf = (f) => e[f] ? e[f].inference : null;
  const train = (f) => e[f] ? e[f].training : null;
  const count = (n) => n >= 1e6 ? (n / 1e6).toFixed(1) + "M" : n >= 1e3 ? Math.round(n / 1e3) + "k"
    : String(n);
  const tokens = (a, b) => "on " + count(e[a] ? e[a].inferenceTokens : 0) + " vs "
    + count(e[b] ? e[b].inferenceTokens : 0) + " tokens";
  document.querySelector("#claims tbody").innerHTML =
    claimRow("Graviton vs x86, inference", "about +40%", inf("GRAVITON"), inf("X86"),
      tokens("GRAVITON", "X86"))
    + claimRow("Inferentia vs x86, inference", "about +40%", inf("INFERENTIA"), inf("X86"),
      tokens("INFERENTIA", "X86"))
    + claimRow("Trainium vs NVIDIA GPU, training", "up to +50%", train("TRAINIUM"), train("NVIDIA_GPU"))
    + claimRow("Trainium vs x86, training", "up to +50%", train("TRAINIUM"), train("X86"));
}

function share(summary) {
  const local = summary.localShare == null ? 0 : summary.localShare;
  document.getElementById("share").innerHTML = summary.requests + " requests in the last "
    + "15 minutes: <b>" + (100 * local).toFixed(0) + "% local</b>, "
    + (100 * (1 - local)).toFixed(0) + "% cloud"
    + "<div class='bar' style='width:" + (100 * local).toFixed(1) + "%'></div>";
  const reasons = Object.entries(summary.reasons).sort((a, b) => b[1] - a[1]);
  const max = reasons.length ? reasons[0][1] : 1;
  document.querySelector("#reasons tbody").innerHTML = reasons.map(([reason, n]) =>
    "<tr><td>" + reason + "</td><td class='num'>" + n + "</td><td style='width:40%'>"
    + "<div class='bar' style='width:" + (100 * n / max).toFixed(1) + "%'></div></td></tr>")
    .join("");
}

function latency(latest) {
  const fmt = (v) => v == null ? "-" : v.toFixed(0);
  document.querySelector("#latency tbody").innerHTML = Object.values(latest)
    .filter((r) => r.requests > 0)
    .map((r) => "<tr><td>" + r.chipFamily + "</td><td class='num'>" + r.requests
      + "</td><td class='num'>" + fmt(r.latencyP50Ms) + "</td><td class='num'>"
      + fmt(r.latencyP95Ms) + "</td><td class='num'>" + fmt(r.latencyP99Ms) + "</td></tr>")
    .join("");
}

async function refresh() {
  try {
    const to = new Date();
    const from = new Date(to.getTime() - RANGE_MINUTES * 60000);
    range = [from.getTime() / 1000, to.getTime() / 1000 + 60];
    const [records, summary, latest] = await Promise.all([
      json("/api/efficiency?from=" + from.toISOString() + "&to=" + to.toISOString()),
      json("/api/decisions/summary"),
      json("/api/efficiency/latest"),
    ]);
    draw("tpj-chart", series(records, tokensPerJoule), "tokens / J");
    draw("tpd-chart", series(records, tokensPerDollar), "tokens / $");
    claims(records);
    share(summary);
    latency(latest);
    document.body.dataset.windows = String(records.length);
    document.getElementById("status").textContent = records.length + " family-windows, last "
      + RANGE_MINUTES + " minutes; updated " + to.toLocaleTimeString();
  } catch (e) {
    report(String(e));
  }
}

refresh();
setInterval(refresh, 5000);
