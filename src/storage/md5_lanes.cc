// Md5Many: RFC 1321 MD5 over eight or sixteen lanes of GCC vector extensions.
#include "storage/md5_lanes.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ch {
namespace {

constexpr size_t kBlock = 64;

// RFC 1321: the sines table, the per-step rotations and the initial state.
constexpr uint32_t kSines[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
constexpr int kShifts[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                             5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                             4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                             6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
constexpr uint32_t kInit[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};

// The message word step i reads.
constexpr int WordOf(int i) {
  if (i < 16) return i;
  if (i < 32) return (5 * i + 1) % 16;
  if (i < 48) return (3 * i + 5) % 16;
  return (7 * i) % 16;
}

uint32_t Load32(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;  // MD5 words are little-endian, as is every CPU this builds for
}

// One 64-byte block into `s` (a, b, c, d); T is uint32_t or a vector of them.
template <typename T>
[[gnu::always_inline]] inline void Compress(T s[4], const T w[16]) {
  T a = s[0], b = s[1], c = s[2], d = s[3];
#pragma GCC unroll 64
  for (int i = 0; i < 64; ++i) {
    T f;
    if (i < 16) {
      f = d ^ (b & (c ^ d));
    } else if (i < 32) {
      f = (d & b) + (c & ~d);  // disjoint bits: + is |, and c & ~d is off the chain through b
    } else if (i < 48) {
      f = b ^ (c ^ d);  // c ^ d does not wait for b
    } else {
      f = c ^ (b | ~d);
    }
    f = f + (a + kSines[i] + w[WordOf(i)]);  // only the last add waits for f
    a = d;
    d = c;
    c = b;
    b = b + ((f << kShifts[i]) | (f >> (32 - kShifts[i])));
  }
  s[0] += a;
  s[1] += b;
  s[2] += c;
  s[3] += d;
}

void CompressBlock(uint32_t s[4], const unsigned char* block) {
  uint32_t w[16];
  for (size_t j = 0; j < 16; ++j) w[j] = Load32(block + 4 * j);
  Compress(s, w);
}

using Lanes8 = uint32_t __attribute__((vector_size(32)));
using Lanes16 = uint32_t __attribute__((vector_size(64)));

// `blocks` blocks of every lane; lane k reads from data[k] on and moves it past them.
template <typename V>
[[gnu::always_inline]] inline void CompressLanes(V s[4], const unsigned char* const* data,
                                                 size_t blocks) {
  constexpr size_t kWidth = sizeof(V) / 4;
  const unsigned char* at[kWidth];
  for (size_t k = 0; k < kWidth; ++k) at[k] = data[k];
  for (size_t n = 0; n < blocks; ++n) {
    V w[16];
    for (size_t j = 0; j < 16; ++j) {
      for (size_t k = 0; k < kWidth; ++k) w[j][k] = Load32(at[k] + 4 * j);
    }
    Compress(s, w);
    for (size_t k = 0; k < kWidth; ++k) at[k] += kBlock;
  }
}

template <typename V>
void CompressLanesGeneric(V s[4], const unsigned char* const* data, size_t blocks) {
  CompressLanes(s, data, blocks);
}

#if defined(__x86_64__)
// Sixteen lanes on AVX2 are two eight-lane chains side by side: MD5's steps wait
// on each other, so the second chain runs in the first one's stalls.
template <typename V>
__attribute__((target("avx2"))) void CompressLanesAvx2(V s[4], const unsigned char* const* data,
                                                       size_t blocks) {
  CompressLanes(s, data, blocks);
}

// Rows r[k] (eight words of lane k) into columns: r[j] becomes word j of every lane.
__attribute__((target("avx2"))) inline void Transpose8x8(__m256i r[8]) {
  __m256i t[8];
  for (int k = 0; k < 8; k += 2) {
    t[k] = _mm256_unpacklo_epi32(r[k], r[k + 1]);      // words 0 1 | 4 5 of lanes k, k+1
    t[k + 1] = _mm256_unpackhi_epi32(r[k], r[k + 1]);  // words 2 3 | 6 7
  }
  __m256i u[8];
  for (int h = 0; h < 8; h += 4) {                     // lanes 0-3, then 4-7
    u[h] = _mm256_unpacklo_epi64(t[h], t[h + 2]);      // word 0 | 4 of four lanes
    u[h + 1] = _mm256_unpackhi_epi64(t[h], t[h + 2]);  // word 1 | 5
    u[h + 2] = _mm256_unpacklo_epi64(t[h + 1], t[h + 3]);
    u[h + 3] = _mm256_unpackhi_epi64(t[h + 1], t[h + 3]);
  }
  for (int j = 0; j < 4; ++j) {
    r[j] = _mm256_permute2x128_si256(u[j], u[j + 4], 0x20);
    r[j + 4] = _mm256_permute2x128_si256(u[j], u[j + 4], 0x31);
  }
}

// Words 8h..8h+7 of one block of eight lanes, word j of every lane in w[j].
__attribute__((target("avx2"))) inline void LoadWords8(const unsigned char* const* data, size_t h,
                                                       __m256i w[8]) {
  for (size_t k = 0; k < 8; ++k) {
    w[k] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data[k] + 32 * h));
  }
  Transpose8x8(w);
}

// The AVX-512 operations of the rounds, for 256- and 512-bit vectors alike.
#define CH_AVX512 __attribute__((target("avx2,avx512f,avx512vl"), always_inline)) inline
CH_AVX512 __m256i Add(__m256i a, __m256i b) { return _mm256_add_epi32(a, b); }
CH_AVX512 __m512i Add(__m512i a, __m512i b) { return _mm512_add_epi32(a, b); }
CH_AVX512 __m256i Rotate(__m256i a, int n) { return _mm256_rolv_epi32(a, _mm256_set1_epi32(n)); }
CH_AVX512 __m512i Rotate(__m512i a, int n) { return _mm512_rolv_epi32(a, _mm512_set1_epi32(n)); }
CH_AVX512 void Broadcast(uint32_t x, __m256i& out) { out = _mm256_set1_epi32(static_cast<int>(x)); }
CH_AVX512 void Broadcast(uint32_t x, __m512i& out) { out = _mm512_set1_epi32(static_cast<int>(x)); }
template <int kTable>
CH_AVX512 __m256i Logic(__m256i b, __m256i c, __m256i d) {
  return _mm256_ternarylogic_epi32(b, c, d, kTable);
}
template <int kTable>
CH_AVX512 __m512i Logic(__m512i b, __m512i c, __m512i d) {
  return _mm512_ternarylogic_epi32(b, c, d, kTable);
}

// One block into `state` with AVX-512: each round's logic is one three-input
// instruction and each rotate one instruction, where AVX2 needs three of each.
template <typename V>
CH_AVX512 void CompressAvx512(V state[4], const V w[16]) {
  V a = state[0], b = state[1], c = state[2], d = state[3];
#pragma GCC unroll 64
  for (int i = 0; i < 64; ++i) {
    V f;
    if (i < 16) {
      f = Logic<0xCA>(b, c, d);  // (b & c) | (~b & d)
    } else if (i < 32) {
      f = Logic<0xE4>(b, c, d);  // (b & d) | (c & ~d)
    } else if (i < 48) {
      f = Logic<0x96>(b, c, d);  // b ^ c ^ d
    } else {
      f = Logic<0x39>(b, c, d);  // c ^ (b | ~d)
    }
    V sine;
    Broadcast(kSines[i], sine);
    f = Add(f, Add(a, Add(sine, w[WordOf(i)])));
    a = d;
    d = c;
    c = b;
    b = Add(b, Rotate(f, kShifts[i]));
  }
  state[0] = Add(state[0], a);
  state[1] = Add(state[1], b);
  state[2] = Add(state[2], c);
  state[3] = Add(state[3], d);
}

// Eight lanes in 256-bit vectors; the message words are loaded a block row at
// a time and transposed instead of gathered word by word.
__attribute__((target("avx2,avx512f,avx512vl"))) void CompressLanesAvx512(
    Lanes8 s[4], const unsigned char* const* data, size_t blocks) {
  const unsigned char* at[8];
  for (size_t k = 0; k < 8; ++k) at[k] = data[k];
  __m256i state[4];
  for (int i = 0; i < 4; ++i) state[i] = reinterpret_cast<__m256i>(s[i]);
  for (size_t n = 0; n < blocks; ++n) {
    __m256i w[16];
    LoadWords8(at, 0, w);
    LoadWords8(at, 1, w + 8);
    CompressAvx512(state, w);
    for (size_t k = 0; k < 8; ++k) at[k] += kBlock;
  }
  for (int i = 0; i < 4; ++i) s[i] = reinterpret_cast<Lanes8>(state[i]);
}

// GCC 12's AVX-512 headers fill "don't care" lanes from _mm512_undefined_epi32,
// which -Wmaybe-uninitialized reports as uninitialized (GCC bug 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// Sixteen lanes in 512-bit vectors: twice the work per instruction at the same
// latency of each dependent step.
__attribute__((target("avx2,avx512f,avx512vl"))) void CompressLanesAvx512(
    Lanes16 s[4], const unsigned char* const* data, size_t blocks) {
  const unsigned char* at[16];
  for (size_t k = 0; k < 16; ++k) at[k] = data[k];
  __m512i state[4];
  for (int i = 0; i < 4; ++i) state[i] = reinterpret_cast<__m512i>(s[i]);
  for (size_t n = 0; n < blocks; ++n) {
    __m512i w[16];
    for (size_t h = 0; h < 2; ++h) {
      __m256i low[8], high[8];  // lanes 0-7 and 8-15
      LoadWords8(at, h, low);
      LoadWords8(at + 8, h, high);
      for (size_t j = 0; j < 8; ++j) {
        w[8 * h + j] = _mm512_inserti64x4(_mm512_zextsi256_si512(low[j]), high[j], 1);
      }
    }
    CompressAvx512(state, w);
    for (size_t k = 0; k < 16; ++k) at[k] += kBlock;
  }
  for (int i = 0; i < 4; ++i) s[i] = reinterpret_cast<Lanes16>(state[i]);
}
#pragma GCC diagnostic pop
#undef CH_AVX512
#else
template <typename V>
void CompressLanesAvx2(V s[4], const unsigned char* const* data, size_t blocks) {
  CompressLanes(s, data, blocks);  // never chosen: no AVX2 here
}
template <typename V>
void CompressLanesAvx512(V s[4], const unsigned char* const* data, size_t blocks) {
  CompressLanes(s, data, blocks);  // never chosen: no AVX-512 here
}
#endif

// The fastest kernel up to `wanted` that this CPU runs.
Md5Kernel Usable(Md5Kernel wanted) {
#if defined(__x86_64__)
  static const bool kAvx512 =
      __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
  static const bool kAvx2 = __builtin_cpu_supports("avx2");
  if (wanted >= Md5Kernel::kAvx512 && kAvx512) return Md5Kernel::kAvx512;
  if (wanted >= Md5Kernel::kAvx2 && kAvx2) return Md5Kernel::kAvx2;
#else
  (void)wanted;
#endif
  return Md5Kernel::kGeneric;
}

// Finishes one message from its state after its whole blocks: the `tail`
// (under one block), then the padding and the length of all `total` bytes.
Md5Digest Finish(uint32_t s[4], const unsigned char* tail_bytes, size_t tail_size, uint64_t total) {
  unsigned char tail[2 * kBlock] = {};
  if (tail_size > 0) std::memcpy(tail, tail_bytes, tail_size);
  tail[tail_size] = 0x80;
  size_t tail_blocks = tail_size + 1 + 8 <= kBlock ? 1 : 2;
  uint64_t bits = total * 8;
  for (int i = 0; i < 8; ++i) {
    tail[tail_blocks * kBlock - 8 + i] = static_cast<unsigned char>(bits >> (8 * i));
  }
  for (size_t b = 0; b < tail_blocks; ++b) CompressBlock(s, tail + b * kBlock);
  Md5Digest out;
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<unsigned char>(s[i] >> (8 * j));
  }
  return out;
}

