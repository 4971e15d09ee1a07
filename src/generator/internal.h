// Helpers shared by generator.cc and output.cc; not part of the public API.
#pragma once

#include "core/status.h"
#include "generator/engine.h"
#include "generator/generator.h"

namespace ch::gen {

// Validates `options` and derives the engine's (the thread count resolved).
Result<EngineOptions> ToEngineOptions(const GeneratorOptions& options);

}  // namespace ch::gen
