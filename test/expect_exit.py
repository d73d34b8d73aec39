#!/usr/bin/env python3
"""expect_exit.py N COMMAND...: runs COMMAND, passes its output through, and
succeeds only when it exits with exactly N (lit's `not` only inverts)."""
import subprocess
import sys

want = int(sys.argv[1])
code = subprocess.call(sys.argv[2:])
if code != want:
    sys.stderr.write("expect_exit: %s exited %d, expected %d\n" % (sys.argv[2], code, want))
    sys.exit(1)
