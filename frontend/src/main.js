// The detente web app: a library of scenarios and an editor whose analyses refresh on
// every valid edit. Plain modules bundled by esbuild (no framework): the page is one
// editor and a column of panels redrawn from one JSON document per edit.

import { h, clear, debounce, download, fmt } from "./dom.js";
import * as api from "./api.js";
import { createEditor, goToLine, showProblems } from "./editor.js";
import * as panels from "./panels.js";
import { simulationPanel } from "./simulation.js";
import { renderRobustness } from "./robustness.js";

const main = document.getElementById("main");
let plotly = null;

function loadPlotly() {
  // 4.8 MB: loaded when the editor first needs it, so the library opens at once
  if (!plotly) {
    plotly = new Promise((resolve, reject) => {
      const s = h("script", { src: "/static/plotly.min.js" });
      s.onload = () => resolve(window.Plotly);
      s.onerror = () => reject(new Error("plotly did not load"));
      document.head.append(s);
    });
  }
  return plotly;
}

function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, q] = hash.split("?");
  return { path, params: new URLSearchParams(q || "") };
}

function setNav(which) {
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === which) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

// -- library ---------------------------------------------------------------------------

async function library() {
  setNav("library");
  document.title = "detente: library";
  const [ex, files] = await Promise.all([api.get("/api/examples"), api.get("/api/files")]);
  const card = (title, sub, href) => h("li", { class: "card" }, h("a", { href }, title), sub ? h("p", {}, sub) : null);
  clear(
    main,
    h("h1", {}, "Scenarios"),
    h("p", { class: "lead" }, "Open a bundled example or one of your files, or start a new one; every analysis updates as you edit."),
    h("p", {}, h("a", { href: "#/edit?new", id: "new-scenario", class: "button" }, "New scenario")),
    h("section", { class: "library", "aria-labelledby": "ex-h" }, h("h2", { id: "ex-h" }, "Bundled examples"), h("ul", { class: "cards", id: "examples" }, ex.body.examples.map((e) => card(e.title || e.name, e.summary, `#/edit?example=${encodeURIComponent(e.name)}`)))),
    h(
      "section",
      { class: "library", "aria-labelledby": "ws-h" },
      h("h2", { id: "ws-h" }, "Your workspace"),
      files.body.files.length
        ? h("ul", { class: "cards", id: "files" }, files.body.files.map((f) => card(f.name, `${fmt(f.size)} bytes, saved ${f.modified.replace("T", " ")}${f.versions ? `, ${f.versions} earlier version(s) kept` : ""}`, `#/edit?file=${encodeURIComponent(f.name)}`)))
        : h("p", { id: "files" }, "No saved files yet: open an example and save it under a new name."),
    ),
  );
}

// -- editor ----------------------------------------------------------------------------

