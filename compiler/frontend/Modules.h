// Modules.h — a program: the root module, its imports, and each module's declarations.
#pragma once

#include "frontend/AST.h"
#include "support/Diagnostics.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nag {

/// Builtin functions (Builtins.def).
enum class Builtin {
#define BUILTIN(ID, NAME, FORMALS) ID,
#include "frontend/Builtins.def"
};

/// One formal of a builtin: its name and whether it may be left out.
struct BuiltinFormal {
  std::string name;
  bool optional = false;
};

/// Looks up a builtin by name.
std::optional<Builtin> findBuiltin(const std::string& name);
const char* name(Builtin b);
/// The formals of a builtin, from Builtins.def.
std::vector<BuiltinFormal> formals(Builtin b);

/// The declarations one module sees: its own, and the modules it imports.
struct ModuleScope {
  ast::Module* module = nullptr;
  std::string path;                                  ///< as loaded (for messages)
  std::map<std::string, ast::Decl*> decls;           ///< const, act, layer, network
  std::map<std::string, ModuleScope*> imports;       ///< import name -> module

  /// A declaration of this module, or null.
  ast::Decl* find(const std::string& name) const;
};

/// Every module of a compilation, owned in one place.
struct Program {
  std::vector<std::unique_ptr<ast::Module>> modules;
  std::vector<std::unique_ptr<ModuleScope>> scopes;
  ModuleScope* root = nullptr;
};

/// Where imports are searched: each stdlib folder, then the importing file's folder.
struct LoadOptions {
  std::vector<std::string> stdlibPaths;
};

/// Loads and parses `path` and, recursively, its imports. Reports missing
/// files, import cycles and redefinitions; returns null after any error.
std::unique_ptr<Program> loadProgram(const std::string& path, SourceManager& sources, DiagnosticEngine& diags,
                                     const LoadOptions& options);

}  // namespace nag
