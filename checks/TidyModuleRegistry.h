//===- TidyModuleRegistry.h - clang-tidy's registry of modules --*- C++ -*-===//
//
// The registry of clang-tidy modules is declared in ClangTidyModuleRegistry.h
// up to LLVM 21 and in ClangTidyModule.h from LLVM 22, where the old header
// is deprecated (it warns). The checks library does not depend on the tool's
// Compat.h, so this one difference is absorbed here.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_TIDY_MODULE_REGISTRY_H
#define PEER_TIDY_TIDY_MODULE_REGISTRY_H

#include "ClangTidyModule.h"
#include "llvm/Config/llvm-config.h"

#if LLVM_VERSION_MAJOR < 22
#include "ClangTidyModuleRegistry.h"
#endif

#endif
