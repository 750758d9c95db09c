// Simulation: pick a protocol and each party's strategy, play it out on the server,
// then replay the offer history step by step (a slider over the trace).

import { h, clear, fmt } from "./dom.js";
import * as api from "./api.js";

let strategyList = null;

async function strategyNames() {
  if (!strategyList) {
    const r = await api.get("/api/strategies");
    strategyList = r.ok ? r.body.strategies.filter((s) => s.kind === "strategy").map((s) => s.name) : ["boulware", "linear", "conceder"];
  }
  return strategyList;
}

export function simulationPanel(view, getText, getOptions, loadPlotly) {
  const parties = [...new Set(view.toggles.demands.map((d) => d.party))];
  const names = view.toggles.parties;
  const protocol = h("select", { id: "sim-protocol" }, h("option", { value: "sao" }, "alternating offers (SAO)"), h("option", { value: "single-text" }, "mediator's single text"));
  const selects = parties.map((p) => h("select", { id: `sim-strategy-${p}`, "data-party": p }, h("option", { value: "" }, "default")));
  const mediator = h("select", { id: "sim-mediator", disabled: true }, ["scan", "flip", "anneal", "bridge"].map((k) => h("option", { value: k }, k)));
  protocol.addEventListener("change", () => {
    mediator.disabled = protocol.value !== "single-text";
    for (const sel of selects) sel.disabled = protocol.value !== "sao"; // voters: defaults
  });
  const steps = h("input", { type: "number", id: "sim-steps", min: 1, max: 10000, value: 100 });
  const cheapest = h("input", { type: "checkbox", id: "sim-cheapest", checked: true });
  const status = h("p", { class: "note", role: "status", id: "simulation-status" });
  const out = h("div", { id: "simulation-out" });
  const run = h("button", { type: "button", id: "simulation-run" }, "Simulate");
  strategyNames().then((list) => {
    for (const sel of selects) for (const n of list) sel.append(h("option", { value: n }, n));
  });
  run.addEventListener("click", async () => {
    run.disabled = true;
    status.textContent = "Simulating…";
    const o = getOptions();
    // voters of the single text are not offer strategies: the defaults then
    const strategy = protocol.value === "sao" ? selects.filter((s) => s.value).map((s) => `${s.dataset.party}=${s.value}`) : [];
    const relax = [...o.relax, ...(cheapest.checked ? ["cheapest"] : [])];
    const r = await api.post("simulate", getText(), { name: o.name, unlock: o.unlock, relax, strategy, protocol: protocol.value, mediator: protocol.value === "single-text" ? mediator.value : null, steps: steps.value, replay: true });
    run.disabled = false;
    if (!r.ok) {
      status.textContent = `Not simulated: ${api.problemsOf(r.body)[0].message}`;
      return;
    }
    const d = r.body;
    status.textContent = d.agreement ? `Agreement at step ${d.agreement.step}: ${d.parties.map((p) => `${names[p] || p} ${fmt(d.agreement.utilities[p])}`).join(", ")}.` : `No agreement (${d.reason}) after ${d.steps} steps.`;
    await replay(out, d, names, loadPlotly);
  });
  return h(
    "section",
    { class: "panel", id: "simulation", "aria-labelledby": "simulation-h" },
    h("h2", { id: "simulation-h" }, "Simulation"),
    h("p", { class: "note" }, "Play the negotiation out with the bundled strategies, then replay the offers."),
    h("div", { class: "form" },
      h("label", {}, "Protocol ", protocol),
      h("label", {}, "Mediator ", mediator),
      parties.map((p, i) => h("label", {}, `${names[p] || p} `, selects[i])),
      h("label", {}, "Steps ", steps),
      h("label", {}, cheapest, " relax the cheapest bridge first"),
    ),
    run,
    status,
    out,
  );
}

async function replay(out, d, names, loadPlotly) {
  // the offers (SAO) or the mediator's texts (single text), in order
  const rows = (d.replay || []).filter((r) => r.action === "offer" || r.action === "propose");
  if (!rows.length) {
    clear(out, h("p", {}, "No offers to replay."));
    return;
  }
  const plot = h("div", { class: "plot", id: "replay-plot", role: "img", "aria-label": "Offers in utility space, step by step" });
  const label = h("output", { id: "replay-label" });
  const slider = h("input", { type: "range", id: "replay-step", min: 0, max: rows.length - 1, value: rows.length - 1, "aria-label": "Replay: offer number" });
  const detail = h("p", { class: "note", id: "replay-detail" });
  clear(out, h("label", { for: "replay-step" }, "Offer ", label), slider, detail, plot);
  const P = await loadPlotly();
  const [a, b] = d.parties;
  const two = d.parties.length === 2;
  const draw = (k) => {
    const upto = rows.slice(0, k + 1);
    const proposers = [...new Set(rows.map((r) => r.party))];
    const traces = proposers.map((p) => {
      const mine = upto.filter((r) => r.party === p);
      return two
        ? { type: "scatter", mode: "lines+markers", name: `${names[p] || p}'s offers`, x: mine.map((r) => r.utilities[a]), y: mine.map((r) => r.utilities[b]) }
        : null;
    }).filter(Boolean);
    if (!two) {
      for (const p of d.parties) traces.push({ type: "scatter", mode: "lines+markers", name: `utility to ${names[p] || p}`, x: upto.map((r) => r.step), y: upto.map((r) => r.utilities[p]) });
    }
    const layout = two
      ? { xaxis: { title: { text: `utility to ${names[a] || a}` }, range: [0, 1.02] }, yaxis: { title: { text: `utility to ${names[b] || b}` }, range: [0, 1.02] }, height: 380, margin: { t: 20 } }
      : { xaxis: { title: { text: "step" } }, yaxis: { title: { text: "utility" }, range: [0, 1.02] }, height: 380, margin: { t: 20 } };
    P.react(plot, traces, layout, { displaylogo: false, responsive: true });
    const r = rows[k];
    label.textContent = `${k + 1} of ${rows.length}`;
    detail.textContent = `Step ${r.step}: ${names[r.party] || r.party} ${r.action === "propose" ? "proposes" : "offers"}; utilities ${d.parties.map((p) => `${names[p] || p} ${fmt(r.utilities[p])}`).join(", ")}.`;
  };
  slider.addEventListener("input", () => draw(Number(slider.value)));
  draw(rows.length - 1);
}
