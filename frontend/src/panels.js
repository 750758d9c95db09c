// The analysis panels beside the editor, each drawn from the view document
// (POST /api/view: the analysis JSON of `detente analyze`, the proposal checks,
// figures, toggles and timeline).

import { h, clear, fmt } from "./dom.js";

function section(id, title, ...body) {
  return h("section", { class: "panel", id, "aria-labelledby": `${id}-h` }, h("h2", { id: `${id}-h` }, title), ...body);
}

export function labels(view) {
  const out = new Map();
  for (const d of view.toggles.demands) {
    out.set(d.key, `${d.party_name}: ${d.kind === "reservation" ? "its reservation value" : d.label}`);
  }
  return out;
}

function demandList(keys, names) {
  return h("ul", { class: "demands" }, keys.map((k) => h("li", {}, names.get(k) || k)));
}

export function bottomLine(view) {
  const s = view.analysis.summary;
  const verdict = s.deal
    ? h("p", { class: "verdict ok", id: "verdict" }, `Deal space open: ${fmt(s.zopa_size)} outcomes acceptable to every party.`)
    : h("p", { class: "verdict no", id: "verdict" }, "No deal: no outcome meets every red line and reservation.");
  return section("bottom-line", "Bottom line", verdict, view.bottom_line.filter((t) => t.startsWith("Bottom line:")).map((t) => h("p", { class: "note", id: "bottom-line-of" }, t.slice(13))), h("ul", { class: "sentences" }, view.bottom_line.filter((t) => !t.startsWith("Bottom line:")).map((t) => h("li", {}, t))));
}

export function proposals(view) {
  const rows = [];
  for (const p of view.check.proposals) {
    for (const pc of p.parties) {
      const broken = [...pc.broken_always, ...pc.broken_sometimes.map((r) => `${r} (sometimes)`)];
      rows.push(
        h(
          "tr",
          {},
          h("td", {}, p.id),
          h("td", {}, view.toggles.parties[pc.party] || pc.party),
          h("td", { class: `v-${pc.verdict}` }, pc.verdict),
          h("td", {}, broken.length ? broken.join(", ") : "none"),
          h("td", {}, pc.utility ? `${fmt(pc.utility.min)}–${fmt(pc.utility.max)}` : ""),
          h("td", {}, pc.reservation === null || pc.reservation === undefined ? "" : fmt(pc.reservation)),
        ),
      );
    }
  }
  if (!rows.length) return section("proposals", "Proposals against red lines", h("p", {}, "The file has no proposals."));
  return section(
    "proposals",
    "Proposals against red lines",
    h(
      "div",
      { class: "scroll" },
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, ["Proposal", "Party", "Verdict", "Red lines broken", "Utility", "Reservation"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, rows),
      ),
    ),
  );
}

export function dealPlot() {
  return section("deal-space", "Deal space", h("div", { class: "plot", id: "deal-plot", role: "img", "aria-label": "Utilities of the outcomes for each party" }));
}

export function gaps(view, state, onToggle) {
  const s = view.analysis.summary;
  const names = labels(view);
  const gapItems = (s.gaps || []).map((g) =>
    h("li", {}, h("span", {}, g.red_lines.map((k) => names.get(k) || k).join(" ✕ ")), g.reported_only ? h("span", { class: "tag reported" }, "reported") : h("span", { class: "tag assumed" }, "rests on assumptions")),
  );
  const bridges = (view.analysis.bridges || []).slice(0, 5).map((b, i) =>
    h(
      "li",
      {},
      h("span", {}, `Relax ${b.relax.map((k) => names.get(k) || k).join(" + ")} (cost ${fmt(b.cost)}, opens ${fmt(b.zopa_size)} outcomes)`),
      " ",
      h("button", { type: "button", class: "small", "data-bridge": i, onclick: () => onToggle({ relax: b.relax, replace: true }) }, "Try it"),
    ),
  );
  const byParty = new Map();
  for (const d of view.toggles.demands) {
    if (!byParty.has(d.party)) byParty.set(d.party, []);
    byParty.get(d.party).push(d);
  }
  const relaxed = new Set(state.relax);
  const toggles = [];
  for (const [party, ds] of byParty) {
    toggles.push(
      h(
        "fieldset",
        {},
        h("legend", {}, view.toggles.parties[party] || party),
        ds.map((d) =>
          h(
            "label",
            { class: "toggle" },
            h("input", {
              type: "checkbox",
              "data-relax": d.key,
              checked: relaxed.has(d.key),
              disabled: !d.relaxable,
              onchange: (ev) => onToggle({ relax: [d.key], on: ev.target.checked }),
            }),
            ` Relax: ${d.kind === "reservation" ? "its reservation value" : d.label}`,
            d.basis === "assumed" ? h("span", { class: "tag assumed" }, "assumed") : null,
          ),
        ),
      ),
    );
  }
  // relaxed demands the current file no longer has stay listed, so they can be undone
  const known = new Set(view.toggles.demands.map((d) => d.key));
  const unlocked = new Set(state.unlock);
  const amendments = view.toggles.amendments.map((m) =>
    h(
      "label",
      { class: "toggle" },
      h("input", { type: "checkbox", "data-unlock": m.id, checked: unlocked.has(m.id), onchange: (ev) => onToggle({ unlock: [m.id], on: ev.target.checked }) }),
      ` Adopt amendment: ${m.title || m.id}`,
    ),
  );
  return section(
    "gaps",
    "Gaps and bridges",
    gapItems.length ? [h("h3", {}, "Demands that clash (minimal conflicts)"), h("ul", { class: "gaps" }, gapItems)] : h("p", {}, s.deal ? "No gap: a deal exists." : "No gap found."),
    bridges.length ? [h("h3", {}, "Cheapest bridges"), h("ol", { class: "bridges" }, bridges)] : null,
    h("h3", {}, "What if"),
    h("p", { class: "note" }, "Relax a demand or adopt an amendment: the analysis updates."),
    amendments.length ? h("fieldset", {}, h("legend", {}, "Amendments"), amendments) : null,
    toggles,
    [...relaxed].filter((k) => !known.has(k)).map((k) => h("p", { class: "note" }, `${k}: not in force on this day (relaxed again when it is)`)),
  );
}

