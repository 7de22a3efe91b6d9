"""The machinery every DNS API stand-in shares (tests only; never installed).

A stand-in is a local HTTPS server that implements, strictly, the documented subset of one DNS
host's API that Certkeeper's native provider uses: paths, methods, bodies and authentication are
checked as the provider checks them, and answers and error bodies look like the provider's. Each
provider's module (cloudflare.py, ...) says at its top which document it follows.

This file gives them:
  - TLS: a test CA and a server certificate for 127.0.0.1 made with the openssl tool; the CA is
    written to <workdir>/ca.pem, for the service's "trustedRootFile" credential field;
  - the zones and their TXT values, published to pebble-challtestsrv through its management API
    so that Pebble (and the provider's propagation check) sees exactly what the stand-in holds.
    challtestsrv clears all values of a name at once, so a name is cleared and its values are
    set again after every change;
  - principals (tokens, keys, accounts) with the zones each may read and edit;
  - control routes under /_standin/ for the tests: the records held, the requests seen, values
    put there by "someone else", and faults (a status with the provider's error body and
    headers, or a hang) for the next matching requests.

Started as: /usr/bin/python3 <provider>.py --workdir DIR --config CONFIG.json
CONFIG: {"zones": [...], "principals": {id: {"secret", "read": [...], "edit": [...]}},
         "challtestsrv": "http://127.0.0.1:PORT"?, ...provider's own keys}; "*" means every zone.
When it listens it writes <workdir>/ready.json: {"port": N, "ca": "<workdir>/ca.pem"}.
"""

import argparse
import json
import os
import ssl
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ApiError(Exception):
    """An answer other than success, in the provider's own shape (see Provider.error)."""

    def __init__(self, status, message, code=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}


def absolute(name):
    name = name.strip().lower()
    return name if name.endswith(".") else name + "."


class Principal:
    def __init__(self, pid, spec):
        self.id = pid
        self.secret = spec.get("secret", "")
        self.read = [absolute(z) if z != "*" else z for z in spec.get("read", ["*"])]
        self.edit = [absolute(z) if z != "*" else z for z in spec.get("edit", ["*"])]
        self.spec = spec

    def can_read(self, zone):
        return "*" in self.read or zone in self.read or self.can_edit(zone)

    def can_edit(self, zone):
        return "*" in self.edit or zone in self.edit


class State:
    """The zones and their TXT records; every change is published to challtestsrv."""

    def __init__(self, config):
        self.zones = [absolute(z) for z in config.get("zones", [])]
        self.challtestsrv = config.get("challtestsrv", "")
        self.principals = {k: Principal(k, v) for k, v in config.get("principals", {}).items()}
        self.records = {}  # name -> [{"id", "value", "ttl"}]
        self.lock = threading.RLock()
        self.next_id = 1
        self.requests = []
        self.faults = []

    def zone_of(self, name):
        name = absolute(name)
        best = None
        for z in self.zones:
            if (name == z or name.endswith("." + z)) and (best is None or len(z) > len(best)):
                best = z
        return best

    def values(self, name):
        with self.lock:
            return [r["value"] for r in self.records.get(absolute(name), [])]

    def add(self, name, value, ttl):
        with self.lock:
            record = {"id": "%032x" % (0x5EED0000 + self.next_id), "value": value, "ttl": ttl}
            self.next_id += 1
            self.records.setdefault(absolute(name), []).append(record)
            self.publish(name)
            return record

    def remove(self, name, record_id):
        with self.lock:
            kept = [r for r in self.records.get(absolute(name), []) if r["id"] != record_id]
            found = len(kept) != len(self.records.get(absolute(name), []))
            self.put(name, [r["value"] for r in kept], keep_ids=kept)
            return found

    def put(self, name, values, ttl=60, keep_ids=None):
        """Replaces the values at `name` (a record set written whole)."""
        with self.lock:
            if keep_ids is None:
                old = {r["value"]: r for r in self.records.get(absolute(name), [])}
                keep_ids = []
                for v in values:
                    if v in old:
                        keep_ids.append(old[v])
                    else:
                        keep_ids.append({"id": "%032x" % (0x5EED0000 + self.next_id),
                                         "value": v, "ttl": ttl})
                        self.next_id += 1
            if keep_ids:
                self.records[absolute(name)] = keep_ids
            else:
                self.records.pop(absolute(name), None)
            self.publish(name)

    def find(self, record_id):
        with self.lock:
            for name, records in self.records.items():
                for r in records:
                    if r["id"] == record_id:
                        return name, r
        return None, None

    def publish(self, name):
        if not self.challtestsrv:
            return
        host = absolute(name)
        post(self.challtestsrv + "/clear-txt", {"host": host})
        for value in self.values(host):
            post(self.challtestsrv + "/set-txt", {"host": host, "value": value})

    def take_fault(self, method, path):
        with self.lock:
            for f in self.faults:
                if f.get("method") and f["method"] != method:
                    continue
                if f.get("path") and f["path"] not in path:
                    continue
                if f.get("count", 1) == 0:
                    continue
                if f.get("count", 1) > 0:
                    f["count"] = f.get("count", 1) - 1
                return dict(f)
        return None


