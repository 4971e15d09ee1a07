// The only file that calls zlib and libzstd: streaming codecs and their byte adapters.
#include "codecs/compression.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>

namespace ch {
namespace {

constexpr size_t kOutChunk = 256 << 10;

class CopyDecompressor final : public Decompressor {
 public:
  Status Update(std::string_view input, const ChunkCallback& output) override {
    return input.empty() ? Status::Ok() : output(input);
  }
  Status Finish() override { return Status::Ok(); }
};

Status GzipError(int code, const z_stream& z) {
  std::string what = z.msg != nullptr ? z.msg : ("zlib error " + std::to_string(code));
  if (code == Z_MEM_ERROR) return Status::Internal("gzip: out of memory");
  return Status::Corruption("gzip: invalid data (" + what + ")");
}

class GzipDecompressor final : public Decompressor {
 public:
  GzipDecompressor() { inflateInit2(&z_, 16 + MAX_WBITS); }
  ~GzipDecompressor() override { inflateEnd(&z_); }

  Status Update(std::string_view input, const ChunkCallback& output) override {
    if (input.empty()) return Status::Ok();
    seen_input_ = true;
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    z_.avail_in = static_cast<uInt>(input.size());
    // Loop while input remains or the output buffer filled up (zlib may hold more).
    do {
      if (member_done_ && z_.avail_in > 0) {  // another gzip member follows
        inflateReset(&z_);
        member_done_ = false;
      }
      z_.next_out = reinterpret_cast<Bytef*>(out_);
      z_.avail_out = sizeof(out_);
      int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) return GzipError(rc, z_);
      size_t produced = sizeof(out_) - z_.avail_out;
      if (produced > 0) RETURN_IF_ERROR(output(std::string_view(out_, produced)));
      if (rc == Z_STREAM_END) member_done_ = true;
      if (rc == Z_BUF_ERROR) break;
    } while (z_.avail_in > 0 || z_.avail_out == 0);
    return Status::Ok();
  }

  Status Finish() override {
    if (!seen_input_) return Status::Corruption("gzip: empty stream");
    if (!member_done_) return Status::Corruption("gzip: truncated stream (unexpected end of data)");
    return Status::Ok();
  }

 private:
  z_stream z_{};
  char out_[kOutChunk];
  bool member_done_ = false;
  bool seen_input_ = false;
};

class ZstdDecompressor final : public Decompressor {
 public:
  ZstdDecompressor() : ctx_(ZSTD_createDCtx()) {}
  ~ZstdDecompressor() override { ZSTD_freeDCtx(ctx_); }

  Status Update(std::string_view input, const ChunkCallback& output) override {
    ZSTD_inBuffer in{input.data(), input.size(), 0};
    if (!input.empty()) seen_input_ = true;
    while (in.pos < in.size) {
      ZSTD_outBuffer out{out_, sizeof(out_), 0};
      size_t rc = ZSTD_decompressStream(ctx_, &out, &in);
      if (ZSTD_isError(rc)) {
        return Status::Corruption(std::string("zstd: invalid data (") + ZSTD_getErrorName(rc) +
                                  ")");
      }
      last_ = rc;
      if (out.pos > 0) RETURN_IF_ERROR(output(std::string_view(out_, out.pos)));
    }
    // Flush output still buffered inside the context once input is exhausted.
    while (last_ != 0) {
      ZSTD_outBuffer out{out_, sizeof(out_), 0};
      size_t rc = ZSTD_decompressStream(ctx_, &out, &in);
      if (ZSTD_isError(rc)) {
        return Status::Corruption(std::string("zstd: invalid data (") + ZSTD_getErrorName(rc) +
                                  ")");
      }
      last_ = rc;
      if (out.pos == 0) break;
      RETURN_IF_ERROR(output(std::string_view(out_, out.pos)));
    }
    return Status::Ok();
  }

  Status Finish() override {
    if (!seen_input_) return Status::Corruption("zstd: empty stream");
    if (last_ != 0) return Status::Corruption("zstd: truncated stream (unexpected end of data)");
    return Status::Ok();
  }

 private:
  ZSTD_DCtx* ctx_;
  char out_[kOutChunk];
  size_t last_ = 0;
  bool seen_input_ = false;
};

class CopyCompressor final : public Compressor {
 public:
  Status Update(std::string_view input, const ChunkCallback& output) override {
    return input.empty() ? Status::Ok() : output(input);
  }
  Status Finish(const ChunkCallback&) override { return Status::Ok(); }
};

class GzipCompressor final : public Compressor {
 public:
  explicit GzipCompressor(int level) {
    deflateInit2(&z_, level == 0 ? 6 : level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  }
  ~GzipCompressor() override { deflateEnd(&z_); }

  Status Update(std::string_view input, const ChunkCallback& output) override {
    return Run(input, Z_NO_FLUSH, output);
  }
  Status Finish(const ChunkCallback& output) override { return Run({}, Z_FINISH, output); }

 private:
  Status Run(std::string_view input, int flush, const ChunkCallback& output) {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    z_.avail_in = static_cast<uInt>(input.size());
    while (true) {
      z_.next_out = reinterpret_cast<Bytef*>(out_);
      z_.avail_out = sizeof(out_);
      int rc = deflate(&z_, flush);
      if (rc == Z_STREAM_ERROR) return Status::Internal("gzip: deflate failed");
      size_t produced = sizeof(out_) - z_.avail_out;
      if (produced > 0) RETURN_IF_ERROR(output(std::string_view(out_, produced)));
      if (flush == Z_FINISH ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out > 0)) break;
    }
    return Status::Ok();
  }

