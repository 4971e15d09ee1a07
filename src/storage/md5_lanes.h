// MD5 of several messages at once, one per SIMD lane.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace ch {

using Md5Digest = std::array<unsigned char, 16>;

// The vector kernels, slowest first; a kernel the CPU lacks falls back to the
// fastest one below it that it has.
enum class Md5Kernel { kGeneric, kAvx2, kAvx512 };

// The MD5 digests of `messages`, in order. MD5 is a chain of dependent steps,
// so one message leaves most of a core idle; up to eight messages side by side
// in the lanes of 256-bit vectors (AVX-512VL or AVX2 where the CPU has them,
// two 128-bit halves otherwise), or sixteen in 512-bit vectors (two chains of
// eight without AVX-512), hash several times faster than one after another.
// That is how the parts of a multipart upload get their Content-MD5. Thread-safe.
std::vector<Md5Digest> Md5Many(std::span<const std::string_view> messages);

// Up to sixteen messages hashed side by side when each arrives in pieces, as
// the parts of a file read a slice at a time. Not thread-safe.
class Md5Lanes {
 public:
  static constexpr size_t kMaxMessages = 16;

  // `messages` from 1 to kMaxMessages; `kernel` caps the kernel (for tests).
  explicit Md5Lanes(size_t messages, Md5Kernel kernel = Md5Kernel::kAvx512);

  // The next piece of each message, pieces[k] for message k (an empty piece
  // adds nothing). Only a message's last piece may end in part of a 64-byte block.
  void Update(std::span<const std::string_view> pieces);
  // The digest of everything given for `message`. Call once per message.
  Md5Digest Finish(size_t message);

 private:
  size_t messages_;
  Md5Kernel kernel_;
  uint32_t state_[4][kMaxMessages];
  uint64_t length_[kMaxMessages] = {};
  std::array<unsigned char, 64> tail_[kMaxMessages] = {};
  size_t tail_size_[kMaxMessages] = {};
};

// Which kernel Md5Many uses on this CPU ("avx512", "avx2" or "generic"), for benchmarks.
const char* Md5ManyKernel();

namespace md5_internal {
// Md5Many with the kernel capped, so tests check each.
std::vector<Md5Digest> Md5Many(std::span<const std::string_view> messages, Md5Kernel kernel);
}  // namespace md5_internal

}  // namespace ch
