// `climahealth models list|show|export`: the models bucket, and a SageMaker
// model.tar.gz of one model.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "cli/command.h"
#include "codecs/json_codec.h"
#include "ml/booster.h"
#include "services/models/model_archive.h"
#include "services/models/model_service.h"

namespace ch::cli {
namespace {

struct ModelsArgs {
  std::string name;
  std::string version;  // empty: current
  std::string format = "sagemaker";
  std::string out = "model.tar.gz";
};

Result<services::ModelService> Service(CommandContext& ctx) {
  ASSIGN_OR_RETURN(const Config* config, ctx.GetConfig());
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  return services::ModelService(*store, config->buckets);
}

std::optional<std::string> Version(const ModelsArgs& a) {
  return a.version.empty() ? std::nullopt : std::optional<std::string>(a.version);
}

Status List(CommandContext& ctx, const ModelsArgs& args) {
  ASSIGN_OR_RETURN(services::ModelService models, Service(ctx));
  ASSIGN_OR_RETURN(auto records, models.ListModels(args.name));
  std::printf("%-22s %-26s %-8s %10s  %s\n", "NAME", "VERSION", "CURRENT", "SIZE", "CREATED");
  for (const auto& r : records) {
    const Json size = r.metadata.value("artefact", Json::object()).value("size", Json(0));
    std::printf("%-22s %-26s %-8s %10s  %s\n", r.name.c_str(), r.version.c_str(),
                r.current ? "*" : "", size.dump().c_str(),
                r.metadata.value("created_at", std::string()).c_str());
  }
  return Status::Ok();
}

Status Show(CommandContext& ctx, const ModelsArgs& args) {
  ASSIGN_OR_RETURN(services::ModelService models, Service(ctx));
  ASSIGN_OR_RETURN(services::ModelArtefact art, models.LoadModel(args.name, Version(args)));
  Json doc = art.record.metadata;
  doc.erase("profile");  // per-location baselines: large, and in the stored metadata
  ASSIGN_OR_RETURN(std::string text, FormatJson(doc, 2));
  std::fputs(text.c_str(), stdout);
  return Status::Ok();
}

Status Export(CommandContext& ctx, const ModelsArgs& args) {
  if (args.format != "sagemaker") {
    return Status::InvalidArgument("--format '" + args.format + "': only sagemaker is supported");
  }
  ASSIGN_OR_RETURN(services::ModelService models, Service(ctx));
  ASSIGN_OR_RETURN(services::ModelArtefact art, models.LoadModel(args.name, Version(args)));
  // The container loads with Booster.load_model; JSON is the format every
  // XGBoost >= 1.0 container reads, whatever the file name.
  ASSIGN_OR_RETURN(ml::Booster booster, ml::Booster::Load(art.bytes));
  ASSIGN_OR_RETURN(std::string json, booster.Save(ml::ModelFormat::kJson));
  ASSIGN_OR_RETURN(std::string tgz, services::MakeTarGz({{services::kSageMakerModelFile, json}}));
  std::ofstream out(args.out, std::ios::binary | std::ios::trunc);
  out.write(tgz.data(), static_cast<std::streamsize>(tgz.size()));
  out.close();
  if (!out) return Status::IOError("export: cannot write " + args.out);
  std::fprintf(stderr, "models: wrote %s (%zu bytes): %s holding %s %s as XGBoost JSON\n",
               args.out.c_str(), tgz.size(), services::kSageMakerModelFile, args.name.c_str(),
               art.record.version.c_str());
  return Status::Ok();
}

}  // namespace

void AddModelsCommand(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<ModelsArgs>();
  CLI::App* cmd = app.add_subcommand("models", "List, show and export the trained models.");
  cmd->require_subcommand(1);
  CLI::App* list = cmd->add_subcommand("list", "every version of every model (or of NAME)");
  list->add_option("name", args->name, "model name, e.g. risk_dengue");
  list->callback([&ctx, args] { ctx.exit_code = Report(List(ctx, *args)); });
  CLI::App* show = cmd->add_subcommand("show", "a model's metadata (current version by default)");
  show->add_option("name", args->name, "model name")->required();
  show->add_option("--version", args->version, "a version instead of the current one");
  show->callback([&ctx, args] { ctx.exit_code = Report(Show(ctx, *args)); });
  CLI::App* exp = cmd->add_subcommand(
      "export",
      "write a model.tar.gz that SageMaker's built-in XGBoost container serves\n"
      "(the model as XGBoost JSON in a file named xgboost-model)");
  exp->add_option("name", args->name, "model name")->required();
  exp->add_option("--version", args->version, "a version instead of the current one");
  exp->add_option("--format", args->format, "export format")->capture_default_str();
  exp->add_option("--out", args->out, "output file")->capture_default_str();
  exp->callback([&ctx, args] { ctx.exit_code = Report(Export(ctx, *args)); });
}

}  // namespace ch::cli
