#!/usr/bin/env python3
"""Diagnostics latency in the editor vs. peer-tidy on the command line.

    latency.py --peer-tidy BIN [--file F] [--flags "-std=c++17"] [--runs N]
               [--debounce-ms MS] [--server-arg=--preamble=off ...]

Copies F (default: CAF's calculator.cpp example) into a scratch workspace with
a compile_commands.json, opens it in `peer-tidy lsp`, and then, N times,
alternately (so that a busy machine slows both alike): times
`peer-tidy F -- FLAGS` on the command line, and times an edit of the buffer (a
comment appended, not saved) from the didChange to the publishDiagnostics of
that version, debounce included (when there are findings, the analysis'
publication, not the one right after the edit with the last findings moved).
Prints both medians and their ratio. Not a
lit test: it needs CAF and takes a while.
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
p.add_argument("--server-arg", action="append", default=[],
               help="an option for peer-tidy lsp (--preamble=off, --log=verbose)")
args = p.parse_args()

work = tempfile.mkdtemp(prefix="peer-latency-")
name = os.path.basename(args.file)
path = os.path.join(work, name)
shutil.copy(args.file, path)
flags = args.flags.split()
with open(os.path.join(work, "compile_commands.json"), "w") as f:
    json.dump([{"directory": work, "file": name,
                "arguments": ["clang++"] + flags + ["-c", name]}], f)

def command_line():
    t = time.perf_counter()
    subprocess.run([args.peer_tidy, "--quiet", path, "--"] + flags,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


cmd = [args.peer_tidy, "lsp"]
if args.debounce_ms is not None:
    cmd.append("--debounce-ms=%d" % args.debounce_ms)
cmd += args.server_arg
client = L.Client(cmd)
client.initialize(work)
text = open(path).read()
L.open_doc(client, path, text)


def published(version):
    return lambda m: (m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == L.uri(path)
                      and m["params"].get("version") == version)


findings = len(client.wait(published(1), what="first diagnostics")
               ["params"]["diagnostics"])
# Command line and editor runs alternate, so that a busy machine slows both.
cli, editor = [], []
for i in range(args.runs):
    cli.append(command_line())
    version = i + 2
    text += "// edit %d\n" % i
    t = time.perf_counter()
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": L.uri(path), "version": version},
        "contentChanges": [{"text": text}]})
    if findings:  # first the last findings, moved by the edit; then the analysis
        client.wait(published(version), what="the moved findings")
    findings = len(client.wait(published(version),
                               what="diagnostics")["params"]["diagnostics"])
    editor.append(time.perf_counter() - t)
client.shutdown()
shutil.rmtree(work, ignore_errors=True)

c, e = statistics.median(cli), statistics.median(editor)
print("file: %s (%s), %d peer-* finding(s)" % (args.file, " ".join(flags),
                                                findings))
print("command line: median %.0f ms  (runs: %s)" % (
    c * 1000, ", ".join("%.0f" % (x * 1000) for x in cli)))
print("editor (%s%s): median %.0f ms  (runs: %s)" % (
    " ".join(os.path.basename(x) if i == 0 else x for i, x in enumerate(cmd)),
    "", e * 1000, ", ".join("%.0f" % (x * 1000) for x in editor)))
print("ratio editor/command line: %.2f" % (e / c))
