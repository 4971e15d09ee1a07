// ApiService's shared request checks: allowed query parameters, known
// locations, and API keys (hashed, compared in constant time).
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>

#include "api/api_service.h"

namespace ch::api {

std::string Sha256Hex(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::optional<HttpResponse> ApiService::CheckParams(
    const HttpRequest& request, std::initializer_list<std::string_view> allowed) const {
  for (size_t i = 0; i < request.query.size(); ++i) {
    const std::string& name = request.query[i].first;
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Error(
          400, "unknown parameter '" + name + "' (allowed: " + (list.empty() ? "none" : list) + ")",
          name);
    }
    for (size_t j = 0; j < i; ++j) {
      if (request.query[j].first == name) {
        return Error(400, "parameter '" + name + "' is given more than once", name);
      }
    }
  }
  return std::nullopt;
}

Result<std::shared_ptr<const std::set<std::string>>> ApiService::KnownLocations() {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(locations_mu_);
    if (locations_ && now - locations_loaded_ < options_.response_ttl) return locations_;
  }
  ASSIGN_OR_RETURN(Table table, data_.LoadLocations());
  ASSIGN_OR_RETURN(const Column* codes, table.GetColumn("location_code"));
  auto known = std::make_shared<std::set<std::string>>();
  for (int64_t r = 0; r < codes->size(); ++r) known->emplace(codes->String(r));
  std::lock_guard<std::mutex> lock(locations_mu_);
  locations_ = known;
  locations_loaded_ = now;
  return std::shared_ptr<const std::set<std::string>>(known);
}

bool ApiService::Authorized(const HttpRequest& request) const {
  std::string key = request.Header("x-api-key");
  if (key.empty()) return false;
  std::string hash = Sha256Hex(key);
  int matched = 0;
  // Every stored hash is compared, each in constant time, so timing reveals
  // neither which key matched nor how much of one did.
  for (const std::string& stored : options_.api_key_sha256) {
    if (stored.size() != hash.size()) continue;
    matched |= CRYPTO_memcmp(stored.data(), hash.data(), hash.size()) == 0 ? 1 : 0;
  }
  return matched != 0;
}

}  // namespace ch::api
