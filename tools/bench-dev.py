#!/usr/bin/env python3
"""Times `synth dev` (debug build, as `cargo run` gives it), whole processes:

- start: from spawning `shop`'s `synth dev` (already built) to the first
  answer of one of its routes;
- reload: from saving an edited handler of the `notes` fixture to the new
  code answering (dev rebuilds itself with cargo and hands over);
- queue hop: from an SQS `SendMessage` to the stand-in endpoint to the start
  of the `notify` handler it feeds (the invocation's own start time).

Prints a table of medians. Usage: python3 tools/bench-dev.py [RUNS]
"""

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "target")
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 11


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, headers=None):
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Dev:
    def __init__(self, exe, args=(), env=None, cwd=None):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [exe, "dev", "--port", str(self.port), *args],
            stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})}, cwd=cwd)

    def wait_answer(self, path):
        while True:
            try:
                request(self.port, "GET", path)
                return time.perf_counter() - self.started
            except (ConnectionError, urllib.error.URLError):
                time.sleep(0.002)

    def stand_ins(self):
        self.log.seek(0)
        return re.search(r"stand-ins: (http://[0-9.:]+)", self.log.read()).group(1)

    def stop(self):
        self.process.kill()
        self.process.wait()


def cargo_build(args, cwd):
    subprocess.run(["cargo", "build", "-q", *args], cwd=cwd, check=True)


def shop_env():
    return {"SHOP_LAYERS": os.path.join(ROOT, "examples/shop/layers/carriers")}


def bench_start(synth):
    times = []
    for _ in range(RUNS):
        dev = Dev(synth, ["--no-watch"], shop_env())
        times.append(dev.wait_answer("/orders/o-none"))
        dev.stop()
    return times


def bench_hop(synth):
    dev = Dev(synth, ["--no-watch"], shop_env())
    dev.wait_answer("/orders/o-none")
    endpoint = dev.stand_ins()
    hops = []
    for i in range(RUNS * 2):
        body = json.dumps({"to": f"bench-{i}@example.com", "subject": "hop"})
        payload = json.dumps({"QueueUrl": f"{endpoint}/000000000000/notify", "MessageBody": body})
        sent = time.time() * 1000
        req = urllib.request.Request(endpoint + "/", data=payload.encode(), method="POST",
                                     headers={"x-amz-target": "AmazonSQS.SendMessage",
                                              "content-type": "application/x-amz-json-1.0"})
        urllib.request.urlopen(req, timeout=10).read()
        marker = f"bench-{i}@"
        while True:
            _, text = request(dev.port, "GET", "/_dev/api/state")
            found = [inv for inv in json.loads(text)["invocations"]
                     if inv["action"] == "notify" and marker in json.dumps(inv["event"])]
            if found:
                hops.append(found[0]["started_ms"] - sent)
                break
            time.sleep(0.01)
    dev.stop()
    return hops


def bench_reload():
    app = tempfile.mkdtemp(prefix="notes-bench-", dir=TARGET)
    fixture = os.path.join(ROOT, "tests/fixtures/notes")
    with open(os.path.join(fixture, "Cargo.toml.in")) as f:
        manifest = f.read().replace("{{runtime}}", os.path.join(ROOT, "runtime"))
    with open(os.path.join(app, "Cargo.toml"), "w") as f:
        f.write(manifest)
    shutil.copy(os.path.join(ROOT, "Cargo.lock"), app)
    shutil.copytree(os.path.join(fixture, "src"), os.path.join(app, "src"))
    cargo_build(["--bin", "notes-synth", "--target-dir", TARGET], app)
    dev = Dev(os.path.join(TARGET, "debug/notes-synth"), cwd=app)
    try:
        return edits(dev, app)
    finally:
        dev.stop()
        shutil.rmtree(app)


def edits(dev, app):
    dev.wait_answer("/notes/none")
    request(dev.port, "PUT", "/notes/n1", "remember the milk")
    lib = os.path.join(app, "src/lib.rs")
    times = []
    version = 1
    for _ in range(RUNS):
        with open(lib) as f:
            text = f.read()
        new = version + 1
        text = text.replace(f'"version {version}:', f'"version {new}:')
        with open(lib, "w") as f:
            f.write(text)
        saved = time.perf_counter()
        while True:
            status, body = request(dev.port, "GET", "/notes/n1")
            if body.startswith(f"version {new}:"):
                times.append(time.perf_counter() - saved)
                break
            time.sleep(0.02)
        version = new
    return times


def main():
    cargo_build(["-p", "shop", "--bin", "synth"], ROOT)
    synth = os.path.join(TARGET, "debug/synth")
    rows = [
        ("dev start -> first request answered (warm build)", bench_start(synth), 1000, "ms"),
        ("queue hop: SendMessage -> consumer starts", bench_hop(synth), 1, "ms"),
        ("save an edited handler -> new code answers", bench_reload(), 1, "s"),
    ]
    print(f"{'measure':<52} {'runs':>5} {'median':>10} {'min':>10} {'max':>10}")
    for name, values, scale, unit in rows:
        values = [v * scale for v in values]
        print(f"{name:<52} {len(values):>5} {statistics.median(values):>8.2f}{unit:>2} "
              f"{min(values):>8.2f}{unit:>2} {max(values):>8.2f}{unit:>2}")


if __name__ == "__main__":
    main()
