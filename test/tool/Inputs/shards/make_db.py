#!/usr/bin/env python3
"""make_db.py DIR INCLUDE COUNT [BROKEN]: writes COUNT translation units of
different sizes to DIR/src (every other one calls the racy inline function of
the shared header src/race.h, the others have their own race), a copy of the
header, and DIR/build/compile_commands.json with paths relative to the build
directory. BROKEN adds a unit that does not compile."""
import json
import os
import shutil
import sys

root, include, count = os.path.abspath(sys.argv[1]), sys.argv[2], int(sys.argv[3])
broken = len(sys.argv) > 4
src = os.path.join(root, "src")
build = os.path.join(root, "build")
os.makedirs(src, exist_ok=True)
os.makedirs(build, exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))
shutil.copy(os.path.join(here, "..", "headers", "race.h"), os.path.join(src, "race.h"))

OWN = """struct Pid {{ int id; }};
struct Runtime {{
  PEER_LOOKUP std::optional<Pid> whereis(int key);
  PEER_CALL(0) int call(Pid pid, int request);
  PEER_MONITOR(0) int monitor(Pid pid);
}};
void start_{n}(Runtime &rt, int key) {{
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  rt.call(*consumer, 1);
  rt.monitor(*consumer);
}}
"""
entries = []
names = []
for n in range(1, count + 1):
    name = "unit%02d.cpp" % n
    if n % 2:
        body = '#include "race.h"\nvoid user_%d(Runtime &rt) { start_in_header(rt, %d); }\n' % (n, n)
    else:
        body = '#include "peer/annotations.h"\n#include <optional>\n' + OWN.format(n=n)
    # Sizes from a few hundred bytes to a few kilobytes, so that the shards
    # are balanced by size and not by count.
    body += "// padding\n" * (n * 37 % 200)
    names.append(name)
    with open(os.path.join(src, name), "w") as f:
        f.write(body)
if broken:
    names.append("broken.cpp")
    with open(os.path.join(src, "broken.cpp"), "w") as f:
        f.write("int x = this_does_not_compile;\n")
for name in names:
    entries.append({"directory": build, "file": "../src/" + name,
                    "arguments": ["clang++", "-std=c++20", "-I" + include,
                                  "-c", "../src/" + name]})
with open(os.path.join(build, "compile_commands.json"), "w") as f:
    json.dump(entries, f, indent=1)
