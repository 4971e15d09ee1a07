// Loads Config from its four layers; the only file that includes toml++.
#include "config/config.h"

#include <toml++/toml.h>

#include <functional>
#include <sstream>
#include <vector>

extern char** environ;  // NOLINT(readability-identifier-naming): POSIX name

namespace ch {
namespace {

std::string Where(const std::filesystem::path& file, const toml::source_region& src) {
  return file.string() + ":" + std::to_string(src.begin.line) + ":" +
         std::to_string(src.begin.column);
}

// One settable key: how to read it from a TOML node into the Config.
struct KeySpec {
  std::string_view name;
  std::function<Status(const toml::node&, Config&)> apply;
};

Status TypeError(std::string_view key, std::string_view want) {
  return Status::InvalidArgument("key '" + std::string(key) + "' must be " + std::string(want));
}

KeySpec String(std::string_view name, std::function<void(Config&, std::string)> set) {
  return {name, [name, set = std::move(set)](const toml::node& n, Config& c) {
            auto v = n.value<std::string>();
            if (!v || !n.is_string()) return TypeError(name, "a string");
            set(c, *v);
            return Status::Ok();
          }};
}

KeySpec Bool(std::string_view name, std::function<void(Config&, bool)> set) {
  return {name, [name, set = std::move(set)](const toml::node& n, Config& c) {
            if (!n.is_boolean()) return TypeError(name, "true or false");
            set(c, *n.value<bool>());
            return Status::Ok();
          }};
}

KeySpec Int(std::string_view name, int64_t lo, int64_t hi,
            std::function<void(Config&, int64_t)> set) {
  return {name, [name, lo, hi, set = std::move(set)](const toml::node& n, Config& c) {
            if (!n.is_integer()) return TypeError(name, "an integer");
            int64_t v = *n.value<int64_t>();
            if (v < lo || v > hi) {
              return TypeError(name,
                               "between " + std::to_string(lo) + " and " + std::to_string(hi));
            }
            set(c, v);
            return Status::Ok();
          }};
}

KeySpec StringList(std::string_view name,
                   std::function<void(Config&, std::vector<std::string>)> set) {
  return {name, [name, set = std::move(set)](const toml::node& n, Config& c) {
            const toml::array* array = n.as_array();
            if (array == nullptr) return TypeError(name, "an array of strings");
            std::vector<std::string> values;
            for (const toml::node& item : *array) {
              if (!item.is_string()) return TypeError(name, "an array of strings");
              values.push_back(*item.value<std::string>());
            }
            set(c, std::move(values));
            return Status::Ok();
          }};
}

Result<StoreBackend> ParseBackend(std::string_view text, std::string_view where) {
  if (text == "local") return StoreBackend::kLocal;
  if (text == "s3") return StoreBackend::kS3;
  return Status::InvalidArgument(std::string(where) +
                                 ": store backend must be 'local' or 's3', not '" +
                                 std::string(text) + "'");
}

// Every key the file may hold, by table. Anything else is an error.
const std::map<std::string, std::vector<KeySpec>>& Schema() {
  static const auto* schema = new std::map<std::string, std::vector<KeySpec>>{
      {"storage",
       {
           {"backend",
            [](const toml::node& n, Config& c) -> Status {
              if (!n.is_string()) return TypeError("backend", "\"local\" or \"s3\"");
              ASSIGN_OR_RETURN(c.storage.backend, ParseBackend(*n.value<std::string>(), "backend"));
              return Status::Ok();
            }},
           String("root", [](Config& c, std::string v) { c.storage.root = std::move(v); }),
           String("endpoint", [](Config& c, std::string v) { c.storage.endpoint = std::move(v); }),
           String("region", [](Config& c, std::string v) { c.storage.region = std::move(v); }),
           String("profile", [](Config& c, std::string v) { c.storage.profile = std::move(v); }),
           Bool("path_style", [](Config& c, bool v) { c.storage.path_style = v; }),
           Bool("verify_tls", [](Config& c, bool v) { c.storage.verify_tls = v; }),
           Int("concurrency", 1, 256, [](Config& c, int64_t v) { c.storage.concurrency = int(v); }),
           Int("part_size", 5ll << 20, 5ll << 30,
               [](Config& c, int64_t v) { c.storage.part_size = uint64_t(v); }),
           Int("multipart_threshold", 5ll << 20, 5ll << 30,
               [](Config& c, int64_t v) { c.storage.multipart_threshold = uint64_t(v); }),
           Int("max_attempts", 1, 20,
               [](Config& c, int64_t v) { c.storage.max_attempts = int(v); }),
           Int("timeout_seconds", 1, 86400,
               [](Config& c, int64_t v) { c.storage.timeout_seconds = int(v); }),
       }},
      {"buckets",
       {
           String("raw", [](Config& c, std::string v) { c.buckets.raw = std::move(v); }),
           String("processed",
                  [](Config& c, std::string v) { c.buckets.processed = std::move(v); }),
           String("models", [](Config& c, std::string v) { c.buckets.models = std::move(v); }),
       }},
      {"alerts", {}},  // kept raw for the alert rules (KeepSettings)
      {"api",
       {
           StringList(
               "api_key_sha256",
               [](Config& c, std::vector<std::string> v) { c.api.api_key_sha256 = std::move(v); }),
           StringList(
               "cors_origins",
               [](Config& c, std::vector<std::string> v) { c.api.cors_origins = std::move(v); }),
           Int("max_body_bytes", 1024, 1ll << 30,
               [](Config& c, int64_t v) { c.api.max_body_bytes = uint64_t(v); }),
           Int("request_timeout_seconds", 1, 3600,
               [](Config& c, int64_t v) { c.api.request_timeout_seconds = int(v); }),
           Int("cache_ttl_ms", 0, 3600000,
               [](Config& c, int64_t v) { c.api.cache_ttl_ms = int(v); }),
           Int("worker_threads", 1, 256,
               [](Config& c, int64_t v) { c.api.worker_threads = int(v); }),
       }},
  };
  return *schema;
}

Status ApplyTable(const std::filesystem::path& file, std::string_view table_name,
                  const toml::table& table, const std::vector<KeySpec>& keys, Config& config) {
  for (const auto& [key, node] : table) {
    std::string full = std::string(table_name) + "." + std::string(key.str());
    const KeySpec* spec = nullptr;
    for (const KeySpec& k : keys) {
      if (k.name == key.str()) spec = &k;
    }
    if (spec == nullptr) {
      return Status::InvalidArgument(Where(file, key.source()) + ": unknown key '" + full + "'");
    }
    Status st = spec->apply(node, config);
    if (!st.ok()) return st.WithContext(Where(file, node.source()) + ": " + full);
  }
  return Status::Ok();
}

// Keys of a table another module checks: numbers and strings only, a later file
// replacing an earlier one's value of the same key.
Status KeepSettings(const std::filesystem::path& file, std::string_view table_name,
                    const toml::table& table, std::vector<ConfigSetting>& out) {
  for (const auto& [key, node] : table) {
    ConfigSetting setting;
    setting.key = std::string(key.str());
    setting.where = Where(file, node.source()) + ": " + std::string(table_name) + "." + setting.key;
    if (node.is_integer()) {
      setting.value = static_cast<double>(*node.value<int64_t>());
    } else if (node.is_floating_point()) {
      setting.value = *node.value<double>();
    } else if (node.is_string()) {
      setting.value = *node.value<std::string>();
    } else {
      return Status::InvalidArgument(setting.where + ": must be a number or a string");
    }
    std::erase_if(out, [&](const ConfigSetting& s) { return s.key == setting.key; });
    out.push_back(std::move(setting));
  }
  return Status::Ok();
}

Status ApplyFile(const std::filesystem::path& file, Config& config) {
  toml::table doc;
  try {
    doc = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    std::string msg = file.string() + ":" + std::to_string(e.source().begin.line) + ":" +
                      std::to_string(e.source().begin.column) + ": " + std::string(e.description());
    if (!std::filesystem::exists(file)) {
      return Status::NotFound("read config " + file.string() + ": no such file");
    }
    return Status::InvalidArgument("parse config " + msg);
  }
  for (const auto& [name, node] : doc) {
    auto it = Schema().find(std::string(name.str()));
    if (it == Schema().end() || !node.is_table()) {
      return Status::InvalidArgument(Where(file, name.source()) + ": unknown " +
                                     (node.is_table() ? "table '[" : "key '") +
                                     std::string(name.str()) + (node.is_table() ? "]'" : "'"));
    }
    if (name.str() == "alerts") {
      RETURN_IF_ERROR(KeepSettings(file, name.str(), *node.as_table(), config.alerts));
      continue;
    }
    RETURN_IF_ERROR(ApplyTable(file, name.str(), *node.as_table(), it->second, config));
  }
  config.source = file;
  return Status::Ok();
}

const std::string* Lookup(const Environment& env, const std::string& name) {
  auto it = env.find(name);
  return (it == env.end() || it->second.empty()) ? nullptr : &it->second;
}

Status ApplyEnvironment(const Environment& env, Config& config) {
  const std::string* endpoint = Lookup(env, "AWS_ENDPOINT_URL_S3");
  if (endpoint == nullptr) endpoint = Lookup(env, "AWS_ENDPOINT_URL");
  if (endpoint != nullptr) {
    config.storage.endpoint = *endpoint;
    config.storage.backend = StoreBackend::kS3;  // an endpoint alone selects S3
  }
  if (const std::string* v = Lookup(env, "CLIMAHEALTH_STORE")) {
    ASSIGN_OR_RETURN(config.storage.backend, ParseBackend(*v, "CLIMAHEALTH_STORE"));
  }
  if (const std::string* v = Lookup(env, "CLIMAHEALTH_STORAGE_ROOT")) config.storage.root = *v;
  if (const std::string* v = Lookup(env, "AWS_DEFAULT_REGION")) config.storage.region = *v;
  if (const std::string* v = Lookup(env, "AWS_REGION")) config.storage.region = *v;
  if (const std::string* v = Lookup(env, "AWS_PROFILE")) config.storage.profile = *v;
  if (const std::string* v = Lookup(env, "CLIMAHEALTH_RAW_BUCKET")) config.buckets.raw = *v;
  if (const std::string* v = Lookup(env, "CLIMAHEALTH_PROCESSED_BUCKET")) {
    config.buckets.processed = *v;
  }
  if (const std::string* v = Lookup(env, "CLIMAHEALTH_MODELS_BUCKET")) config.buckets.models = *v;
  return Status::Ok();
}

Status ApplyOverrides(const ConfigOverrides& o, Config& config) {
  if (o.endpoint) {
    config.storage.endpoint = *o.endpoint;
    if (!o.backend) config.storage.backend = StoreBackend::kS3;
  }
  if (o.backend) {
    ASSIGN_OR_RETURN(config.storage.backend, ParseBackend(*o.backend, "--store"));
  }
  if (o.root) config.storage.root = *o.root;
  if (o.region) config.storage.region = *o.region;
  if (o.profile) config.storage.profile = *o.profile;
  if (o.concurrency) {
    if (*o.concurrency < 1 || *o.concurrency > 256) {
      return Status::InvalidArgument("--concurrency must be between 1 and 256");
    }
    config.storage.concurrency = *o.concurrency;
  }
  return Status::Ok();
}

// Bucket names left unset take the backend's defaults from DATA.md.
void FillDefaultBuckets(Config& config) {
  bool local = config.storage.backend == StoreBackend::kLocal;
  auto fill = [&](std::string& name, std::string_view logical) {
    if (name.empty()) {
      name = local ? std::string(logical) + "-bucket" : "climahealth-" + std::string(logical);
    }
  };
  fill(config.buckets.raw, "raw");
  fill(config.buckets.processed, "processed");
  fill(config.buckets.models, "models");
}

}  // namespace

Result<std::string> Config::LogicalBucket(std::string_view logical) const {
  if (logical == "raw") return buckets.raw;
  if (logical == "processed") return buckets.processed;
  if (logical == "models") return buckets.models;
  return Status::NotFound("'" + std::string(logical) +
                          "' is not a logical bucket (raw, processed, models)");
}

Environment ProcessEnvironment() {
  Environment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

Result<Config> LoadConfig(const Environment& env, const ConfigOverrides& overrides) {
  Config config;
  std::optional<std::filesystem::path> file = overrides.config_file;
  if (!file) {
    if (const std::string* v = Lookup(env, "CLIMAHEALTH_CONFIG")) file = *v;
  }
  if (file) RETURN_IF_ERROR(ApplyFile(*file, config));
  RETURN_IF_ERROR(ApplyEnvironment(env, config));
  RETURN_IF_ERROR(ApplyOverrides(overrides, config));
  FillDefaultBuckets(config);
  return config;
}

}  // namespace ch