  z_stream z_{};
  char out_[kOutChunk];
};

class ZstdCompressor final : public Compressor {
 public:
  explicit ZstdCompressor(int level) : ctx_(ZSTD_createCCtx()) {
    ZSTD_CCtx_setParameter(ctx_, ZSTD_c_compressionLevel, level == 0 ? 3 : level);
  }
  ~ZstdCompressor() override { ZSTD_freeCCtx(ctx_); }

  Status Update(std::string_view input, const ChunkCallback& output) override {
    return Run(input, ZSTD_e_continue, output);
  }
  Status Finish(const ChunkCallback& output) override { return Run({}, ZSTD_e_end, output); }

 private:
  Status Run(std::string_view input, ZSTD_EndDirective mode, const ChunkCallback& output) {
    ZSTD_inBuffer in{input.data(), input.size(), 0};
    while (true) {
      ZSTD_outBuffer out{out_, sizeof(out_), 0};
      size_t remaining = ZSTD_compressStream2(ctx_, &out, &in, mode);
      if (ZSTD_isError(remaining)) {
        return Status::Internal(std::string("zstd: ") + ZSTD_getErrorName(remaining));
      }
      if (out.pos > 0) RETURN_IF_ERROR(output(std::string_view(out_, out.pos)));
      bool done = mode == ZSTD_e_end ? remaining == 0 : in.pos == in.size;
      if (done) break;
    }
    return Status::Ok();
  }

  ZSTD_CCtx* ctx_;
  char out_[kOutChunk];
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string_view CompressionName(Compression compression) {
  switch (compression) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
  }
  return "unknown";
}

Compression CompressionFromPath(std::string_view key) {
  if (EndsWith(key, ".gz")) return Compression::kGzip;
  if (EndsWith(key, ".zst") || EndsWith(key, ".zstd")) return Compression::kZstd;
  return Compression::kNone;
}

std::unique_ptr<Decompressor> Decompressor::Make(Compression compression) {
  switch (compression) {
    case Compression::kGzip:
      return std::make_unique<GzipDecompressor>();
    case Compression::kZstd:
      return std::make_unique<ZstdDecompressor>();
    case Compression::kNone:
      break;
  }
  return std::make_unique<CopyDecompressor>();
}

std::unique_ptr<Compressor> Compressor::Make(Compression compression, int level) {
  switch (compression) {
    case Compression::kGzip:
      return std::make_unique<GzipCompressor>(level);
    case Compression::kZstd:
      return std::make_unique<ZstdCompressor>(level);
    case Compression::kNone:
      break;
  }
  return std::make_unique<CopyCompressor>();
}

Result<std::string> CompressBytes(std::string_view input, Compression compression, int level) {
  std::string out;
  auto append = [&out](std::string_view b) {
    out.append(b);
    return Status::Ok();
  };
  std::unique_ptr<Compressor> c = Compressor::Make(compression, level);
  RETURN_IF_ERROR(c->Update(input, append));
  RETURN_IF_ERROR(c->Finish(append));
  return out;
}

Result<std::string> DecompressBytes(std::string_view input, Compression compression) {
  std::string out;
  std::unique_ptr<Decompressor> d = Decompressor::Make(compression);
  RETURN_IF_ERROR(d->Update(input, [&out](std::string_view b) {
    out.append(b);
    return Status::Ok();
  }));
  RETURN_IF_ERROR(d->Finish());
  return out;
}

DecompressingSink::DecompressingSink(ByteSink& inner, Compression compression, std::string context)
    : inner_(inner), decompressor_(Decompressor::Make(compression)), context_(std::move(context)) {}

Status DecompressingSink::Wrap(Status status) const {
  if (status.ok() || inner_failed_ || context_.empty()) return status;
  return status.WithContext(context_);
}

Status DecompressingSink::Write(std::string_view bytes) {
  return Wrap(decompressor_->Update(bytes, [this](std::string_view b) {
    Status s = inner_.Write(b);
    if (!s.ok()) inner_failed_ = true;
    return s;
  }));
}

Status DecompressingSink::Close() { return Wrap(decompressor_->Finish()); }

CompressingSource::CompressingSource(ByteSource& inner, Compression compression, int level)
    : inner_(inner), compressor_(Compressor::Make(compression, level)) {
  input_.resize(1 << 20);
}

Status CompressingSource::Refill() {
  output_.clear();
  output_pos_ = 0;
  auto append = [this](std::string_view b) {
    output_.append(b);
    return Status::Ok();
  };
  while (output_.empty() && !finished_) {
    if (!inner_done_) {
      ASSIGN_OR_RETURN(size_t got, inner_.Read(input_.data(), input_.size()));
      if (got == 0) inner_done_ = true;
      RETURN_IF_ERROR(compressor_->Update(std::string_view(input_.data(), got), append));
    }
    if (inner_done_) {
      RETURN_IF_ERROR(compressor_->Finish(append));
      finished_ = true;
    }
  }
  return Status::Ok();
}

Result<size_t> CompressingSource::Read(char* buf, size_t n) {
  if (output_pos_ == output_.size()) RETURN_IF_ERROR(Refill());
  size_t take = std::min(n, output_.size() - output_pos_);
  std::memcpy(buf, output_.data() + output_pos_, take);
  output_pos_ += take;
  return take;
}

}  // namespace ch
