#!/usr/bin/env python3
"""The remote cache (--cache-url) against a real server: Debian's nginx with
WebDAV PUT, started here on 127.0.0.1 on a free port with its own prefix,
configuration and logs under WORK, and stopped at the end, whatever happens.

remote_cache.py --peer-tidy BIN --include DIR --nginx BIN --work DIR

Two checkouts of one small project at different paths (each with its own
compile_commands.json, as CMake writes it, with absolute paths): the first
fills the server; the second gets every unit from it, with the findings a
cold run there gives (at its own paths). Then: a truncated entry on the
server is a miss; a server that refuses PUT, and a stopped server, are one
warning each and change nothing else; a changed header in a third checkout
is analysed again.
"""
import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time

args = None  # The command line (set below; test/bench imports Nginx only).
SOURCES = ["race.cpp", "first.cpp", "second.cpp"]


def fail(message):
    sys.stderr.write("remote_cache.py: FAILED: %s\n" % message)
    raise SystemExit(1)


def check(condition, message):
    if not condition:
        fail(message)


def make_checkout(path):
    """A project at path: sources, a header, the annotations header inside
    the tree, a .clang-tidy, a git repository, and build/compile_commands.json
    naming everything by absolute path."""
    os.makedirs(os.path.join(path, "src", "sub"))
    for name in ("race.h", "first.cpp", "second.cpp"):
        shutil.copy(os.path.join(args.inputs, "headers", name), os.path.join(path, "src"))
    shutil.copy(os.path.join(args.inputs, "race.cpp"), os.path.join(path, "src"))
    shutil.copytree(args.include, os.path.join(path, "include"))
    with open(os.path.join(path, ".clang-tidy"), "w") as f:
        f.write("Checks: '-*,peer-*'\nHeaderFilterRegex: '.*'\n")
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", path], check=True)
    build = os.path.join(path, "build")
    os.makedirs(build)
    database = [{
        "directory": build,
        "file": os.path.join(path, "src", source),
        # The checkout's path in a macro too, as projects define theirs
        # (-DSOURCE_ROOT="/path"): quoted, not followed by '/'.
        "command": "clang++ -std=c++20 -I%s -DPROJECT_ROOT=\\\"%s\\\" -o CMakeFiles/%s.o -c %s"
                   % (os.path.join(path, "include"), path, source,
                      os.path.join(path, "src", source)),
    } for source in SOURCES]
    with open(os.path.join(build, "compile_commands.json"), "w") as f:
        json.dump(database, f, indent=2)


def peer_tidy(checkout, *flags, env=None):
    """Runs peer-tidy -p build in checkout: (exit code, stdout, stderr)."""
    environment = dict(os.environ)
    environment.pop("PEER_TIDY_CACHE_DIR", None)
    environment.pop("PEER_TIDY_CACHE_URL", None)
    environment.update(env or {})
    run = subprocess.run([args.peer_tidy, "-p", "build", *flags], cwd=checkout,
                         env=environment, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, timeout=300)
    return run.returncode, run.stdout, run.stderr


