// Chipstream dashboard: polls the app's JSON API and draws with uPlot (served by the app from
// its WebJar; nothing is fetched from a CDN).
"use strict";

const FAMILIES = ["APPLE_A_SERIES", "APPLE_M_SERIES", "GRAVITON", "INFERENTIA", "TRAINIUM",
  "NVIDIA_GPU", "X86"];
// One per family, far apart in CIELAB (StaticAssetsTest): x86, the baseline, in black.
const COLORS = ["#8e44ad", "#c0392b", "#59a14f", "#4e79a7", "#e69f00", "#9c755f", "#000000"];
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

// Per family, [tokens, joules] in each window shown (by window start), of one kind: inference
// on the basis the family's total uses (measured by telemetry where the family has any in the
// range, else estimated from decisions), or training (TRAINING telemetry).
function windowSums(records, family, kind) {
  const mine = records.filter((r) => r.chipFamily === family);
  const measured = mine.some((r) => r.measuredEnergyJoules > 0);
  const byWindow = new Map();
  for (const r of mine) {
    const sums = kind === "training" ? [r.trainingTokens, r.trainingEnergyJoules]
      : measured ? [r.measuredTokens, r.measuredEnergyJoules]
      : [r.promptTokens + r.outputTokens, r.estimatedEnergyJoules];
    if (sums[0] > 0 || sums[1] > 0) {
      const into = byWindow.get(r.windowStart) || [0, 0];
      byWindow.set(r.windowStart, [into[0] + sums[0], into[1] + sums[1]]);
    }
  }
  return byWindow;
}

// Tokens per joule over the windows, leaving one out (or none).
function tokensPerJouleWithout(byWindow, left) {
  let tokens = 0;
  let joules = 0;
  for (const [start, sums] of byWindow) {
    if (start !== left) {
      tokens += sums[0];
      joules += sums[1];
    }
  }
  return ratio(tokens, joules);
}

// Family a's efficiency over family b's, summed over the windows shown, and how much it moves
// with the windows it rests on: the jackknife's standard error (each window left out in turn),
// when both families have data in two windows or more and there are three windows at least.
// Windows next to each other are not independent samples: read it as a guide, not a test.
function compare(records, a, b, kind) {
  const wa = windowSums(records, a, kind);
  const wb = windowSums(records, b, kind);
  const index = (left) => {
    const x = tokensPerJouleWithout(wa, left);
    const y = tokensPerJouleWithout(wb, left);
    return x != null && y != null ? x / y : null;
  };
  const tokens = (byWindow) => [...byWindow.values()].reduce((sum, v) => sum + v[0], 0);
  const windows = [...new Set([...wa.keys(), ...wb.keys()])];
  const all = index(undefined);
  let error = null;
  if (all != null && wa.size >= 2 && wb.size >= 2 && windows.length >= 3) {
    const left = windows.map(index);
    const mean = left.reduce((sum, v) => sum + v, 0) / left.length;
    const n = left.length;
    error = Math.sqrt((n - 1) / n * left.reduce((sum, v) => sum + (v - mean) ** 2, 0));
  }
  return { index: all, error: error, windows: windows.length, tokensA: tokens(wa),
    tokensB: tokens(wb) };
}

function count(n) {
  return n >= 1e6 ? (n / 1e6).toFixed(1) + "M" : n >= 1e3 ? Math.round(n / 1e3) + "k"
    : String(n);
}

// A claim's row: the index as a percentage with twice its standard error (about a 95% range),
// green or red only when that range is clear of parity; the tokens and windows behind it.
function claimRow(claim, published, c) {
  let measured = "no data yet";
  let css = "";
  if (c.index != null) {
    // Rounded before its sign is chosen: 0.996x reads "0%", not "-0%", and is not a shortfall.
    const percent = Math.round((c.index - 1) * 100) || 0;
    const spread = c.error == null ? null : Math.round(2 * c.error * 100);
    measured = (percent > 0 ? "+" : "") + percent + "%"
      + (spread == null ? "" : " \u00b1" + spread) + " (" + c.index.toFixed(2) + "x)"
      + " <small>on " + count(c.tokensA) + " vs " + count(c.tokensB) + " tokens, "
      + (spread == null ? c.windows + (c.windows === 1 ? " window" : " windows")
        + ": too few for a range" : c.windows + " windows") + "</small>";
    if (spread != null && Math.abs(percent) > spread) {
      css = percent > 0 ? "good" : "bad";
    }
  }
  return "<tr><td>" + claim + "</td><td>" + published + "</td><td class='" + css + "'>"
    + measured + "</td></tr>";
}

function claims(records) {
  document.querySelector("#claims tbody").innerHTML =
    claimRow("Graviton vs x86, inference", "about +40%",
      compare(records, "GRAVITON", "X86", "inference"))
    + claimRow("Inferentia vs x86, inference", "about +40%",
      compare(records, "INFERENTIA", "X86", "inference"))
    + claimRow("Trainium vs NVIDIA GPU, training", "up to +50%",
      compare(records, "TRAINIUM", "NVIDIA_GPU", "training"))
    + claimRow("Trainium vs x86, training", "up to +50%",
      compare(records, "TRAINIUM", "X86", "training"));
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
