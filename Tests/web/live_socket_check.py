"""Checks `moodline serve`'s live WebSocket with real frames and with abuse; exits 1 on the first failure.

Usage: python3 live_socket_check.py http://127.0.0.1:PORT FRAME.jpg
The server must run with --live-connections 2 and --live-fps 15 (the limits this script checks).
"""
import socket
import sys
import time

from wsclient import Closed, WebSocket


def check(condition, message):
    if not condition:
        print("FAILED:", message)
        sys.exit(1)


def expect_close(ws, code, what):
    try:
        while True:
            ws.receive()
    except Closed as closed:
        check(closed.code == code, f"{what}: closed with {closed.code} ({closed.reason}), expected {code}")
        return closed
    except (socket.timeout, OSError) as error:
        check(False, f"{what}: expected close {code}, got {error!r}")


def main(address, frame_path):
    url = address.replace("http://", "ws://") + "/api/live"
    frame = open(frame_path, "rb").read()

    # A real frame: one face, with a box, a track, a label and seven probabilities summing to 1.
    ws = WebSocket(url)
    hello = ws.receive()["hello"]
    check(hello["emotions"] == ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"], hello)
    check(hello["smoothing_s"] == 0.5, f"the chart's smoothing follows the pipeline (a 1 s window): {hello}")
    tracks = set()
    for _ in range(3):
        ws.send_binary(frame)
        result = ws.receive()
        check(result.get("error") is None and len(result["faces"]) == 1, result)
        face = result["faces"][0]
        check(len(face["box"]) == 4 and face["box"][2] > 50, face)
        check(face["label"] in hello["emotions"] and abs(sum(face["probabilities"]) - 1) < 0.01, face)
        check((result["width"], result["height"]) == (640, 480), result)
        tracks.add(face["track"])
        time.sleep(0.1)
    check(len(tracks) == 1, f"the same face keeps its track: {tracks}")

    # A text message and a broken picture: an error reply each, and the connection goes on.
    ws.send_text("hello")
    check("binary" in ws.receive().get("error", ""), "a text message is answered with the reason")
    time.sleep(0.1)
    ws.send_binary(b"\xff\xd8\xff\xe0 not really a jpeg")
    reply = ws.receive()
    check(reply.get("error", "").startswith("frame "), reply)
    time.sleep(0.1)
    ws.send_binary(b"GIF89a")
    check("not a JPEG or PNG" in ws.receive().get("error", ""), "a GIF is refused by its signature")

    # A flood: 60 frames at once. Every one is answered; the server never analyses faster than its limit (15 a
    # second, over the time the flood took, whatever the machine's speed), and counts the rest as dropped.
    time.sleep(0.1)
    started = time.time()
    for _ in range(60):
        ws.send_binary(frame)
    answered = []
    while len(answered) < 60:
        answered.append(ws.receive())
    elapsed = time.time() - started
    analysed = [reply for reply in answered if "faces" in reply]
    dropped = max(reply["dropped"] for reply in answered)
    check(dropped + len(analysed) == 60, f"dropped frames are counted: {dropped} dropped, {len(analysed)} analysed")
    check(1 <= len(analysed) <= 15 * elapsed + 2, f"{len(analysed)} of 60 flooded frames analysed in {elapsed:.1f} s")
    check(all(len(reply["faces"]) == 1 for reply in analysed), "the analysed ones are real results")
    time.sleep(0.2)
    ws.send_binary(frame)
    check(len(ws.receive()["faces"]) == 1, "after the flood, frames are analysed again")

    # Too many cameras: the third connection is closed with the reason (1008); the two others go on.
    other = WebSocket(url)
    other.receive()
    third = WebSocket(url)
    closed = expect_close(third, 1008, "a connection over the limit")
    check("live cameras" in closed.reason, closed.reason)
    other.close()
    ws.close()
    time.sleep(0.5)

    # Protocol abuse: reserved bits (1002), a message over the size limit (1009). Each closes only that connection.
    bad = WebSocket(url)
    bad.receive()
    bad.send_frame(0x2, b"abc", rsv=4)
    expect_close(bad, 1002, "a frame with reserved bits set")
    bad.sock.close()
    time.sleep(0.5)
    huge = WebSocket(url)
    huge.receive()
    huge.send_frame(0x2, b"x" * 16, declared_length=hello["max_message_bytes"] + 1)
    expect_close(huge, 1009, "a message over the size limit")
    huge.sock.close()
    time.sleep(0.5)

    # Still serving.
    again = WebSocket(url)
    again.receive()
    again.send_binary(frame)
    check(len(again.receive()["faces"]) == 1, "a new connection works after the abuse")
    again.close()
    print("live socket: all checks passed")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