def stat_line(stderr, prefix):
    lines = [l for l in stderr.splitlines() if l.startswith(prefix)]
    check(len(lines) == 1, "expected one '%s' line in:\n%s" % (prefix, stderr))
    return lines[0]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """nginx serving ROOT with PUT under /cache/; /readonly/ refuses PUT."""

    def __init__(self, prefix, binary):
        self.binary = binary
        self.prefix = prefix
        self.root = os.path.join(prefix, "root")
        self.process = None
        os.makedirs(os.path.join(self.root, "cache"), exist_ok=True)
        os.makedirs(os.path.join(self.root, "readonly"), exist_ok=True)

    def start(self):
        for attempt in range(5):
            self.port = free_port()
            conf = os.path.join(self.prefix, "nginx.conf")
            user = ""
            if os.geteuid() == 0:
                import pwd
                user = "user %s;" % pwd.getpwuid(os.getuid()).pw_name
            p = self.prefix
            with open(conf, "w") as f:
                f.write("""
%(user)s
worker_processes 1;
pid %(p)s/nginx.pid;
error_log %(p)s/error.log;
events { worker_connections 64; }
http {
  access_log %(p)s/access.log;
  client_body_temp_path %(p)s/client_body;
  proxy_temp_path %(p)s/proxy;
  fastcgi_temp_path %(p)s/fastcgi;
  uwsgi_temp_path %(p)s/uwsgi;
  scgi_temp_path %(p)s/scgi;
  server {
    listen 127.0.0.1:%(port)d;
    root %(root)s;
    client_max_body_size 64m;
    location /cache/ {
      dav_methods PUT;
      create_full_put_path on;
    }
  }
}
""" % {"user": user, "p": p, "port": self.port, "root": self.root})
            self.process = subprocess.Popen(
                [self.binary, "-p", p, "-c", conf, "-e", os.path.join(p, "error.log"),
                 "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            deadline = time.time() + 10
            while time.time() < deadline and self.process.poll() is None:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        return
                except OSError:
                    time.sleep(0.05)
            # Lost the port to someone else, or nginx failed: say why, retry.
            self.stop()
            sys.stderr.write("nginx did not start (attempt %d): %s\n"
                             % (attempt + 1, open(os.path.join(p, "error.log")).read()[-2000:]))
        fail("nginx could not be started")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def url(self, location="cache"):
        return "http://127.0.0.1:%d/%s" % (self.port, location)

    def entries(self):
        folder = os.path.join(self.root, "cache")
        return sorted(os.path.join(folder, n) for n in os.listdir(folder))


class PythonServer:
    """Serves the entries under ROOT/cache on another port, in one framing:
    'chunked', 'close' (no Content-Length; the end of the connection ends
    the body), or 'silent' (accepts connections, never answers)."""

    def __init__(self, root, framing):
        import http.server
        import threading
        self.framing = framing
        folder = os.path.join(root, "cache")

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if framing == "chunked" else "HTTP/1.0"

            def log_message(self, *a):
                pass

            def do_GET(self):
                path = os.path.join(folder, os.path.basename(self.path))
                if not os.path.isfile(path):
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = open(path, "rb").read()
                self.send_response(200)
                if framing == "chunked":
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for i in range(0, len(body), 777):
                        piece = body[i:i + 777]
                        extension = ";name=value" if i == 0 else ""
                        self.wfile.write(b"%x%s\r\n%s\r\n" % (len(piece), extension.encode(), piece))
                    self.wfile.write(b"0\r\nX-Trailer: yes\r\n\r\n")
                else:
                    self.end_headers()
                    self.wfile.write(body)
                self.close_connection = True

            def do_PUT(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

        if framing == "silent":
            self.listener = socket.socket()
            self.listener.bind(("127.0.0.1", 0))
            self.listener.listen(16)
            self.port = self.listener.getsockname()[1]
        else:
            self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            self.port = self.httpd.server_address[1]
            self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
            self.thread.start()

    def url(self):
        return "http://127.0.0.1:%d/cache" % self.port

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.framing == "silent":
            self.listener.close()
        else:
            self.httpd.shutdown()
            self.httpd.server_close()


def main(server):
    a = os.path.join(WORK, "checkout-a")
    b = os.path.join(WORK, "elsewhere", "checkout-b")
    make_checkout(a)
    make_checkout(b)
    n = len(SOURCES)

    # Reference: an uncached run in each checkout.
    ref_a = peer_tidy(a)
    ref_b = peer_tidy(b)
    check(ref_a[0] == ref_b[0], "the two checkouts differ without a cache")
    check("race.h:14:3" in ref_b[1] and b in ref_b[1],
          "the reference run has no finding in the header:\n" + ref_b[1])

    # 1. Cold, in checkout a: every unit analysed and stored on the server.
    code, out, err = peer_tidy(a, "--cache-dir=" + os.path.join(WORK, "local-a"),
                               "--cache-url=" + server.url())
    check((code, out) == ref_a[:2], "the cold cached run differs from the uncached one")
    check(stat_line(err, "Cache:") == "Cache: 0 of %d translation units reused." % n, err)
    check(stat_line(err, "Remote cache:") ==
          "Remote cache: 0 of %d translation units fetched, %d stored." % (n, n), err)
    entries = server.entries()
    check(len(entries) == n, "expected %d entries on the server, found %s" % (n, entries))
    for entry in entries:
        check(re.fullmatch(r"[0-9a-f]{64}", os.path.basename(entry)), entry)
        with open(entry, "rb") as f:
            contents = f.read()
        check(a.encode() not in contents,
              "entry %s names checkout a's path: it would not serve another checkout" % entry)

    # 2. Checkout b, at another path, with an empty local cache: every unit
    #    from the server, with the findings of a cold run in b (b's paths).
    local_b = os.path.join(WORK, "local-b")
    code, out, err = peer_tidy(b, "--cache-dir=" + local_b, "--cache-url=" + server.url())
    check((code, out) == ref_b[:2],
          "checkout b from the remote cache differs from a cold run there:\n%s\n---\n%s"
          % (out, ref_b[1]))
    check(stat_line(err, "Cache:") == "Cache: %d of %d translation units reused." % (n, n), err)
    check(stat_line(err, "Remote cache:") ==
          "Remote cache: %d of %d translation units fetched, 0 stored." % (n, n), err)
    check("warning: remote cache" not in err, err)
    # ... and they were written to b's local cache: the next run is local.
    code, out, err = peer_tidy(b, "--cache-dir=" + local_b, "--cache-url=" + server.url())
    check((code, out) == ref_b[:2], "the local replay differs")
    check(stat_line(err, "Cache:") == "Cache: %d of %d translation units reused." % (n, n), err)
    check(stat_line(err, "Remote cache:") ==
          "Remote cache: 0 of %d translation units fetched, 0 stored." % n, err)
    # The environment variable alone: the remote level without a local one.
    code, out, err = peer_tidy(b, env={"PEER_TIDY_CACHE_URL": server.url()})
    check((code, out) == ref_b[:2], "the remote-only run differs")
    check(stat_line(err, "Remote cache:") ==
          "Remote cache: %d of %d translation units fetched, 0 stored." % (n, n), err)
    # JSON and exported fixes name b's files too.
    for fmt in (["--format=json"], ["--export-fixes=" + os.path.join(WORK, "fixes.yaml")]):
        cold = peer_tidy(b, *fmt)
        cold_fixes = open(os.path.join(WORK, "fixes.yaml")).read() if "--export" in fmt[0] else ""
        warm = peer_tidy(b, *fmt, env={"PEER_TIDY_CACHE_URL": server.url()})
        warm_fixes = open(os.path.join(WORK, "fixes.yaml")).read() if "--export" in fmt[0] else ""
        check(cold[:2] == warm[:2] and cold_fixes == warm_fixes,
              "%s differs from the remote cache" % fmt[0])
        check("Remote cache: %d of" % n in warm[2], warm[2])

    # 3. A truncated entry on the server is a miss (and is stored again whole);
    #    the findings do not change.
    victim = server.entries()[0]
    with open(victim, "rb") as f:
        whole = f.read()
    with open(victim, "wb") as f:
        f.write(whole[: len(whole) // 2])
    code, out, err = peer_tidy(b, env={"PEER_TIDY_CACHE_URL": server.url()})
    check((code, out) == ref_b[:2], "a truncated entry changed the result")
    check(stat_line(err, "Remote cache:") ==
          "Remote cache: %d of %d translation units fetched, 1 stored." % (n - 1, n), err)
    with open(victim, "rb") as f:
        check(f.read() == whole, "the truncated entry was not stored again whole")
    # An entry that is not one at all (an HTML page, as a misconfigured
    # server answers): a miss too.
    with open(victim, "wb") as f:
        f.write(b"<html>not found</html>\n")
    code, out, err = peer_tidy(b, env={"PEER_TIDY_CACHE_URL": server.url()})
    check((code, out) == ref_b[:2], "a foreign entry changed the result")
    check("Cache: %d of %d" % (n - 1, n) in err, err)

    # 4. Other servers' framings of the same entries: chunked (with a chunk
    #    extension and a trailer) and delimited by closing the connection;
    #    and a server that accepts connections and never answers (a timeout:
    #    one warning, the result as without a cache).
    for framing in ("chunked", "close"):
        with PythonServer(server.root, framing) as other:
            code, out, err = peer_tidy(b, "--cache-url=" + other.url())
        check((code, out) == ref_b[:2], "the %s framing changed the result" % framing)
        check(stat_line(err, "Remote cache:") ==
              "Remote cache: %d of %d translation units fetched, 0 stored." % (n, n),
              framing + ":\n" + err)
    with PythonServer(server.root, "silent") as other:
        code, out, err = peer_tidy(b, "--cache-url=" + other.url())
    check((code, out) == ref_b[:2], "a silent server changed the result")
    check(err.count("warning: remote cache") == 1, "expected one warning:\n" + err)
    check("timed out waiting for the answer to GET" in err, err)

    # 5. A changed header in a third checkout: the units that include it are
    #    analysed again, and the findings are those of a cold run there.
    c = os.path.join(WORK, "checkout-c")
    make_checkout(c)
    with open(os.path.join(c, "src", "race.h"), "a") as f:
        f.write("// edited\n")
    ref_c = peer_tidy(c)
    code, out, err = peer_tidy(c, env={"PEER_TIDY_CACHE_URL": server.url()})
    check((code, out) == ref_c[:2], "checkout c with a changed header differs from a cold run")
    check(stat_line(err, "Cache:") == "Cache: 1 of %d translation units reused." % n, err)

    # 6. A server that refuses PUT (405 from nginx without dav_methods): one
    #    warning for the whole run; results as without a cache.
    code, out, err = peer_tidy(b, "--cache-url=" + server.url("readonly"))
    check((code, out) == ref_b[:2], "a refusing server changed the result")
    check(err.count("warning: remote cache") == 1, "expected one warning:\n" + err)
    check("PUT answered 405" in err, err)

    # 7. The server stopped: one warning, the run goes on without it, with the
    #    findings and exit code of an uncached run.
    server.stop()
    code, out, err = peer_tidy(b, "--cache-dir=" + os.path.join(WORK, "local-stopped"),
                               "--cache-url=" + server.url())
    check((code, out) == ref_b[:2], "a stopped server changed the result")
    check(err.count("warning: remote cache") == 1, "expected one warning:\n" + err)
    check(re.search(r"warning: remote cache http://127\.0\.0\.1:\d+/cache/: cannot connect "
                    r"to 127\.0\.0\.1:\d+: Connection refused; going on without it", err), err)
    check(stat_line(err, "Remote cache:") ==
          "Remote cache: 0 of %d translation units fetched, 0 stored (unreachable)." % n, err)

    # 8. URLs that cannot work: a configuration error, exit 2, nothing analysed.
    for url, message in (("https://127.0.0.1/cache", "https is not supported"),
                         ("ftp://host/x", "it must start with http://"),
                         ("http://:80/x", "no host"),
                         ("http://host:99999/x", "is not a number from 1 to 65535")):
        code, out, err = peer_tidy(b, "--cache-url=" + url)
        check(code == 2 and message in err and "invalid --cache-url" in err,
              "--cache-url=%s: exit %d, %s" % (url, code, err))
        code, out, err = peer_tidy(b, env={"PEER_TIDY_CACHE_URL": url})
        check(code == 2 and message in err, "PEER_TIDY_CACHE_URL=%s: exit %d" % (url, code))
    print("remote_cache.py: all checks passed")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    for flag in ("--peer-tidy", "--include", "--nginx", "--work", "--inputs"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()
    WORK = os.path.abspath(args.work)
    if os.path.exists(WORK):
        shutil.rmtree(WORK)
    os.makedirs(WORK)
    nginx = Nginx(os.path.join(WORK, "nginx"), args.nginx)
    nginx.start()
    try:
        main(nginx)
    finally:
        nginx.stop()