// Lockstep over the whole blocks every piece still has, in vectors of V's
// width: `state` holds each message's chaining value in and out, pieces[k] is
// message k's and blocks[k] how many whole blocks it has. A lane whose piece
// ran out rides on idle data and gets back the state it had then.
template <typename V>
void RunLockstep(uint32_t (*state)[Md5Lanes::kMaxMessages], size_t n,
                 const std::string_view* pieces, const size_t* blocks, Md5Kernel kernel) {
  constexpr size_t kWidth = sizeof(V) / 4;
  static_assert(kWidth <= Md5Lanes::kMaxMessages);
  V s[4];
  for (int i = 0; i < 4; ++i) {
    for (size_t k = 0; k < kWidth; ++k) s[i][k] = state[i][k];
  }
  static const unsigned char kIdle[kBlock * 64] = {};  // what lanes without data read
  bool parked[kWidth] = {};
  size_t done = 0;  // blocks taken by every lane still running
  for (;;) {
    size_t step = SIZE_MAX;
    for (size_t k = 0; k < n; ++k) {
      if (parked[k]) continue;
      if (blocks[k] == done) {
        for (int i = 0; i < 4; ++i) state[i][k] = s[i][k];
        parked[k] = true;
      } else {
        step = std::min(step, blocks[k] - done);
      }
    }
    if (step == SIZE_MAX) break;
    while (step > 0) {
      // Idle lanes read one small zero buffer over and over, in slices of its size.
      size_t now = std::min<size_t>(step, sizeof(kIdle) / kBlock);
      const unsigned char* data[kWidth];
      for (size_t k = 0; k < kWidth; ++k) {
        data[k] = k < n && !parked[k]
                      ? reinterpret_cast<const unsigned char*>(pieces[k].data()) + done * kBlock
                      : kIdle;
      }
      switch (kernel) {
        case Md5Kernel::kAvx512:
          CompressLanesAvx512(s, data, now);
          break;
        case Md5Kernel::kAvx2:
          CompressLanesAvx2(s, data, now);
          break;
        case Md5Kernel::kGeneric:
          CompressLanesGeneric(s, data, now);
          break;
      }
      done += now;
      step -= now;
    }
  }
}

