"""Runs moto's AWS stand-in on 127.0.0.1 for the tests, and stops it when the
process that started it exits (so a test run never leaves it behind).

Usage: moto_server.py PORT   -- prints "ready PORT" once it answers.
"""
import json
import os
import sys
import time
import urllib.request

from moto.server import ThreadedMotoServer

port = int(sys.argv[1])
parent = os.getppid()
server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
server.start()
for _ in range(200):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1)
        break
    except Exception:
        time.sleep(0.05)
else:
    sys.exit(f"moto did not answer on port {port}")
# Docker does not run here, so Lambda invocations use moto's backend that
# answers without running code (it echoes the payload, or a queued result).
config = json.dumps({"lambda": {"use_docker": False}}).encode()
urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/moto-api/config", data=config, method="POST"))
print(f"ready {port}", flush=True)
while os.getppid() == parent:
    time.sleep(0.2)
server.stop()
