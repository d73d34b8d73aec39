# The runtime's GoogleTest binaries (plain, AddressSanitizer, ThreadSanitizer),
# run by lit so that `make test` prints one summary for everything.
import os

import lit.formats

config.name = "peer-runtime"
config.test_format = lit.formats.GoogleTest(".", "Tests")
# GoogleTest discovery looks in the suite's source root: point it at the
# build folder holding the binaries.
config.test_source_root = os.path.join(config.peer_binary_root, "test", "runtime")
config.test_exec_root = config.test_source_root
config.environment["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=0"
config.environment["TSAN_OPTIONS"] = "halt_on_error=1:second_deadlock_stack=1"
