#!/usr/bin/env python3
"""The remote cache across checkouts:
  test/bench/cli_remote_cache.py PEER_TIDY LLVM_MAJOR [JOBS] [caf|own]

caf (the default): copies the examples of Debian's libcaf-doc
(test/caf/examples.txt) into two "checkouts" at different paths, each with
its own compile_commands.json (test/caf/make_compdb.sh).
own: two git clones of this repository (its HEAD) at different paths, each
configured by CMake into its own build/ (compile_commands.json and the
generated headers).
Then starts nginx with WebDAV PUT on 127.0.0.1 (as
test/tool/remote-cache.test does), and runs
  1. checkout A, --cache-url only: cold, fills the server;
  2. checkout B, --cache-url only (no local cache): every unit should come
     from the server (goal >= 95%), with A's report at B's paths.
Prints the units fetched, both times and the size of the entries.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tool", "Inputs"))
import remote_cache  # noqa: E402  (the Nginx helper)

if len(sys.argv) < 3:
    sys.exit("usage: %s PEER_TIDY LLVM_MAJOR [JOBS]" % sys.argv[0])
peer_tidy, llvm = os.path.abspath(sys.argv[1]), sys.argv[2]
jobs = sys.argv[3] if len(sys.argv) > 3 else "0"
corpus = sys.argv[4] if len(sys.argv) > 4 else "caf"
nginx_binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
if not nginx_binary:
    sys.exit("no nginx (scripts/install-deps.sh installs it)")

examples = [l.strip() for l in open(os.path.join(HERE, "..", "caf", "examples.txt"))
            if l.strip() and not l.startswith("#")]
top = os.path.commonpath(examples)
work = tempfile.mkdtemp()
try:
    checkouts = {}
    for name in ("a", os.path.join("elsewhere", "b")):
        root = os.path.join(work, name)
        if corpus == "own":
            subprocess.run(["git", "clone", "-q", os.path.join(HERE, "..", ".."), root],
                           check=True)
            subprocess.run(["cmake", "-S", root, "-B", os.path.join(root, "db"), "-G", "Ninja",
                            "-DCMAKE_BUILD_TYPE=Release", "-DPEER_LLVM_VERSION=" + llvm],
                           check=True, stdout=subprocess.DEVNULL)
            checkouts[name] = root
            continue
        shutil.copytree(top, os.path.join(root, "examples"))
        listing = os.path.join(root, "examples.txt")
        with open(listing, "w") as f:
            for e in examples:
                f.write(os.path.join(root, "examples", os.path.relpath(e, top)) + "\n")
        subprocess.run([os.path.join(HERE, "..", "caf", "make_compdb.sh"),
                        os.path.join(root, "db"), "clang++-" + llvm, listing],
                       check=True, stdout=subprocess.DEVNULL)
        checkouts[name] = root
    a, b = checkouts.values()

    server = remote_cache.Nginx(os.path.join(work, "nginx"), nginx_binary)
    server.start()
    try:
        def run(root):
            start = time.time()
            config = [] if corpus == "own" else ["--config={CheckOptions: {PeerProfiles: caf}}"]
            p = subprocess.run([peer_tidy, "-p", "db", "-j", jobs, *config,
                                "--cache-url=" + server.url()], cwd=root,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            return time.time() - start, p
        cold_time, cold = run(a)
        warm_time, warm = run(b)
    finally:
        server.stop()
    same = cold.stdout.replace(a, b) == warm.stdout and cold.returncode == warm.returncode
    for label, p in (("A cold", cold), ("B", warm)):
        print(label + ": " + " ".join(l for l in p.stderr.splitlines()
                                      if re.match(r"(Remote cache|Cache):", l)))
    fetched = int(re.search(r"Remote cache: (\d+) of (\d+)", warm.stderr).group(1))
    total = int(re.search(r"Remote cache: \d+ of (\d+)", warm.stderr).group(1))
    size = sum(os.path.getsize(e) for e in server.entries())
    print("B fetched %d of %d units (%.0f%%); same report at B's paths: %s"
          % (fetched, total, 100.0 * fetched / total, "yes" if same else "NO"))
    print("A cold %.2f s, B %.2f s (%.1f%% of cold); %d entries, %.1f MB on the server"
          % (cold_time, warm_time, 100 * warm_time / cold_time, len(server.entries()),
             size / 1e6))
    sys.exit(0 if same and fetched * 100 >= 95 * total else 1)
finally:
    shutil.rmtree(work)
