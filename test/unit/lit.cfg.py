# GoogleTest unit tests of the linter's pure helpers (diff parsing, LSP
# positions and edits, URIs, role lists, fingerprints), run by lit beside
# everything else.
import os

import lit.formats

config.name = "peer-unit"
config.test_format = lit.formats.GoogleTest(".", "Tests")
config.test_source_root = os.path.join(config.peer_binary_root, "test", "unit")
config.test_exec_root = config.test_source_root
