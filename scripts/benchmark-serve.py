#!/usr/bin/env python3
"""Benchmarks `moodline serve` (release build) on this machine; prints a table of medians to paste.

  1. Live latency and rate: 640x480 JPEG frames from the sample sent over the WebSocket one after another (the
     next when the last result is back, as the live page does). Per frame: the server's own time from the frame's
     arrival at the analyser to its result (analysis_ms) and the client's round trip; median and p95; frames per
     second sustained by one and by two cameras at once.
  2. Memory after 100 uploads: a 2-second clip uploaded and analysed 100 times; the server's resident memory
     after the 1st, 10th, 50th and 100th, and its peak.
  3. Load: wrk against the status and health endpoints (16 connections, 10 s), and 40 photo uploads from 4
     clients at once; every reply must be 2xx (or 429 for uploads beyond the queue), and memory must not grow.

Usage: scripts/benchmark-serve.py   (needs ffmpeg and wrk; builds the release binary)
"""
import concurrent.futures
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Tests", "web"))
from wsclient import WebSocket  # noqa: E402

SAMPLE = os.path.join(ROOT, "Samples", "WolfgangLanger_Pexels.mp4")
PHOTO = os.path.join(ROOT, "Samples", "multi_face.jpg")


def rss_mb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def start_server(work, *arguments):
    env = dict(os.environ, MOODLINE_WEIGHTS=os.path.join(ROOT, "Weights"))
    process = subprocess.Popen([os.path.join(ROOT, ".build/release/moodline"), "serve", "--port", "0", "--work", work, *arguments],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    line = process.stdout.readline()
    address = re.search(r"http://127\.0\.0\.1:\d+", line).group(0)
    return process, address


def upload(address, path, name=None):
    boundary = uuid.uuid4().hex
    data = open(path, "rb").read()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name or os.path.basename(path)}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(address + "/api/jobs", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(request) as reply:
            return reply.status, json.load(reply)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def wait(address, job):
    while True:
        with urllib.request.urlopen(f"{address}/api/jobs/{job}") as reply:
            state = json.load(reply)
        if state["status"] in ("done", "failed", "stopped"):
            return state
        time.sleep(0.05)


def live(address, frames, seconds):
    """Sends frames one after another for `seconds`; returns server times, round trips and the frame count."""
    ws = WebSocket(address.replace("http://", "ws://") + "/api/live")
    ws.receive()
    analysis, round_trips = [], []
    started = time.time()
    i = 0
    while time.time() - started < seconds:
        sent = time.perf_counter()
        ws.send_binary(frames[i % len(frames)])
        result = ws.receive()
        if "faces" not in result:  # sooner than --live-fps allows: send it again a little later
            time.sleep(0.002)
            continue
        round_trips.append((time.perf_counter() - sent) * 1000)
        analysis.append(result["analysis_ms"])
        assert result.get("error") is None, result
        i += 1
    elapsed = time.time() - started
    ws.close()
    return analysis, round_trips, i / elapsed


def main():
    subprocess.run(["swift", "build", "-c", "release", "--product", "moodline", "-q"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="moodline-serve-bench-")
    frames_dir = os.path.join(work, "frames")
    os.makedirs(frames_dir)
    subprocess.run(["ffmpeg", "-v", "error", "-i", SAMPLE, "-t", "10", "-vf", "fps=10,scale=640:480", "-q:v", "4",
                    os.path.join(frames_dir, "%04d.jpg")], check=True)
    frames = [open(os.path.join(frames_dir, name), "rb").read() for name in sorted(os.listdir(frames_dir))]
    clip = os.path.join(work, "clip.mp4")
    subprocess.run(["ffmpeg", "-v", "error", "-i", SAMPLE, "-t", "2", "-c", "copy", clip], check=True)

    process, address = start_server(os.path.join(work, "server"), "--live-fps", "60", "--queue", "200", "--keep-jobs", "20")
    try:
        print(f"server: {address}, pid {process.pid}, {rss_mb(process.pid):.0f} MB at start")
        live(address, frames, 3)  # warm-up: loads the models
        analysis, trips, fps = live(address, frames, 20)
        print(f"live, one camera, {len(trips)} frames of 640x480: server {statistics.median(analysis):.1f} ms median, "
              f"{percentile(analysis, 95):.1f} ms p95; round trip {statistics.median(trips):.1f} ms median, "
              f"{percentile(trips, 95):.1f} ms p95; {fps:.1f} frames/s")
        results = [None, None]

        def camera(k):
            results[k] = live(address, frames, 20)
        threads = [threading.Thread(target=camera, args=(k,)) for k in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        both = results[0][1] + results[1][1]
        print(f"live, two cameras at once: {results[0][2] + results[1][2]:.1f} frames/s together; round trip "
              f"{statistics.median(both):.1f} ms median, {percentile(both, 95):.1f} ms p95")

        memory = {}
        started = time.time()
        for n in range(1, 101):
            status, reply = upload(address, clip)
            assert status == 202, reply
            state = wait(address, reply["id"])
            assert state["status"] == "done", state
            if n in (1, 10, 50, 100):
                memory[n] = rss_mb(process.pid)
        print(f"100 uploads of a 2 s clip, each analysed: {time.time() - started:.0f} s; resident memory after "
              + ", ".join(f"{n}: {mb:.0f} MB" for n, mb in memory.items())
              + f"; peak {rss_mb(process.pid, 'VmHWM'):.0f} MB")

        before = rss_mb(process.pid)
        job = reply["id"]
        for path in (f"/api/jobs/{job}", "/api/health"):
            out = subprocess.run(["wrk", "-t2", "-c16", "-d10s", address + path], capture_output=True, text=True).stdout
            rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
            latency = re.search(r"Latency\s+(\S+)", out).group(1)
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            socket_errors = re.search(r"Socket errors: (.*)", out)
            print(f"wrk GET {path.replace(job, 'ID')}: {rate} requests/s, mean latency {latency}, "
                  f"non-2xx {errors.group(1) if errors else 0}, socket errors {socket_errors.group(1) if socket_errors else 'none'}")

        # Two rounds of the same load: memory after the second must not be above the first's.
        after_round = []
        for _ in range(2):
            statuses = []
            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                for status, reply in pool.map(lambda _: upload(address, PHOTO), range(40)):
                    statuses.append(status)
            accepted = [s for s in statuses if s == 202]
            refused = [s for s in statuses if s == 429]
            print(f"40 photo uploads from 4 clients: {len(accepted)} accepted, {len(refused)} refused with 429, "
                  f"{len(statuses) - len(accepted) - len(refused)} other")
            while json.load(urllib.request.urlopen(address + "/api/health"))["running"]:
                time.sleep(0.2)
            after_round.append(rss_mb(process.pid))
        print(f"resident memory before the load: {before:.0f} MB, after the first round: {after_round[0]:.0f} MB, "
              f"after the second: {after_round[1]:.0f} MB; peak over the whole run {rss_mb(process.pid, 'VmHWM'):.0f} MB")
    finally:
        process.terminate()
        process.wait(timeout=60)
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
