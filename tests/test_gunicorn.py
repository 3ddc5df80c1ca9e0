"""deploy/gunicorn.conf.py as gunicorn runs it: two servers on one machine leave each other alone.

gunicorn 27 puts a control socket at one path per user; two servers would fight over it, and the
one stopped last would remove the other's. Real gunicorn processes, on ports the kernel picks.
"""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")


def start(home: Path, log: Path, **env) -> tuple[subprocess.Popen, str]:
    environment = {
        key: value for key, value in os.environ.items() if key not in ("XDG_RUNTIME_DIR", "DATABASE_URL", "REDIS_URL")
    }
    environment.update(HOME=str(home), GUNICORN_BIND="127.0.0.1:0", WEB_CONCURRENCY="1", **env)
    process = subprocess.Popen(
        [str(GUNICORN), "--config", "deploy/gunicorn.conf.py", "budapest.wsgi"],
        cwd=ROOT,
        env=environment,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(100):
        found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log.read_text())
        if found:
            return process, found.group(1)
        time.sleep(0.1)
    process.kill()
    raise AssertionError(log.read_text()[-2000:])


def answers(address: str) -> bool:
    with urllib.request.urlopen(f"{address}/healthz", timeout=5) as response:  # noqa: S310 - loopback only
        return response.status == 200


def stop(process: subprocess.Popen):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def test_two_servers_open_no_shared_control_socket(tmp_path):
    first, first_address = start(tmp_path, tmp_path / "first.log")
    second, second_address = start(tmp_path, tmp_path / "second.log")
    try:
        assert answers(first_address) and answers(second_address)
        assert not (tmp_path / ".gunicorn" / "gunicorn.ctl").exists()
        stop(second)
        assert answers(first_address)
    finally:
        for process in (first, second):
            if process.poll() is None:
                stop(process)


def test_each_server_can_have_a_control_socket_of_its_own(tmp_path):
    first, _ = start(tmp_path, tmp_path / "first.log", GUNICORN_CONTROL_SOCKET=str(tmp_path / "first.ctl"))
    second, _ = start(tmp_path, tmp_path / "second.log", GUNICORN_CONTROL_SOCKET=str(tmp_path / "second.ctl"))
    try:
        for _ in range(50):
            if (tmp_path / "first.ctl").exists() and (tmp_path / "second.ctl").exists():
                break
            time.sleep(0.1)
        assert (tmp_path / "first.ctl").is_socket() and (tmp_path / "second.ctl").is_socket()
        stop(second)
        assert (tmp_path / "first.ctl").is_socket(), "stopping one server leaves the other's socket"
    finally:
        for process in (first, second):
            if process.poll() is None:
                stop(process)
