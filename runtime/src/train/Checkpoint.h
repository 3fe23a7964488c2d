// Checkpoint.h — a training run's state on disk, exact to the bit, so that --resume continues it unchanged.
#pragma once

#include "train/Optimize.h"

#include <string>

namespace nagrt::train {

/// What a checkpoint must agree with to be resumed.
struct RunIdentity {
  std::string network, optimizer, data;  ///< data: the SHA-256 of X and Y
  int64_t params = 0;
  bool flow = false;
  double lr = 0, tol = 0;
};

/// Writes the state (text; doubles as C99 hex floats, read back exactly) atomically to path.
void saveCheckpoint(const std::string& path, const RunIdentity& id, const TrainState& s);

/// Reads a checkpoint; refuses one written for another network, data set,
/// optimizer, step size or tolerance, naming what differs.
TrainState loadCheckpoint(const std::string& path, const RunIdentity& id);

}  // namespace nagrt::train
