"""Checks `moodline serve` against hostile HTTP clients on raw sockets; exits 1 on the first failure.

Usage: python3 hostile_http_check.py http://127.0.0.1:PORT CHECK [ARGUMENTS]

Checks (each needs the server started as its docstring says):
  hosts                  foreign Host headers are refused, the server's own names are served
  origins PHOTO          cross-site posts and WebSocket upgrades are refused, same-origin ones are not
  live-idle SECONDS      an idle live socket is closed with the reason and its slot freed
  malformed              malformed requests are answered 400/431 with a reason, quickly
  header-timeout SECONDS a client that never finishes its headers gets 408
  idle-uploads PHOTO BODY_TIMEOUT  connections that send only headers, or stall in their body, do not lock out uploads
  bombs PID              pictures that declare a huge size are refused undecoded, on upload and live, memory stays low
"""
import json
import os
import socket
import struct
import sys
import threading
import time
import zlib
from urllib.parse import urlparse

from wsclient import Closed, WebSocket


def check(condition, message):
    if not condition:
        print("FAILED:", message)
        sys.exit(1)


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return {}

    def __repr__(self):
        return f"HTTP {self.status} {self.body[:300]!r}"


def connect(address, timeout=10):
    parts = urlparse(address)
    return socket.create_connection((parts.hostname, parts.port), timeout=timeout)


