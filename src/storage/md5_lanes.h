// MD5 of several messages at once, one per SIMD lane.
#pragma once

#include <array>
#include <span>
#include <string_view>
#include <vector>

namespace ch {

using Md5Digest = std::array<unsigned char, 16>;

// The MD5 digests of `messages`, in order. MD5 is a chain of dependent steps,
// so one message leaves most of a core idle; eight messages side by side in
// the lanes of 256-bit vectors (AVX2 where the CPU has it, two 128-bit halves
// otherwise) hash several times faster than one after another. That is how
// the parts of a multipart upload get their Content-MD5. Thread-safe.
std::vector<Md5Digest> Md5Many(std::span<const std::string_view> messages);

// Which kernel Md5Many uses on this CPU ("avx2" or "generic"), for benchmarks.
const char* Md5ManyKernel();

namespace md5_internal {
// Md5Many with the AVX2 kernel allowed or not, so tests check both.
std::vector<Md5Digest> Md5Many(std::span<const std::string_view> messages, bool avx2);
}  // namespace md5_internal

}  // namespace ch
