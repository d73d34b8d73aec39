#!/usr/bin/env python3
"""A scripted LSP client for peer-tidy's editor deliveries.

    lsp_client.py --workdir DIR --include INC --scenario NAME [--proxy] -- CMD...

Starts CMD (peer-tidy lsp, or peer-tidy clangd with --proxy), sets up a small
workspace in DIR (the input files and a compile_commands.json), runs the named
scenario and prints what it saw, one fact a line, for FileCheck. Assertions
that do not need FileCheck fail the run with a message on stderr.
"""
import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse

INPUTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs")
TIMEOUT = float(os.environ.get("PEER_LSP_TIMEOUT", "60"))


def fail(message):
    sys.stderr.write("lsp_client: FAIL: %s\n" % message)
    sys.exit(1)


def uri(path):
    return "file://" + urllib.parse.quote(path)


class Client:
    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)
        self.next_id = 0
        self.inbox = queue.Queue()
        self.pending = []  # messages read but not yet consumed
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length is None:
                self.inbox.put({"__unframed__": True})
                continue
            self.inbox.put(json.loads(out.read(length)))

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request_async(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method,
                   "params": params})
        return self.next_id

    def wait(self, predicate, timeout=TIMEOUT, what="a message", quiet=False):
        """The first message (old or new) satisfying predicate. Past the
        timeout: fail, or with quiet, raise TimeoutError."""
        for i, message in enumerate(self.pending):
            if predicate(message):
                return self.pending.pop(i)
        deadline = time.time() + timeout
        while True:
            left = deadline - time.time()
            try:
                if left <= 0:
                    raise queue.Empty
                message = self.inbox.get(timeout=left)
            except queue.Empty:
                if quiet:
                    raise TimeoutError(what)
                fail("timed out waiting for %s" % what)
            if message is None:
                fail("server closed its output while waiting for %s" % what)
            self._answer_server_request(message)
            if predicate(message):
                return message
            self.pending.append(message)

    def _answer_server_request(self, message):
        # clangd asks e.g. window/workDoneProgress/create; say yes.
        if "method" in message and "id" in message:
            self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})

    def request(self, method, params):
        rid = self.request_async(method, params)
        return self.wait(lambda m: m.get("id") == rid and "method" not in m,
                         what="the response to " + method)

    def initialize(self, root, encodings=None, literals=True):
        caps = {"textDocument": {
            "publishDiagnostics": {"relatedInformation": True,
                                   "versionSupport": True,
                                   "codeDescriptionSupport": True},
            "codeAction": {"codeActionLiteralSupport": {
                "codeActionKind": {"valueSet": ["quickfix"]}}}}}
        if not literals:  # a client from before LSP 3.8: Commands only
            del caps["textDocument"]["codeAction"]
        if encodings:
            caps["general"] = {"positionEncodings": encodings}
            caps["offsetEncoding"] = encodings  # clangd's older extension
        response = self.request("initialize", {
            "processId": os.getpid(), "rootUri": uri(root),
            "capabilities": caps})
        self.notify("initialized", {})
        result = response["result"]
        # clangd may answer with its extension instead of LSP 3.17's field.
        if "offsetEncoding" in result:
            result["capabilities"].setdefault("positionEncoding",
                                              result["offsetEncoding"])
        return result

    def diagnostics(self, doc, version=None, peer=True, timeout=TIMEOUT,
                    quiet=False):
        """The next publishDiagnostics for doc (of version, if given) that
        has a peer-tidy diagnostic (peer=True), has none (peer=False), or
        whatever it holds (peer=None)."""
        def ok(m):
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            p = m["params"]
            if p["uri"] != uri(doc):
                return False
            if version is not None and p.get("version") != version:
                return False
            if peer is None:
                return True
            has = any(d.get("source") == "peer-tidy" for d in p["diagnostics"])
            return has == peer
        return self.wait(ok, timeout, "diagnostics for %s version %s"
                         % (os.path.basename(doc), version), quiet)["params"]

    def shutdown(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        try:
            return self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail("the server did not exit after 'exit'")


def show_diags(params, peer_only=False):
    print("PUBLISH version=%s" % params.get("version"))
    for d in params["diagnostics"]:
        if peer_only and d.get("source") != "peer-tidy":
            continue
        r = d["range"]
        print("DIAG %s %s %d:%d-%d:%d severity=%d: %s" % (
            d.get("source"), d.get("code"), r["start"]["line"],
            r["start"]["character"], r["end"]["line"], r["end"]["character"],
            d.get("severity", 0), d["message"]))
        if "codeDescription" in d:
            print("  HREF %s" % d["codeDescription"]["href"])
        for info in d.get("relatedInformation", []):
            lr = info["location"]["range"]["start"]
            print("  RELATED %s %d:%d %s" % (
                os.path.basename(urllib.parse.unquote(info["location"]["uri"])),
                lr["line"],
                lr["character"], info["message"]))


def offset(text, pos, encoding):
    lines = text.split("\n")
    line = lines[pos["line"]]
    data = line.encode("utf-8" if encoding == "utf-8" else "utf-16-le")
    unit = 1 if encoding == "utf-8" else 2
    prefix = data[:pos["character"] * unit].decode(
        "utf-8" if encoding == "utf-8" else "utf-16-le")
    return sum(len(l) + 1 for l in lines[:pos["line"]]) + len(prefix)


def apply_edits(text, edits, encoding):
    spans = [(offset(text, e["range"]["start"], encoding),
              offset(text, e["range"]["end"], encoding), e["newText"])
             for e in edits]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


FIXED = open(os.path.join(INPUTS, "race.cpp")).read().replace(
    "  rt.call(*consumer, 1);\n  rt.monitor(*consumer);",
    "  rt.monitor(*consumer);\n  rt.call(*consumer, 1);")


class Workspace:
    def __init__(self, args):
        self.dir = os.path.abspath(args.workdir)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        entries = []
        for name in sorted(os.listdir(INPUTS)):
            if os.path.isdir(os.path.join(INPUTS, name)):
                continue  # another test's inputs
            shutil.copy(os.path.join(INPUTS, name), self.dir)
            if name.endswith(".cpp"):
                entries.append({"directory": self.dir, "file": name,
                                "arguments": ["clang++", "-std=c++20",
                                              "-I" + args.include, "-c", name]})
        db_dir = os.path.join(self.dir, args.db_subdir or "")
        os.makedirs(db_dir, exist_ok=True)
        with open(os.path.join(db_dir, "compile_commands.json"), "w") as f:
            json.dump(entries, f, indent=1)
        if args.proxy:
            # Keep clangd quick and deterministic: it indexes nothing in the
            # background (its exit waits for the standard library's index).
            with open(os.path.join(self.dir, ".clangd"), "w") as f:
                f.write("Index:\n  Background: Skip\n  StandardLibrary: No\n")
        if args.clang_tidy:
            with open(os.path.join(self.dir, ".clang-tidy"), "w") as f:
                f.write(args.clang_tidy + "\n")

    def path(self, name):
        return os.path.join(self.dir, name)

    def text(self, name):
        return open(self.path(name), encoding="utf-8").read()


def settled(client, path, version):
    """The analysis of this version, not the findings moved by the edit that
    are published before it: the last publication of the version, once none
    has come for a while."""
    last = client.diagnostics(path, version, peer=None)
    while True:
        try:
            last = client.diagnostics(path, version, peer=None, timeout=2.5,
                                      quiet=True)
        except TimeoutError:
            return last


def has_peer(params):
    return any(d.get("source") == "peer-tidy" for d in params["diagnostics"])


def open_doc(client, path, text, version=1):
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri(path), "languageId": "cpp", "version": version,
        "text": text}})


