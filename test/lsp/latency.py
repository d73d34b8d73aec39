#!/usr/bin/env python3
"""Diagnostics latency in the editor vs. peer-tidy on the command line.

    latency.py --peer-tidy BIN [--file F] [--flags "-std=c++17"] [--runs N]
               [--debounce-ms MS] [--proxy]

Copies F (default: CAF's calculator.cpp example) into a scratch workspace with
a compile_commands.json, times `peer-tidy F -- FLAGS` (median of N runs), then
opens F in `peer-tidy lsp` (or `peer-tidy clangd` with --proxy) and times,
for N edits of the buffer (a comment appended, not saved), the time from the
didChange to the publishDiagnostics of that version. Prints both medians and
their ratio. Not a lit test: it needs CAF and takes a while.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lsp_client as L  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--peer-tidy", required=True)
p.add_argument("--file", default="/usr/share/doc/libcaf-doc/examples/"
               "message_passing/calculator.cpp")
p.add_argument("--flags", default="-std=c++17")
p.add_argument("--runs", type=int, default=5)
p.add_argument("--debounce-ms", type=int, default=None)
p.add_argument("--proxy", action="store_true")
args = p.parse_args()

work = tempfile.mkdtemp(prefix="peer-latency-")
name = os.path.basename(args.file)
path = os.path.join(work, name)
shutil.copy(args.file, path)
flags = args.flags.split()
with open(os.path.join(work, "compile_commands.json"), "w") as f:
    json.dump([{"directory": work, "file": name,
                "arguments": ["clang++"] + flags + ["-c", name]}], f)
if args.proxy:
    with open(os.path.join(work, ".clangd"), "w") as f:
        f.write("Index:\n  Background: Skip\n  StandardLibrary: No\n")

cli = []
for _ in range(args.runs):
    t = time.perf_counter()
    subprocess.run([args.peer_tidy, "--quiet", path, "--"] + flags,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cli.append(time.perf_counter() - t)

cmd = [args.peer_tidy, "clangd" if args.proxy else "lsp"]
opt = "--peer-debounce-ms" if args.proxy else "--debounce-ms"
if args.debounce_ms is not None:
    cmd.append("%s=%d" % (opt, args.debounce_ms))
client = L.Client(cmd)
client.initialize(work)
text = open(path).read()
L.open_doc(client, path, text)


def published(version):
    def ok(m):
        return (m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == L.uri(path)
                and m["params"].get("version") == version
                and (not args.proxy or any(d.get("source") == "peer-tidy"
                                           for d in m["params"]["diagnostics"])
                     or True))
    return ok


client.wait(published(1), what="first diagnostics")
editor = []
for i in range(args.runs):
    version = i + 2
    text += "// edit %d\n" % i
    time.sleep(0.5)
    t = time.perf_counter()
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": L.uri(path), "version": version},
        "contentChanges": [{"text": text}]})
    if args.proxy:
        # The merged publication: ours arrive with or after clangd's.
        deadline = time.time() + 120
        while True:
            m = client.wait(published(version), what="diagnostics")
            if any(d.get("source") == "peer-tidy" for d in m["params"]["diagnostics"]) \
                    or time.time() > deadline:
                break
    else:
        client.wait(published(version), what="diagnostics")
    editor.append(time.perf_counter() - t)
client.shutdown()
shutil.rmtree(work, ignore_errors=True)

c, e = statistics.median(cli), statistics.median(editor)
print("file: %s (%s)" % (args.file, " ".join(flags)))
print("command line: median %.0f ms  (runs: %s)" % (
    c * 1000, ", ".join("%.0f" % (x * 1000) for x in cli)))
print("editor (%s%s): median %.0f ms  (runs: %s)" % (
    " ".join(os.path.basename(x) if i == 0 else x for i, x in enumerate(cmd)),
    "", e * 1000, ", ".join("%.0f" % (x * 1000) for x in editor)))
print("ratio editor/command line: %.2f" % (e / c))
