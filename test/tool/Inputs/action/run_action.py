#!/usr/bin/env python3
"""run_action.py ACTION.yml check
   run_action.py ACTION.yml run WORKDIR RUNNER_TEMP [input=value]...

check: the composite action's structure: its inputs and outputs, that every
${{ }} expression names a declared input or an earlier step, that scripts
take inputs only from the environment (no ${{ }} inside a script), and which
actions it uses.

run: runs the action as a GitHub runner would, in WORKDIR: each step's `if`
is evaluated (the subset of GitHub's expression language the action uses),
`run` steps are executed with bash and their env, GITHUB_OUTPUT is read back
into steps.<id>.outputs; `uses` steps are printed with their inputs, not run
(upload-artifact/download-artifact are no-ops here because the shard and
merge jobs share RUNNER_TEMP). Prints what happened and exits with the job's
exit code."""
import glob
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)
TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\)|,)|(?P<name>[A-Za-z_][A-Za-z0-9_.-]*))")


def evaluate(text, context):
    """One expression: literals, context paths, always(), hashFiles(),
    == != && || ! and parentheses. Values are strings (or booleans)."""
    tokens = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise SystemExit("cannot parse expression: %r" % text)
        tokens.append(m)
        pos = m.end()
    out = []
    i = 0
    while i < len(tokens):
        m = tokens[i]
        if m.group("str") is not None:
            out.append(repr(m.group("str")[1:-1].replace("''", "'")))
        elif m.group("op") is not None:
            out.append({"&&": " and ", "||": " or ", "!": " not "}.get(m.group("op"), m.group("op")))
        else:
            name = m.group("name")
            if name in ("always", "success"):
                out.append("True")
                i += 2  # ( )
            elif name == "hashFiles":
                arg = tokens[i + 2]
                value = lookup(arg.group("name"), context) if arg.group("name") else arg.group("str")[1:-1]
                out.append(repr("h" if glob.glob(os.path.join(context["workdir"], value)) else ""))
                i += 3
            elif name in ("true", "false"):
                out.append(repr(name))
            else:
                out.append(repr(lookup(name, context)))
        i += 1
    return eval("".join(out))


def lookup(path, context):
    parts = path.split(".")
    if parts[0] == "inputs":
        return context["inputs"][parts[1]]
    if parts[0] == "steps":
        return context["steps"].get(parts[1], {}).get(parts[3], "")
    if path == "runner.temp":
        return context["temp"]
    if path == "github.workspace":
        return context["workdir"]
    raise SystemExit("unknown context %r" % path)


def substitute(text, context):
    return EXPR.sub(lambda m: str(evaluate(m.group(1), context)), str(text))


def references(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from references(v)
    elif isinstance(node, list):
        for v in node:
            yield from references(v)
    elif isinstance(node, str):
        for m in EXPR.finditer(node):
            yield m.group(1)


def check(action):
    assert action["runs"]["using"] == "composite", "not a composite action"
    inputs = action["inputs"]
    for name in ("build-dir", "checks", "shard", "merge", "cache-dir", "sarif-file",
                 "warnings-as-errors", "baseline", "upload-sarif"):
        assert name in inputs, "input %s missing" % name
        assert "description" in inputs[name], "input %s undocumented" % name
    steps = action["runs"]["steps"]
    ids = []
    for step in steps:
        assert ("run" in step) != ("uses" in step), "a step needs run or uses: %r" % step
        if "run" in step:
            assert step.get("shell") == "bash", "run step without shell: bash"
            assert "${{" not in step["run"], "a script pastes an expression: %r" % step["run"]
        for expr in references(step):
            for name in re.findall(r"inputs\.([A-Za-z0-9_-]+)", expr):
                assert name in inputs, "undeclared input %s" % name
            for name in re.findall(r"steps\.([A-Za-z0-9_-]+)\.", expr):
                assert name in ids, "step %s used before it is defined" % name
        if "id" in step:
            ids.append(step["id"])
    for name, output in action.get("outputs", {}).items():
        for expr in references(output):
            for step in re.findall(r"steps\.([A-Za-z0-9_-]+)\.", expr):
                assert step in ids, "output %s names unknown step %s" % (name, step)
    for step in steps:
        if "uses" in step:
            print("uses:", step["uses"])
    print("action ok: %d inputs, %d steps" % (len(inputs), len(steps)))


def run(action, workdir, temp, given):
    inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    for item in given:
        key, value = item.split("=", 1)
        assert key in inputs, "no input %s" % key
        inputs[key] = value
    context = {"inputs": inputs, "steps": {}, "temp": temp, "workdir": workdir}
    failed = 0
    for step in action["runs"]["steps"]:
        name = step.get("name", step.get("id"))
        if "if" in step and not evaluate(EXPR.sub(lambda m: m.group(1), step["if"]), context):
            print("skipped:", name)
            continue
        if "uses" in step:
            with_ = {k: substitute(v, context) for k, v in step.get("with", {}).items()}
            print("uses: %s %s" % (step["uses"], " ".join("%s=%s" % kv for kv in sorted(with_.items()))))
            continue
        env = dict(os.environ)
        env.update({k: substitute(v, context) for k, v in step.get("env", {}).items()})
        with tempfile.NamedTemporaryFile("r", delete=False) as out:
            env["GITHUB_OUTPUT"] = out.name
        env["GITHUB_WORKSPACE"] = workdir
        code = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=workdir, env=env)
        outputs = {}
        for line in open(env["GITHUB_OUTPUT"]):
            key, _, value = line.rstrip("\n").partition("=")
            outputs[key] = value
        os.unlink(env["GITHUB_OUTPUT"])
        if "id" in step:
            context["steps"][step["id"]] = outputs
        print("ran: %s -> %d %s" % (name, code, " ".join("%s=%s" % kv for kv in sorted(outputs.items()))))
        if code:
            failed = code
            break
    print("job exit %d" % failed)
    return failed


action = yaml.safe_load(open(sys.argv[1]))
if sys.argv[2] == "check":
    check(action)
else:
    sys.exit(run(action, sys.argv[3], sys.argv[4], sys.argv[5:]))
