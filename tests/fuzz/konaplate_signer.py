"""A signing proxy for fuzzing the Konaplate face: schemathesis sends plain
requests here; each is forwarded to finhub with the X-KM headers a provider's
client would add (ASP id, a fresh correlation id, access key, KST time and
the KMV1 Tran-Token over the exact body bytes), so the fuzzer reaches the
handlers through the real transport. Generated X-KM headers are replaced.

Usage: konaplate_signer.py LISTEN_PORT UPSTREAM_BASE ASP_ID ACCESS_KEY SECRET
"""
import base64
import datetime
import hashlib
import hmac
import http.client
import http.server
import itertools
import os
import sys
import urllib.parse

PORT, UPSTREAM, ASP, ACCESS, SECRET = sys.argv[1:6]
UP = urllib.parse.urlsplit(UPSTREAM)
KST = datetime.timezone(datetime.timedelta(hours=9))
SEQ = itertools.count()
HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


def signed(body: bytes) -> dict:
    now = datetime.datetime.now(KST)
    mac = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
    stamp = now.strftime("%Y%m%d%H%M%S") + f"{now.microsecond // 1000:03d}"
    return {
        "X-KM-User-AspId": ASP,
        "X-KM-Correlation-Id": f"{next(SEQ) % 10**12:012d}-{os.urandom(4).hex()[:7]}",
        "X-KM-Access-Key": ACCESS,
        "X-KM-Tran-Time": now.strftime("%Y%m%d%H%M%S"),
        "X-KM-Time-Zone": "KST",
        "X-KM-Tran-Token": f"KMV1:{stamp}:{base64.b64encode(mac).decode()}",
    }


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in HOP and not k.lower().startswith("x-km-")}
        if self.command == "POST":
            headers.update(signed(body))
        conn = http.client.HTTPConnection(UP.hostname, UP.port, timeout=30)
        conn.request(self.command, self.path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in HOP or (self.command == "HEAD" and k.lower() == "content-length"):
                self.send_header(k, v)
        if self.command != "HEAD":
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        conn.close()

    def __getattr__(self, name):
        # Every method goes through (the fuzzer tries TRACE, QUERY, …).
        if name.startswith("do_"):
            return self.forward
        raise AttributeError(name)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(PORT)), Proxy).serve_forever()
