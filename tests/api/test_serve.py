"""``storyline serve``: the installed command serves the API and the UI over a store."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from storyline.store import Store
from tests.store.samples import all_samples


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_serve_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    with Store(url) as store:
        for analysis in all_samples():
            store.upsert(analysis)
    port = _free_port()
    exe = shutil.which("storyline", path=str(Path(sys.executable).parent)) or "storyline"
    env = {**os.environ, "STORYLINE_DB": url}
    proc = subprocess.Popen(
        [exe, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/v1/articles", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "storyline serve did not start"
                time.sleep(0.2)
        assert response.status_code == 200
        assert response.json()["total"] == 3
        page = httpx.get(f"http://127.0.0.1:{port}/", headers={"accept": "text/html"}, timeout=5)
        assert "Truck rams Berlin Christmas market" in page.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_refuses_a_bad_store(tmp_path: Path) -> None:
    exe = shutil.which("storyline", path=str(Path(sys.executable).parent)) or "storyline"
    result = subprocess.run(
        [exe, "serve", "--db", "nosuchdialect://x", "--port", str(_free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "E040" in result.stdout + result.stderr
