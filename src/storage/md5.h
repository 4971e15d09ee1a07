// Incremental MD5, for ETags computed while bytes stream through.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ch {

// Not thread-safe; one per stream.
class Md5 {
 public:
  Md5();
  ~Md5();
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;

  void Update(std::string_view bytes);
  // Lower-case hex digest of everything passed to Update. Call once.
  std::string FinishHex();
  // The 16 raw digest bytes. Call once, instead of FinishHex.
  std::string FinishRaw();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Hex MD5 of `bytes`: the ETag S3 gives a single-part upload.
std::string Md5Hex(std::string_view bytes);

// Lower-case hex of arbitrary bytes.
std::string ToHex(std::string_view bytes);
// The bytes `hex` spells (either case), or nothing when it is not whole bytes of hex.
std::optional<std::string> FromHex(std::string_view hex);

}  // namespace ch
