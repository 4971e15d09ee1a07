// Helpers shared by the generator's .cc files; not part of the public API.
#pragma once

#include <chrono>

#include "core/status.h"
#include "generator/engine.h"
#include "generator/generator.h"

namespace ch::gen {

// Validates `options` and derives the engine's (the thread count resolved).
Result<EngineOptions> ToEngineOptions(const GeneratorOptions& options);

// A report with the options, day count and end date filled in; InvalidArgument
// for bad options.
Result<GenerationReport> StartReport(const GeneratorOptions& options);

double SecondsSince(std::chrono::steady_clock::time_point start);

}  // namespace ch::gen
