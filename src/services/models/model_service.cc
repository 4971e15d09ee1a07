// ModelService: versioned artefacts, verified loads and the current pointer.
#include "services/models/model_service.h"

#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <random>

#include "codecs/json_codec.h"
#include "codecs/object_io.h"

namespace ch::services {
namespace {

std::string Hex(const unsigned char* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

std::string NowUtc(const char* format) {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::string Prefix(const std::string& name) { return "models/" + name + "/"; }

// Names are path segments: letters, digits, '_', '-', '.'; versions likewise.
Status ValidateName(std::string_view what, const std::string& name) {
  bool ok =
      !name.empty() && name != "." && name != ".." &&
      std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
      });
  if (ok) return Status::Ok();
  return Status::InvalidArgument(std::string(what) + " '" + name +
                                 "' must be letters, digits, '_', '-' or '.'");
}

Json FeaturesOf(const Json& metadata) {
  auto it = metadata.find("features");
  return it == metadata.end() ? Json::array() : *it;
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  return Hex(digest, len);
}

std::string NewModelVersion() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd());
  char suffix[9];
  std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(gen() & 0xffffffffu));
  return NowUtc("%Y%m%dT%H%M%SZ") + "-" + suffix;
}

ModelService::ModelService(ObjectStore& store, BucketNames buckets)
    : store_(store), buckets_(std::move(buckets)) {}

ObjectRef ModelService::Ref(const std::string& key) const { return {buckets_.models, key}; }

std::string ModelService::CurrentKey(const std::string& name) {
  return Prefix(name) + "current.json";
}

std::string ModelService::MetadataKey(const std::string& name, const std::string& version) {
  return Prefix(name) + version + "/metadata.json";
}

Result<ModelRecord> ModelService::SaveModel(const std::string& name, std::string_view bytes,
                                            std::string_view extension, Json metadata) {
  RETURN_IF_ERROR(ValidateName("model name", name));
  RETURN_IF_ERROR(ValidateName("model extension", std::string(extension)));
  if (!metadata.is_object()) metadata = Json::object();
  std::string version = metadata.value("version", std::string());
  if (version.empty()) version = NewModelVersion();
  RETURN_IF_ERROR(ValidateName("model version", version));
  const std::string artefact = "model." + std::string(extension);
  const std::string key = Prefix(name) + version + "/" + artefact;
  metadata["name"] = name;
  metadata["version"] = version;
  if (!metadata.contains("created_at")) metadata["created_at"] = NowUtc("%Y-%m-%dT%H:%M:%SZ");
  metadata["artefact"] = {
      {"key", key}, {"file", artefact}, {"size", bytes.size()}, {"sha256", Sha256Hex(bytes)}};
  ASSIGN_OR_RETURN(std::string features_text, FormatJson(FeaturesOf(metadata), -1));
  metadata["features_sha256"] = Sha256Hex(features_text);
  ASSIGN_OR_RETURN(std::string metadata_text, FormatJson(metadata, 2));

  PutOptions once;
  once.if_none_match_any = true;
  once.content_type = "application/octet-stream";
  auto put = store_.Put(Ref(key), bytes, once);
  if (!put.ok() && put.status().code() == StatusCode::kPreconditionFailed) {
    return Status::AlreadyExists("save model " + key + ": this version exists (immutable)");
  }
  RETURN_IF_ERROR(put.status());
  once.content_type = "application/json";
  auto meta = store_.Put(Ref(MetadataKey(name, version)), metadata_text, once);
  if (!meta.ok() && meta.status().code() == StatusCode::kPreconditionFailed) {
    return Status::AlreadyExists("save model " + MetadataKey(name, version) + ": exists");
  }
  RETURN_IF_ERROR(meta.status());
  return ModelRecord{name, version, false, std::move(metadata)};
}

Result<std::optional<ModelService::Pointer>> ModelService::ReadCurrent(const std::string& name) {
  const ObjectRef ref = Ref(CurrentKey(name));
  auto info = store_.Head(ref);
  if (!info.ok()) {
    if (info.status().IsNotFound()) return std::optional<Pointer>();
    return info.status();
  }
  GetOptions opts;
  opts.if_match = info->etag;
  ASSIGN_OR_RETURN(std::string text, store_.Get(ref, opts));
  ASSIGN_OR_RETURN(Json doc, ParseJson(text, ref.key));
  if (!doc.is_object() || !doc.contains("version") || !doc["version"].is_string()) {
    return Status::Corruption(ref.key + ": no \"version\" string");
  }
  return std::optional<Pointer>(Pointer{doc["version"].get<std::string>(), info->etag});
}

Status ModelService::SetCurrent(const std::string& name, const std::string& version,
                                const std::optional<std::string>& expected_current) {
  RETURN_IF_ERROR(ValidateName("model name", name));
  ASSIGN_OR_RETURN(bool exists, store_.Exists(Ref(MetadataKey(name, version))));
  if (!exists) {
    return Status::NotFound("set current " + name + ": no version " + version + " (" +
                            MetadataKey(name, version) + ")");
  }
  const std::string key = CurrentKey(name);
  PutOptions put;
  put.content_type = "application/json";
  ASSIGN_OR_RETURN(std::optional<Pointer> current, ReadCurrent(name));
  const std::string have = current ? current->version : "";
  const std::string want = expected_current.value_or("");
  if (have != want) {
    return Status::PreconditionFailed("set current " + key + ": current version is '" + have +
                                      "', expected '" + want + "'");
  }
  if (current) {
    put.if_match = current->etag;
  } else {
    put.if_none_match_any = true;
  }
  Json doc = {{"name", name}, {"version", version}, {"switched_at", NowUtc("%Y-%m-%dT%H:%M:%SZ")}};
  ASSIGN_OR_RETURN(std::string text, FormatJson(doc, 2));
  auto result = store_.Put(Ref(key), text, put);
  if (!result.ok() && result.status().code() == StatusCode::kPreconditionFailed) {
    return Status::PreconditionFailed("set current " + key +
                                      ": another writer switched it meanwhile");
  }
  return result.status();
}