# --- scenarios ---------------------------------------------------------------

def scenario_saved(client, ws, args):
    result = client.initialize(ws.dir)
    print("ENCODING %s" % result["capabilities"].get("positionEncoding"))
    path = ws.path("race.cpp")
    open_doc(client, path, ws.text("race.cpp"))
    show_diags(client.diagnostics(path, 1), peer_only=args.proxy)
    # Saving again analyses again.
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri(path)}})
    show_diags(client.diagnostics(path, 1), peer_only=args.proxy)
    print("EXIT %d" % client.shutdown())


def scenario_unsaved(client, ws, args):
    client.initialize(ws.dir)
    path = ws.path("race.cpp")
    open_doc(client, path, FIXED)  # the buffer, not the file on disk
    params = client.diagnostics(path, 1, peer=False)
    print("CLEAN version=%s" % params.get("version"))
    # A burst of edits: only the newest may be published.
    racy = ws.text("race.cpp")
    for version, text in ((2, racy), (3, FIXED), (4, racy)):
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri(path), "version": version},
            "contentChanges": [{"text": text}]})
    params = client.diagnostics(path, 4)
    show_diags(params, peer_only=args.proxy)
    # An incremental edit (a ranged change) that removes the race again:
    # swap the two lines.
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri(path), "version": 5},
        "contentChanges": [{"range": {"start": {"line": 12, "character": 0},
                                      "end": {"line": 14, "character": 0}},
                            "text": "  rt.monitor(*consumer);\n"
                                    "  rt.call(*consumer, 1);\n"}]})
    params = client.diagnostics(path, 5, peer=False)
    if has_peer(settled(client, path, 5)):
        fail("the analysis of version 5 brought the finding back")
    print("CLEAN version=%s" % params.get("version"))
    stale = [m for m in client.pending
             if m.get("method") == "textDocument/publishDiagnostics"
             and m["params"].get("version") in (2, 3)
             and any(d.get("source") == "peer-tidy"
                     for d in m["params"]["diagnostics"])]
    print("STALE PUBLISHED %d" % len(stale))
    print("EXIT %d" % client.shutdown())


