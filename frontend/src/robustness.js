// Robustness results: how often each conclusion holds when the assumed numbers vary
// (with its confidence interval), the tornado of one-at-a-time stability intervals,
// and the acceptability of each alternative (SMAA-2). Drawn from the JSON document
// of `detente robustness`.

import { h, clear, fmt } from "./dom.js";

const short = (t) => (t.length > 60 ? `${t.slice(0, 57)}…` : t);

export async function renderRobustness(el, doc, names, P) {
  const shown = doc.conclusions.filter((c) => c.kind !== "equilibrium" || c.support < 1);
  const eq = doc.conclusions.filter((c) => c.kind === "equilibrium" && c.support >= 1).length;
  const label = (c) => short(c.kind === "gap" ? `gap: ${c.id.slice(4).split("+").map((k) => names.get(k) || k).join(" ✕ ")}` : c.text);
  const support = h("div", { class: "plot", id: "robustness-support", role: "img", "aria-label": "Share of draws in which each conclusion holds" });
  const withIntervals = doc.conclusions.filter((c) => c.intervals && c.intervals.length);
  const pick = h(
    "select",
    { id: "tornado-of", "aria-label": "Conclusion whose stability intervals are drawn" },
    withIntervals.map((c) => h("option", { value: c.id, selected: c.id === "cheapest-bridge" }, label(c))),
  );
  const tornado = h("div", { class: "plot", id: "robustness-tornado", role: "img", "aria-label": "Stability intervals of the assumed numbers" });
  const accept = h("div", { class: "plot", id: "robustness-acceptability", role: "img", "aria-label": "Acceptability of each alternative" });
  const rows = shown.map((c) =>
    h("tr", {}, h("td", {}, label(c)), h("td", {}, `${fmt(100 * c.support, 1)} %`), h("td", {}, `${fmt(100 * c.ci[0], 1)}–${fmt(100 * c.ci[1], 1)} %`), h("td", {}, c.verdict), h("td", {}, c.flip ? `${fmt(c.flip.distance)} (${c.flip.moves})` : "")),
  );
  clear(
    el,
    h("p", { class: "note" }, `${fmt(doc.completed)} draws, seed ${doc.seed}. ${doc.notes.join(" ")}${eq ? ` ${eq} equilibria hold in every draw.` : ""}`),
    support,
    h("div", { class: "scroll" }, h("table", { id: "robustness-table" }, h("thead", {}, h("tr", {}, ["Conclusion", "Holds in", "95 % interval", "Verdict", "Nearest flip"].map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, rows))),
    withIntervals.length ? [h("h3", {}, "Tornado: where each number may go before the conclusion changes"), h("label", {}, "Conclusion ", pick), tornado] : null,
    h("h3", {}, "Acceptability of the alternatives"),
    accept,
  );
  const config = { displaylogo: false, responsive: true };
  const ys = shown.map(label);
  await P.react(
    support,
    [{ type: "bar", orientation: "h", y: ys, x: shown.map((c) => c.support), error_x: { type: "data", symmetric: false, array: shown.map((c) => c.ci[1] - c.support), arrayminus: shown.map((c) => c.support - c.ci[0]) }, marker: { color: shown.map((c) => (c.support >= 0.95 ? "#1d7a3a" : c.support <= 0.05 ? "#b3261e" : "#8a5a00")) } }],
    { height: 60 + 26 * shown.length, margin: { l: 330, r: 20, t: 10, b: 40 }, xaxis: { range: [0, 1], tickformat: ".0%", title: { text: "share of draws in which it holds" } }, yaxis: { autorange: "reversed", automargin: true } },
    config,
  );
  const drawTornado = () => {
    const c = withIntervals.find((x) => x.id === pick.value);
    if (!c) return;
    const iv = [...c.intervals].sort((a, b) => a.share - b.share).slice(0, 15);
    const y = iv.map((i) => i.of);
    P.react(
      tornado,
      [
        { type: "bar", orientation: "h", name: "range varied", y, base: iv.map((i) => i.range[0]), x: iv.map((i) => i.range[1] - i.range[0]), marker: { color: "#d9dde5" } },
        { type: "bar", orientation: "h", name: "conclusion unchanged", y, base: iv.map((i) => i.lo), x: iv.map((i) => i.hi - i.lo), marker: { color: "#1f5fbf" } },
        { type: "scatter", mode: "markers", name: "estimate", y, x: iv.map((i) => i.estimate), marker: { color: "#000", symbol: "line-ns-open", size: 14 } },
      ],
      { barmode: "overlay", height: 80 + 26 * iv.length, margin: { l: 260, r: 20, t: 10, b: 40 }, yaxis: { automargin: true }, legend: { orientation: "h", y: -0.12 } },
      config,
    );
  };
  pick.addEventListener("change", drawTornado);
  drawTornado();
  const bridge = doc.conclusions.find((c) => c.acceptability && c.acceptability.length);
  if (bridge) {
    const a = bridge.acceptability.slice(0, 10);
    await P.react(
      accept,
      [{ type: "bar", orientation: "h", y: a.map((x, i) => `${i + 1}. ${short(x.value.split("+").map((k) => names.get(k) || k).join(" + "))}`), x: a.map((x) => x.share), text: a.map((x) => (x.confidence === null || x.confidence === undefined ? "" : `confidence ${fmt(x.confidence)}`)), textposition: "outside", marker: { color: "#1f5fbf" } }],
      { height: 60 + 30 * a.length, margin: { l: 330, r: 20, t: 10, b: 40 }, xaxis: { range: [0, 1], tickformat: ".0%", title: { text: `share of draws in which it is ${bridge.text}` } }, yaxis: { autorange: "reversed", automargin: true } },
      config,
    );
  } else clear(accept, h("p", { class: "note" }, "No alternatives to compare."));
}
