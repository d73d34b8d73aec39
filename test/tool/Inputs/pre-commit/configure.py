#!/usr/bin/env python3
"""configure.py PROJECT HOOKS INCLUDE: writes PROJECT/.pre-commit-config.yaml
using the peer-tidy hook of the git repository HOOKS at its HEAD, and a
PROJECT/build/compile_commands.json for PROJECT/race.cpp."""
import json
import os
import subprocess
import sys

project, hooks, include = sys.argv[1:4]
rev = subprocess.check_output(["git", "-C", hooks, "rev-parse", "HEAD"], text=True).strip()
with open(os.path.join(project, ".pre-commit-config.yaml"), "w") as f:
    f.write("repos:\n"
            "  - repo: %s\n"
            "    rev: %s\n"
            "    hooks:\n"
            "      - id: peer-tidy\n"
            "        args: [-p=build]\n" % (hooks, rev))
os.makedirs(os.path.join(project, "build"), exist_ok=True)
with open(os.path.join(project, "build", "compile_commands.json"), "w") as f:
    json.dump([{"directory": project, "file": "race.cpp",
                "arguments": ["clang++", "-std=c++20", "-I" + include, "-c", "race.cpp"]}], f)