async function editor(params) {
  setNav("edit");
  // the plots need Plotly: fetch and compile it while the server runs the first analysis
  // (a failure shows when draw() awaits it)
  loadPlotly().catch(() => {});
  const file = params.get("file");
  const fresh = params.has("new");
  const example = params.get("example") || (file || fresh ? null : "cairo-2024-05");
  const src = fresh ? "/static/new-scenario.yaml" : file ? `/api/files/${encodeURIComponent(file)}` : `/api/examples/${encodeURIComponent(example)}`;
  const loaded = await api.getText(src);
  if (!loaded.ok) {
    clear(main, h("h1", {}, "Not found"), h("p", {}, `Could not open ${file || example || "the template"}.`), h("a", { href: "#/" }, "Back to the library"));
    return;
  }
  const state = { text: loaded.text, name: file || (fresh ? "new-scenario.yaml" : `${example}.yaml`), saved: Boolean(file), relax: [], unlock: [], asOf: null, view: null, seq: 0, controller: null };

  const nameInput = h("input", { id: "file-name", type: "text", value: state.name, "aria-label": "File name", spellcheck: "false", size: 24 });
  const saveMsg = h("span", { class: "note", id: "save-status", role: "status" });
  const status = h("p", { id: "status", class: "status", role: "status", "aria-live": "polite" }, "Checking…");
  const problemsBox = h("div", { id: "problems-box" });
  const editorBox = h("div", { class: "editor", id: "editor" });
  const results = h("div", { class: "results", id: "results", "aria-live": "off" });
  const toolbar = h(
    "div",
    { class: "toolbar" },
    nameInput,
    h("button", { type: "button", id: "save", onclick: () => doSave(false) }, "Save"),
    h("button", { type: "button", id: "download-report", onclick: () => downloadReport() }, "Download report"),
    h("button", { type: "button", id: "download-json", onclick: () => downloadJson() }, "Download JSON"),
    saveMsg,
  );
  clear(main, h("div", { class: "workbench" }, h("div", { class: "left" }, toolbar, editorBox, status, problemsBox), results));

  const options = () => ({ name: nameInput.value || "scenario.yaml", relax: state.relax, unlock: state.unlock, as_of: state.asOf });
  // downloads: what the page shows (the relaxed demands in force on the day shown)
  const shown = () => ({ ...options(), relax: state.view ? state.view.relaxed : [] });

  async function refresh() {
    const seq = ++state.seq;
    if (state.controller) state.controller.abort();
    state.controller = new AbortController();
    const t0 = performance.now();
    status.className = "status busy";
    status.textContent = "Analysing…";
    let r;
    try {
      r = await api.post("view", state.text, options(), state.controller.signal);
    } catch (err) {
      if (err.name === "AbortError") return;
      status.className = "status error";
      status.textContent = "The server did not answer.";
      return;
    }
    if (seq !== state.seq) return;
    if (r.status === 422) {
      const problems = api.problemsOf(r.body);
      showProblems(view, problems);
      status.className = "status error";
      status.textContent = `${problems.length} problem${problems.length === 1 ? "" : "s"}: the analyses show the last valid version.`;
      clear(problemsBox, panels.problemList(problems, (line) => goToLine(view, line)));
      return;
    }
    if (r.status === 429) {
      // busy: try again when the server says (a newer edit supersedes this one)
      const wait = Number(r.headers.get("retry-after") || "1");
      status.className = "status busy";
      status.textContent = `The server is busy; trying again in ${wait} s.`;
      setTimeout(() => seq === state.seq && refresh(), wait * 1000);
      return;
    }
    if (!r.ok) {
      status.className = "status error";
      status.textContent = api.problemsOf(r.body)[0].message;
      return;
    }
    showProblems(view, []);
    clear(problemsBox);
    state.view = r.body;
    document.title = `detente: ${r.body.title}`;
    await draw(r.body);
    const ms = Math.round(performance.now() - t0);
    status.className = "status ok";
    status.textContent = `Valid. Analysis updated in ${ms} ms.`;
    main.dataset.refreshed = String(seq);
    main.dataset.refreshMs = String(ms);
  }
  const refreshSoon = debounce(refresh, 250);
  const dateChanged = debounce((d) => {
    state.asOf = d;
    refresh();
  }, 150);

  function toggle(change) {
    const key = change.relax ? "relax" : "unlock";
    const items = change.relax || change.unlock;
    if (change.replace) state[key] = [...items];
    else if (change.on) state[key] = [...new Set([...state[key], ...items])];
    else state[key] = state[key].filter((k) => !items.includes(k));
    refresh();
  }

  async function draw(v) {
    const keepScroll = results.scrollTop;
    const focused = document.activeElement && results.contains(document.activeElement) ? document.activeElement.id || document.activeElement.dataset.relax || document.activeElement.dataset.unlock : null;
    const robustness = panels.jobPanel("robustness", "Robustness", "How often each conclusion of the file as written holds when its assumed numbers vary (Monte Carlo, run as a job on the server).", "Run robustness", runRobustness, [
      h("label", {}, "Draws ", h("input", { type: "number", id: "robustness-draws", min: 100, max: 1000000, step: 100, value: 2000 })),
      h("label", {}, "Seed ", h("input", { type: "number", id: "robustness-seed", min: 0, value: 0 })),
    ]);
    const simulation = simulationPanel(v, () => state.text, options, loadPlotly);
    const tournament = panels.jobPanel("tournament", "Tournament", "A round robin of five built-in strategies over every seating, twice, on the file as shown (relaxed demands included); run as a job.", "Run tournament", runTournament);
    clear(
      results,
      h("h1", { class: "title" }, v.title),
      panels.bottomLine(v),
      panels.timeline(v, state, dateChanged, (line) => goToLine(view, line)),
      panels.proposals(v),
      panels.dealPlot(),
      panels.gaps(v, state, toggle),
      panels.strategy(v),
      robustness,
      simulation,
      tournament,
    );
    results.scrollTop = keepScroll;
    if (focused) {
      // keyboard users keep their place: the control they used is focused again
      const again = document.getElementById(focused) || results.querySelector(`[data-relax="${CSS.escape(focused)}"], [data-unlock="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
    const P = await loadPlotly();
    const config = { responsive: true, displaylogo: false };
    if (v.figures.deal) {
      const f = v.figures.deal;
      await P.react("deal-plot", f.data, { ...f.layout, autosize: true, height: 460, width: undefined }, config);
    }
    if (v.figures.conflict && document.getElementById("conflict-plot")) {
      const f = v.figures.conflict;
      await P.react("conflict-plot", f.data, { ...f.layout, autosize: true, width: undefined }, config);
    }
  }

  function failed(ui, r) {
    ui.bar.hidden = true;
    ui.run.disabled = false;
    ui.status.textContent = r.status === 501 ? api.problemsOf(r.body)[0].message : `Failed: ${api.problemsOf(r.body)[0].message}`;
  }

  async function runRobustness(ui) {
    ui.run.disabled = true;
    ui.bar.hidden = false;
    ui.bar.value = 0;
    ui.status.textContent = "Starting…";
    const o = options();
    const r = await api.runJob("robustness", state.text, { name: o.name, draws: document.getElementById("robustness-draws").value || 2000, seed: document.getElementById("robustness-seed").value || 0 }, (job) => {
      const p = job.progress;
      if (p && p.total) {
        ui.bar.max = p.total;
        ui.bar.value = p.done;
        ui.status.textContent = `${p.step}: ${fmt(p.done)} of ${fmt(p.total)}`;
      }
    });
    if (!r.ok) return failed(ui, r);
    ui.bar.value = ui.bar.max;
    ui.run.disabled = false;
    ui.status.textContent = "Done.";
    await renderRobustness(ui.out, r.body, panels.labels(state.view), await loadPlotly());
  }

  async function runTournament(ui) {
    ui.run.disabled = true;
    ui.bar.hidden = false;
    ui.status.textContent = "Starting…";
    const o = shown();
    const r = await api.runJob("tournament", state.text, { name: o.name, relax: o.relax, repetitions: 2 }, (job) => {
      const p = job.progress;
      if (p && p.total) {
        ui.bar.max = p.total;
        ui.bar.value = p.done;
        ui.status.textContent = `${fmt(p.done)} of ${fmt(p.total)} negotiations`;
      }
    });
    if (!r.ok) return failed(ui, r);
    ui.run.disabled = false;
    ui.status.textContent = `Done: ${fmt(r.body.played)} negotiations.`;
    renderLeaderboard(ui.out, r.body);
  }

  async function doSave(overwrite) {
    const name = nameInput.value.trim();
    const r = await api.save(name, state.text, overwrite);
    if (r.status === 409) {
      const ok = window.confirm(`${name} exists. Replace it? The current file is kept as an earlier version.`);
      if (ok) return doSave(true);
      saveMsg.textContent = "Not saved: choose another name, or confirm replacing.";
      return;
    }
    if (!r.ok) {
      saveMsg.textContent = `Not saved: ${r.body.detail || "refused"}`;
      return;
    }
    saveMsg.textContent = r.body.kept ? `Saved; the previous text is kept as version ${r.body.kept}.` : "Saved.";
    state.saved = true;
    history.replaceState(null, "", `#/edit?file=${encodeURIComponent(name)}`);
  }

  async function downloadReport() {
    saveMsg.textContent = "Building the report…";
    const r = await api.postBlob("report", state.text, shown());
    if (!r.ok) {
      saveMsg.textContent = `No report: ${api.problemsOf(r.body)[0].message}`;
      return;
    }
    download(r.blob, `${(nameInput.value || "scenario").replace(/\.[^.]*$/, "")}-report.html`);
    saveMsg.textContent = "Report downloaded.";
  }

  async function downloadJson() {
    const r = await api.postBlob("analyze", state.text, shown());
    if (!r.ok) {
      saveMsg.textContent = `No JSON: ${api.problemsOf(r.body)[0].message}`;
      return;
    }
    download(r.blob, `${(nameInput.value || "scenario").replace(/\.[^.]*$/, "")}-analysis.json`);
    saveMsg.textContent = "JSON downloaded.";
  }

  const view = createEditor(editorBox, state.text, {
    onChange: (text) => {
      state.text = text;
      status.className = "status busy";
      status.textContent = "Editing…";
      refreshSoon();
    },
    onSave: () => doSave(false),
  });
  editorBox.cmView = view; // for tests and benchmarks: edits as keystrokes make them
  refresh();
}

function renderLeaderboard(el, doc) {
  const rows = doc.ranking.map((r) =>
    h("tr", {}, h("td", {}, r.rank), h("th", { scope: "row" }, r.strategy), h("td", {}, fmt(r.mean_utility)), h("td", {}, `${fmt(r.ci95[0])}–${fmt(r.ci95[1])}`), h("td", {}, fmt(r.mean_gain)), h("td", {}, `${fmt(100 * r.agreement_rate, 1)} %`), h("td", {}, r.seats)),
  );
  clear(
    el,
    h(
      "div",
      { class: "scroll" },
      h("table", { id: "leaderboard" }, h("thead", {}, h("tr", {}, ["Rank", "Strategy", "Mean utility", "95 % interval", "Mean gain", "Agreements", "Seats"].map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, rows)),
    ),
  );
}

async function render() {
  const { path, params } = route();
  try {
    if (path.startsWith("/edit")) await editor(params);
    else await library();
  } catch (err) {
    clear(main, h("h1", {}, "Something went wrong"), h("p", {}, String(err && err.message ? err.message : err)));
  }
}

window.addEventListener("hashchange", render);
render();
