"""A minimal WebSocket client on the standard library, for Moodline's server tests and benchmarks.

It speaks RFC 6455 from a client's side and can also break it on purpose (unmasked frames, reserved bits,
lying lengths), which a well-behaved library would not let a test do.
"""
import base64
import json
import os
import socket
import struct
from urllib.parse import urlparse


class Closed(Exception):
    """The server closed the connection; `code` and `reason` are what it said, if anything."""

    def __init__(self, code=None, reason=""):
        super().__init__(f"closed ({code}) {reason}")
        self.code = code
        self.reason = reason


class WebSocket:
    def __init__(self, url, timeout=30, headers=()):
        parts = urlparse(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                   + "".join(f"{header}\r\n" for header in headers) + "\r\n")
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise Closed(None, "no upgrade")
            head += chunk
        self.status = int(head.split(b" ", 2)[1])
        if self.status != 101:
            raise Closed(None, f"HTTP {self.status}")
        self.buffer = b""

    def send_frame(self, opcode, payload, mask=True, rsv=0, declared_length=None):
        """One frame; `mask=False`, `rsv` and `declared_length` break the protocol on purpose."""
        length = len(payload) if declared_length is None else declared_length
        header = bytes([0x80 | (rsv << 4) | opcode])
        mask_bit = 0x80 if mask else 0
        if length < 126:
            header += bytes([mask_bit | length])
        elif length < 1 << 16:
            header += bytes([mask_bit | 126]) + struct.pack(">H", length)
        else:
            header += bytes([mask_bit | 127]) + struct.pack(">Q", length)
        if mask:
            key = os.urandom(4)
            payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload)) if len(payload) < 4096 else _mask(payload, key)
            header += key
        self.sock.sendall(header + payload)

    def send_binary(self, payload):
        self.send_frame(0x2, payload)

    def send_text(self, text):
        self.send_frame(0x1, text.encode())

    def receive(self):
        """The next text message, decoded from JSON; raises Closed when the server closes."""
        while True:
            opcode, payload = self._frame()
            if opcode == 0x1:
                return json.loads(payload)
            if opcode == 0x8:
                code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else None
                try:
                    self.send_frame(0x8, payload[:2])  # the closing handshake's answer
                except OSError:
                    pass
                raise Closed(code, payload[2:].decode(errors="replace"))
            if opcode == 0x9:
                self.send_frame(0xA, payload)

    def close(self):
        try:
            self.send_frame(0x8, struct.pack(">H", 1000))
        except OSError:
            pass
        self.sock.close()

    def _read(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Closed(None, "connection ended")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def _frame(self):
        first, second = self._read(2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack(">H", self._read(2))[0]
        elif length == 127:
            length = struct.unpack(">Q", self._read(8))[0]
        return first & 0x0F, self._read(length)


def _mask(payload, key):
    """XOR with the 4-byte key, fast for large payloads."""
    repeated = (key * (len(payload) // 4 + 1))[: len(payload)]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(len(payload), "big")
