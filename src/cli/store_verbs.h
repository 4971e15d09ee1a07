// Shared pieces of the `climahealth store` verbs (one verb per file).
#pragma once

#include <string>

#include "cli/command.h"
#include "cli/location.h"

namespace CLI {
class App;
}

namespace ch::cli {

// Resolves a parsed object location to a real bucket and key.
Result<ObjectRef> ToObjectRef(CommandContext& ctx, const Location& loc);

// Parses `text` and requires it to name an object ("s3://bucket/key" with a key).
Result<ObjectRef> ParseObjectArgument(CommandContext& ctx, const std::string& text);

// "2024-11-11 10:00:00" in UTC.
std::string FormatTime(TimePoint t);

void AddStoreLs(CLI::App& store, CommandContext& ctx);
void AddStoreCat(CLI::App& store, CommandContext& ctx);
void AddStoreCp(CLI::App& store, CommandContext& ctx);  // also put and get
void AddStoreRm(CLI::App& store, CommandContext& ctx);
void AddStoreDu(CLI::App& store, CommandContext& ctx);
void AddStoreStat(CLI::App& store, CommandContext& ctx);

}  // namespace ch::cli