def post(url, body):
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        answer.read()


class Request:
    def __init__(self, handler, body):
        self.method = handler.command
        parsed = urllib.parse.urlsplit(handler.path)
        self.raw_path = parsed.path
        self.path = urllib.parse.unquote(parsed.path)
        self.raw_query = parsed.query
        self.query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        self.headers = handler.headers
        self.body = body
        self.host = handler.headers.get("Host", "")

    def arg(self, key, default=None):
        values = self.query.get(key)
        return values[0] if values else default

    def json(self):
        if "json" not in (self.headers.get("Content-Type") or ""):
            raise ApiError(415, "Content-Type must be application/json")
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            raise ApiError(400, "The request body is not JSON: %s" % e)


class Provider:
    """What a stand-in module implements."""

    def __init__(self, state, config):
        self.state = state
        self.config = config

    def handle(self, request):
        """(status, body: dict|list|bytes|str, headers) for one API request, or raises ApiError."""
        raise NotImplementedError

    def error(self, error):
        """(body bytes, content type) of an error answer, shaped as the provider shapes it."""
        return json.dumps({"error": error.message}).encode(), "application/json"


def make_handler(provider, state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            sys.stderr.write("%s\n" % (fmt % args))

        def answer(self, status, body, headers=None, content_type="application/json"):
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
            elif isinstance(body, str):
                body = body.encode()
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if not any(k.lower() == "content-type" for k in (headers or {})):
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def control(self, request):
            if request.path == "/_standin/records" and request.method == "GET":
                with state.lock:
                    held = {n: [r["value"] for r in rs] for n, rs in state.records.items()}
                return self.answer(200, {"records": held})
            if request.path == "/_standin/records" and request.method == "POST":
                body = json.loads(request.body)
                state.put(body["name"], body["values"])
                return self.answer(200, {})
            if request.path == "/_standin/requests":
                with state.lock:
                    return self.answer(200, {"requests": state.requests})
            if request.path == "/_standin/faults" and request.method == "POST":
                with state.lock:
                    state.faults.append(json.loads(request.body))
                return self.answer(200, {})
            return self.answer(404, {"error": "no such control route"})

        def serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Request(self, body)
            if request.path.startswith("/_standin/"):
                return self.control(request)
            fault = state.take_fault(request.method, request.path)
            entry = {"method": request.method, "path": request.path, "query": request.raw_query}
            with state.lock:
                state.requests.append(entry)
            if fault and fault.get("hang"):
                entry["status"] = 0
                time.sleep(fault.get("seconds", 600))
                self.close_connection = True
                return None
            try:
                if fault:
                    raise ApiError(fault["status"], fault.get("message", "stand-in fault"),
                                   fault.get("code"), fault.get("headers"))
                status, out, headers = provider.handle(request)
                content_type = (headers or {}).pop("Content-Type", "application/json")
            except ApiError as e:
                status, headers = e.status, e.headers
                out, content_type = provider.error(e)
            except Exception as e:  # a bug in the stand-in: say so loudly
                traceback.print_exc()
                status, headers = 500, {}
                out, content_type = ("stand-in failure: %r" % e).encode(), "text/plain"
            entry["status"] = status
            return self.answer(status, out, headers, content_type)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = serve

    return Handler


def make_tls(workdir):
    """A test CA and a certificate for 127.0.0.1 and localhost under it; the server's context."""
    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=workdir, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=Certkeeper DNS API stand-in test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    with open(os.path.join(workdir, "server.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
                "basicConstraints=critical,CA:FALSE\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(workdir, "server.pem"),
                            os.path.join(workdir, "server.key"))
    return context


def main(provider_class):
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--config", required=True)
    args = parser.parse_args()
    with open(args.config) as f:
        config = json.load(f)
    state = State(config)
    provider = provider_class(state, config)
    context = make_tls(args.workdir)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(provider, state))
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    ready = {"port": server.server_address[1], "ca": os.path.join(args.workdir, "ca.pem")}
    with open(os.path.join(args.workdir, "ready.json.tmp"), "w") as f:
        json.dump(ready, f)
    os.rename(os.path.join(args.workdir, "ready.json.tmp"),
              os.path.join(args.workdir, "ready.json"))
    sys.stderr.write("stand-in for %s listening on %s\n" % (provider_class.__name__, ready))
    server.serve_forever()
