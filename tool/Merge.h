//===- Merge.h - peer-tidy merge: the shards' reports as one run's -*- C++ -*-===//
//
// peer-tidy merge [--output F] [--format json|sarif|text] [--baseline F]
//                 [--warnings-as-errors GLOBS] [--sarif-root DIR] REPORT...
// reads the --format=json reports of --shard runs and writes the report the
// unsharded run would have written, with the same exit code.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_MERGE_H
#define PEER_TIDY_MERGE_H

namespace peer::tool {

/// argv[0] is the program, argv[1] "merge".
int runMerge(int argc, const char **argv);

} // namespace peer::tool

#endif
