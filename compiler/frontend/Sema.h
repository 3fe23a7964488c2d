// Sema.h — static checks of a loaded program, before anything is evaluated.
#pragma once

#include "frontend/Modules.h"

namespace nag {

/// Checks every declaration of every module without evaluating it: names
/// resolve (in every branch, taken or not), formals are well formed,
/// statements sit where they may (output in networks, return in layers,
/// input in networks), activations use only their variable and constants,
/// and layers are not recursive. Reports through `diags`; false after errors.
bool checkProgram(const Program& program, DiagnosticEngine& diags);

}  // namespace nag