def scenario_codeaction(client, ws, args):
    encoding = client.initialize(ws.dir)["capabilities"].get(
        "positionEncoding", "utf-16")
    path = ws.path("race.cpp")
    text = ws.text("race.cpp")
    open_doc(client, path, text)
    params = client.diagnostics(path, 1)
    diag = [d for d in params["diagnostics"] if d.get("source") == "peer-tidy"][0]
    response = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri(path)}, "range": diag["range"],
        "context": {"diagnostics": [diag]}})
    actions = [a for a in response["result"] or []
               if a.get("title", "").startswith("peer-tidy")]
    for a in actions:
        print("ACTION %s kind=%s preferred=%s" % (
            a["title"], a.get("kind"), a.get("isPreferred")))
    edits = actions[0]["edit"]["changes"][uri(path)]
    fixed = apply_edits(text, edits, encoding)
    print("FIXED-TEXT-BEGIN")
    sys.stdout.write(fixed)
    print("FIXED-TEXT-END")
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri(path), "version": 2},
        "contentChanges": [{"text": fixed}]})
    client.diagnostics(path, 2, peer=False)
    if has_peer(settled(client, path, 2)):
        fail("the analysis of the fixed text brought the finding back")
    print("CLEAN after fix")
    # A code action on a line without findings offers nothing of ours.
    response = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri(path)},
        "range": {"start": {"line": 0, "character": 0},
                  "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": []}})
    print("ACTIONS ON LINE 0: %d" % len(
        [a for a in response["result"] or []
         if a.get("title", "").startswith("peer-tidy")]))
    print("EXIT %d" % client.shutdown())


def scenario_encoding(client, ws, args):
    offered = [e for e in args.offer.split(",") if e] if args.offer else None
    result = client.initialize(ws.dir, offered)
    encoding = result["capabilities"].get("positionEncoding", "utf-16")
    print("ENCODING %s" % encoding)
    path = ws.path("wide.cpp")
    text = ws.text("wide.cpp")
    open_doc(client, path, text)
    params = client.diagnostics(path, 1)
    show_diags(params, peer_only=True)
    diag = [d for d in params["diagnostics"] if d.get("source") == "peer-tidy"][0]
    start = offset(text, diag["range"]["start"], encoding)
    end = offset(text, diag["range"]["end"], encoding)
    print("TEXT AT RANGE: %s" % text[start:end])
    # The code action's edits, applied in the same encoding, fix the race.
    response = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri(path)}, "range": diag["range"],
        "context": {"diagnostics": [diag]}})
    actions = [a for a in response["result"] or []
               if a.get("title", "").startswith("peer-tidy")]
    fixed = apply_edits(text, actions[0]["edit"]["changes"][uri(path)],
                        encoding)
    for line in fixed.splitlines():
        if "rt." in line:
            print("FIXED %s" % line.strip())
    # An incremental edit addressed in the negotiated encoding: insert a
    # comment after the multi-byte identifier on the monitor's line. Misplaced
    # by a unit, it would split a character and the race would not be found.
    line_no = [i for i, l in enumerate(text.split("\n")) if "rt.monitor" in l][0]
    line = text.split("\n")[line_no]
    prefix = line[:line.index(");")].encode(
        "utf-8" if encoding == "utf-8" else "utf-16-le")
    col = len(prefix) // (1 if encoding == "utf-8" else 2)
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri(path), "version": 2},
        "contentChanges": [{"range": {
            "start": {"line": line_no, "character": col},
            "end": {"line": line_no, "character": col}}, "text": " /*x*/"}]})
    params = client.diagnostics(path, 2)
    d = [d for d in params["diagnostics"] if d.get("source") == "peer-tidy"][0]
    r = d["range"]
    print("AFTER EDIT %d:%d-%d:%d" % (r["start"]["line"], r["start"]["character"],
                                     r["end"]["line"], r["end"]["character"]))
    print("EXIT %d" % client.shutdown())