void HashGroup(std::span<const std::string_view> group, Md5Kernel kernel, Md5Digest* out) {
  Md5Lanes lanes(group.size(), kernel);
  lanes.Update(group);
  for (size_t k = 0; k < group.size(); ++k) out[k] = lanes.Finish(k);
}

}  // namespace

Md5Lanes::Md5Lanes(size_t messages, Md5Kernel kernel)
    : messages_(std::min(messages, kMaxMessages)), kernel_(Usable(kernel)) {
  for (int i = 0; i < 4; ++i) {
    for (size_t k = 0; k < kMaxMessages; ++k) state_[i][k] = kInit[i];
  }
}

void Md5Lanes::Update(std::span<const std::string_view> pieces) {
  const size_t n = std::min(pieces.size(), messages_);
  size_t blocks[kMaxMessages] = {};
  for (size_t k = 0; k < n; ++k) {
    std::string_view piece = pieces[k];
    if (piece.empty()) continue;  // keeps a finished message's tail
    blocks[k] = piece.size() / kBlock;
    length_[k] += piece.size();
    size_t rest = piece.size() % kBlock;
    std::memcpy(tail_[k].data(), piece.data() + blocks[k] * kBlock, rest);
    tail_size_[k] = rest;
  }
  if (messages_ > 8) {
    RunLockstep<Lanes16>(state_, n, pieces.data(), blocks, kernel_);
  } else {
    RunLockstep<Lanes8>(state_, n, pieces.data(), blocks, kernel_);
  }
}

