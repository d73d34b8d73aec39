#!/usr/bin/env python3
"""Runs one check test through both deliveries and checks them alike.

Usage (from a lit RUN line):
  %check_peer_tidy [--config YAML] [--checks GLOBS] [--fix] FILE TMP -- ARGS

For each delivery -- the standalone peer-tidy and clang-tidy with
--load=PeerTidyModule-N.so -- the test file is copied (with its CHECK comments
blanked, so fixes and FileCheck never see them), analysed with the given
configuration and compiler ARGS, and:
  * the diagnostics are matched with FileCheck against the file's
    CHECK-MESSAGES lines, and no other warning or error may appear;
  * with --fix, the fixed copy is matched against the CHECK-FIXES lines;
  * the two deliveries must print exactly the same diagnostics.
Modelled on clang-tidy's own check_clang_tidy.py.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys


def run(cmd, expect_codes):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if proc.returncode not in expect_codes:
        sys.stderr.write("command failed with exit code %d (expected %s):\n  %s\n"
                         % (proc.returncode, expect_codes, " ".join(cmd)))
        sys.stderr.write("--- stdout ---\n%s--- stderr ---\n%s" % (proc.stdout, proc.stderr))
        sys.exit(1)
    return proc.stdout


def filecheck(input_text, check_file, prefix, extra=()):
    cmd = ["FileCheck", "-input-file=-", check_file, "-check-prefix=" + prefix] + list(extra)
    proc = subprocess.run(cmd, input=input_text, universal_newlines=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        sys.stderr.write("FileCheck (%s) failed:\n%s\n--- input ---\n%s\n"
                         % (prefix, proc.stderr, input_text))
        sys.exit(1)


def diagnostics(output):
    """The diagnostic lines, with the path of the analysed copy removed."""
    lines = []
    for line in output.splitlines():
        m = re.match(r"^(.*?):(\d+):(\d+): (warning|error|note): (.*)$", line)
        if m:
            lines.append("%s:%s: %s: %s" % (m.group(2), m.group(3), m.group(4), m.group(5)))
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--peer-tidy", required=True)
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--module", required=True)
    parser.add_argument("--include", required=True)
    parser.add_argument("--config", default=None)
    parser.add_argument("--checks", default=None,
                        help="default: the check the file is named after, "
                             "else all peer-* checks")
    parser.add_argument("--fix", action="store_true")
    parser.add_argument("input")
    parser.add_argument("temp")
    parser.add_argument("compiler_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()

    if args.checks is None:
        stem = os.path.splitext(os.path.basename(args.input))[0]
        args.checks = "-*," + (stem if stem.startswith("peer-") else "peer-*")

    compiler_args = args.compiler_args
    if compiler_args and compiler_args[0] == "--":
        compiler_args = compiler_args[1:]
    if not any(a.startswith("-std=") for a in compiler_args):
        compiler_args = ["-std=c++20"] + compiler_args
    compiler_args = ["-I" + args.include] + compiler_args

    with open(args.input) as f:
        original = f.read()
    blanked = re.sub(r"//\s*CHECK-[A-Z0-9-]+:[^\r\n]*", "//", original)
    has_messages = "CHECK-MESSAGES" in original
    has_fixes = "CHECK-FIXES" in original
    ext = os.path.splitext(args.input)[1]

    deliveries = {
        "peer-tidy": [args.peer_tidy],
        "clang-tidy": [args.clang_tidy, "--load=" + args.module],
    }
    seen = {}
    for name, tool in deliveries.items():
        copy = "%s.%s%s" % (args.temp, name, ext)
        os.makedirs(os.path.dirname(os.path.abspath(copy)), exist_ok=True)
        with open(copy, "w") as f:
            f.write(blanked)
        cmd = tool + ["--quiet", "--checks=" + args.checks]
        if args.config is not None:
            cmd.append("--config=" + args.config)
        if args.fix:
            cmd.append("--fix")
        cmd += [copy, "--"] + compiler_args
        output = run(cmd, [0])
        if has_messages:
            filecheck(output, args.input, "CHECK-MESSAGES",
                      ["--implicit-check-not={{warning|error}}:"])
        elif re.search(r"(warning|error):", output):
            sys.stderr.write("%s: expected no diagnostics, got:\n%s\n" % (name, output))
            sys.exit(1)
        if has_fixes:
            with open(copy) as f:
                fixed = f.read()
            filecheck(fixed, args.input, "CHECK-FIXES", ["--match-full-lines"])
        seen[name] = diagnostics(output)

    if seen["peer-tidy"] != seen["clang-tidy"]:
        sys.stderr.write("the deliveries disagree:\n--- peer-tidy ---\n%s\n--- clang-tidy ---\n%s\n"
                         % ("\n".join(seen["peer-tidy"]), "\n".join(seen["clang-tidy"])))
        sys.exit(1)


if __name__ == "__main__":
    main()
