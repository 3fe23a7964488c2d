// Pipeline.h — nagc's stages in order, stopping where --emit says.
#pragma once

#include "driver/Options.h"

#include <iosfwd>

namespace nag::driver {

/// Runs load → check → elaborate → analyse (→ later stages) and prints what
/// the options ask for. Returns the process exit status.
int runPipeline(const Options& options, std::ostream& out, std::ostream& err);

}  // namespace nag::driver