Status ModelService::ClearCurrent(const std::string& name, const std::string& expected) {
  RETURN_IF_ERROR(ValidateName("model name", name));
  const std::string key = CurrentKey(name);
  ASSIGN_OR_RETURN(std::optional<Pointer> current, ReadCurrent(name));
  if (!current) return Status::Ok();
  if (current->version != expected) {
    return Status::PreconditionFailed("clear current " + key + ": current version is '" +
                                      current->version + "', expected '" + expected + "'");
  }
  return store_.Delete(Ref(key));
}

Result<std::string> ModelService::ResolveVersion(const std::string& name,
                                                 const std::optional<std::string>& version) {
  if (version) return *version;
  ASSIGN_OR_RETURN(std::optional<Pointer> current, ReadCurrent(name));
  if (!current) {
    return Status::NotFound("model " + name + ": no current version (" + CurrentKey(name) + ")");
  }
  return current->version;
}

Result<ModelArtefact> ModelService::LoadModel(const std::string& name,
                                              const std::optional<std::string>& version) {
  RETURN_IF_ERROR(ValidateName("model name", name));
  ASSIGN_OR_RETURN(std::string v, ResolveVersion(name, version));
  RETURN_IF_ERROR(ValidateName("model version", v));
  const std::string meta_key = MetadataKey(name, v);
  ASSIGN_OR_RETURN(Json metadata, LoadJson(store_, Ref(meta_key)));
  const Json artefact = metadata.value("artefact", Json());
  if (!artefact.is_object() || !artefact.value("size", Json()).is_number_unsigned() ||
      !artefact.value("sha256", Json()).is_string() ||
      !artefact.value("file", Json()).is_string()) {
    return Status::Corruption(meta_key + ": no artefact size/sha256/file");
  }
  const std::string key = Prefix(name) + v + "/" + artefact["file"].get<std::string>();
  ASSIGN_OR_RETURN(ObjectInfo info, store_.Head(Ref(key)));
  GetOptions opts;
  opts.if_match = info.etag;
  ASSIGN_OR_RETURN(std::string bytes, store_.Get(Ref(key), opts));
  if (bytes.size() != artefact["size"].get<uint64_t>()) {
    return Status::Corruption("load model " + key + ": " + std::to_string(bytes.size()) +
                              " bytes, metadata says " + artefact["size"].dump());
  }
  if (Sha256Hex(bytes) != artefact["sha256"].get<std::string>()) {
    return Status::Corruption("load model " + key + ": SHA-256 differs from " + meta_key);
  }
  ASSIGN_OR_RETURN(std::string features_text, FormatJson(FeaturesOf(metadata), -1));
  if (Sha256Hex(features_text) != metadata.value("features_sha256", std::string())) {
    return Status::Corruption("load model " + key + ": feature list in " + meta_key +
                              " does not match its features_sha256");
  }
  ASSIGN_OR_RETURN(std::optional<Pointer> current, ReadCurrent(name));
  bool is_current = current && current->version == v;
  return ModelArtefact{ModelRecord{name, v, is_current, std::move(metadata)}, std::move(bytes),
                       info.etag};
}

Result<std::optional<std::string>> ModelService::CurrentVersion(const std::string& name) {
  RETURN_IF_ERROR(ValidateName("model name", name));
  ASSIGN_OR_RETURN(std::optional<Pointer> current, ReadCurrent(name));
  if (!current) return std::optional<std::string>();
  return std::optional<std::string>(current->version);
}

Result<bool> ModelService::ModelExists(const std::string& name,
                                       const std::optional<std::string>& version) {
  RETURN_IF_ERROR(ValidateName("model name", name));
  if (!version) return store_.Exists(Ref(CurrentKey(name)));
  RETURN_IF_ERROR(ValidateName("model version", *version));
  return store_.Exists(Ref(MetadataKey(name, *version)));
}

Result<std::vector<ModelRecord>> ModelService::ListModels(const std::string& name) {
  if (!name.empty()) RETURN_IF_ERROR(ValidateName("model name", name));
  std::vector<ModelRecord> records;
  const std::string prefix = name.empty() ? "models/" : Prefix(name);
  RETURN_IF_ERROR(ForEachObject(store_, buckets_.models, prefix, [&](const ObjectInfo& o) {
    // models/<name>/<version>/metadata.json
    const std::string& k = o.key;
    if (k.size() < 14 || k.compare(k.size() - 14, 14, "/metadata.json") != 0) return Status::Ok();
    size_t a = k.find('/'), b = k.find('/', a + 1), c = k.find('/', b + 1);
    if (c == std::string::npos || c != k.size() - 14) return Status::Ok();
    ASSIGN_OR_RETURN(Json metadata, LoadJson(store_, Ref(k)));
    records.push_back(
        {k.substr(a + 1, b - a - 1), k.substr(b + 1, c - b - 1), false, std::move(metadata)});
    return Status::Ok();
  }));
  std::sort(records.begin(), records.end(), [](const ModelRecord& x, const ModelRecord& y) {
    return x.name != y.name ? x.name < y.name : x.version > y.version;
  });
  std::string last_name;
  std::optional<Pointer> current;
  for (ModelRecord& r : records) {
    if (r.name != last_name) {
      ASSIGN_OR_RETURN(current, ReadCurrent(r.name));
      last_name = r.name;
    }
    r.current = current && current->version == r.version;
  }
  return records;
}

}  // namespace ch::services