def scenario_config(client, ws, args):
    """Whatever is published first for race.cpp: how many peer findings."""
    client.initialize(ws.dir)
    path = ws.path("race.cpp")
    open_doc(client, path, ws.text("race.cpp"))
    params = client.diagnostics(path, peer=None)
    codes = ["%s(severity %d)" % (d.get("code"), d.get("severity"))
             for d in params["diagnostics"]
             if d.get("source") == "peer-tidy"]
    print("PEER FINDINGS %d %s" % (len(codes), " ".join(codes)))
    print("EXIT %d" % client.shutdown())


def scenario_db_appears(client, ws, args):
    """No database at first (it is in out/, where nobody looks); then one is
    written next to the file, and the next analysis uses it."""
    client.initialize(ws.dir)
    path = ws.path("race.cpp")
    open_doc(client, path, ws.text("race.cpp"))
    params = client.diagnostics(path, peer=None)
    print("BEFORE %d" % len([d for d in params["diagnostics"]
                             if d.get("source") == "peer-tidy"]))
    shutil.copy(os.path.join(ws.dir, "out", "compile_commands.json"), ws.dir)
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri(path)}})
    client.diagnostics(path, 1)
    print("AFTER 1")
    print("EXIT %d" % client.shutdown())


def scenario_no_literals(client, ws, args):
    client.initialize(ws.dir, literals=False)
    path = ws.path("race.cpp")
    open_doc(client, path, ws.text("race.cpp"))
    diag = [d for d in client.diagnostics(path, 1)["diagnostics"]
            if d.get("source") == "peer-tidy"][0]
    response = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri(path)}, "range": diag["range"],
        "context": {"diagnostics": [diag]}})
    result = response.get("result") or []
    print("CODE ACTION LITERALS %d" % len([a for a in result if "command" not in a
                                           or isinstance(a.get("command"), dict)]))
    print("EXIT %d" % client.shutdown())


def scenario_shutdown(client, ws, args):
    client.initialize(ws.dir)
    print("EXIT %d" % client.shutdown())


def scenario_exit_without_shutdown(client, ws, args):
    client.initialize(ws.dir)
    client.notify("exit", None)
    print("EXIT %d" % client.proc.wait(timeout=TIMEOUT))


def scenario_eof(client, ws, args):
    client.initialize(ws.dir)
    client.proc.stdin.close()
    print("EXIT %d" % client.proc.wait(timeout=TIMEOUT))


def scenario_malformed(client, ws, args):
    def error_reply(what):
        m = client.wait(lambda m: "error" in m, what=what)
        print("%s -> code=%d id=%s: %s" % (what, m["error"]["code"],
                                          json.dumps(m.get("id")),
                                          m["error"]["message"]))

    if not args.proxy:
        client.request_async("textDocument/codeAction", {})
        error_reply("before initialize")
    client.initialize(ws.dir)
    client.send_raw(b"Content-Type: nothing\r\n\r\n")
    error_reply("no content-length")
    client.send_raw(b"Content-Length: 12\r\n\r\n{not json!!}")
    error_reply("invalid json")
    client.send_raw(b"Content-Length: abc\r\n\r\n")
    error_reply("bad length")
    # 100 000 nested arrays (200 KB): refused before a recursive parse could
    # overflow the stack (and, through the proxy, never passed to clangd).
    deep = b"[" * 100000 + b"]" * 100000
    client.send_raw(b"Content-Length: %d\r\n\r\n" % len(deep) + deep)
    error_reply("deep nesting")
    if not args.proxy:  # clangd answers these itself, in its own words
        client.send({"jsonrpc": "2.0", "id": 7, "method": "no/such"})
        error_reply("unknown method")
        client.send([1, 2, 3])
        error_reply("not an object")
    # Still up: a document still gets its diagnostics.
    path = ws.path("race.cpp")
    open_doc(client, path, ws.text("race.cpp"))
    params = client.diagnostics(path, 1)
    print("STILL UP: %d peer diagnostic(s)" % len(
        [d for d in params["diagnostics"] if d.get("source") == "peer-tidy"]))
    print("EXIT %d" % client.shutdown())


def scenario_framing(client, ws, args):
    """Valid framing in its less common forms: a Content-Type header, a
    lower-case header name, two messages in one write, one message split
    across writes."""
    client.initialize(ws.dir)

    def frame(message, header=b"Content-Length"):
        body = json.dumps(message).encode()
        return header + b": %d\r\n" % len(body) + \
            b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + body

    def code_action(rid):
        return {"jsonrpc": "2.0", "id": rid, "method": "textDocument/codeAction",
                "params": {"textDocument": {"uri": uri(ws.path("race.cpp"))},
                           "range": {"start": {"line": 0, "character": 0},
                                     "end": {"line": 0, "character": 0}},
                           "context": {"diagnostics": []}}}

    client.send_raw(frame(code_action(101), b"content-length") +
                    frame(code_action(102)))
    data = frame(code_action(103))
    client.send_raw(data[:10])
    time.sleep(0.2)
    client.send_raw(data[10:40])
    time.sleep(0.2)
    client.send_raw(data[40:])
    for rid in (101, 102, 103):
        m = client.wait(lambda m, rid=rid: m.get("id") == rid and "method" not in m,
                        what="response %d" % rid)
        print("RESPONSE %d %s" % (rid, "result" if "result" in m else "error"))
    print("EXIT %d" % client.shutdown())


