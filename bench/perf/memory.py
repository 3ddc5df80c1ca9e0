"""The resident memory of one app worker over many requests: does it stay flat?

    memory.py BASE_URL WORKER_PID URLS_FILE [REQUESTS] [SECONDS]

Sends REQUESTS (10,000) GETs, four at a time, to the addresses of URLS_FILE in turn (one per line), at
most for SECONDS (900), and reads the worker's VmRSS from /proc every thousand requests. Prints JSON.
Loopback addresses only.
"""

import json
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

CLIENTS = 4
EVERY = 1000


def rss_kib(pid: int) -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def main(base: str, pid: int, urls_file: str, total: int = 10_000, seconds: float = 900) -> dict:
    if urlsplit(base).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback addresses only")
    urls = [line.strip() for line in open(urls_file) if line.strip()]
    lock = threading.Lock()
    state: dict[str, Any] = {"sent": 0, "errors": 0, "statuses": {}}
    samples = [{"requests": 0, "rss_kib": rss_kib(pid)}]
    deadline = time.monotonic() + seconds

    def client():
        while time.monotonic() < deadline:
            with lock:
                if state["sent"] >= total:
                    return
                number = state["sent"]
                state["sent"] += 1
            try:
                with urllib.request.urlopen(base + urls[number % len(urls)], timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = "error"
            with lock:
                state["statuses"][str(status)] = state["statuses"].get(str(status), 0) + 1
                done = sum(state["statuses"].values())
                if done % EVERY == 0:
                    samples.append({"requests": done, "rss_kib": rss_kib(pid)})

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "requests": sum(state["statuses"].values()),
        "seconds": round(time.monotonic() - started, 1),
        "statuses": state["statuses"],
        "samples": samples,
    }


if __name__ == "__main__":
    base, pid, urls_file, *rest = sys.argv[1:]
    limits: list[Any] = [int(rest[0])] if rest else []  # requests, then seconds
    limits += [float(rest[1])] if len(rest) > 1 else []
    sys.stdout.write(json.dumps(main(base, int(pid), urls_file, *limits)) + "\n")
