// Modules.cpp — loading the root file and its imports, and building module scopes.
#include "frontend/Modules.h"

#include "frontend/Parser.h"

#include <climits>
#include <cstdlib>
#include <sstream>
#include <sys/stat.h>

namespace nag {

namespace {

const struct {
  Builtin id;
  const char* name;
  const char* formals;
} kBuiltins[] = {
#define BUILTIN(ID, NAME, FORMALS) {Builtin::ID, NAME, FORMALS},
#include "frontend/Builtins.def"
};

std::string canonical(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf)) return buf;
  return path;
}

std::string directoryOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string stemOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string file = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = file.rfind('.');
  return dot == std::string::npos ? file : file.substr(0, dot);
}

bool isFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
}

class Loader {
public:
  Loader(SourceManager& sources, DiagnosticEngine& diags, const LoadOptions& options, Program& program)
      : sources_(sources), diags_(diags), options_(options), program_(program) {}

  // Loads one module; `from` is the import that asked for it (null for the root).
  ModuleScope* load(const std::string& path, const std::string& name, const ast::ImportDecl* from) {
    std::string key = canonical(path);
    for (size_t i = 0; i < stack_.size(); ++i) {
      if (stack_[i].first != key) continue;
      std::string cycle;
      for (size_t k = i; k < stack_.size(); ++k) cycle += stack_[k].second + " -> ";
      cycle += path;
      diags_.report(DiagId::err_import_cycle, from->range, {cycle});
      return nullptr;
    }
    if (auto it = loaded_.find(key); it != loaded_.end()) return it->second;

    SourceRange where = from ? from->range : SourceRange();
    SourceManager::LoadResult file = sources_.loadFile(path);
    if (file.isDirectory) {
      diags_.report(DiagId::err_file_is_directory, where, {path});
      return nullptr;
    }
    if (file.tooLargeBytes) {
      diags_.report(DiagId::err_file_too_large, where,
                    {path, std::to_string(file.tooLargeBytes), std::to_string(SourceManager::kMaxFileBytes)});
      return nullptr;
    }
    if (!file.file) {
      diags_.report(DiagId::err_file_not_found, where, {path, file.error});
      return nullptr;
    }
    std::unique_ptr<ast::Module> module = parseModule(file.file, sources_, diags_);
    if (!module) return nullptr;
    module->name = name;

    auto scope = std::make_unique<ModuleScope>();
    scope->module = module.get();
    scope->path = path;
    ModuleScope* result = scope.get();
    loaded_[key] = result;
    program_.modules.push_back(std::move(module));
    program_.scopes.push_back(std::move(scope));

    stack_.push_back({key, path});
    bool ok = declare(*result);
    stack_.pop_back();
    return ok ? result : nullptr;
  }

private:
  SourceManager& sources_;
  DiagnosticEngine& diags_;
  const LoadOptions& options_;
  Program& program_;
  std::map<std::string, ModuleScope*> loaded_;
  std::vector<std::pair<std::string, std::string>> stack_;  // canonical, as spelled

  // Fills the scope's tables, loading imports; reports redefinitions.
  bool declare(ModuleScope& scope) {
    bool ok = true;
    std::map<std::string, const ast::Decl*> seen;
    for (const ast::DeclPtr& d : scope.module->decls) {
      auto [it, fresh] = seen.emplace(d->name, d.get());
      if (!fresh) {
        diags_.report(DiagId::err_redefinition, d->nameRange, {d->name});
        diags_.report(DiagId::note_previous_definition, it->second->nameRange);
        ok = false;
        continue;
      }
      if (auto* imp = ast::dyn_cast<ast::ImportDecl>(d.get())) {
        ModuleScope* target = import(*imp, scope);
        if (!target) {
          ok = false;
          continue;
        }
        scope.imports[imp->name] = target;
      } else {
        scope.decls[d->name] = d.get();
      }
    }
    return ok;
  }

  ModuleScope* import(const ast::ImportDecl& imp, const ModuleScope& from) {
    std::vector<std::string> candidates;
    for (const std::string& dir : options_.stdlibPaths) candidates.push_back(dir + "/" + imp.name + ".nag");
    candidates.push_back(directoryOf(from.path) + "/" + imp.name + ".nag");
    for (const std::string& c : candidates)
      if (isFile(c)) return load(c, imp.name, &imp);
    std::string looked;
    for (size_t i = 0; i < candidates.size(); ++i) looked += (i ? ", " : "") + candidates[i];
    diags_.report(DiagId::err_import_not_found, imp.nameRange, {imp.name, looked});
    return nullptr;
  }
};

}  // namespace

std::optional<Builtin> findBuiltin(const std::string& name) {
  for (const auto& b : kBuiltins)
    if (name == b.name) return b.id;
  return std::nullopt;
}

const char* name(Builtin b) { return kBuiltins[size_t(b)].name; }

std::vector<BuiltinFormal> formals(Builtin b) {
  std::vector<BuiltinFormal> out;
  std::istringstream words(kBuiltins[size_t(b)].formals);
  std::string w;
  while (words >> w) {
    bool optional = w.back() == '?';
    if (optional) w.pop_back();
    out.push_back({w, optional});
  }
  return out;
}

ast::Decl* ModuleScope::find(const std::string& name) const {
  auto it = decls.find(name);
  return it == decls.end() ? nullptr : it->second;
}

std::unique_ptr<Program> loadProgram(const std::string& path, SourceManager& sources, DiagnosticEngine& diags,
                                     const LoadOptions& options) {
  auto program = std::make_unique<Program>();
  Loader loader(sources, diags, options, *program);
  try {
    program->root = loader.load(path, stemOf(path), nullptr);
  } catch (const CompilationAborted&) {
    return nullptr;
  }
  if (!program->root || diags.hasErrors()) return nullptr;
  return program;
}

}  // namespace nag