def scenario_merge(client, ws, args):
    """Proxy only: clangd's compile error and our warning in one publish."""
    client.initialize(ws.dir)
    path = ws.path("broken.cpp")
    open_doc(client, path, ws.text("broken.cpp"))
    params = client.diagnostics(path, 1)
    sources = sorted(set(d.get("source") for d in params["diagnostics"]))
    print("SOURCES %s" % " ".join(str(s) for s in sources))
    show_diags(params)
    # clangd's own features are still clangd's: hover works.
    hover = client.request("textDocument/hover", {
        "textDocument": {"uri": uri(path)},
        "position": {"line": 9, "character": 8}})
    print("HOVER %s" % ("yes" if hover.get("result") else "no"))
    print("EXIT %d" % client.shutdown())


def scenario_analysis_crashes(client, ws, args):
    """The analysis of crash.cpp crashes; the server goes on (and, through
    the proxy, clangd's diagnostics and features are untouched)."""
    client.initialize(ws.dir)
    path = ws.path("crash.cpp")
    open_doc(client, path, ws.text("crash.cpp"))
    if args.proxy:
        params = client.diagnostics(path, 1, peer=False)
        print("CLANGD: %s" % " ".join(d.get("code", "?")
                                      for d in params["diagnostics"]))
        main = ws.text("crash.cpp").split("\n").index(
            "int main() { return undeclared_name; }")
        hover = client.request("textDocument/hover", {
            "textDocument": {"uri": uri(path)},
            "position": {"line": main, "character": 5}})
        print("HOVER %s" % ("yes" if hover.get("result") else "no"))
    # Another file is still analysed.
    race = ws.path("race.cpp")
    open_doc(client, race, ws.text("race.cpp"))
    params = client.diagnostics(race, 1)
    print("STILL UP: %d peer diagnostic(s)" % len(
        [d for d in params["diagnostics"] if d.get("source") == "peer-tidy"]))
    # Closing a document clears what was shown for it.
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri(race)}})
    params = client.wait(lambda m: m.get("method") ==
                         "textDocument/publishDiagnostics" and
                         m["params"]["uri"] == uri(race) and
                         not m["params"]["diagnostics"], what="cleared")
    print("CLOSED: cleared")
    print("EXIT %d" % client.shutdown())


def children(pid):
    import glob
    result = []
    for f in glob.glob("/proc/%d/task/*/children" % pid):
        result += [int(p) for p in open(f).read().split()]
    return result


def clangd_pid(client):
    # The proxy's other children are its analysis workers (peer-tidy).
    clangds = [p for p in children(client.proc.pid)
               if "peer-tidy" not in open("/proc/%d/cmdline" % p).read()]
    if len(clangds) != 1:
        fail("expected one clangd child process, found %s" % clangds)
    return clangds[0]


def scenario_clangd_dies(client, ws, args):
    """Proxy only: clangd crashing ends the proxy with clangd's status, after
    an error response to each request clangd left unanswered."""
    import signal
    client.initialize(ws.dir)
    pid = clangd_pid(client)
    os.kill(pid, signal.SIGSTOP)  # it reads nothing more, answers nothing
    ids = [client.request_async("textDocument/hover", {
        "textDocument": {"uri": uri(ws.path("race.cpp"))},
        "position": {"line": 0, "character": 0}}) for _ in range(2)]
    time.sleep(0.5)  # the requests are on their way to clangd
    os.kill(pid, signal.SIGKILL)
    for rid in ids:
        m = client.wait(lambda m, rid=rid: m.get("id") == rid and
                        "method" not in m, what="the answer to %d" % rid)
        if "error" in m:
            print("PENDING %d -> code=%d: %s" % (rid, m["error"]["code"],
                                                  m["error"]["message"]))
        else:
            print("PENDING %d -> result" % rid)
    code = client.proc.wait(timeout=TIMEOUT)
    print("EXIT %d" % code)


