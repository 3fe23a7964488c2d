// Options.h — nagc's command line.
#pragma once

#include "ir/Elaborate.h"
#include "support/Diagnostics.h"

#include <optional>
#include <string>
#include <vector>

namespace nag::driver {

/// Where the pipeline stops and what it prints.
enum class Emit { Summary, AST, IR, Exe };

/// Everything the command line says.
struct Options {
  std::string input;
  std::string output;                  ///< -o
  Emit emit = Emit::Exe;
  std::string network;                 ///< --network
  std::vector<ir::Define> defines;     ///< -D
  std::vector<std::string> stdlibPaths;
  bool help = false;
  bool version = false;
  bool internalErrorForTesting = false;  ///< hidden: exercises the internal-error path
};

/// A usage error: a catalogue message and its arguments.
struct OptionError {
  DiagId id;
  std::vector<std::string> args;
};

/// Parses argv; on a usage error returns nullopt and fills `error`.
std::optional<Options> parseOptions(int argc, char** argv, OptionError& error);

/// The text of `nagc --help`.
const char* helpText();

}  // namespace nag::driver
