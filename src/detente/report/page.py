"""The HTML page of a report: one self-contained file, readable on screen and in print.

Nothing is fetched when the file is opened: the stylesheet is inline, fonts are the
reader's own, and Plotly's JavaScript (the ``plotly`` package's bundle, about 4.8 MB)
is embedded gzip-compressed and base64-encoded (about 2 MB) and unpacked in the page
with the browser's own ``DecompressionStream`` into a ``blob:`` script, so the file
stays small enough to mail. Figures are JSON blocks drawn once Plotly is loaded; every
figure also has a text equivalent in the report, so nothing depends on interaction,
and a print stylesheet lays the sections out on paper.
"""

from __future__ import annotations

import base64
import gzip
import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["Section", "esc", "figure_block", "figure_page", "page"]


def esc(text: object) -> str:
    """HTML-escaped text of any user value (never interpreted as markup)."""
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class Section:
    """One section of the report: an anchor id, a title, its HTML body, its figures.

    ``figures`` maps a figure id (used by :func:`figure_block` in the body) to a Plotly
    figure as a JSON-ready dict.
    """

    id: str
    title: str
    body: str
    figures: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d6dae3; --rep: #1c7c3a; --ass: #9a6a00;
  --bg: #ffffff; --panel: #f5f7fa; --accent: #1b2f66; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", "Liberation Sans", Arial, sans-serif;
  color: var(--ink); background: var(--bg); margin: 0; line-height: 1.45; font-size: 15px; }
