#!/usr/bin/python3
"""Real receivers for the notification tests, on loopback ports the test chooses.

- HTTP: every request (a webhook) is recorded; answered with --http-status.
- SMTP: aiosmtpd (Debian's python3-aiosmtpd) on --smtp-port with STARTTLS required and AUTH
  LOGIN/PLAIN required after it; with --smtps-port also implicit TLS ("smtps") on that port.
  Only --user/--password is accepted. With --plain-smtp-port also plain SMTP with neither TLS nor
  a login on that port, as a machine's own mail server takes mail on loopback. Every message is
  recorded with its envelope, the port it came to and whether it came over TLS and after a
  login.

Each request or message is written as one JSON file in --dir (webhook-NNNN.json,
mail-NNNN.json; written to a temporary name and renamed, so a reader never sees half a file).
"ready" is printed once everything listens. Runs until SIGTERM.
"""

import argparse
import json
import os
import signal
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

args = None
counter_lock = threading.Lock()
counter = 0


def record(kind, entry):
    global counter
    with counter_lock:
        counter += 1
        name = os.path.join(args.dir, "%s-%04d.json" % (kind, counter))
    with open(name + ".tmp", "w", encoding="utf-8") as f:
        json.dump(entry, f)
    os.rename(name + ".tmp", name)


class Webhook(BaseHTTPRequestHandler):
    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        record("webhook", {"method": self.command, "path": self.path,
                           "headers": {k.lower(): v for k, v in self.headers.items()},
                           "body": body})
        answer = b"recorded\n" if args.http_status < 300 else b"receiver refused it\n"
        self.send_response(args.http_status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_POST = do_PUT = do_GET = handle_any

    def log_message(self, *unused):
        pass


class Mailbox:
    def __init__(self, implicit_tls, port):
        self.implicit_tls = implicit_tls  # the port takes nothing but TLS connections
        self.port = port

    async def handle_DATA(self, server, session, envelope):
        login = getattr(session, "auth_data", None)
        record("mail", {"port": self.port, "from": envelope.mail_from, "to": envelope.rcpt_tos,
                        "data": envelope.content.decode("utf-8", "replace"),
                        "tls": self.implicit_tls or session.ssl is not None,
                        "authenticated": bool(session.authenticated),
                        "login": login.login.decode() if isinstance(login, LoginPassword) else ""})
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == args.user.encode()
          and auth_data.password == args.password.encode())
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def main():
    global args
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--http-status", type=int, default=200)
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--smtps-port", type=int, default=0)
    parser.add_argument("--plain-smtp-port", type=int, default=0)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()

    http = ThreadingHTTPServer(("127.0.0.1", args.http_port), Webhook)
    threading.Thread(target=http.serve_forever, daemon=True).start()

    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(args.cert, args.key)
    smtp_options = dict(authenticator=authenticator, auth_required=True,
                        server_hostname="127.0.0.1")
    controllers = [Controller(Mailbox(False, args.smtp_port), hostname="127.0.0.1",
                              port=args.smtp_port, tls_context=tls, require_starttls=True,
                              auth_require_tls=True, **smtp_options)]
    if args.smtps_port:
        # aiosmtpd only counts STARTTLS as TLS for auth_require_tls; this port is all TLS.
        controllers.append(Controller(Mailbox(True, args.smtps_port), hostname="127.0.0.1",
                                      port=args.smtps_port, ssl_context=tls,
                                      auth_require_tls=False, **smtp_options))
    if args.plain_smtp_port:
        controllers.append(Controller(Mailbox(False, args.plain_smtp_port), hostname="127.0.0.1",
                                      port=args.plain_smtp_port, server_hostname="127.0.0.1"))
    for c in controllers:
        c.start()
    print("ready", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *unused: stop.set())
    signal.signal(signal.SIGINT, lambda *unused: stop.set())
    stop.wait()
    for c in controllers:
        c.stop()
    http.shutdown()


if __name__ == "__main__":
    main()
