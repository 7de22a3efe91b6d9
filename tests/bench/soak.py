#!/usr/bin/python3
"""The traffic, the samples and the verdict of tests/bench/soak.sh (which sets up Pebble and the
service and then runs this). Standard library only, run with Debian's /usr/bin/python3.

For --duration seconds, at once:
  - API clients: list, get, summary, settings, diagnostics, an item's log, preview, and scratch
    items created, renamed and deleted (each answer checked against what that call answers);
  - SSE clients on /api/events that connect, read a few seconds and hang up, over and over;
  - a request by hand every 30 s for one of the --failing items (they fail on purpose), while
    the scheduler renews the --renewing items at each check;
  - every 10 s: VmRSS and Threads from /proc/PID/status, the entries of /proc/PID/fd, and the
    renewals seen so far, into soak.csv.
Then: the figures, the least-squares trend of RSS and descriptors after --warmup, the [ERR] and
[WRN] lines of the service log that no failing item explains, soak.png (drawn here), and
soak-report.txt. Exit status 0 when the bar is met (flat after warm-up, no unprovoked error).
"""

import argparse
import http.client
import json
import os
import random
import socket
import struct
import sys
import threading
import time
import zlib

SAMPLE_SECONDS = 10


class Tally:
    """Calls made and answers that were not what the call answers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls = 0
        self.unexpected = []  # (method, path, status, body)
        self.sse_sessions = 0
        self.sse_bytes = 0

    def record(self, method, path, status, body, expected):
        with self.lock:
            self.calls += 1
            if status not in expected:
                self.unexpected.append((method, path, status, body[:300]))


class Client:
    """One keep-alive connection to the service, reopened when it drops."""

    def __init__(self, port, token, tally):
        self.port, self.token, self.tally = port, token, tally
        self.conn = None

    def call(self, method, path, body=None, expected=(200,)):
        headers = {"Authorization": "Bearer " + self.token}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                self.tally.record(method, path, response.status, text, expected)
                try:
                    return response.status, json.loads(text) if text else None
                except ValueError:
                    return response.status, None
            except (OSError, http.client.HTTPException) as error:
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 2:  # a kept-alive connection the service closed: once more
                    self.tally.record(method, path, 0, str(error), expected)
                    return 0, None
        return 0, None


def api_traffic(port, token, tally, stop, items, seed):
    """Mixed API calls at a few per second, as a busy user and a script would make them."""
    rng = random.Random(seed)
    client = Client(port, token, tally)
    scratch = 0
    while not stop.is_set():
        pick = rng.random()
        item = rng.choice(items)
        if pick < 0.25:
            client.call("GET", "/api/managedcertificates?limit=50")
        elif pick < 0.40:
            client.call("GET", "/api/managedcertificates/" + item)
        elif pick < 0.50:
            client.call("GET", "/api/managedcertificates/summary")
        elif pick < 0.58:
            client.call("GET", "/api/settings")
        elif pick < 0.64:
            client.call("GET", "/api/system/diagnostics")
        elif pick < 0.72:
            client.call("GET", "/api/managedcertificates/%s/log?limit=100" % item)
        elif pick < 0.76:
            client.call("POST", "/api/managedcertificates/%s/preview" % item, {})
        else:  # a scratch item: created, renamed, deleted
            scratch += 1
            name = "scratch %d-%d" % (seed, scratch)
            status, created = client.call("POST", "/api/managedcertificates", {
                "name": name, "certificateAuthorityId": "pebble", "includeInAutoRenew": False,
                "requestConfig": {"subjectAlternativeNames": ["s%d-%d.soak.example.test" %
                                                              (seed, scratch)]}},
                expected=(201,))
            if status == 201 and created:
                path = "/api/managedcertificates/" + created["id"]
                created["name"] = name + " (renamed)"
                client.call("PUT", path, created)
                client.call("DELETE", path, expected=(204,))
        stop.wait(rng.uniform(0.05, 0.4))


def sse_client(port, token, tally, stop, seed):
    """Connects to /api/events, reads for 2-20 s, hangs up (sometimes mid-event), again."""
    rng = random.Random(seed)
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                              "Authorization: Bearer %s\r\nAccept: text/event-stream\r\n\r\n"
                              % (port, token)).encode())
                end = time.time() + rng.uniform(2, 20)
                received = b""
                sock.settimeout(1)
                while time.time() < end and not stop.is_set():
                    try:
                        chunk = sock.recv(65536)
                    except socket.timeout:
                        continue
                    if not chunk:
                        break
                    if len(received) < 64:
                        received += chunk
                    with tally.lock:
                        tally.sse_bytes += len(chunk)
                status = received.split(b" ", 2)[1] if received.count(b" ") >= 2 else b"0"
                tally.record("GET", "/api/events", int(status) if status.isdigit() else 0,
                             received.decode("latin-1"), (200,))
                with tally.lock:
                    tally.sse_sessions += 1
        except OSError as error:
            tally.record("GET", "/api/events", 0, str(error), (200,))
        stop.wait(rng.uniform(0, 3))


def failing_requests(port, token, tally, stop, failing):
    """A request by hand every 30 s for one of the items that fail on purpose."""
    client = Client(port, token, tally)
    turn = 0
    while not stop.wait(30):
        item = failing[turn % len(failing)]
        turn += 1
        # 409: its previous request is still running; both are fine.
        client.call("POST", "/api/managedcertificates/%s/request" % item, {},
                    expected=(202, 409))


def proc_sample(pid):
    rss = threads = None
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    return rss, len(os.listdir("/proc/%d/fd" % pid)), threads


def renewals_seen(client, renewing, failing, seen):
    """Counts renewals (new dateRenewed) and failed attempts (new dateLastRenewalAttempt with a
    failure count) of the watched items since the start."""
    status, page = client.call("GET", "/api/managedcertificates?limit=100")
    if status != 200 or not page:
        return
    for item in page.get("items", []):
        if item["id"] in renewing and item.get("dateRenewed"):
            seen["renewed"].add((item["id"], item["dateRenewed"]))
        if item["id"] in failing and item.get("renewalFailureCount"):
            seen["failed"].add((item["id"], item.get("dateLastRenewalAttempt")))


def linear_fit(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0
    residuals = [y - (my + slope * (x - mx)) for x, y in zip(xs, ys)]
    sigma = (sum(r * r for r in residuals) / max(n - 2, 1)) ** 0.5
    return slope, sigma


def log_errors(paths, failing):
    """[ERR]/[WRN] lines of the service log: provoked (they name a failing item) or not."""
    provoked, unprovoked = [], []
    for path in paths:
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as log:
            for line in log:
                if "[ERR]" not in line and "[WRN]" not in line:
                    continue
                (provoked if any(item in line for item in failing) else unprovoked).append(
                    line.rstrip("\n"))
    return provoked, unprovoked


# --- a PNG drawn by hand: two panels, lines, grid, a 3x5 pixel font ---
GLYPHS = {
    "0": "111101101101111", "1": "010110010010111", "2": "111001111100111",
    "3": "111001011001111", "4": "101101111001001", "5": "111100111001111",
    "6": "111100111101111", "7": "111001001010010", "8": "111101111101111",
    "9": "111101111001111", "A": "010101111101101", "B": "110101110101110",
    "C": "011100100100011", "D": "110101101101110", "E": "111100110100111",
    "F": "111100110100100", "G": "011100101101011", "H": "101101111101101",
    "I": "111010010010111", "J": "001001001101010", "K": "101101110101101",
    "L": "100100100100111", "M": "101111111101101", "N": "110101101101101",
    "O": "010101101101010", "P": "110101110100100", "Q": "010101101110011",
    "R": "110101110101101", "S": "011100010001110", "T": "111010010010010",
    "U": "101101101101111", "V": "101101101101010", "W": "101101101111101",
    "X": "101101010101101", "Y": "101101010010010", "Z": "111001010100111",
    ".": "000000000000010", "-": "000000111000000", "/": "001001010100100",
    ":": "000010000010000", " ": "000000000000000", "+": "000010111010000",
    "%": "101001010100101", "(": "010100100100010", ")": "010001001001010",
    ",": "000000000010100", "=": "000111000111000",
}


class Canvas:
    def __init__(self, width, height):
        self.width, self.height = width, height
        self.pixels = bytearray(b"\xff" * (width * height * 3))

    def dot(self, x, y, colour):
        if 0 <= x < self.width and 0 <= y < self.height:
            i = (y * self.width + x) * 3
            self.pixels[i:i + 3] = bytes(colour)

    def line(self, x0, y0, x1, y1, colour, thick=1, dash=0):
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for s in range(steps + 1):
            if dash and (s // dash) % 2:
                continue
            x = round(x0 + (x1 - x0) * s / steps)
            y = round(y0 + (y1 - y0) * s / steps)
            for dx in range(thick):
                for dy in range(thick):
                    self.dot(x + dx, y + dy, colour)

    def text(self, x, y, words, colour=(0, 0, 0), scale=2):
        for n, char in enumerate(words.upper()):
            bits = GLYPHS.get(char, GLYPHS[" "])
            for row in range(5):
                for col in range(3):
                    if bits[row * 3 + col] == "1":
                        for dx in range(scale):
                            for dy in range(scale):
                                self.dot(x + n * 4 * scale + col * scale + dx,
                                         y + row * scale + dy, colour)

    def png(self):
        rows = b"".join(b"\x00" + bytes(self.pixels[y * self.width * 3:(y + 1) * self.width * 3])
                        for y in range(self.height))

        def chunk(kind, data):
            return (struct.pack(">I", len(data)) + kind + data +
                    struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
                chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def nice_range(values):
    low, high = min(values), max(values)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    return low - pad, high + pad


def panel(canvas, top, height, times, series, title, warmup):
    """Series: [(label, values, colour)] on one set of axes, time along the bottom."""
    left, right = 90, canvas.width - 20
    low, high = nice_range([v for _, values, _ in series for v in values])
    t_end = max(times[-1], 1)

    def at(t, v):
        return (left + round((right - left) * t / t_end),
                top + height - round(height * (v - low) / (high - low)))
    for k in range(5):  # grid and value labels
        v = low + (high - low) * k / 4
        _, y = at(0, v)
        canvas.line(left, y, right, y, (225, 225, 225))
        canvas.text(8, y - 5, "%.1f" % v if high - low < 50 else "%d" % round(v))
    for k in range(7):  # time labels
        t = t_end * k / 6
        x, _ = at(t, low)
        canvas.line(x, top, x, top + height, (235, 235, 235))
        canvas.text(x - 12, top + height + 6, "%dS" % round(t))
    canvas.line(left, top, left, top + height, (0, 0, 0))
    canvas.line(left, top + height, right, top + height, (0, 0, 0))
    wx, _ = at(warmup, low)
    canvas.line(wx, top, wx, top + height, (200, 120, 0), dash=4)
    canvas.text(wx + 4, top + 4, "WARM-UP", (200, 120, 0))
    canvas.text(left, top - 18, title)
    for n, (label, values, colour) in enumerate(series):
        canvas.text(right - 200, top + 4 + n * 14, label, colour)
        points = [at(t, v) for t, v in zip(times, values)]
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            canvas.line(x0, y0, x1, y1, colour, thick=2)


def write_png(path, rows, warmup):
    times = [r["t"] for r in rows]
    canvas = Canvas(960, 600)
    panel(canvas, 30, 230, times, [("VMRSS MIB", [r["rss"] / 1024 for r in rows], (200, 30, 30))],
          "CERTKEEPER-SERVICE RESIDENT MEMORY (MIB)", warmup)
    panel(canvas, 330, 230, times, [("OPEN FDS", [r["fds"] for r in rows], (30, 60, 200)),
                                    ("THREADS", [r["threads"] for r in rows], (20, 140, 40))],
          "OPEN DESCRIPTORS AND THREADS", warmup)
    with open(path, "wb") as out:
        out.write(canvas.png())


def ascii_plot(rows, key, scale, width=72, height=8):
    values = [r[key] / scale for r in rows]
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = max(1, len(values) // width)
    cols = [values[i] for i in range(0, len(values), step)][:width]
    lines = []
    for level in range(height, 0, -1):
        lines.append("%9.1f |" % (low + span * level / height) +
                     "".join("*" if (v - low) / span * height >= level - 0.5 else " " for v in cols))
    lines.append("%9.1f +" % low + "-" * len(cols))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("--port", "--pid", "--duration", "--warmup"):
        parser.add_argument(name, type=int, required=True)
    for name in ("--token", "--out", "--service-log", "--renewing", "--failing"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    renewing, failing = args.renewing.split(","), args.failing.split(",")
    tally = Tally()
    stop = threading.Event()
    workers = [threading.Thread(target=api_traffic, daemon=True,
                                args=(args.port, args.token, tally, stop, renewing + failing, n))
               for n in range(3)]
    workers += [threading.Thread(target=sse_client, daemon=True,
                                 args=(args.port, args.token, tally, stop, 100 + n))
                for n in range(4)]
    workers.append(threading.Thread(target=failing_requests, daemon=True,
                                    args=(args.port, args.token, tally, stop, failing)))
    watcher = Client(args.port, args.token, tally)
    seen = {"renewed": set(), "failed": set()}
    rows = []
    csv_path = os.path.join(args.out, "soak.csv")
    start = time.time()
    for worker in workers:
        worker.start()
    with open(csv_path, "w") as csv:
        csv.write("elapsed_s,rss_kib,fds,threads,api_calls,unexpected,sse_sessions,"
                  "renewals,failed_attempts\n")
        next_sample = start
        while True:
            try:
                rss, fds, threads = proc_sample(args.pid)
            except (OSError, TypeError):
                print("soak.py: the service (pid %d) is gone" % args.pid, file=sys.stderr)
                stop.set()
                return 1
            renewals_seen(watcher, set(renewing), set(failing), seen)
            t = round(time.time() - start, 1)
            with tally.lock:
                row = {"t": t, "rss": rss, "fds": fds, "threads": threads, "calls": tally.calls,
                       "unexpected": len(tally.unexpected), "sse": tally.sse_sessions}
            rows.append(row)
            csv.write("%s,%d,%d,%d,%d,%d,%d,%d,%d\n" % (
                t, rss, fds, threads, row["calls"], row["unexpected"], row["sse"],
                len(seen["renewed"]), len(seen["failed"])))
            csv.flush()
            if t >= args.duration:
                break
            next_sample += SAMPLE_SECONDS
            time.sleep(max(0, next_sample - time.time()))
    stop.set()
    for worker in workers:
        worker.join(timeout=30)
    return report(args, rows, tally, seen, failing, csv_path)


def report(args, rows, tally, seen, failing, csv_path):
    after = [r for r in rows if r["t"] >= args.warmup]
    xs = [r["t"] for r in after]
    window_h = (xs[-1] - xs[0]) / 3600 if len(xs) > 1 else 0
    rss_slope, rss_sigma = linear_fit(xs, [r["rss"] / 1024 for r in after])  # MiB per s
    fd_slope, fd_sigma = linear_fit(xs, [r["fds"] for r in after])
    th_slope, _ = linear_fit(xs, [r["threads"] for r in after])
    rss_growth = rss_slope * window_h * 3600
    fd_growth = fd_slope * window_h * 3600
    # Flat: what the trend adds over the window is within the samples' own scatter.
    rss_flat = rss_growth <= max(3 * rss_sigma, 1.0)
    fd_flat = fd_growth <= max(3 * fd_sigma, 2.0)
    provoked, unprovoked = log_errors([args.service_log + ".1", args.service_log], failing)
    first, warm, last = rows[0], after[0], rows[-1]
    lines = [
        "Soak of %d s, sampled every %d s (%d samples); trend over the %d s after a %d s warm-up"
        % (args.duration, SAMPLE_SECONDS, len(rows), xs[-1] - xs[0], args.warmup),
        "",
        "                 start   after warm-up     end     min     max",
        "  RSS (MiB)   %7.1f   %13.1f %7.1f %7.1f %7.1f" % (
            first["rss"] / 1024, warm["rss"] / 1024, last["rss"] / 1024,
            min(r["rss"] for r in rows) / 1024, max(r["rss"] for r in rows) / 1024),
        "  open fds    %7d   %13d %7d %7d %7d" % (
            first["fds"], warm["fds"], last["fds"], min(r["fds"] for r in rows),
            max(r["fds"] for r in rows)),
        "  threads     %7d   %13d %7d %7d %7d" % (
            first["threads"], warm["threads"], last["threads"],
            min(r["threads"] for r in rows), max(r["threads"] for r in rows)),
        "",
        "  RSS trend after warm-up: %+.2f MB/hour (%+.2f MiB over the window; scatter %.2f MiB)"
        " -> %s" % (rss_slope * 3600 * 1.048576, rss_growth, rss_sigma,
                    "flat" if rss_flat else "GROWING"),
        "  fd trend after warm-up:  %+.2f per hour (%+.2f over the window; scatter %.2f) -> %s"
        % (fd_slope * 3600, fd_growth, fd_sigma, "flat" if fd_flat else "GROWING"),
        "  thread trend after warm-up: %+.2f per hour" % (th_slope * 3600),
        "",
        "  API calls %d, answers not as expected %d; SSE sessions %d (%d bytes of events)" % (
            tally.calls, len(tally.unexpected), tally.sse_sessions, tally.sse_bytes),
        "  renewals seen %d (of the items due at every check); failed attempts seen %d (of the "
        "items failing on purpose)" % (len(seen["renewed"]), len(seen["failed"])),
        "  service log: %d error/warning lines provoked (they name a failing item), %d not" % (
            len(provoked), len(unprovoked)),
    ]
    for method, path, status, body in tally.unexpected[:10]:
        lines.append("    unexpected: %s %s -> %s %s" % (method, path, status, body[:160]))
    for line in unprovoked[:10]:
        lines.append("    unprovoked: " + line[:200])
    bar = rss_flat and fd_flat and not tally.unexpected and not unprovoked
    lines += ["", "Bar (flat RSS and fds after warm-up, no unprovoked error): " +
              ("met" if bar else "NOT met"), "",
              "RSS (MiB) over the run:", ascii_plot(rows, "rss", 1024), "",
              "open fds over the run:", ascii_plot(rows, "fds", 1)]
    png_path = os.path.join(args.out, "soak.png")
    write_png(png_path, rows, args.warmup)
    lines += ["", "Samples: " + csv_path, "Plot:    " + png_path]
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(args.out, "soak-report.txt"), "w") as out:
        out.write(text + "\n")
    return 0 if bar else 1


if __name__ == "__main__":
    sys.exit(main())
