// Model archives: a gzip-compressed POSIX ustar tarball, the shape of a
// SageMaker model.tar.gz.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace ch::services {

struct ArchiveEntry {
  std::string name;   // file name inside the archive, 1..100 bytes, no ".."
  std::string bytes;  // its content
};

// The tar.gz bytes holding `entries` as regular files (mode 0644, mtime 0, so
// the same entries always give the same bytes). InvalidArgument for a bad name.
Result<std::string> MakeTarGz(const std::vector<ArchiveEntry>& entries);

// SageMaker's built-in XGBoost container loads the file named "xgboost-model"
// at the root of model.tar.gz (with xgboost's Booster.load_model).
inline constexpr const char* kSageMakerModelFile = "xgboost-model";

}  // namespace ch::services
