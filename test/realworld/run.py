#!/usr/bin/env python3
"""Real-world benchmark of the built-in profiles (issue 11): recall over the
racy functions of corpus.json, precision over every finding in the corpus's
files, and the cost against `clang++ -fsyntax-only` on the same files.

Not part of `make test`: it needs the projects' git histories. It fetches
nothing itself. Give it a directory of git mirrors, each at
MIRRORS/<owner>+<name>/repo (the layout of the search tool's `fetch`) or
MIRRORS/<owner>/<name>.git or MIRRORS/<name> (a plain `git clone --mirror` or
clone of https://github.com/<owner>/<name>); it extracts the pinned revision's
directories named by the corpus into WORK (once), generates the files the
projects' builds generate (qdbusxml2cpp, moc, gdbus-codegen, glib-mkenums,
glib-compile-resources, kconfig_compiler; the configured headers CMake, Meson
or autoconf would write are listed in the corpus) and runs peer-tidy with the
file's profile.

  test/realworld/run.py --peer-tidy build/llvm19/bin/peer-tidy \\
      --mirrors /work/.mirror --work /work/realworld-src [--cost] [--json OUT]
  test/realworld/run.py --rescore OUT [--markdown TABLE]   # no re-run

Exit status: 0, or 1 when a file of the corpus did not parse cleanly (its
findings are still scored, but the figures are then not the documented ones).

Two configurations are scored: `profile` (PeerProfiles alone, the issue's
goal) and `project` (the profile plus the few names the profile's page tells
a project to add, e.g. its own pid-scanning function for `posix`; the corpus
lists them per file). An entry's `units` are other files of the project
analysed in the same run, as `peer-tidy -p build` analyses a whole project, so
that the summaries of the helpers they define reach the file; only the file's
findings are scored. Packages: test/realworld/install-deps.sh.
"""
import argparse
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DIAG = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<kind>warning|error): (?P<msg>.*?)(?: \[(?P<check>[\w.,-]+)\])?$")


def mirror_of(mirrors, repo):
    owner, name = repo.split("/")
    for cand in (os.path.join(mirrors, owner + "+" + name, "repo"),
                 os.path.join(mirrors, owner, name + ".git"),
                 os.path.join(mirrors, name + ".git"),
                 os.path.join(mirrors, name)):
        if os.path.isdir(cand):
            return cand
    sys.exit("run.py: no git mirror of %s under %s (see the docstring)" % (repo, mirrors))


def git_dir_args(path):
    return ["--git-dir", path] if not os.path.isdir(os.path.join(path, ".git")) \
        else ["-C", path]


