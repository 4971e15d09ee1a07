// Sidecar (de)serialisation; the one LocalStore file that calls nlohmann::json.
#include "storage/local_meta.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>

namespace ch::local {

std::string SerializeMeta(const std::vector<MetaEntry>& entries) {
  nlohmann::json doc;
  doc["format"] = 1;
  nlohmann::json list = nlohmann::json::array();
  for (const MetaEntry& e : entries) {
    nlohmann::json j;
    j["ino"] = e.id.ino;
    j["size"] = e.id.size;
    j["mtime_ns"] = e.id.mtime_ns;
    j["etag"] = e.etag;
    j["content_type"] = e.content_type;
    j["metadata"] = e.metadata;
    j["version_id"] = e.version_id;
    j["created_ns"] = e.created_ns;
    if (e.delete_marker) j["delete_marker"] = true;
    list.push_back(std::move(j));
  }
  doc["entries"] = std::move(list);
  // Keys and metadata may hold any bytes; replace rather than throw on bad UTF-8.
  return doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::vector<MetaEntry>> ParseMeta(std::string_view text, std::string_view context) {
  try {
    nlohmann::json doc = nlohmann::json::parse(text);
    std::vector<MetaEntry> out;
    for (const nlohmann::json& j : doc.at("entries")) {
      MetaEntry e;
      e.id.ino = j.at("ino").get<uint64_t>();
      e.id.size = j.at("size").get<uint64_t>();
      e.id.mtime_ns = j.at("mtime_ns").get<int64_t>();
      e.etag = j.at("etag").get<std::string>();
      e.content_type = j.at("content_type").get<std::string>();
      e.metadata = j.at("metadata").get<Metadata>();
      e.version_id = j.at("version_id").get<std::string>();
      e.created_ns = j.at("created_ns").get<int64_t>();
      e.delete_marker = j.value("delete_marker", false);
      out.push_back(std::move(e));
    }
    return out;
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(std::string(context) + ": bad metadata sidecar: " + e.what());
  }
}

const MetaEntry* FindEntry(const std::vector<MetaEntry>& entries, const posix::FileIdentity& id) {
  for (const MetaEntry& e : entries) {
    if (!e.delete_marker && e.id == id) return &e;
  }
  return nullptr;
}

std::string NormalizeContentType(std::string_view content_type) {
  return content_type.empty() ? std::string(kDefaultContentType) : std::string(content_type);
}

Metadata NormalizeMetadata(const Metadata& metadata) {
  Metadata out;
  for (const auto& [name, value] : metadata) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out[lower] = value;
  }
  return out;
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TimePoint FromNs(int64_t ns) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(ns)));
}

ObjectInfo InfoFrom(std::string_view key, const MetaEntry& entry) {
  ObjectInfo info;
  info.key = std::string(key);
  info.size = entry.id.size;
  info.etag = entry.etag;
  info.last_modified = FromNs(entry.delete_marker ? entry.created_ns : entry.id.mtime_ns);
  info.content_type = NormalizeContentType(entry.content_type);
  info.metadata = entry.metadata;
  info.version_id = entry.version_id;
  return info;
}

}  // namespace ch::local
