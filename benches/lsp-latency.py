#!/usr/bin/env python3
"""Time from a `didChange` of one file to its `publishDiagnostics` in `roadlog lsp`, over many
edits that flip a finding on and off, on any plan (a generated one: examples/gen_plan.rs).

    python3 benches/lsp-latency.py ./target/release/roadlog /tmp/plan10k [EDITS]

Prints p50, p95 and max in milliseconds, and the server's peak memory (VmHWM). Standard library
only; the framing is the protocol's, written here because a benchmark must not depend on PyPI.
"""
import json
import os
import pathlib
import subprocess
import sys
import time

binary, plan = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
edits = int(sys.argv[3]) if len(sys.argv) > 3 else 100
server = subprocess.Popen([binary, "lsp"], cwd=plan, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def send(message):
    body = json.dumps(message).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()


def read():
    length = 0
    while True:
        line = server.stdout.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(server.stdout.read(length))


def until(want):
    while True:
        message = read()
        if want(message):
            return message
        if "id" in message and "method" in message:  # a request of the server's own
            send({"jsonrpc": "2.0", "id": message["id"], "result": None})


root = plan.as_uri()
started = time.perf_counter()
send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
      "params": {"processId": None, "rootUri": root, "capabilities": {}}})
until(lambda m: m.get("id") == 1)
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
files = sorted(p for p in (plan / "backlog").rglob("*.yaml"))
target = files[len(files) // 2]
uri = target.as_uri()
text = target.read_text()
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
send({"jsonrpc": "2.0", "id": 2, "method": "workspace/symbol", "params": {"query": "zzz"}})
until(lambda m: m.get("id") == 2)
ready = time.perf_counter() - started

times = []
for n in range(edits):
    broken = n % 2 == 0
    new = text + ("\nunknown_key_%d: x\n" % n if broken else "")
    t0 = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": n + 2}, "contentChanges": [{"text": new}]}})
    until(lambda m: m.get("method") == "textDocument/publishDiagnostics"
          and m["params"]["uri"] == uri and m["params"].get("version") == n + 2)
    times.append((time.perf_counter() - t0) * 1000)

status = pathlib.Path(f"/proc/{server.pid}/status").read_text()
peak = next((l.split()[1] for l in status.splitlines() if l.startswith("VmHWM")), "?")
send({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
until(lambda m: m.get("id") == 3)
send({"jsonrpc": "2.0", "method": "exit"})
server.wait()
times.sort()
pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print(f"{len(files)} files; ready in {ready * 1000:.0f} ms; didChange → publishDiagnostics "
      f"over {edits} edits: p50 {pick(0.5):.1f} ms, p95 {pick(0.95):.1f} ms, "
      f"max {times[-1]:.1f} ms; peak memory {int(peak) // 1024} MB")
