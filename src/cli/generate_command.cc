// `climahealth generate`: writes the synthetic raw data set (spec/DATA.md)
// into the raw bucket of the configured store, or into a plain directory.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/progress.h"
#include "generator/generator.h"

namespace ch::cli {
namespace {

struct GenerateArgs {
  gen::GeneratorOptions options;
  std::string out_dir;
};

std::string FaultSummary(const gen::GenerationReport& report) {
  std::array<uint64_t, gen::kFaultKindCount> counts{};
  for (const gen::FaultRecord& fault : report.faults) ++counts[static_cast<size_t>(fault.kind)];
  std::string text;
  for (int k = 0; k < gen::kFaultKindCount; ++k) {
    if (!text.empty()) text += ", ";
    text += std::string(gen::FaultKindName(static_cast<gen::FaultKind>(k))) + " " +
            std::to_string(counts[k]);
  }
  return text;
}

// `in_directory`: name files as in the directory rather than by raw-bucket key.
void PrintSummary(const gen::GenerationReport& report, const std::string& where,
                  const std::string& manifest, bool in_directory) {
  const double seconds = std::max(report.seconds, 1e-9);
  std::fprintf(
      stderr,
      "generate: %zu files to %s: %llu rows, %s in %.2f s (%.1f MB/s); %lld days x %llu "
      "locations, seed %llu\n",
      report.files.size(), where.c_str(), static_cast<unsigned long long>(report.TotalRows()),
      HumanBytes(report.TotalBytes()).c_str(), report.seconds,
      static_cast<double>(report.TotalBytes()) / 1e6 / seconds, static_cast<long long>(report.days),
      static_cast<unsigned long long>(report.locations),
      static_cast<unsigned long long>(report.options.seed));
  for (const gen::FileReport& file : report.files) {
    std::fprintf(stderr, "  %-24s %10llu rows %12s%s\n",
                 std::string(in_directory ? gen::DatasetFileName(file.dataset)
                                          : gen::DatasetKey(file.dataset))
                     .c_str(),
                 static_cast<unsigned long long>(file.rows), HumanBytes(file.bytes).c_str(),
                 file.line_end == "\r\n" ? "  (CRLF line ends)" : "");
  }
  if (report.options.dirty) {
    std::fprintf(stderr, "  %zu faults injected (%s)\n", report.faults.size(),
                 FaultSummary(report).c_str());
  }
  std::fprintf(stderr, "  manifest: %s\n", manifest.c_str());
}

Status RunGenerate(CommandContext& ctx, const GenerateArgs& args) {
  RETURN_IF_ERROR(gen::ValidateOptions(args.options));
  ProgressBar bar("generate", std::nullopt);
  const gen::GenerateProgress progress = [&bar](uint64_t bytes) { bar.Add(bytes); };
  if (!args.out_dir.empty()) {
    Result<gen::GenerationReport> report =
        gen::GenerateToDirectory(args.options, args.out_dir, progress);
    bar.Finish();
    if (!report.ok()) return report.status();
    const std::filesystem::path dir(args.out_dir);
    PrintSummary(*report, "directory " + args.out_dir,
                 (dir / std::filesystem::path(gen::kManifestKey).filename()).string(), true);
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  ASSIGN_OR_RETURN(std::string bucket, ctx.ResolveBucket("raw"));
  Result<gen::GenerationReport> report =
      gen::GenerateToStore(args.options, *store, bucket, progress);
  bar.Finish();
  if (!report.ok()) return report.status();
  PrintSummary(*report, "s3://" + bucket + "/raw/ (" + store->Describe() + ")",
               "s3://" + bucket + "/" + std::string(gen::kManifestKey), false);
  return Status::Ok();
}

}  // namespace

void AddGenerateCommand(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<GenerateArgs>();
  gen::GeneratorOptions& o = args->options;
  CLI::App* cmd = app.add_subcommand(
      "generate",
      "Generate the synthetic raw data set (locations, daily climate, health and hospital\n"
      "CSVs of spec/DATA.md) into the raw bucket, or into a directory with --out.");
  cmd->add_option("--years", o.years, "years of daily data, 1-200")->capture_default_str();
  cmd->add_option("--districts-per-state", o.districts_per_state,
                  "synthetic districts per state (KA-001 ...), 0-999")
      ->capture_default_str();
  cmd->add_option("--seed", o.seed, "random seed; the same options and seed give the same bytes")
      ->capture_default_str();
  cmd->add_option("--start-date", o.start_date, "first day, YYYY-MM-DD")->capture_default_str();
  cmd->add_flag("--dirty", o.dirty,
                "inject faults (duplicates, conflicts, disorder, missing/malformed/out-of-range\n"
                "values, unknown locations, bad dates, CRLF in health_data.csv), listed in the\n"
                "manifest");
  cmd->add_option("--fault-rate", o.fault_rate, "share of rows given a fault with --dirty, 0-0.2")
      ->capture_default_str();
  cmd->add_option("--threads", o.threads, "worker threads (0: all cores); never changes the output")
      ->capture_default_str();
  cmd->add_option("--out", args->out_dir,
                  "write DIR/locations.csv, DIR/climate_data.csv, ... and\n"
                  "DIR/_generator_manifest.json instead of the raw bucket (--out data/raw gives\n"
                  "the layout `migrate` reads)");
  cmd->footer(
      "Without --out the files go to the raw bucket as raw/locations.csv, raw/climate_data.csv,\n"
      "raw/health_data.csv, raw/hospital_data.csv and raw/_generator_manifest.json.");
  cmd->callback([&ctx, args] { ctx.exit_code = Report(RunGenerate(ctx, *args)); });
}

}  // namespace ch::cli