def read_reply(sock):
    """One HTTP response (its body by Content-Length, or to the end)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"connection ended before a response: {data[:200]!r}")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        length = int(headers["content-length"])
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
    return Reply(status, headers, body)


def exchange(address, raw, timeout=10):
    """Sends raw bytes (without waiting for the server to read them all) and returns the reply."""
    sock = connect(address, timeout)
    try:
        try:
            sock.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything; the answer is what counts
        return read_reply(sock)
    finally:
        sock.close()


def authority(address):
    parts = urlparse(address)
    return f"{parts.hostname}:{parts.port}"


def request(method, path, host, headers=(), body=b""):
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"] + list(headers)
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def multipart(photo_path):
    boundary = "hostile-check"
    data = open(photo_path, "rb").read()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n"
            "Content-Type: image/jpeg\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return f"Content-Type: multipart/form-data; boundary={boundary}", body


def health(address):
    return exchange(address, request("GET", "/api/health", authority(address))).json()


def hosts(address):
    port = urlparse(address).port
    for own in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        reply = exchange(address, request("GET", "/api/health", own))
        check(reply.status == 200, f"Host {own} is this server: {reply}")
    for foreign in ("evil.example", f"evil.example:{port}", "127.0.0.1", f"127.0.0.1:{port + 1}", f"localhost.evil.example:{port}"):
        reply = exchange(address, request("GET", "/api/health", foreign))
        check(reply.status == 421, f"Host {foreign} is refused with 421: {reply}")
        check("Host" in reply.json().get("error", ""), f"with the reason: {reply}")
    reply = exchange(address, b"GET /api/health HTTP/1.0\r\n\r\n")
    check(reply.status == 400 and "Host" in reply.json().get("error", ""), f"no Host at all: {reply}")
    # The pages too: a rebinding page cannot read them.
    reply = exchange(address, request("GET", "/", f"evil.example:{port}"))
    check(reply.status == 421, f"the upload page under a foreign name: {reply}")
    print("hosts: all checks passed")


def origins(address, photo):
    own = authority(address)
    content_type, body = multipart(photo)
    for headers in (["Origin: http://evil.example"], ["Sec-Fetch-Site: cross-site"], ["Origin: null"],
                    ["Sec-Fetch-Site: same-site", f"Origin: http://localhost:{urlparse(address).port + 1}"],
                    [f"Origin: https://{own}"]):
        reply = exchange(address, request("POST", "/api/jobs", own, [content_type] + headers, body))
        check(reply.status == 403, f"a post with {headers} is refused: {reply}")
        check("another web site" in reply.json().get("error", ""), f"with the reason: {reply}")
    reply = exchange(address, request("POST", "/api/jobs", own, ["Content-Type: application/json", "Origin: http://evil.example"], b'{"path": "x"}'))
    check(reply.status == 403 and "another web site" in reply.json().get("error", ""), f"a cross-site path request is refused: {reply}")
    reply = exchange(address, request("DELETE", "/api/jobs/x", own, ["Origin: http://evil.example"]))
    check(reply.status == 403, f"any state-changing method: {reply}")
    check(health(address) == {"ok": 1, "running": 0, "waiting": 0, "receiving": 0}, "nothing was queued")
    # Reading is not changing: a GET from another site's page is answered (the browser keeps it from that page).
    reply = exchange(address, request("GET", "/api/health", own, ["Origin: http://evil.example", "Sec-Fetch-Site: cross-site"]))
    check(reply.status == 200, f"a cross-site GET: {reply}")
    # The server's own page, and a client that sends no Origin, are served.
    reply = exchange(address, request("POST", "/api/jobs", own, [content_type, f"Origin: http://{own}", "Sec-Fetch-Site: same-origin"], body))
    check(reply.status == 202, f"a same-origin upload: {reply}")
    reply = exchange(address, request("POST", "/api/jobs", own, [content_type], body))
    check(reply.status in (202, 429), f"an upload without Origin: {reply}")

    url = address.replace("http://", "ws://") + "/api/live"
    for extra in ("Origin: http://evil.example", "Sec-Fetch-Site: cross-site", f"Origin: http://127.0.0.1:{urlparse(address).port + 1}"):
        key = "dGhlIHNhbXBsZSBub25jZQ=="
        raw = (f"GET /api/live HTTP/1.1\r\nHost: {own}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{extra}\r\n\r\n").encode()
        reply = exchange(address, raw)
        check(reply.status == 403 and "another web site" in reply.json().get("error", ""), f"a WebSocket from {extra}: {reply}")
    ws = WebSocket(url, headers=[f"Origin: http://{own}"])
    check("hello" in ws.receive(), "a WebSocket from the server's own page is upgraded")
    ws.close()
    print("origins: all checks passed")


def live_idle(address, seconds):
    seconds = float(seconds)
    url = address.replace("http://", "ws://") + "/api/live"
    idle = WebSocket(url)
    idle.receive()
    started = time.time()
    try:
        while True:
            idle.receive()
    except Closed as closed:
        waited = time.time() - started
        check(closed.code == 1008 and "no frame" in closed.reason, f"closed with the reason: {closed.code} {closed.reason}")
        check(seconds - 0.5 <= waited <= seconds + 3, f"after about {seconds} s idle: {waited:.1f} s")
    idle.sock.close()
    # One that never answers the close: its slot is free at once all the same.
    silent = WebSocket(url)
    silent.receive()
    time.sleep(seconds + 0.5)
    again = WebSocket(url)
    check("hello" in again.receive(), "the slot is free after an idle close, even unanswered")
    again.close()
    silent.sock.close()
    print("live-idle: all checks passed")


def malformed(address):
    own = authority(address)
    cases = [
        ("Content-Length -1", f"POST /api/jobs HTTP/1.1\r\nHost: {own}\r\nContent-Length: -1\r\n\r\n".encode(), 400),
        ("Content-Length abc", f"POST /api/jobs HTTP/1.1\r\nHost: {own}\r\nContent-Length: abc\r\n\r\n".encode(), 400),
        ("Content-Length 1e9", f"POST /api/jobs HTTP/1.1\r\nHost: {own}\r\nContent-Length: 1e9\r\n\r\n".encode(), 400),
        ("two Content-Lengths", f"POST /api/jobs HTTP/1.1\r\nHost: {own}\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!".encode(), 400),
        ("Content-Length and Transfer-Encoding", f"POST /api/jobs HTTP/1.1\r\nHost: {own}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n".encode(), 400),
        ("a 2 MB header line", f"GET /api/health HTTP/1.1\r\nHost: {own}\r\nX-Big: ".encode() + b"a" * 2_000_000 + b"\r\n\r\n", 431),
        ("20,000 headers", f"GET /api/health HTTP/1.1\r\nHost: {own}\r\n".encode() + b"".join(b"X-%d: y\r\n" % i for i in range(20_000)) + b"\r\n", 431),
        ("a 100 KB multipart boundary", f"POST /api/jobs HTTP/1.1\r\nHost: {own}\r\nContent-Type: multipart/form-data; boundary={'b' * 100_000}\r\nContent-Length: 10\r\n\r\n0123456789".encode(), 431),
        ("a bad chunk size", f"POST /api/jobs HTTP/1.1\r\nHost: {own}\r\nTransfer-Encoding: chunked\r\nContent-Type: multipart/form-data; boundary=x\r\n\r\nzz\r\n".encode(), 400),
        ("not HTTP at all", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + os.urandom(64) + b"\r\n\r\n", 400),
    ]
    for name, raw, status in cases:
        started = time.time()
        try:
            reply = exchange(address, raw, timeout=5)
        except (OSError, ConnectionError) as error:
            check(False, f"{name}: no answer ({error!r})")
        elapsed = time.time() - started
        check(reply.status == status, f"{name}: answered {status}, got {reply}")
        check(reply.json().get("error"), f"{name}: with a reason: {reply}")
        check(reply.headers.get("connection") == "close", f"{name}: and the connection closed")
        check(elapsed < 3, f"{name}: within 3 s, took {elapsed:.1f} s")
    check(health(address)["ok"] == 1, "still serving")
    print("malformed: all checks passed")


def header_timeout(address, seconds):
    seconds = float(seconds)
    sock = connect(address, timeout=seconds + 10)
    started = time.time()
    sock.sendall(f"GET /api/health HTTP/1.1\r\nHost: {authority(address)}\r\nX-Slow: ".encode())
    reply = read_reply(sock)
    waited = time.time() - started
    check(reply.status == 408 and "headers" in reply.json().get("error", ""), f"a client that never ends its headers: {reply}")
    check(seconds - 0.5 <= waited <= seconds + 3, f"after about {seconds} s: {waited:.1f} s")
    # A connection that sends nothing at all is closed as well.
    silent = connect(address, timeout=seconds + 10)
    started = time.time()
    reply = read_reply(silent)
    check(reply.status == 408, f"a silent connection: {reply}")
    silent.close()
    sock.close()
    print("header-timeout: all checks passed")


def idle_uploads(address, photo, body_timeout):
    body_timeout = float(body_timeout)
    own = authority(address)
    content_type, body = multipart(photo)
    head = f"POST /api/jobs HTTP/1.1\r\nHost: {own}\r\n{content_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    # Five connections that send their headers and nothing more: they hold no place in the queue.
    idle = [connect(address) for _ in range(5)]
    for sock in idle:
        sock.sendall(head)
    time.sleep(0.5)
    check(health(address) == {"ok": 1, "running": 0, "waiting": 0, "receiving": 0}, f"headers alone reserve nothing: {health(address)}")
    reply = exchange(address, head + body)
    check(reply.status == 202, f"an upload beside five idle connections is accepted: {reply}")
    for sock in idle:
        sock.close()
    deadline = time.time() + 120
    while time.time() < deadline and (health(address)["running"], health(address)["waiting"]) != (0, 0):
        time.sleep(0.2)
    # Five that start their bodies and stall: they hold places while their bodies flow, the refusal says so in
    # the same numbers as /api/health, and the places come back once the body timeout drops them.
    stalled = [connect(address, timeout=body_timeout + 10) for _ in range(5)]
    for sock in stalled:
        sock.sendall(head + body[:100])
    time.sleep(0.5)
    state = health(address)
    check(state["receiving"] >= 4, f"stalled bodies hold places while they last: {state}")
    reply = exchange(address, head + body)
    text = reply.json().get("error", "")
    check(reply.status == 429, f"a full queue refuses: {reply}")
    state = health(address)
    check(f"{state['running']} running, {state['waiting']} waiting and {state['receiving']} being uploaded" in text,
          f"the refusal's numbers agree with /api/health {state}: {text}")
    for sock in stalled:
        reply = read_reply(sock)
        check(reply.status == 408 and "body" in reply.json().get("error", ""), f"a stalled body is dropped: {reply}")
        sock.close()
    time.sleep(0.3)
    check(health(address)["receiving"] == 0, f"the places are given back: {health(address)}")
    reply = exchange(address, head + body)
    check(reply.status in (202, 429), f"uploads are taken again: {reply}")
    print("idle-uploads: all checks passed")


def png(width, height, bit_depth=8, colour_type=2, rows=None):
    """A PNG declaring `width`x`height`; with `rows`, only that many rows of zeros are compressed (a bomb)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    row = b"\0" + b"\0" * (width * channels * bit_depth // 8)
    data = zlib.compress(row * (height if rows is None else rows), 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0))
            + chunk(b"IDAT", data) + chunk(b"IEND", b""))


