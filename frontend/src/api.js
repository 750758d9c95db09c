// The JSON API (same documents as the CLI's --format json). Every call goes to this
// server only (the page's Content-Security-Policy allows no other origin).

const YAML = { "Content-Type": "application/yaml" };

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === false) continue;
    for (const item of Array.isArray(v) ? v : [v]) q.append(k, String(item));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

async function answer(r) {
  const type = r.headers.get("content-type") || "";
  const body = type.includes("json") ? await r.json() : await r.text();
  return { status: r.status, ok: r.ok, body, headers: r.headers };
}

export async function post(route, text, params = {}, signal = undefined) {
  const r = await fetch(`/api/${route}${query(params)}`, { method: "POST", headers: YAML, body: text, signal });
  return answer(r);
}

export async function postBlob(route, text, params = {}) {
  const r = await fetch(`/api/${route}${query(params)}`, { method: "POST", headers: YAML, body: text });
  if (!r.ok) return { status: r.status, ok: false, body: await r.json().catch(() => ({})) };
  return { status: r.status, ok: true, blob: await r.blob() };
}

export async function get(path) {
  return answer(await fetch(path));
}

export async function getText(path) {
  const r = await fetch(path);
  return { status: r.status, ok: r.ok, text: await r.text() };
}

export async function save(name, text, overwrite) {
  const r = await fetch(`/api/files/${encodeURIComponent(name)}${query({ overwrite })}`, {
    method: "PUT",
    headers: YAML,
    body: text,
  });
  return answer(r);
}

// A job: POST answers 202 and the job's URLs; progress arrives as server-sent events.
export async function runJob(route, text, params, onProgress) {
  const start = await post(route, text, params);
  if (start.status !== 202) return start;
  const job = start.body;
  const final = await new Promise((resolve) => {
    const es = new EventSource(job.events);
    const finish = (ev) => {
      es.close();
      resolve(JSON.parse(ev.data));
    };
    es.addEventListener("progress", (ev) => onProgress(JSON.parse(ev.data)));
    es.addEventListener("done", finish);
    es.addEventListener("failed", finish);
    es.onerror = () => {
      es.close();
      get(job.url).then((r) => resolve(r.body));
    };
  });
  if (final.status !== "done") return { status: 504, ok: false, body: { problems: [{ message: final.error || "the job failed" }] } };
  return answer(await fetch(final.result));
}

export function problemsOf(body) {
  if (body && Array.isArray(body.problems)) return body.problems;
  if (body && typeof body.detail === "string") return [{ message: body.detail }];
  return [{ message: "the server did not answer as expected" }];
}
