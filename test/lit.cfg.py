# lit configuration for peer-tidy: check tests (one .cpp each, run through both
# deliveries), tool tests, the schedule explorer's CLI, and the runtime's
# GoogleTest binaries (in test/runtime, with lit's GoogleTest format).
import os
import shutil

import lit.formats

config.name = "peer-tidy"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".c", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.peer_binary_root, "test")
config.excludes = ["Inputs", "bench", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py.in", "check_peer_tidy.py", "expect_exit.py", "caf", "runtime",
                   "unit"]

bin_dir = os.path.join(config.peer_binary_root, "bin")
llvm_bin = os.path.join(config.peer_llvm_prefix, "bin")
config.environment["PATH"] = os.pathsep.join(
    [bin_dir, llvm_bin, config.environment.get("PATH", os.environ.get("PATH", ""))])
# Diagnostics without colour, and a stable home for .clang-tidy lookups.
config.environment.pop("CLANG_TIDY_CACHE", None)

check_script = os.path.join(config.test_source_root, "check_peer_tidy.py")
config.substitutions.append(
    ("%expect-exit", "%s %s" % (config.python_executable,
                                os.path.join(config.test_source_root, "expect_exit.py"))))
config.substitutions.append(("%peer-tidy", config.peer_tidy))
config.substitutions.append(("%peer-module", config.peer_module))
config.substitutions.append(("%clang-tidy", config.peer_clang_tidy))
config.substitutions.append(("%peer-explore", os.path.join(bin_dir, "peer-explore")))
config.substitutions.append(("%peer-include", os.path.join(config.peer_source_root, "include")))
config.substitutions.append(("%peer-root", config.peer_source_root))
config.substitutions.append(("%llvm-version", config.peer_llvm_version))
config.substitutions.append(
    ("%check_peer_tidy",
     "%s %s --peer-tidy %s --clang-tidy %s --module %s --include %s"
     % (config.python_executable, check_script, config.peer_tidy,
        config.peer_clang_tidy, config.peer_module,
        os.path.join(config.peer_source_root, "include"))))

config.available_features.add("llvm-%s" % config.peer_llvm_version)
if config.peer_other_clang_tidy:
    config.available_features.add("other-clang-tidy")
    config.substitutions.append(("%other-clang-tidy", config.peer_other_clang_tidy))
if os.path.exists("/usr/include/caf/all.hpp"):
    config.available_features.add("caf")
# The libFuzzer targets (fuzz/, PEER_FUZZ=ON): %fuzz-bin is where they are.
if config.peer_fuzz_bin_dir:
    config.available_features.add("fuzz")
    config.substitutions.append(("%fuzz-bin", config.peer_fuzz_bin_dir))
    config.substitutions.append(("%fuzz-root", os.path.join(
        config.peer_source_root, "fuzz")))
# The editor analysis's crash/hang/grow hooks (PEER_TIDY_TEST_HOOKS, off in
# release builds; the Makefile's build, which `make test` runs, has them).
if config.peer_test_hooks.upper() in ("ON", "1", "TRUE", "YES", "Y"):
    config.available_features.add("test-hooks")
else:
    lit_config.note("built without -DPEER_TIDY_TEST_HOOKS=ON: the editor's "
                    "crash/hang tests (REQUIRES: test-hooks) are skipped")
if shutil.which("nvim"):
    config.available_features.add("nvim")
# Debian's pre-commit (scripts/install-deps.sh) for the hook's test.
if shutil.which("pre-commit"):
    config.available_features.add("pre-commit")

config.substitutions.append(("%python", config.python_executable))

# Debian's nginx (scripts/install-deps.sh) as the WebDAV server of the remote
# cache's test (tool/remote-cache.test); it need not be running or on PATH.
nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
if nginx:
    config.available_features.add("nginx")
    config.substitutions.append(("%nginx", nginx))
else:
    lit_config.note("nginx not found: tool/remote-cache.test is skipped "
                    "(scripts/install-deps.sh installs it)")

# Emacs with Debian's Eglot (emacs-nox, elpa-eglot): test/lsp/emacs.el loads
# Eglot from Debian's elpa directory.
import glob
if shutil.which("emacs") and glob.glob("/usr/share/emacs/site-lisp/elpa/eglot-*/eglot.el*"):
    config.available_features.add("emacs-eglot")
else:
    lit_config.note("no emacs with elpa-eglot: test/lsp/emacs.test is skipped "
                    "(scripts/install-deps.sh installs emacs-nox elpa-eglot)")

# Debian 12's Qt headers (qtbase5-dev, qt6-base-dev; installed by
# scripts/install-deps.sh) for the tests of real-code patterns.
for qt, std in (("qt5", "c++17"), ("qt6", "c++20")):
    root = "/usr/include/x86_64-linux-gnu/" + qt
    if os.path.exists(os.path.join(root, "QtDBus", "QDBusServiceWatcher")):
        config.available_features.add(qt)
        config.substitutions.append(
            ("%%%s-flags" % qt,
             "-std=%s -fPIC -DQT_CORE_LIB -DQT_DBUS_LIB -I%s -I%s/QtCore -I%s/QtDBus"
             % (std, root, root, root)))

# Debian 12's C D-Bus and GLib headers (libdbus-1-dev, libglib2.0-dev,
# libsystemd-dev; installed by scripts/install-deps.sh) for the profiles'
# tests. The flags are what `pkg-config --cflags` prints on Debian.
multiarch = "/usr/lib/x86_64-linux-gnu"
for feature, header, flags in (
        ("libdbus", "/usr/include/dbus-1.0/dbus/dbus.h",
         "-I/usr/include/dbus-1.0 -I%s/dbus-1.0/include" % multiarch),
        ("gio", "/usr/include/glib-2.0/gio/gio.h",
         "-I/usr/include/glib-2.0 -I%s/glib-2.0/include" % multiarch),
        ("sd-bus", "/usr/include/systemd/sd-bus.h", "")):
    if os.path.exists(header):
        config.available_features.add(feature)
        config.substitutions.append(("%%%s-flags" % feature, flags))
# Qt's D-Bus proxy generator (qtbase5-dev-tools, a dependency of qtbase5-dev).
if shutil.which("qdbusxml2cpp"):
    config.available_features.add("qdbusxml2cpp")

# Debian's Bazel (bazel-bootstrap 4.2.3) and its platforms repository
# (bazel-platforms), installed by scripts/install-deps.sh, for the Bazel
# aspect's test (test/bazel/). Without them that test is skipped.
bazel_platforms = "/usr/share/bazel/tools/platforms"
if shutil.which("bazel") and os.path.isdir(bazel_platforms):
    config.available_features.add("bazel")
    config.substitutions.append(("%bazel-platforms", bazel_platforms))
    # After %bazel-platforms, which it is a prefix of. Each test's own output
    # root (and so its own servers, which exit when idle for a minute if a
    # failing test leaves them running), and no user rc file.
    config.substitutions.append(
        ("%bazel", "bazel --nohome_rc --output_user_root=%t/root --max_idle_secs=60"))
else:
    lit_config.note("bazel or %s is missing: skipping test/bazel (install "
                    "bazel-bootstrap and bazel-platforms, or run "
                    "scripts/install-deps.sh)" % bazel_platforms)
