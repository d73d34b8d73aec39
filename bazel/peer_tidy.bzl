"""peer-tidy as a Bazel aspect: one hermetic, cacheable action per C/C++ source.

    bazel build //... \\
      --aspects=@peer_tidy//:peer_tidy.bzl%peer_tidy_aspect \\
      --output_groups=report \\
      --@peer_tidy//:peer_tidy=//tools:peer-tidy

For every source of a cc_library, cc_binary or cc_test (and, through `deps`,
of the ones they depend on in this workspace) the aspect runs

    peer-tidy --quiet --output=REPORT [--config-file=CONFIG | --config={}]
              [--warnings-as-errors=GLOBS] SRC -- <the target's compile flags>

where the compile flags are those the C++ toolchain would use to compile SRC
(its compile variables for the target's includes, quote and system includes
and defines, the toolchain's and the command line's copts/conlyopts/cxxopts,
then the rule's copts), as the well-known clang-tidy aspects compute them.
Inputs are the source, the headers the target can see, the toolchain's files,
the peer-tidy binary and the configuration: nothing else, so Bazel's disk and
remote caches and remote execution apply. Written for Bazel 4.2 and later;
see docs/ci.md, "Bazel".
"""

load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "ACTION_NAMES")
load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

PeerTidySettingInfo = provider(
    doc = "The value of a peer-tidy string setting (warnings_as_errors).",
    fields = {"value": "the string given on the command line, or the default"},
)

PeerTidyInfo = provider(
    doc = "The peer-tidy reports of a target and of the targets it depends on.",
    fields = {"reports": "depset of report files, one per source"},
)

def _string_setting_impl(ctx):
    return [PeerTidySettingInfo(value = ctx.build_setting_value)]

peer_tidy_string_setting = rule(
    implementation = _string_setting_impl,
    build_setting = config.string(flag = True),
    doc = "A string flag of the aspect, set with --@peer_tidy//:NAME=VALUE.",
)

def _unset_binary_impl(ctx):
    fail("peer-tidy: no peer-tidy binary is set; pass " +
         "--@peer_tidy//:peer_tidy=<label of a peer-tidy executable> " +
         "(see docs/ci.md, \"Bazel\")")

peer_tidy_unset_binary = rule(
    implementation = _unset_binary_impl,
    doc = "The default of //:peer_tidy: fails with how to set it.",
)

_SOURCE_EXTENSIONS = ["c", "cc", "cpp", "cxx", "c++", "C"]

# Flags of GCC that clang's driver rejects as unknown arguments (an error, so
# peer-tidy could not parse the unit). Bazel's toolchain autoconfiguration
# adds the first when the host compiler is GCC. Unknown -W flags only warn,
# and -Wno-unknown-warning-option silences that.
_GCC_ONLY_FLAGS = [
    "-fno-canonical-system-headers",
]

def _compile_flags(ctx, target, src, cc_toolchain, feature_configuration):
    compilation_context = target[CcInfo].compilation_context
    is_c = src.extension == "c"
    cpp = ctx.fragments.cpp
    user_compile_flags = list(cpp.copts)
    user_compile_flags += cpp.conlyopts if is_c else cpp.cxxopts
    user_compile_flags += getattr(ctx.rule.attr, "copts", [])
    local_defines = getattr(ctx.rule.attr, "local_defines", [])
    variables = cc_common.create_compile_variables(
        feature_configuration = feature_configuration,
        cc_toolchain = cc_toolchain,
        user_compile_flags = user_compile_flags,
        source_file = src.path,
        include_directories = compilation_context.includes,
        quote_include_directories = compilation_context.quote_includes,
        # Bazel 6 and later keep the includes of other repositories apart
        # (external_include_paths); they are system includes too.
        system_include_directories = depset(transitive = [
            compilation_context.system_includes,
            getattr(compilation_context, "external_includes", depset()),
        ]),
        framework_include_directories = compilation_context.framework_includes,
        preprocessor_defines = depset(
            direct = local_defines,
            transitive = [compilation_context.defines],
        ),
    )
    flags = cc_common.get_memory_inefficient_command_line(
        feature_configuration = feature_configuration,
        action_name = ACTION_NAMES.c_compile if is_c else ACTION_NAMES.cpp_compile,
        variables = variables,
    )
    return [f for f in flags if f not in _GCC_ONLY_FLAGS] + ["-Wno-unknown-warning-option"]