def scenario_undo(client, ws, args):
    """Type a character and undo it: the finding must come back although the
    text is one clangd has diagnosed before (it does not republish it)."""
    client.initialize(ws.dir)
    path = ws.path("race.cpp")
    open_doc(client, path, ws.text("race.cpp"))
    client.diagnostics(path, 1)
    print("FOUND version=1")
    at = {"line": 0, "character": 0}
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri(path), "version": 2},
        "contentChanges": [{"range": {"start": at, "end": at}, "text": "x"}]})
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri(path), "version": 3},
        "contentChanges": [{"range": {"start": at, "end": {
            "line": 0, "character": 1}}, "text": ""}]})
    params = client.diagnostics(path, 3, timeout=min(TIMEOUT, 30))
    show_diags(params, peer_only=True)
    print("EXIT %d" % client.shutdown())


def scenario_blocked_include(client, ws, args):
    """hang.cpp includes a FIFO nobody writes to (or, with --hang-hook, its
    analysis hangs by a test hook, as on a hung mount). Other documents are
    analysed all the same, and exit is prompt."""
    os.mkfifo(ws.path("blocked.h"))
    client.initialize(ws.dir)
    hang = ws.path("hang.cpp")
    text = '#include "blocked.h"\nint main() {}\n'
    if args.hang_hook:
        text = '// PEER_TIDY_TEST_HANG_ANALYSIS\nint main() {}\n'
    open_doc(client, hang, text)
    time.sleep(1)  # its analysis is under way
    path = ws.path("race.cpp")
    open_doc(client, path, ws.text("race.cpp"))
    params = client.diagnostics(path, 1, timeout=min(TIMEOUT, 30))
    print("OTHER DOCUMENT: %d peer diagnostic(s)" % len(
        [d for d in params["diagnostics"] if d.get("source") == "peer-tidy"]))
    if args.wait_after:
        time.sleep(float(args.wait_after))
    started = time.time()
    client.request("shutdown", None)
    client.notify("exit", None)
    try:
        code = client.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        client.proc.kill()
        fail("the server did not exit within 10 s of 'exit'")
    print("EXIT %d within 10 s" % code)
    sys.stdout.flush()
    if time.time() - started > 10:
        fail("exit took %.1f s" % (time.time() - started))


def scenario_server_killed(client, ws, args):
    """An analysis hangs (test hook); the server is killed: its worker
    process goes with it."""
    import signal
    client.initialize(ws.dir)
    open_doc(client, ws.path("hang.cpp"),
             "// PEER_TIDY_TEST_HANG_ANALYSIS\nint main() {}\n")
    workers = []
    deadline = time.time() + 20
    while not workers and time.time() < deadline:
        time.sleep(0.2)
        workers = children(client.proc.pid)
    print("WORKERS %d" % len(workers))
    os.kill(client.proc.pid, signal.SIGKILL)
    client.proc.wait(timeout=TIMEOUT)
    deadline = time.time() + 10
    alive = workers
    while alive and time.time() < deadline:
        time.sleep(0.2)
        alive = [p for p in workers if os.path.exists("/proc/%d" % p) and
                 open("/proc/%d/stat" % p).read().split()[2] != "Z"]
    print("WORKERS LEFT %d" % len(alive))
    for p in alive:
        os.kill(p, signal.SIGKILL)


