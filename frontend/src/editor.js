// CodeMirror 6 with YAML highlighting; problems from the server shown at their line.

import { EditorView, basicSetup } from "codemirror";
import { keymap } from "@codemirror/view";
import { yaml } from "@codemirror/lang-yaml";
import { lintGutter, setDiagnostics } from "@codemirror/lint";

export function createEditor(parent, text, { onChange, onSave }) {
  const view = new EditorView({
    doc: text,
    parent,
    extensions: [
      basicSetup,
      yaml(),
      lintGutter(),
      EditorView.lineWrapping,
      keymap.of([
        {
          key: "Mod-s",
          preventDefault: true,
          run: () => {
            onSave();
            return true;
          },
        },
      ]),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) onChange(u.state.doc.toString());
      }),
      EditorView.contentAttributes.of({ "aria-label": "Scenario file (YAML)" }),
    ],
  });
  return view;
}

export function showProblems(view, problems) {
  const doc = view.state.doc;
  const diagnostics = [];
  for (const p of problems) {
    if (!p.line) continue;
    const line = doc.line(Math.min(Math.max(1, p.line), doc.lines));
    const from = Math.min(line.from + Math.max(0, (p.column || 1) - 1), line.to);
    const to = from < line.to ? line.to : Math.min(from + 1, doc.length);
    const message = [p.message, p.expected ? `expected: ${p.expected}` : null, p.hint ? `hint: ${p.hint}` : null]
      .filter(Boolean)
      .join("\n");
    diagnostics.push({ from, to, severity: "error", message });
  }
  view.dispatch(setDiagnostics(view.state, diagnostics));
}

export function goToLine(view, lineNo) {
  const doc = view.state.doc;
  const line = doc.line(Math.min(Math.max(1, lineNo), doc.lines));
  view.dispatch({ selection: { anchor: line.from }, effects: EditorView.scrollIntoView(line.from, { y: "center" }) });
  view.focus();
}

export function setText(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
