// Install.h — where nagc's own files are: beside an installed nagc, else in the build tree.
#pragma once

#include <string>

namespace nag {

/// `relative` under the prefix nagc is installed in (PREFIX/bin/nagc gives
/// PREFIX/relative) when that file exists there, else `buildPath`, the file
/// of the build tree this nagc was built in. So an installed nagc uses its
/// installed stdlib and runtime, and build/bin/nagc the source tree's.
std::string installedOr(const std::string& relative, const std::string& buildPath);

}  // namespace nag