def scenario_steady(client, ws, args):
    """Findings stay steady while typing: right after an edit, before its
    analysis (the server runs with a long debounce, --steady-window seconds
    or more), the last findings are published again with their ranges moved
    by the edit, or without a finding the edit touched."""
    window = float(args.steady_window)
    client.initialize(ws.dir)
    path = ws.path("race.cpp")
    text = ws.text("race.cpp")
    open_doc(client, path, text)

    def peer_diags(params):
        return [d for d in params["diagnostics"] if d.get("source") == "peer-tidy"]

    def where(d):
        r = d["range"]
        related = " ".join("%d:%d" % (i["location"]["range"]["start"]["line"],
                                      i["location"]["range"]["start"]["character"])
                           for i in d.get("relatedInformation", []))
        return "%d:%d-%d:%d related %s" % (
            r["start"]["line"], r["start"]["character"], r["end"]["line"],
            r["end"]["character"], related)

    def edit(version, changes, peer, what):
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri(path), "version": version},
            "contentChanges": changes})
        started = time.time()
        params = client.diagnostics(path, version, peer=peer)
        took = time.time() - started
        if took >= window:
            fail("%s: published after %.1f s, not before the analysis" % (what, took))
        return params, started

    def analysed(version, since):
        # Past the window nothing but the analysis publishes this version.
        time.sleep(max(0.0, since + window - time.time()))
        client.pending = [m for m in client.pending
                          if m.get("method") != "textDocument/publishDiagnostics"]
        return peer_diags(client.diagnostics(path, version, peer=None))

    first = peer_diags(client.diagnostics(path, 1))
    print("ANALYSED version=1: %s" % " | ".join(where(d) for d in first))

    # Two lines inserted above the finding (and above its note).
    at = {"line": 9, "character": 0}
    change = {"range": {"start": at, "end": at}, "text": "  // one\n  // two\n"}
    text = apply_edits(text, [dict(change, newText=change["text"])], "utf-16")
    params, since = edit(2, [change], True, "inserted lines")
    shifted = peer_diags(params)
    print("SHIFTED version=2: %s" % " | ".join(where(d) for d in shifted))
    # Its analysis (after the debounce) puts them where the shift did.
    after = analysed(2, since)
    print("ANALYSED version=2: %s" % " | ".join(where(d) for d in after))
    print("SHIFT MATCHES ANALYSIS: %s" % (
        [where(d) for d in shifted] == [where(d) for d in after]))

    # An edit inside the finding's range drops it until the analysis.
    monitor = after[0]["range"]["start"]
    inside = {"line": monitor["line"], "character": monitor["character"] + 3}
    change = {"range": {"start": inside, "end": inside}, "text": "/**/"}
    text = apply_edits(text, [dict(change, newText=change["text"])], "utf-16")
    params, since = edit(3, [change], False, "an edit inside the finding")
    print("DROPPED version=3: %d peer diagnostic(s)" % len(peer_diags(params)))
    after = analysed(3, since)
    print("ANALYSED version=3: %s" % " | ".join(where(d) for d in after))

    # A client that sends the whole text (no incremental sync): a line
    # added at the top moves the finding too.
    params, _ = edit(4, [{"text": "// top\n" + text}], True, "the whole text")
    print("SHIFTED version=4: %s" % " | ".join(where(d) for d in peer_diags(params)))
    # Lines deleted above it (the two inserted first, then the top line, as
    # two events of one change) move it up; an edit after it on its line
    # leaves it where it is.
    params, _ = edit(5, [
        {"range": {"start": {"line": 10, "character": 0},
                   "end": {"line": 12, "character": 0}}, "text": ""},
        {"range": {"start": {"line": 0, "character": 0},
                   "end": {"line": 1, "character": 0}}, "text": ""},
        {"range": {"start": {"line": 13, "character": 28},
                   "end": {"line": 13, "character": 28}}, "text": " // after"}],
        True, "deleted lines")
    print("SHIFTED version=5: %s" % " | ".join(where(d) for d in peer_diags(params)))
    print("EXIT %d" % client.shutdown())


class SameAsCommandLine:
    """Edits a document and compares each version's peer-* findings, as the
    server publishes them after its analysis, with the command line's on the
    same text (written to the file)."""

    def __init__(self, client, ws, args, path, text):
        self.client, self.ws, self.path, self.text = client, ws, path, text
        self.peer_tidy = args.cmd[1] if args.cmd[0] == "--" else args.cmd[0]
        self.version = 1
        open_doc(client, path, text)

    def editor(self):
        last = settled(self.client, self.path, self.version)
        return sorted((d["range"]["start"]["line"] + 1,
                       d["range"]["start"]["character"] + 1, d["code"],
                       d["message"]) for d in last["diagnostics"]
                      if d.get("source") == "peer-tidy")

    def command_line(self):
        import re
        with open(self.path, "w") as f:
            f.write(self.text)
        run = subprocess.run([self.peer_tidy, "--quiet", "-p", self.ws.dir,
                              self.path], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, universal_newlines=True,
                             cwd=self.ws.dir)  # in the project, as a user
        found = []
        for line in run.stdout.splitlines():
            m = re.match(r"(.*):(\d+):(\d+): (?:warning|error): (.*) "
                         r"\[(peer-[\w-]+)\]$", line)
            if m and os.path.basename(m.group(1)) == os.path.basename(self.path):
                found.append((int(m.group(2)), int(m.group(3)), m.group(5),
                              m.group(4)))
        return sorted(found)

    def compare(self, what):
        ours, theirs = self.editor(), self.command_line()
        print("%s: %d finding(s), same as the command line: %s" % (
            what, len(ours), ours == theirs))
        if ours != theirs:
            print("  editor:       %s\n  command line: %s" % (ours, theirs))
        sys.stdout.flush()

    def change(self, text, what):
        self.text = text
        self.version += 1
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri(self.path), "version": self.version},
            "contentChanges": [{"text": text}]})
        self.compare(what)


