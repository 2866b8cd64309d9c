"""Runs moto's AWS stand-in on 127.0.0.1 for the tests, and stops it when the
process that started it exits (so a test run never leaves it behind).

Usage: moto_server.py PORT   -- prints "ready PORT" once it answers.
"""
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
print(f"ready {port}", flush=True)
while os.getppid() == parent:
    time.sleep(0.2)
server.stop()
