"""``detente serve``: prints where it listens (and a token off loopback), then serves.

The servers and the taken port run the real command; the bad option runs in-process."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

DETENTE = str(Path(sys.executable).with_name("detente"))


def serve(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [
            DETENTE,
            "serve",
            "--port",
            "0",
            "--workers",
            "1",
            "--workspace",
            str(tmp_path / "ws"),
            *args,
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()
    assert line.startswith("detente: serving on http://"), line
    return proc, line.split(" on ", 1)[1].strip()


def get(url: str) -> int:
    for _ in range(200):
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return int(r.status)
        except urllib.error.HTTPError as err:
            return int(err.code)
        except OSError:
            import time

            time.sleep(0.05)
    raise AssertionError(f"{url} did not answer")


def test_serve_on_loopback(tmp_path: Path) -> None:
    proc, url = serve(tmp_path)
    try:
        assert "token" not in url
        assert get(url) == 200
        assert get(url + "api/health") == 200
        assert (tmp_path / "ws").is_dir()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_off_loopback_needs_the_printed_token(tmp_path: Path) -> None:
    proc, url = serve(tmp_path, "--host", "0.0.0.0")
    try:
        assert "?token=" in url
        base = url.split("?", 1)[0]
        assert get(base + "api/health") == 401
        assert get(url) == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_refuses_a_bad_option() -> None:
    # in-process (the option parser's refusal; the taken port below runs the real command)
    from typer.testing import CliRunner

    from detente.cli import app

    r = CliRunner().invoke(app, ["serve", "--port", "70000"])
    assert isinstance(r.exception, SystemExit)  # nothing escaped the command
    assert r.exit_code == 2
    assert "--port" in r.stderr
    assert "Traceback" not in r.stderr


def test_serve_on_a_taken_port_says_so(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = str(taken.getsockname()[1])
        r = subprocess.run(
            [DETENTE, "serve", "--port", port, "--workspace", str(tmp_path / "ws")],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert r.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in r.stderr
    assert "Traceback" not in r.stderr