def scenario_preamble(client, ws, args):
    """The analysis reuses a preamble of the includes while they stay the
    same (the server logs 'preamble built' or 'preamble reused' with
    --log=verbose), and its findings are the command line's on the same
    text: after an edit below the includes, after a change of an included
    header on disk, and after an edit of the includes."""
    race = open(os.path.join(INPUTS, "race.cpp")).read()
    header = ws.path("local.h")
    with open(header, "w") as f:
        f.write(race.split("void start")[0])
    client.initialize(ws.dir)
    doc = SameAsCommandLine(client, ws, args, ws.path("race.cpp"),
                            '#include "local.h"\nvoid start' +
                            race.split("void start", 1)[1])
    doc.compare("opened")
    doc.change(doc.text + "// an edit below the includes\n",
               "edited below the includes")
    doc.change(doc.text.replace(
        "  rt.call(*consumer, 1);\n",
        "  rt.call(*consumer, 1);\n  rt.call(*consumer, 2);\n"),
        "edited the function")
    # The header changes on disk (the monitor is no monitor any more): the
    # preamble is built again at the next analysis.
    unmonitored = open(header).read().replace("PEER_MONITOR(0) ", "")
    with open(header, "w") as f:
        f.write(unmonitored)
    doc.change(doc.text + "// and another\n", "header changed on disk")
    doc.change("#include <vector>\n" + doc.text, "an include added")
    print("EXIT %d" % client.shutdown())


def scenario_preamble_file(client, ws, args):
    """--file F (compiled with --flags): its findings after it is opened,
    after an edit below its includes (at its end) and after an empty line
    inserted half-way down are the command line's."""
    name = os.path.basename(args.file)
    path = ws.path(name)
    shutil.copy(args.file, path)
    db = os.path.join(ws.dir, "compile_commands.json")
    entries = json.load(open(db))
    entries.append({"directory": ws.dir, "file": name,
                    "arguments": ["clang++"] + args.flags.split() + ["-c", name]})
    with open(db, "w") as f:
        json.dump(entries, f, indent=1)
    client.initialize(ws.dir)
    doc = SameAsCommandLine(client, ws, args, path, open(path).read())
    doc.compare("opened")
    doc.change(doc.text + "// an edit below the includes\n",
               "edited below the includes")
    lines = doc.text.split("\n")
    half = len(lines) // 2
    doc.change("\n".join(lines[:half] + [""] + lines[half:]),
               "a line inserted half-way")
    print("EXIT %d" % client.shutdown())


def scenario_invalid_params(client, ws, args):
    """Params that are not what a method takes: a request gets InvalidParams
    (from peer-tidy lsp, or through the proxy from clangd), a notification is
    dropped; the server goes on."""
    client.initialize(ws.dir)
    path = ws.path("race.cpp")
    # A code action without its range, and one whose position is not one.
    for what, params in (
            ("no range", {"textDocument": {"uri": uri(path)},
                          "context": {"diagnostics": []}}),
            ("bad position", {"textDocument": {"uri": uri(path)},
                              "range": {"start": {"line": "one"},
                                        "end": {"line": 0, "character": 0}},
                              "context": {"diagnostics": []}})):
        rid = client.request_async("textDocument/codeAction", params)
        m = client.wait(lambda m, rid=rid: m.get("id") == rid and "method" not in m,
                        what="the answer to " + what)
        print("%s -> code=%s" % (what, m.get("error", {}).get("code")))
    # An open without its text is dropped: the document is not analysed
    # until it is opened as it should be.
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri(path), "languageId": "cpp", "version": 1}})
    open_doc(client, path, ws.text("race.cpp"), version=2)
    params = client.diagnostics(path, 2)
    print("STILL UP: %d peer diagnostic(s)" % len(
        [d for d in params["diagnostics"] if d.get("source") == "peer-tidy"]))
    print("EXIT %d" % client.shutdown())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--include", required=True)
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--proxy", action="store_true")
    parser.add_argument("--offer", default=None,
                        help="comma-separated positionEncodings to offer")
    parser.add_argument("--db-subdir", default=None,
                        help="write compile_commands.json into this subdir")
    parser.add_argument("--clang-tidy", default=None,
                        help="contents of a .clang-tidy in the workspace")
    parser.add_argument("--hang-hook", action="store_true",
                        help="blocked-include: hang by the test hook")
    parser.add_argument("--wait-after", default=None,
                        help="seconds to wait before shutdown (blocked-include)")
    parser.add_argument("--steady-window", default="5",
                        help="steady: seconds within which the moved findings "
                        "must be published (below the server's debounce)")
    parser.add_argument("--file", default=None,
                        help="preamble-file: the source file to open")
    parser.add_argument("--flags", default="-std=c++17",
                        help="preamble-file: its compiler flags")
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
    ws = Workspace(args)
    if args.scenario == "setup-only":  # the workspace, for another client
        return
    client = Client(cmd)
    globals()["scenario_" + args.scenario.replace("-", "_")](client, ws, args)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
