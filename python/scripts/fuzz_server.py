"""Fuzz a live Kaizen server with schemathesis for a fixed time; loopback only.

    python python/scripts/fuzz_server.py --minutes 10 [--redis-url redis://127.0.0.1:6379/0]

Starts ``kaizen serve`` on a free 127.0.0.1 port (keys set, failed-auth limit off so the
fuzzer's invalid-credential probes stay 401), runs ``schemathesis run`` against its
``/openapi.json`` for the given time in every phase and both generation modes (valid and
invalid data), with every check except the two the contract test leaves out by design, and a
10 s response-time ceiling (a hang fails). Then it checks the server still answers and that
its log holds no 500 and no traceback, and prints a summary of what was tried.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

KEY = "sk-fuzz-0123456789abcdef"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAIZEN_")}
    env.update(
        KAIZEN_API_KEYS=KEY,
        KAIZEN_AUTH_FAILURE_LIMIT="off",
        KAIZEN_MAX_CONCURRENCY="1000",
        KAIZEN_MAX_BODY_BYTES="262144",
    )
    if args.redis_url:
        env["KAIZEN_REDIS_URL"] = args.redis_url
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115 (read after the run)
    server = subprocess.Popen(
        [sys.executable, "-m", "kaizen_client.cli", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    report = Path(tempfile.mkdtemp(prefix="kaizen-fuzz-"))
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{url}/openapi.json",
        "--header",
        f"x-api-key: {KEY}",
        "--max-time",
        str(int(args.minutes * 60)),
        "--max-examples",
        "1000000",
        "--mode",
        "all",
        "--exclude-checks",
        "negative_data_rejection,positive_data_acceptance",
        "--max-response-time",
        "10",
        "--request-timeout",
        "30",
        "--continue-on-failure",
        "--suppress-health-check",
        "all",
        "--report",
        "ndjson",
        "--report-dir",
        str(report),
        "--no-color",
    ]
    if args.seed is not None:
        command += ["--seed", str(args.seed)]
    started = time.monotonic()
    run = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    alive = httpx.get(url + "/healthz", timeout=5).status_code == 200
    metrics = httpx.get(url + "/metrics", timeout=5).text
    os.killpg(server.pid, signal.SIGINT)
    server.wait(30)
    log.seek(0)
    server_log = log.read()
    statuses: Counter[str] = Counter()
    for line in metrics.splitlines():
        match = re.match(
            r'kaizen_requests_total\{route="([^"]+)",status="(\d+)"\} ([\d.e+]+)', line
        )
        if match:
            statuses[f"{match.group(1)} {match.group(2)}"] += int(float(match.group(3)))
    print(run.stdout[-4000:])
    print(f"schemathesis exit code {run.returncode}, {elapsed / 60:.1f} min")
    print("requests the server answered, by route and status:")
    for key, count in sorted(statuses.items()):
        print(f"  {key:<32} {count}")
    fives = sum(c for k, c in statuses.items() if k.split()[1].startswith("5"))
    tracebacks = server_log.count("Traceback")
    print(f"5xx answers: {fives}; tracebacks in the server log: {tracebacks}; alive after: {alive}")
    summary = {"exit": run.returncode, "5xx": fives, "tracebacks": tracebacks, "alive": alive}
    print(json.dumps(summary))
    return 0 if run.returncode == 0 and fives == 0 and tracebacks == 0 and alive else 1


if __name__ == "__main__":
    sys.exit(main())
