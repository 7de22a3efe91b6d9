#!/usr/bin/env python3
"""Benchmark: is an authenticated client still served while a connection flood goes on?

Starts certkeeper-service (and, for a yardstick, nginx serving a small static file with its
default-style limits: one worker, worker_connections 512) on free loopback ports, opens
FLOOD connections to each that never finish a request (half idle, half dribbling a header one
byte per second, as slowloris does), and meanwhile sends a request every 100 ms for DURATION
seconds as a real client would (new connection each time, with the token for the service).
Prints how many were served, how many refused, and the latency percentiles. Not a test: it
prints numbers and never passes or fails on them.

    tests/bench/flood.py [--service BIN] [--flood N] [--duration S] [--no-nginx]

BIN defaults to build/release/service/certkeeper-service. To compare builds, run it once per
binary. Needs python3 and, for the yardstick, nginx (nginx-light).
"""

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def one_request(port, path, token):
    """Status and seconds of one GET on a new connection; status 0 when it failed."""
    start = time.monotonic()
    head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
    if token:
        head += f"Authorization: Bearer {token}\r\n"
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=15) as s:
            s.sendall((head + "\r\n").encode())
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    except OSError:
        status = 0
    return status, time.monotonic() - start


class Flood:
    """FLOOD connections that never complete a request; reopened when the server drops them."""

    def __init__(self, port, count):
        self.port, self.count = port, count
        self.socks = []
        self.stop = threading.Event()
        self.reopened = 0

    def _open(self, i):
        try:
            s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            s.setblocking(False)
            return s
        except OSError:
            return None

    def start(self):
        self.socks = [self._open(i) for i in range(self.count)]
        threading.Thread(target=self._dribble, daemon=True).start()

    def _alive(self, i, s, header, step):
        """Feeds one flood connection; False when the server has dropped (or answered) it."""
        if s is None:
            return False
        try:
            if i % 2:
                s.send(header[step % len(header):step % len(header) + 1])
            return s.recv(1, socket.MSG_PEEK) == b"__never__"  # data or EOF: it was answered
        except BlockingIOError:
            return True  # nothing to read: still waiting on us
        except OSError:
            return False

    def _dribble(self):
        header = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10000
        step = 0
        while not self.stop.wait(1.0):
            for i, s in enumerate(self.socks):
                if self.stop.is_set():
                    return
                if not self._alive(i, s, header, step):
                    if s is not None:
                        s.close()
                    self.socks[i] = self._open(i)  # the flood comes straight back
                    self.reopened += 1
            step += 1

    def close(self):
        self.stop.set()
        for s in self.socks:
            if s is not None:
                s.close()


def measure(name, port, path, token, flood_count, duration):
    flood = Flood(port, flood_count)
    flood.start()
    time.sleep(1.0)
    results = []
    end = time.time() + duration
    while time.time() < end:
        results.append(one_request(port, path, token))
        time.sleep(0.1)
    flood.close()
    served = [t for st, t in results if st == 200]
    refused = sum(1 for st, _ in results if st not in (0, 200))
    failed = sum(1 for st, _ in results if st == 0)
    line = f"{name:<28} {len(served):>4}/{len(results):<4} served  {refused:>4} refused  {failed:>4} failed"
    if served:
        q = sorted(served)
        line += (f"  p50 {statistics.median(q) * 1000:7.1f} ms  p99 {q[int(len(q) * 0.99) - 1] * 1000:7.1f} ms"
                 f"  max {q[-1] * 1000:7.1f} ms")
    print(line, flush=True)
    return len(served), len(results)


def start_service(binary, work):
    data = os.path.join(work, "data")
    os.makedirs(data)
    port = free_port()
    proc = subprocess.Popen([binary, "--data-dir", data, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_listening(port):
        sys.exit("flood.py: the service did not start")
    with open(os.path.join(data, "api.token")) as f:
        token = f.read().strip()
    return proc, port, token


def start_nginx(work):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if not nginx:
        return None, 0
    port = free_port()
    prefix = os.path.join(work, "nginx")
    os.makedirs(os.path.join(prefix, "html"))
    with open(os.path.join(prefix, "html", "static.txt"), "w") as f:
        f.write("x" * 100)
    conf = os.path.join(prefix, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""daemon off; worker_processes 1; pid {prefix}/nginx.pid; error_log {prefix}/error.log;
events {{ worker_connections 512; }}
http {{ access_log off; client_body_temp_path {prefix}; proxy_temp_path {prefix};
  fastcgi_temp_path {prefix}; uwsgi_temp_path {prefix}; scgi_temp_path {prefix};
  server {{ listen 127.0.0.1:{port}; root {prefix}/html; }} }}
""")
    proc = subprocess.Popen([nginx, "-p", prefix, "-c", conf], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    if not wait_listening(port):
        proc.kill()
        return None, 0
    return proc, port


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--service", default=os.path.join(REPO, "build/release/service/certkeeper-service"))
    ap.add_argument("--flood", type=int, default=1000)
    ap.add_argument("--duration", type=float, default=20)
    ap.add_argument("--no-nginx", action="store_true")
    args = ap.parse_args()
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.flood + 256)), hard))

    work = tempfile.mkdtemp(prefix="certkeeper-flood.")
    os.chmod(work, 0o755)  # nginx workers run as nobody
    procs = []
    try:
        svc, port, token = start_service(args.service, work)
        procs.append(svc)
        print(f"flood of {args.flood} idle/slowloris connections, {args.duration:.0f} s, "
              f"one request every 100 ms, {os.cpu_count()} cores")
        measure("certkeeper (no flood)", port, "/api/managedcertificates", token, 0, 3)
        measure("certkeeper under flood", port, "/api/managedcertificates", token,
                args.flood, args.duration)
        if not args.no_nginx:
            ngx, nport = start_nginx(work)
            if ngx:
                procs.append(ngx)
                measure("nginx (no flood)", nport, "/static.txt", None, 0, 3)
                measure("nginx under flood", nport, "/static.txt", None, args.flood, args.duration)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
