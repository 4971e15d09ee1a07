// The composition root: the one place that names concrete store backends.
#pragma once

#include <memory>

#include "config/config.h"
#include "core/status.h"
#include "storage/object_store.h"

namespace ch::cli {

// Builds the store the configuration selects. The local backend creates the
// root and the three bucket directories if missing. The caller owns the store.
Result<std::unique_ptr<ObjectStore>> MakeStore(const Config& config);

}  // namespace ch::cli