def peak_memory_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0


def bombs(address, pid):
    own = authority(address)
    bomb = png(14000, 14000, bit_depth=16, colour_type=6, rows=8)
    check(len(bomb) < 10_000, f"the bomb is small: {len(bomb)} bytes")
    boundary = "bomb-check"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bomb.png\"\r\n"
            "Content-Type: image/png\r\n\r\n").encode() + bomb + f"\r\n--{boundary}--\r\n".encode()
    raw = request("POST", "/api/jobs", own, [f"Content-Type: multipart/form-data; boundary={boundary}"], body)
    replies = []

    def upload():
        replies.append(exchange(address, raw, timeout=30))

    started = time.time()
    threads = [threading.Thread(target=upload) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.time() - started
    for reply in replies:
        check(reply.status == 413 and "14000x14000" in reply.json().get("error", ""), f"a bomb upload is refused by its header: {reply}")
    check(len(replies) == 3 and elapsed < 5, f"three bombs at once, answered in {elapsed:.1f} s")

    # The same on the live socket: an error reply naming the size, and the connection goes on.
    ws = WebSocket(address.replace("http://", "ws://") + "/api/live")
    ws.receive()
    ws.send_binary(bomb)
    reply = ws.receive()
    check("14000x14000 is larger than" in reply.get("error", ""), f"a bomb frame is refused by its header: {reply}")
    time.sleep(0.2)
    ws.send_binary(png(64, 48))
    reply = ws.receive()
    check(reply.get("error") is None and (reply["width"], reply["height"]) == (64, 48), f"a small PNG frame is decoded: {reply}")
    ws.close()

    # A picture under the limits is still checked and taken.
    small = png(320, 240)
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"small.png\"\r\n"
            "Content-Type: image/png\r\n\r\n").encode() + small + f"\r\n--{boundary}--\r\n".encode()
    reply = exchange(address, request("POST", "/api/jobs", own, [f"Content-Type: multipart/form-data; boundary={boundary}"], body))
    check(reply.status == 202, f"a small PNG upload is accepted: {reply}")
    peak = peak_memory_mb(pid)
    check(peak < 800, f"the server's peak memory stays low: {peak:.0f} MB")
    print(f"bombs: all checks passed (peak memory {peak:.0f} MB)")


if __name__ == "__main__":
    address, name, *arguments = sys.argv[1:]
    {"hosts": hosts, "origins": origins, "live-idle": live_idle, "malformed": malformed,
     "header-timeout": header_timeout, "idle-uploads": idle_uploads, "bombs": bombs}[name](address, *arguments)