export function strategy(view) {
  const st = view.analysis.stability;
  const eq = view.analysis.summary.equilibria || {};
  const concepts = ["nash", "gmr", "smr", "seq"];
  if (!st) return section("strategy", "Strategic picture", h("p", {}, "The file has no conflict model (GMCR section)."));
  const sq = view.analysis.summary.status_quo;
  const rows = st.states.map((s) =>
    h(
      "tr",
      { class: s.options === sq ? "status-quo" : null },
      h("th", { scope: "row" }, `${s.id}: ${s.options}${s.options === sq ? " (status quo)" : ""}`),
      concepts.map((c) => {
        const stable = (eq[c] || []).includes(s.options);
        return h("td", { class: stable ? "yes" : "no" }, stable ? "✓ equilibrium" : "–");
      }),
    ),
  );
  return section(
    "strategy",
    "Strategic picture",
    h("p", { class: "note" }, `Options, in order: ${st.options.join(", ")} (Y: taken, N: not).`),
    h(
      "div",
      { class: "scroll" },
      h("table", { class: "stability" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "State"), concepts.map((c) => h("th", { scope: "col" }, c.toUpperCase())))), h("tbody", {}, rows)),
    ),
    h("div", { class: "plot", id: "conflict-plot", role: "img", "aria-label": "State graph of the conflict" }),
  );
}

export function timeline(view, state, onDate, onGo) {
  const tl = view.timeline;
  if (!tl.days.length) return section("timeline", "Timeline", h("p", {}, "The file has no dated events."));
  const current = state.asOf || tl.as_of || tl.days[tl.days.length - 1];
  let idx = tl.days.indexOf(current);
  if (idx < 0) idx = tl.days.length - 1;
  const label = h("output", { id: "as-of-label", for: "as-of" }, tl.days[idx]);
  const slider = h("input", {
    type: "range",
    id: "as-of",
    min: 0,
    max: tl.days.length - 1,
    step: 1,
    value: idx,
    "aria-valuetext": tl.days[idx],
    "data-days": tl.days.join(","),
    oninput: (ev) => {
      const d = tl.days[Number(ev.target.value)];
      label.textContent = d;
      ev.target.setAttribute("aria-valuetext", d);
    },
    onchange: (ev) => onDate(tl.days[Number(ev.target.value)]),
  });
  const left = view.as_of ? view.as_of.left_out : [];
  const leftOut = left.length
    ? [
        h("h3", {}, `Not in force on ${view.as_of.date}`),
        h("ul", { class: "left-out", id: "left-out" }, left.map((x) => h("li", {}, x.line ? h("button", { type: "button", class: "link", onclick: () => onGo(x.line) }, `line ${x.line}`) : null, ` ${x.text}${x.why === "later" ? "" : " (ended)"}`))),
      ]
    : null;
  const events = tl.events.map((e) => h("li", { class: e.date <= tl.days[idx] ? "past" : "future" }, h("time", {}, e.date), ` ${e.text}`));
  return section(
    "timeline",
    "Timeline",
    h("label", { for: "as-of", class: "slider" }, "Analysis as of ", label),
    slider,
    tl.dated ? null : h("p", { class: "note" }, "This file's items are not dated: the analysis is the same every day."),
    leftOut,
    h("ol", { class: "events" }, events),
  );
}

export function jobPanel(id, title, description, button, onRun, controls = []) {
  const bar = h("progress", { max: 1, value: 0, hidden: true, id: `${id}-progress` });
  const status = h("p", { class: "note", id: `${id}-status`, role: "status" });
  const out = h("div", { id: `${id}-out` });
  const run = h("button", { type: "button", id: `${id}-run`, onclick: () => onRun({ bar, status, out, run }) }, button);
  return section(id, title, h("p", { class: "note" }, description), controls.length ? h("div", { class: "form" }, controls) : null, run, bar, status, out);
}

export function problemList(problems, onGo) {
  return h(
    "ul",
    { class: "problems", id: "problems" },
    problems.map((p) =>
      h(
        "li",
        {},
        p.line ? h("button", { type: "button", class: "link", onclick: () => onGo(p.line) }, `line ${p.line}${p.column ? `:${p.column}` : ""}`) : null,
        p.path ? h("code", {}, p.path) : null,
        " ",
        h("span", { class: "msg" }, p.message),
        p.expected ? h("div", { class: "expected" }, `expected: ${p.expected}`) : null,
        p.hint ? h("div", { class: "hint" }, `hint: ${p.hint}`) : null,
      ),
    ),
  );
}

export function renderTable(el, rows, cols) {
  clear(
    el,
    h(
      "div",
      { class: "scroll" },
      h("table", {}, h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col" }, c.label)))), h("tbody", {}, rows.map((r) => h("tr", {}, cols.map((c) => h("td", {}, c.get(r))))))),
    ),
  );
}
