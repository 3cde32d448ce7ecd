#!/usr/bin/env python3
"""Relays Chromium DevTools messages between standard input/output and a WebSocket (stdlib only).

Usage: devtools-relay.py ws://127.0.0.1:PORT/devtools/browser/ID
Each line read from standard input is sent as one text message; each text message received is
written as one line to standard output. Used by BoardBrowserTests: Chromium answers the upgrade
with 'Upgrade: WebSocket', which the Swift client in the package refuses.
"""
import base64, os, socket, struct, sys, threading, urllib.parse

url = urllib.parse.urlparse(sys.argv[1])
sock = socket.create_connection((url.hostname, url.port), timeout=30)
key = base64.b64encode(os.urandom(16)).decode()
sock.sendall((f"GET {url.path} HTTP/1.1\r\nHost: {url.hostname}:{url.port}\r\n"
              f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
              "Sec-WebSocket-Version: 13\r\n\r\n").encode())
head = b""
while b"\r\n\r\n" not in head:
    chunk = sock.recv(1)
    if not chunk:
        sys.exit("closed during the handshake")
    head += chunk
if b" 101 " not in head.split(b"\r\n")[0]:
    sys.exit("refused: " + head.decode(errors="replace"))
sock.settimeout(None)


def exact(n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def reader():
    message = b""
    try:
        while True:
            first, second = exact(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack("!H", exact(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", exact(8))[0]
            payload = exact(length)
            opcode = first & 0x0F
            if opcode == 8:
                break
            if opcode in (0, 1):
                message += payload
                if first & 0x80:
                    sys.stdout.write(message.decode() + "\n")
                    sys.stdout.flush()
                    message = b""
    except EOFError:
        pass
    os._exit(0)


threading.Thread(target=reader, daemon=True).start()
for line in sys.stdin:
    data = line.strip().encode()
    if not data:
        continue
    mask = os.urandom(4)
    header = bytes([0x81])
    if len(data) < 126:
        header += bytes([0x80 | len(data)])
    elif len(data) < 65536:
        header += bytes([0x80 | 126]) + struct.pack("!H", len(data))
    else:
        header += bytes([0x80 | 127]) + struct.pack("!Q", len(data))
    sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