header.top { background: var(--accent); color: #fff; padding: 1.2rem 2rem; }
header.top h1 { margin: 0 0 .3rem; font-size: 1.5rem; }
header.top p { margin: 0; opacity: .9; }
nav.toc { padding: .6rem 2rem; border-bottom: 1px solid var(--line); font-size: .9rem; display: flex; flex-wrap: wrap; gap: .3rem 1rem; }
nav.toc a { color: var(--accent); text-decoration: none; white-space: nowrap; }
main { max-width: 1180px; margin: 0 auto; padding: 0 2rem 3rem; }
section { margin-top: 2rem; }
h2 { border-bottom: 2px solid var(--accent); padding-bottom: .2rem; font-size: 1.25rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-size: .88rem; width: 100%; }
th, td { border: 1px solid var(--line); padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bottom-line { background: var(--panel); border-left: 5px solid var(--accent); padding: .8rem 1.2rem; }
.bottom-line p { margin: .25rem 0; }
.bottom-line ol { margin: .2rem 0 .4rem 1.2rem; padding: 0; }
.tag { display: inline-block; font-size: .75rem; padding: 0 .35rem; border-radius: 3px;
  margin-right: .25rem; white-space: nowrap; }
.tag.reported { background: #e3f3e8; color: var(--rep); border: 1px solid #a9d6b6; }
.tag.assumed { background: #fbf1d9; color: var(--ass); border: 1px solid #e8cf8f; }
.quote { color: var(--muted); font-style: italic; }
.muted { color: var(--muted); }
.prose { white-space: pre-wrap; font-family: inherit; margin: .3rem 0 1rem; }
pre.tableau { font-family: "Liberation Mono", Menlo, Consolas, monospace; font-size: .8rem;
  overflow-x: auto; background: var(--panel); padding: .6rem; }
.plot { width: 100%; min-height: 420px; border: 1px solid var(--line); margin: .5rem 0 1rem; }
.plot .placeholder { padding: 1rem; color: var(--muted); }
footer { border-top: 1px solid var(--line); margin-top: 3rem; padding: 1rem 2rem;
  color: var(--muted); font-size: .85rem; }
@media (max-width: 640px) {
  nav.toc a { white-space: normal; }
  table { display: block; overflow-x: auto; }
}
@media print {
  body { font-size: 10.5pt; }
  header.top { background: none; color: #000; border-bottom: 2px solid #000; padding: 0 0 .5rem; }
  nav.toc { display: none; }
  main { max-width: none; padding: 0; }
  section { break-before: page; }
  section#bottom-line { break-before: avoid; }
  table, .plot, .bottom-line { break-inside: avoid; }
  .plot { border: none; }
  a { color: inherit; text-decoration: none; }
}
"""

_LOADER = """
(function () {
  function draw() {
    document.querySelectorAll('script[type="application/json"][data-figure]').forEach(function (s) {
      var target = document.getElementById(s.getAttribute('data-figure'));
      if (!target) return;
      var fig = JSON.parse(s.textContent);
      target.textContent = '';
      if (fig.layout && fig.layout.height) target.style.height = fig.layout.height + 'px';
      var config = {responsive: true, displaylogo: false, staticPlot: false};
      window.Plotly.newPlot(target, fig.data, fig.layout, config);
    });
  }
  function fail(why) {
    document.querySelectorAll('.plot .placeholder').forEach(function (p) {
      p.textContent = 'This browser cannot unpack the embedded charts (' + why + '); ' +
        'every chart is also described by the tables of its section.';
    });
  }
  var packed = document.getElementById('plotly-gz');
  if (!packed) return;
  if (typeof DecompressionStream === 'undefined') { fail('no DecompressionStream'); return; }
  var bytes = Uint8Array.from(atob(packed.textContent.trim()), function (c) { return c.charCodeAt(0); });
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  new Response(stream).blob().then(function (js) {
    var url = URL.createObjectURL(new Blob([js], {type: 'text/javascript'}));
    var tag = document.createElement('script');
    tag.src = url;
    tag.onload = function () { URL.revokeObjectURL(url); draw(); };
    tag.onerror = function () { fail('script error'); };
    document.head.appendChild(tag);
  }, function (e) { fail(String(e)); });
})();
"""


@lru_cache(maxsize=1)
def _plotly_gz_b64() -> str:
    """Plotly's bundle (from the installed ``plotly`` package), gzip-compressed, base64."""
    import plotly

    bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return base64.b64encode(gzip.compress(bundle.read_bytes(), compresslevel=9, mtime=0)).decode()


def figure_block(figure_id: str, caption: str) -> str:
    """The place of a figure in a section's body (drawn from the section's figures)."""
    return (
        f'<figure><div class="plot" id="{esc(figure_id)}"><div class="placeholder">'
        "Chart loading (it needs JavaScript; the tables below say the same).</div></div>"
        f'<figcaption class="muted">{esc(caption)}</figcaption></figure>'
    )


def _json_script(figure_id: str, fig: Mapping[str, Any]) -> str:
    text = json.dumps(fig, separators=(",", ":"), default=str)
    # a JSON block must not close its own <script> element
    text = text.replace("</", "<\\/")
    return f'<script type="application/json" data-figure="{esc(figure_id)}">{text}</script>'


def page(
    title: str, subtitle: str, sections: Sequence[Section], footer: str, *, plots: bool = True
) -> str:
    """The whole self-contained HTML document."""
    toc = "".join(f'<a href="#{esc(s.id)}">{esc(s.title)}</a>' for s in sections)
    body = "".join(
        f'<section id="{esc(s.id)}"><h2>{esc(s.title)}</h2>{s.body}</section>' for s in sections
    )
    figures = [(fid, f) for s in sections for fid, f in s.figures.items()]
    scripts = ""
    if plots and figures:
        scripts = (
            "".join(_json_script(fid, f) for fid, f in figures)
            + f'<script type="text/plain" id="plotly-gz">{_plotly_gz_b64()}</script>'
            + f"<script>{_LOADER}</script>"
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f'<header class="top"><h1>{esc(title)}</h1><p>{esc(subtitle)}</p></header>'
        f'<nav class="toc">{toc}</nav><main>{body}</main>'
        f"<footer>{footer}</footer>{scripts}</body></html>"
    )


def figure_page(title: str, figure: Mapping[str, Any], *, note: str = "") -> str:
    """A self-contained page holding one Plotly figure (``detente plot`` and friends).

    Plotly's bundle is embedded compressed, as in the report, so a page with its data
    stays a few megabytes and opens with no network.
    """
    fig_id = "figure"
    body = (
        figure_block(fig_id, note)
        if note
        else (
            f'<div class="plot" id="{fig_id}"><div class="placeholder">Chart loading '
            "(it needs JavaScript).</div></div>"
        )
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS} main {{ max-width: 1400px; }}</style></head>"
        f"<body><main>{body}</main>"
        + _json_script(fig_id, figure)
        + f'<script type="text/plain" id="plotly-gz">{_plotly_gz_b64()}</script>'
        + f"<script>{_LOADER}</script></body></html>"
    )
