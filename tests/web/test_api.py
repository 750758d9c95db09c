"""The JSON API: the CLI's documents over HTTP, the same refusals, the same keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import CAIRO, YAML
from typer.testing import CliRunner

from detente.cli import app as cli

RUNNER = CliRunner()
BROKEN_RULE = ("sequencing == 'living_first'", "sequencing == 'living_firs'")


def cli_json(*args: str) -> tuple[int, dict[str, object]]:
    r = RUNNER.invoke(cli, [*args, "--format", "json"])
    return r.exit_code, json.loads(r.stdout)


@pytest.mark.parametrize(
    ("route", "command"),
    [
        ("/api/validate", ["validate", str(CAIRO)]),
        ("/api/analyze", ["analyze", str(CAIRO)]),
        ("/api/gaps", ["gaps", str(CAIRO)]),
        ("/api/stability?from_status_quo=true", ["stability", str(CAIRO), "--from-status-quo"]),
        (
            "/api/simulate?relax=cheapest&strategy=israel=linear&steps=40",
            [
                "simulate",
                str(CAIRO),
                "--relax",
                "cheapest",
                "--strategy",
                "israel=linear",
                "--steps",
                "40",
            ],
        ),
        ("/api/timeline", ["timeline", str(CAIRO)]),
        ("/api/analyze?as_of=2024-05-07", ["analyze", str(CAIRO), "--as-of", "2024-05-07"]),
        ("/api/stability?as_of=2024-05-07", ["stability", str(CAIRO), "--as-of", "2024-05-07"]),
        (
            "/api/gaps?red_lines_only=true&limit=3",
            ["gaps", str(CAIRO), "--red-lines-only", "--limit", "3"],
        ),
    ],
)
def test_documents_are_the_clis(
    client: TestClient, cairo_text: str, route: str, command: list[str]
) -> None:
    code, expected = cli_json(*command)
    assert code == 0
    sep = "&" if "?" in route else "?"
    r = client.post(f"{route}{sep}name={CAIRO}", content=cairo_text, headers=YAML)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    got = r.json()
    assert list(got) == list(expected)  # same keys, same order (the contract)
    assert got == expected


def test_json_body_is_accepted(client: TestClient, cairo_text: str) -> None:
    from ruamel.yaml import YAML as Reader

    data = Reader(typ="safe").load(cairo_text)
    body = json.dumps(data, default=str)
    r = client.post("/api/validate", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text
    assert r.json()["command"] == "validate"


def test_bad_scenario_answers_the_clis_problems(
    client: TestClient, cairo_text: str, tmp_path: Path
) -> None:
    broken = cairo_text.replace(*BROKEN_RULE)
    path = tmp_path / "talks.yaml"
    path.write_text(broken, encoding="utf-8")
    code, expected = cli_json("validate", str(path))
    assert code == 2
    r = client.post(f"/api/validate?name={path}", content=broken, headers=YAML)
    assert r.status_code == 422
    got = r.json()
    assert got == expected
    (problem,) = got["problems"]
    assert problem["line"] == 1 + broken[: broken.index(BROKEN_RULE[1])].count("\n")
    assert problem["hint"] == "did you mean 'living_first'?"
    # the same document from every route
    for route in ("analyze", "gaps", "stability", "view", "report"):
        r = client.post(f"/api/{route}?name={path}", content=broken, headers=YAML)
        assert r.status_code == 422, route
        assert r.json()["problems"] == expected["problems"]
        assert r.json()["command"] == route


def test_syntax_error_is_located(client: TestClient) -> None:
    r = client.post("/api/validate?name=x.yaml", content="title: [unclosed\n", headers=YAML)
    assert r.status_code == 422
    (p, *_) = r.json()["problems"]
    assert p["file"] == "x.yaml" and p["line"] is not None


def test_bad_option_is_a_located_422(client: TestClient, cairo_text: str) -> None:
    r = client.post("/api/analyze?engine=fast", content=cairo_text, headers=YAML)
    assert r.status_code == 422
    doc = r.json()
    assert doc["command"] == "analyze" and doc["ok"] is False
    (p,) = doc["problems"]
    assert p["path"] == "engine"
    assert "'auto', 'enum', 'merge' or 'solver'" in p["expected"]


def test_unknown_amendment_refused_with_hint(client: TestClient, cairo_text: str) -> None:
    r = client.post("/api/analyze?unlock=no-such-amendment", content=cairo_text, headers=YAML)
    assert r.status_code == 422
    assert "no-such-amendment" in json.dumps(r.json()["problems"])


def test_media_type_and_encoding(client: TestClient) -> None:
    r = client.post("/api/validate", content="a: 1", headers={"content-type": "text/plain"})
    assert r.status_code == 415
    assert r.json()["error"] == "unsupported"
    r = client.post("/api/validate", content=b"title: \xff\xfe\n", headers=YAML)
    assert r.status_code == 422
    assert "UTF-8" in r.json()["problems"][0]["message"]
    r = client.post("/api/validate", content=b"title: a\x00b\n", headers=YAML)
    assert r.status_code == 422


def test_relax_demand_opens_the_zopa(client: TestClient, cairo_text: str) -> None:
    base = client.post("/api/analyze", content=cairo_text, headers=YAML).json()
    assert base["summary"]["deal"] is False
    bridge = base["summary"]["cheapest_bridge"]["relax"]
    keys = [d if isinstance(d, str) else d["key"] for d in bridge]
    query = "&".join(f"relax={k}" for k in keys)
    r = client.post(f"/api/analyze?{query}", content=cairo_text, headers=YAML)
    assert r.status_code == 200, r.text
    assert r.json()["summary"]["deal"] is True
    r = client.post("/api/analyze?relax=israel/no-such", content=cairo_text, headers=YAML)
    assert r.status_code == 422
    assert r.json()["problems"][0]["path"] == "relax"


def test_report_is_an_attachment(client: TestClient, cairo_text: str) -> None:
    r = client.post("/api/report?name=cairo.yaml&plots=false", content=cairo_text, headers=YAML)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert 'filename="cairo-report.html"' in r.headers["content-disposition"]
    assert "sandbox" in r.headers["content-security-policy"]
    assert "<html" in r.text[:500].lower()


def test_view_has_what_the_page_draws(client: TestClient, cairo_text: str) -> None:
    r = client.post("/api/view", content=cairo_text, headers=YAML)
    assert r.status_code == 200
    doc = r.json()
    assert doc["command"] == "view"
    assert doc["analysis"]["summary"]["deal"] is False
    assert doc["figures"]["deal"]["data"]
    assert all(t["type"] != "scattergl" for t in doc["figures"]["deal"]["data"])
    keys = {d["key"] for d in doc["toggles"]["demands"]}
    assert "israel/veto-on-prisoner-selection" in keys
    assert "2024-05-07" in doc["timeline"]["days"]


def test_openapi_lists_every_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for route in (
        "validate",
        "analyze",
        "gaps",
        "stability",
        "report",
        "timeline",
        "robustness",
        "simulate",
    ):
        post = paths[f"/api/{route}"]["post"]
        assert "application/yaml" in post["requestBody"]["content"]
    assert "422" in paths["/api/analyze"]["post"]["responses"]


def test_pages_and_assets(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert "default-src 'none'" in csp
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    assert client.get("/static/../pyproject.toml").status_code == 404
    assert client.get("/static/.hidden").status_code == 404


def test_simulation_replay_has_each_offers_utilities(client: TestClient, cairo_text: str) -> None:
    r = client.post(
        "/api/simulate?relax=cheapest&replay=true&steps=30", content=cairo_text, headers=YAML
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    offers = [a for a in doc["trace"] if a.get("terms")]
    assert len(doc["replay"]) == len(offers) > 0
    first = doc["replay"][0]
    assert set(first["utilities"]) == set(doc["parties"])
    assert all(0.0 <= u <= 1.0 for row in doc["replay"] for u in row["utilities"].values())


def test_strategies_are_the_clis(client: TestClient) -> None:
    code, expected = cli_json("strategies")
    assert code == 0
    r = client.get("/api/strategies")
    assert r.status_code == 200
    assert r.json() == expected


def test_simulation_refusals_are_422(client: TestClient, cairo_text: str) -> None:
    r = client.post("/api/simulate?strategy=nobody=linear", content=cairo_text, headers=YAML)
    assert r.status_code == 422
    assert "nobody" in r.json()["problems"][0]["message"]
    r = client.post("/api/simulate?strategy=broken", content=cairo_text, headers=YAML)
    assert r.status_code == 422


def test_robustness_is_a_job_with_the_clis_document(client: TestClient, cairo_text: str) -> None:
    code, expected = cli_json("robustness", str(CAIRO), "--draws", "300", "--no-intervals")
    assert code == 0
    r = client.post("/api/robustness?draws=300&intervals=false", content=cairo_text, headers=YAML)
    assert r.status_code == 202
    job = r.json()
    assert r.headers["location"] == job["url"]
    with client.stream("GET", job["events"]) as events:
        kinds = [line for line in events.iter_lines() if line.startswith("event:")]
    assert kinds[-1] == "event: done"
    status = client.get(job["url"]).json()
    assert status["status"] == "done"
    result = client.get(status["result"])
    assert result.status_code == 200
    assert result.json() == expected


def test_tournament_is_a_job_with_a_leaderboard(client: TestClient, cairo_text: str) -> None:
    pytest.importorskip("detente.simulate.tournament", reason="no tournament in this build")
    bridge = "relax=israel/no-permanent-ceasefire&relax=hamas/choose-prisoners-without-veto"
    r = client.post(
        f"/api/tournament?strategy=boulware&strategy=conceder&steps=50&{bridge}",
        content=cairo_text,
        headers=YAML,
    )
    assert r.status_code == 202, r.text
    job = r.json()
    with client.stream("GET", job["events"]) as events:
        kinds = [line for line in events.iter_lines() if line.startswith("event:")]
    assert kinds[-1] == "event: done"
    doc = client.get(f"{job['url']}/result").json()
    assert doc["command"] == "tournament" and doc["out"] is None
    assert doc["played"] == 4  # two strategies on two seats, once
    assert [row["rank"] for row in doc["ranking"]] == [1, 2]
    assert {row["strategy"] for row in doc["ranking"]} == {"boulware", "conceder"}
    assert all(row["seats"] == 4 for row in doc["ranking"])


def test_pages_run_no_inline_script() -> None:
    """The CSP forbids inline script: the shell has none, and no inline handlers."""
    import re

    from detente.web.app import STATIC

    html = (STATIC / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all("src=" in s for s in scripts)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert "http://" not in html and "https://" not in html
    bundle = (STATIC / "app.js").read_text(encoding="utf-8")
    assert "https://cdn" not in bundle and "eval(" not in bundle


def test_the_new_scenario_template_is_valid(client: TestClient) -> None:
    template = client.get("/static/new-scenario.yaml")
    assert template.status_code == 200
    r = client.post("/api/analyze", content=template.content, headers=YAML)
    assert r.status_code == 200, r.text
    assert r.json()["space"]["size"] == 66  # 11 x 3 x 2, as docs/scenario-format.md says