def extract(mirrors, work, entry):
    """Extract the entry's directories at its revision into WORK/<name>-<rev>."""
    name = entry["repo"].split("/")[1]
    root = os.path.join(work, "%s-%s" % (name, entry["rev"]))
    tag = "-".join(sorted(d.replace("/", "_") for d in entry["extract"]))
    if len(tag) > 200:  # many single files (htop): a name the file system takes
        tag = hashlib.sha1(tag.encode()).hexdigest()
    stamp = os.path.join(root, ".extracted-" + tag)
    if os.path.exists(stamp):
        return root
    git = ["git"] + git_dir_args(mirror_of(mirrors, entry["repo"]))
    os.makedirs(root, exist_ok=True)
    # Only the directories (or files) needed: stored snapshots may lack large
    # blobs elsewhere, and `git archive REV -- PATH` still reads the whole tree.
    for d in entry["extract"]:
        kind = subprocess.run(git + ["cat-file", "-t", "%s:%s" % (entry["rev"], d)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              universal_newlines=True).stdout.strip()
        if kind not in ("blob", "tree"):
            sys.exit("run.py: %s has no %s at %s (is the mirror complete?)" % (entry["repo"], d, entry["rev"]))
        if kind == "blob":
            os.makedirs(os.path.join(root, os.path.dirname(d)), exist_ok=True)
            with open(os.path.join(root, d), "wb") as f:
                f.write(subprocess.run(git + ["cat-file", "blob", "%s:%s" % (entry["rev"], d)],
                                       stdout=subprocess.PIPE, check=True).stdout)
            continue
        arch = subprocess.run(git + ["archive", "--prefix=%s/" % d, "%s:%s" % (entry["rev"], d)],
                              stdout=subprocess.PIPE, check=True).stdout
        subprocess.run(["tar", "-x", "-C", root], input=arch, check=True)
    open(stamp, "w").close()
    return root


def subst(s, root, gen):
    return s.replace("{src}", root).replace("{gen}", gen).replace("{sys}", "/usr/share/dbus-1/interfaces")


def pkg_flags(pkgs):
    if not pkgs:
        return []
    out = subprocess.run(["pkg-config", "--cflags"] + pkgs, stdout=subprocess.PIPE,
                         universal_newlines=True, check=True).stdout
    return shlex.split(out)


def prepare(entry, root):
    """Generated files (the projects' build would make them) and the flags."""
    gen = os.path.join(root, ".gen", entry["id"])
    os.makedirs(gen, exist_ok=True)
    flags = list(entry.get("flags", []))
    flags += ["-I" + subst(i, root, gen) for i in entry.get("includes", [])]
    flags += ["-I" + gen] + pkg_flags(entry.get("pkg", []))
    for step in entry.get("generate", []):
        kind, args = step[0], [subst(a, root, gen) for a in step[1:]]
        if kind == "write":  # a header CMake's configure_file or ecm would write
            with open(os.path.join(gen, args[0]), "w") as f:
                f.write(args[1])
        elif kind == "symlink":  # NAME TARGET, as the project's build links them
            link = os.path.join(gen, args[0])
            if not os.path.lexists(link):
                os.symlink(args[1], link)
        elif kind in ("qdbusxml2cpp", "gdbus-codegen", "glib-mkenums", "glib-compile-resources"):  # the real generators
            subprocess.run([kind] + args, cwd=gen, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elif kind == "kconfig_compiler":  # KCFG KCFGC: the settings class kconfig_add_kcfg_files makes
            subprocess.run(["/usr/lib/libexec/kf5/kconfig_compiler_kf5", "-d", gen] + args, cwd=gen, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elif kind == "moc":  # moc INPUT OUTPUT
            inc = [f for f in flags if f.startswith(("-I", "-D"))]
            subprocess.run(["moc"] + inc + [args[0], "-o", os.path.join(gen, args[1])],
                           cwd=gen, check=True)
        else:
            sys.exit("run.py: unknown generate step %r" % kind)
    return flags


def config(entry, variant):
    opts = {"PeerProfiles": entry["profile"]}
    if variant == "project":
        opts.update(entry.get("project_options", {}))
    return json.dumps({"CheckOptions": opts})


def run_tidy(peer_tidy, path, flags, cfg, units=()):
    """UNITS: other files of the project analysed in the same run, as
    `peer-tidy -p build` would, so that the summaries of the helpers they
    define reach PATH; only PATH's findings are kept."""
    cmd = [peer_tidy, "--quiet", "--checks=-*,peer-*", "--config=" + cfg, path] + list(units) + ["--"] + flags
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    findings, errors = [], []
    for line in (p.stdout + p.stderr).splitlines():
        m = DIAG.match(line)
        if not m:
            continue
        if m.group("kind") == "error":
            errors.append(line)
        elif (m.group("check") or "").startswith("peer-") and os.path.samefile(m.group("file"), path):
            findings.append((int(m.group("line")), m.group("check"), m.group("msg")))
    return findings, errors, p.returncode


def timed(cmds, repeats):
    """Minimum wall time of each command; the commands alternate within each
    repeat, so a change of the machine's load hits both alike."""
    best = [1e9] * len(cmds)
    for _ in range(repeats):
        for i, cmd in enumerate(cmds):
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            best[i] = min(best[i], time.perf_counter() - t)
    return best


def checks_of(fn):
    """The checks whose finding in this function is right: the first is the
    one that must fire (recall); a racy function may have more than one race."""
    return fn["check"] if isinstance(fn["check"], list) else [fn["check"]]


def owner(functions, line):
    for fn in functions:
        if fn["lines"][0] <= line <= fn["lines"][1]:
            return fn
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--peer-tidy")
    ap.add_argument("--mirrors")
    ap.add_argument("--work", help="where the pinned sources are extracted")
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus.json"))
    ap.add_argument("--only", help="run the files whose id contains this")
    ap.add_argument("--cost", action="store_true", help="also time peer-tidy against clang++ -fsyntax-only")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--clang", default="clang++-19")
    ap.add_argument("--json", help="write the raw results here")
    ap.add_argument("--rescore", metavar="JSON", help="score the results a --json run wrote (after editing verdicts) instead of running")
    ap.add_argument("--markdown", help="write the per-function table (docs/real-world.md) here")
    args = ap.parse_args()
    with open(args.corpus) as f:
        corpus = json.load(f)
    if not args.rescore and not (args.peer_tidy and args.mirrors and args.work):
        ap.error("--peer-tidy, --mirrors and --work are required (or --rescore JSON)")
    if not args.rescore:
        os.makedirs(args.work, exist_ok=True)
    results = []
    if args.rescore:
        with open(args.rescore) as f:
            results = json.load(f)
        args.cost = all("parse_s" in r for r in results)
    for entry in corpus["files"] if not args.rescore else []:
        if args.only and args.only not in entry["id"]:
            continue
        root = extract(args.mirrors, args.work, entry)
        flags = prepare(entry, root)
        path = os.path.join(root, entry["file"])
        res = {"id": entry["id"], "profile": entry["profile"], "variants": {}}
        for variant in ("profile", "project"):
            if variant == "project" and not entry.get("project_options"):
                res["variants"][variant] = res["variants"]["profile"]
                continue
            units = [os.path.join(root, u) for u in entry.get("units", [])]
            findings, errors, rc = run_tidy(args.peer_tidy, path, flags, config(entry, variant), units)
            res["variants"][variant] = {"findings": findings, "errors": errors[:3], "rc": rc}
        if args.cost:
            lang = ["-x", "c"] if entry.get("lang") == "c" else []
            clang = [args.clang if not lang else args.clang.replace("++", "")]
            res["parse_s"], res["tidy_s"] = timed(
                [clang + ["-fsyntax-only"] + flags + [path],
                 [args.peer_tidy, "--quiet", "--checks=-*,peer-*",
                  "--config=" + config(entry, "profile"), path, "--"] + flags], args.repeats)
        results.append(res)
        print_file(entry, res)
    summary(corpus, results, args)
    broken = [r["id"] for r in results if r["variants"]["profile"]["errors"]]
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(corpus, results))
    if broken:
        print("\nrun.py: %d file(s) did not parse cleanly: %s" % (len(broken), ", ".join(broken)))
        sys.exit(1)


def print_file(entry, res):
    v = res["variants"]["profile"]
    status = "ok" if not v["errors"] else "COMPILE ERRORS (%s)" % v["errors"][0]
    print("== %s [%s] %s %s" % (entry["id"], entry["profile"], entry["file"], status))
    for variant in ("profile", "project"):
        for line, check, msg in res["variants"][variant]["findings"]:
            fn = owner(entry["functions"], line)
            where = "%s (%s)" % (fn["function"], fn["verdict"]) if fn else "UNJUDGED"
            print("   %-7s %5d %-26s %s: %s" % (variant, line, check, where, msg[:90]))
        if res["variants"]["project"] is res["variants"]["profile"]:
            break


def score(corpus, results, variant, key):
    """key(entry, check) groups the counts (profile, or check)."""
    by_id = {r["id"]: r for r in results}
    rows = {}
    for entry in corpus["files"]:
        r = by_id.get(entry["id"])
        if not r:
            continue
        findings = r["variants"][variant]["findings"]
        for fn in entry["functions"]:
            g = key(entry, checks_of(fn)[0])
            row = rows.setdefault(g, {"racy": 0, "caught": 0, "correct": 0, "quiet": 0,
                                      "findings": 0, "true": 0})
            hit = [f for f in findings if fn["lines"][0] <= f[0] <= fn["lines"][1]
                   and (fn["verdict"] == "correct" or f[1] in checks_of(fn))]
            if fn["verdict"] == "racy":
                row["racy"] += 1
                row["caught"] += bool(hit)
            else:
                row["correct"] += 1
                row["quiet"] += not hit
        # precision over every finding in the file; attributed to the file's profile row
        for line, check, _ in findings:
            fn = owner(entry["functions"], line)
            g = key(entry, check)
            row = rows.setdefault(g, {"racy": 0, "caught": 0, "correct": 0, "quiet": 0,
                                      "findings": 0, "true": 0})
            row["findings"] += 1
            row["true"] += bool(fn and fn["verdict"] == "racy" and check in checks_of(fn))
    return rows


def markdown(corpus, results):
    """One row per judged function: where, verdict, what each variant found."""
    by_id = {r["id"]: r for r in results}
    rows = ["| profile | project @ revision | file | function (lines) | verdict | expected check | profile alone | + project names | fix | why |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for entry in corpus["files"]:
        r = by_id.get(entry["id"])
        if not r:
            continue
        for fn in entry["functions"]:
            cells = []
            for variant in ("profile", "project"):
                hits = sorted({f[1] for f in r["variants"][variant]["findings"]
                               if fn["lines"][0] <= f[0] <= fn["lines"][1]})
                ok = (checks_of(fn)[0] in hits) if fn["verdict"] == "racy" else not hits
                cells.append(("found" if hits else "silent") + ("" if ok else " ✗"))
            fix = fn.get("fix")
            rows.append("| %s | %s @ %s | %s | `%s` (%d–%d) | %s | %s | %s | %s | %s | %s |" % (
                entry["profile"], entry["repo"], entry["rev"][:12], entry["file"], fn["function"],
                fn["lines"][0], fn["lines"][1], fn["verdict"], ", ".join(checks_of(fn)), cells[0],
                cells[1] if entry.get("project_options") else "=", fix["commit"][:10] if fix else "",
                fn["reason"].replace("|", "\\|")))
    return "\n".join(rows) + "\n"


def pct(a, b):
    return "%d/%d = %.0f%%" % (a, b, 100.0 * a / b) if b else "-"


def summary(corpus, results, args):
    for variant in ("profile", "project"):
        for title, key in (("per profile", lambda e, c: e["profile"]),
                           ("per check", lambda e, c: c)):
            rows = score(corpus, results, variant, key)
            print("\n[%s] %s" % (variant, title))
            print("%-26s %-16s %-16s %-16s" % ("", "recall", "precision", "correct silent"))
            tot = dict.fromkeys(("racy", "caught", "correct", "quiet", "findings", "true"), 0)
            for g in sorted(rows):
                r = rows[g]
                for k in tot:
                    tot[k] += r[k]
                print("%-26s %-16s %-16s %-16s" % (g, pct(r["caught"], r["racy"]),
                                                   pct(r["true"], r["findings"]), pct(r["quiet"], r["correct"])))
            print("%-26s %-16s %-16s %-16s" % ("all", pct(tot["caught"], tot["racy"]),
                                               pct(tot["true"], tot["findings"]), pct(tot["quiet"], tot["correct"])))
    if args.cost:
        p = sum(r["parse_s"] for r in results)
        t = sum(r["tidy_s"] for r in results)
        print("\ncost: clang -fsyntax-only %.2f s, peer-tidy %.2f s, ratio %.2f" % (p, t, t / p))


if __name__ == "__main__":
    main()