Md5Digest Md5Lanes::Finish(size_t message) {
  uint32_t s[4] = {state_[0][message], state_[1][message], state_[2][message], state_[3][message]};
  return ch::Finish(s, tail_[message].data(), tail_size_[message], length_[message]);
}

namespace md5_internal {

std::vector<Md5Digest> Md5Many(std::span<const std::string_view> messages, Md5Kernel kernel) {
  std::vector<Md5Digest> out(messages.size());
  constexpr size_t kGroup = Md5Lanes::kMaxMessages;
  for (size_t i = 0; i < messages.size(); i += kGroup) {
    size_t n = std::min<size_t>(kGroup, messages.size() - i);
    HashGroup(messages.subspan(i, n), kernel, out.data() + i);
  }
  return out;
}

}  // namespace md5_internal

std::vector<Md5Digest> Md5Many(std::span<const std::string_view> messages) {
  return md5_internal::Md5Many(messages, Md5Kernel::kAvx512);
}

const char* Md5ManyKernel() {
  switch (Usable(Md5Kernel::kAvx512)) {
    case Md5Kernel::kAvx512:
      return "avx512";
    case Md5Kernel::kAvx2:
      return "avx2";
    case Md5Kernel::kGeneric:
      break;
  }
  return "generic";
}

}  // namespace ch