def _report_path(target, src):
    # One directory per target, the source's path below it (targets of other
    # repositories are not linted, so short_path never starts with "../").
    return "%s.peer-tidy/%s.txt" % (target.label.name, src.short_path)

# peer-tidy writes the report to a file beside it (--output). Its locations
# are absolute, and the action's working directory (the execution root, a
# sandbox) differs from run to run and machine to machine, so that prefix is
# removed: the report says app/x.cpp:9:3, and the same inputs always give the
# same bytes. When peer-tidy fails (findings promoted by --warnings-as-errors:
# exit 1; a configuration error: exit 2; a unit that does not compile:
# exit 3) Bazel discards the outputs, so the report goes to standard error,
# where Bazel shows it.
_RUN = """\
report="$1"
shift
"$@"
status=$?
if [ -f "$report.raw" ]; then
  awk -v root="$PWD/" '{
    while ((i = index($0, root)) > 0)
      $0 = substr($0, 1, i - 1) substr($0, i + length(root))
    print
  }' "$report.raw" > "$report" || status=2
  rm -f "$report.raw"
fi
if [ "$status" -ne 0 ] && [ -f "$report" ]; then
  cat "$report" >&2
fi
exit "$status"
"""

def _peer_tidy_aspect_impl(target, ctx):
    transitive = [
        dep[PeerTidyInfo].reports
        for dep in getattr(ctx.rule.attr, "deps", [])
        if PeerTidyInfo in dep
    ]
    own = []
    if (CcInfo in target and
        ctx.rule.kind in ["cc_library", "cc_binary", "cc_test"] and
        not target.label.workspace_name):
        srcs = [
            f
            for src in getattr(ctx.rule.attr, "srcs", [])
            for f in src.files.to_list()
            if f.extension in _SOURCE_EXTENSIONS
        ]
        if srcs:
            own = _lint(target, ctx, srcs)
    reports = depset(direct = own, transitive = transitive)
    return [
        PeerTidyInfo(reports = reports),
        OutputGroupInfo(report = reports),
    ]

def _lint(target, ctx, srcs):
    peer_tidy = ctx.file._peer_tidy
    config_files = ctx.files._config
    if len(config_files) > 1:
        fail("peer-tidy: --@peer_tidy//:config names %d files; it must name one .clang-tidy" %
             len(config_files))
    warnings_as_errors = ctx.attr._warnings_as_errors[PeerTidySettingInfo].value

    cc_toolchain = find_cpp_toolchain(ctx)
    feature_configuration = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc_toolchain,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    inputs = depset(
        direct = [peer_tidy] + config_files,
        transitive = [
            target[CcInfo].compilation_context.headers,
            cc_toolchain.all_files,
        ],
    )

    reports = []
    for src in srcs:
        report = ctx.actions.declare_file(_report_path(target, src))
        args = ctx.actions.args()
        args.add(report)
        args.add(peer_tidy)
        args.add("--quiet")
        args.add(report.path + ".raw", format = "--output=%s")
        if config_files:
            args.add(config_files[0], format = "--config-file=%s")
        else:
            args.add("--config={}")
        if warnings_as_errors:
            args.add(warnings_as_errors, format = "--warnings-as-errors=%s")
        args.add(src)
        args.add("--")
        args.add_all(_compile_flags(ctx, target, src, cc_toolchain, feature_configuration))
        ctx.actions.run_shell(
            command = _RUN,
            arguments = [args],
            inputs = depset(direct = [src], transitive = [inputs]),
            outputs = [report],
            mnemonic = "PeerTidy",
            progress_message = "peer-tidy %s" % src.short_path,
            use_default_shell_env = False,
        )
        reports.append(report)
    return reports

peer_tidy_aspect = aspect(
    implementation = _peer_tidy_aspect_impl,
    attr_aspects = ["deps"],
    fragments = ["cpp"],
    attrs = {
        "_peer_tidy": attr.label(
            default = Label("//:peer_tidy"),
            allow_single_file = True,
            cfg = "exec",
        ),
        "_config": attr.label(
            default = Label("//:config"),
            allow_files = True,
        ),
        "_warnings_as_errors": attr.label(
            default = Label("//:warnings_as_errors"),
            providers = [PeerTidySettingInfo],
        ),
        "_cc_toolchain": attr.label(
            default = Label("@bazel_tools//tools/cpp:current_cc_toolchain"),
        ),
    },
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
)
