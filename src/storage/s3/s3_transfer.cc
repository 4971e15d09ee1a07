// S3Store transfers: streamed and multipart uploads, resumable and parallel downloads.
#include <fcntl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <future>
#include <type_traits>

#include "core/interrupt.h"
#include "storage/file_md5.h"
#include "storage/md5.h"
#include "storage/md5_lanes.h"
#include "storage/part_buffers.h"
#include "storage/posix_file.h"
#include "storage/s3/s3_store_internal.h"

namespace ch::s3 {
namespace internal {
namespace {

TimePoint ParseHttpDate(const std::string& text) {
  std::tm tm{};
  if (strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm) == nullptr) return {};
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace

std::string Unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

// "bytes 0-9/100" → {0, 9, 100}.
bool ParseContentRange(const std::string& v, uint64_t& first, uint64_t& last, uint64_t& total) {
  return std::sscanf(v.c_str(), "bytes %lu-%lu/%lu", &first, &last, &total) == 3;
}

bool IsPlainMd5(const std::string& etag) {
  return etag.size() == 32 && etag.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string Base64Digest(std::span<const unsigned char, 16> digest) {
  unsigned char out[32];
  int n = EVP_EncodeBlock(out, digest.data(), static_cast<int>(digest.size()));
  return std::string(reinterpret_cast<char*>(out), static_cast<size_t>(n));
}

std::string Base64Md5(std::string_view bytes) {
  Md5 md5;
  md5.Update(bytes);
  std::string raw = md5.FinishRaw();
  return Base64Digest(
      std::span<const unsigned char, 16>(reinterpret_cast<const unsigned char*>(raw.data()), 16));
}

Result<std::string> ContentMd5(std::string_view bytes, std::string_view known_hex,
                               std::string_view context) {
  if (known_hex.empty()) return Base64Md5(bytes);
  std::optional<std::string> raw = FromHex(known_hex);
  if (!raw || raw->size() != 16) {
    return Status::InvalidArgument(std::string(context) + ": content_md5 \"" +
                                   std::string(known_hex) + "\" is not a hex MD5");
  }
  return Base64Digest(
      std::span<const unsigned char, 16>(reinterpret_cast<const unsigned char*>(raw->data()), 16));
}

ObjectInfo InfoFromHeaders(const std::string& key, const net::HttpResponse& resp) {
  ObjectInfo info;
  info.key = key;
  info.size = std::strtoull(resp.Header("content-length").c_str(), nullptr, 10);
  uint64_t first, last, total;
  if (ParseContentRange(resp.Header("content-range"), first, last, total)) info.size = total;
  info.etag = Unquote(resp.Header("etag"));
  info.last_modified = ParseHttpDate(resp.Header("last-modified"));
  info.content_type = resp.Header("content-type");
  info.version_id = resp.Header("x-amz-version-id");
  if (info.version_id == "null") info.version_id.clear();
  for (const auto& [name, value] : resp.headers) {
    if (name.starts_with("x-amz-meta-")) info.metadata[name.substr(11)] = value;
  }
  return info;
}

Metadata LowerKeys(const Metadata& metadata) {
  Metadata out;
  for (const auto& [k, v] : metadata) {
    std::string key = k;
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out[key] = v;
  }
  return out;
}

KeyValues PutHeaders(const PutOptions& options, const S3StoreOptions& store) {
  KeyValues h;
  h.emplace_back("content-type",
                 options.content_type.empty() ? "application/octet-stream" : options.content_type);
  for (const auto& [k, v] : LowerKeys(options.metadata)) h.emplace_back("x-amz-meta-" + k, v);
  if (options.if_none_match_any) h.emplace_back("if-none-match", "*");
  // Ceph RGW matches only the unquoted form; S3 accepts both.
  if (options.if_match) h.emplace_back("if-match", Unquote(*options.if_match));
  if (!store.sse.empty()) h.emplace_back("x-amz-server-side-encryption", store.sse);
  if (store.sse == "aws:kms" && !store.sse_kms_key_id.empty()) {
    h.emplace_back("x-amz-server-side-encryption-aws-kms-key-id", store.sse_kms_key_id);
  }
  return h;
}

// Reads until `want` bytes or the end of the source.
Result<std::string> ReadUpTo(ByteSource& source, uint64_t want) {
  std::string out(want, '\0');
  size_t have = 0;
  while (have < want) {
    ASSIGN_OR_RETURN(size_t got, source.Read(out.data() + have, want - have));
    if (got == 0) break;
    have += got;
  }
  out.resize(have);
  return out;
}

Result<UploadPart> StreamPartReader::Next() {
  UploadPart part;
  part.buffer = buffers_.Take();
  PartBuffer& data = *part.buffer;
  size_t take = static_cast<size_t>(std::min<uint64_t>(pending_.size() - pending_at_, part_size_));
  data.Append(std::string_view(pending_).substr(pending_at_, take));
  pending_at_ += take;
  if (pending_at_ == pending_.size() && !pending_.empty()) {
    std::string().swap(pending_);  // all handed out: free it
    pending_at_ = 0;
  }
  while (data.size() < part_size_) {
    Result<size_t> got = source_.Read(data.spare(), static_cast<size_t>(part_size_ - data.size()));
    if (!got.ok()) {
      buffers_.Give(std::move(part.buffer));
      return got.status();
    }
    if (*got == 0) break;
    data.Added(*got);
  }
  part.bytes = data.view();
  return part;
}

Result<std::vector<UploadPart>> PartReader::NextWave(size_t n) {
  std::vector<UploadPart> wave;
  auto give_back = [&] {
    for (UploadPart& part : wave) Recycle(std::move(part));
  };
  while (!done_ && wave.size() < n) {
    Result<UploadPart> part = Next();
    if (!part.ok()) {
      give_back();
      return part.status();
    }
    done_ = part->size() < part_size_;
    // An empty last part is no part, unless it is the only one (an empty object).
    if (part->size() == 0 && taken_ + wave.size() > 0) {
      Recycle(std::move(part).value());
      break;
    }
    wave.push_back(std::move(part).value());
  }
  taken_ += wave.size();
  std::vector<std::string_view> views;
  views.reserve(wave.size());
  for (const UploadPart& part : wave) views.push_back(part.bytes);
  std::vector<Md5Digest> digests = Md5Many(views);
  for (size_t i = 0; i < wave.size(); ++i) wave[i].md5 = digests[i];
  return wave;
}

Result<UploadPart> FilePartReader::Next() {
  UploadPart part;
  part.fd = fd_;
  part.span = {at_, std::min(part_size_, size_ - at_)};
  at_ += part.span.length;
  return part;
}

Result<std::vector<UploadPart>> FilePartReader::NextWave(size_t n) {
  std::vector<UploadPart> wave;
  std::vector<FileSpan> spans;
  while (at_ < size_ && wave.size() < n) {
    ASSIGN_OR_RETURN(UploadPart part, Next());
    spans.push_back(part.span);
    wave.push_back(std::move(part));
  }
  ASSIGN_OR_RETURN(std::vector<Md5Digest> digests, Md5OfFileSpans(fd_, spans, context_));
  for (size_t i = 0; i < wave.size(); ++i) wave[i].md5 = digests[i];
  return wave;
}

Result<UploadPart> ViewPartReader::Next() {
  UploadPart part;
  size_t take = static_cast<size_t>(std::min<uint64_t>(bytes_.size() - at_, part_size_));
  part.bytes = bytes_.substr(static_cast<size_t>(at_), take);
  at_ += take;
  return part;
}

Status WriteStaged(PositionalSink& sink, uint64_t offset, std::string_view bytes) {
  PartBuffer staging(kStagingBytes);
  while (!bytes.empty()) {
    size_t take = std::min(bytes.size(), staging.capacity());
    staging.Clear();
    staging.Append(bytes.substr(0, take));
    RETURN_IF_ERROR(sink.WriteAt(offset, staging.view()));
    offset += take;
    bytes.remove_prefix(take);
  }
  return Status::Ok();
}

}  // namespace internal

namespace {

// Runs fetch(first, last) on its own thread for each part-sized range of
// [from, total), at most `concurrency` at once, and hands the results to
// take(result, wanted) in order. After the first error no range starts and
// the rest are handed over unwanted (to release what they hold); that error
// is returned.
template <typename Fetch, typename Take>
Status RunRanges(uint64_t from, uint64_t total, uint64_t part_size, int concurrency,
                 const Fetch& fetch, const Take& take) {
  using Done = std::invoke_result_t<Fetch, uint64_t, uint64_t>;
  std::deque<std::future<Done>> in_flight;
  uint64_t next = from;
  Status failure;
  while (next < total || !in_flight.empty()) {
    while (failure.ok() && next < total && in_flight.size() < static_cast<size_t>(concurrency)) {
      uint64_t last = std::min(total, next + part_size) - 1;
      in_flight.push_back(std::async(std::launch::async, fetch, next, last));
      next = last + 1;
    }
    if (in_flight.empty()) break;
    Done done = in_flight.front().get();
    in_flight.pop_front();
    Status taken = take(std::move(done), failure.ok());
    if (failure.ok()) failure = taken;
  }
  return failure;
}

}  // namespace

Result<ObjectInfo> S3Store::PutStream(const ObjectRef& ref, ByteSource& source,
                                      const PutOptions& options) {
  RETURN_IF_ERROR(ValidateKey(ref.key));
  std::optional<uint64_t> size = source.Size();
  if (size && *size > options_.multipart_threshold) {
    // Known to be large: the parts are read straight into their buffers.
    internal::StreamPartReader parts(source, "", options_.part_size);
    return PutMultipart(ref, parts, options);
  }
  uint64_t first =
      size && *size <= options_.multipart_threshold ? *size + 1 : options_.multipart_threshold + 1;
  Result<std::string> head = internal::ReadUpTo(source, first);
  if (!head.ok()) return head.status().WithContext("put " + ref.ToString());
  if (head->size() <= options_.multipart_threshold) return PutSingle(ref, *head, options);
  internal::StreamPartReader parts(source, std::move(head).value(), options_.part_size);
  return PutMultipart(ref, parts, options);
}

Result<ObjectInfo> S3Store::PutFile(const ObjectRef& ref, const std::filesystem::path& path,
                                    const PutOptions& options) {
  RETURN_IF_ERROR(ValidateKey(ref.key));
  const std::string context = "put " + ref.ToString() + ": " + path.string();
  ASSIGN_OR_RETURN(posix::UniqueFd fd, posix::Open(path.string(), O_RDONLY, 0, context));
  ASSIGN_OR_RETURN(posix::FileIdentity id, posix::Identify(fd.get(), context));
  if (id.size > options_.multipart_threshold) {
    internal::FilePartReader parts(fd.get(), id.size, options_.part_size, "read " + path.string());
    return PutMultipart(ref, parts, options);
  }
  // One request, with the bytes the file had when it was opened.
  std::string bytes(static_cast<size_t>(id.size), '\0');
  ASSIGN_OR_RETURN(size_t got, posix::PreadFull(fd.get(), bytes.data(), bytes.size(), 0, context));
  if (got < bytes.size()) {
    return Status::IOError(context + ": the file ends at byte " + std::to_string(got) + ", not " +
                           std::to_string(bytes.size()) + " (did it change while being read?)");
  }
  return PutSingle(ref, bytes, options);
}

Result<ObjectInfo> S3Store::PutMultipart(const ObjectRef& ref, internal::PartReader& parts,
                                         const PutOptions& options) {
  std::string context = "put " + ref.ToString() + " (multipart)";
  if (options.if_match && !options_.conditional_put) {
    return Status::NotSupported(context + ": conditional writes are not supported by " +
                                Describe());
  }
  Call init{"POST", ref.bucket, ref.key};
  init.query = {{"uploads", ""}};
  init.headers = internal::PutHeaders(options, options_);
  std::erase_if(init.headers, [](const auto& h) { return h.first.starts_with("if-"); });
  // Create and complete run to their answer even after an interrupt: cut
  // mid-flight, the server could hold an upload whose id we never learn (so
  // cannot abort), or an object we would report as not written.
  init.interruptible = false;
  Result<net::HttpResponse> created = Execute(init, context + ": create");
  if (!created.ok()) return WithSseHint(created.status());
  net::HttpResponse& init_resp = *created;
  ASSIGN_OR_RETURN(std::string upload_id, ParseInitiateMultipart(init_resp.body));

  // Parts are hashed in waves: Md5Many hashes eight or sixteen at once several
  // times faster than one by one, and the Content-MD5 was most of an upload's
  // CPU. A wave of parts held in memory is taken once as many upload slots
  // are free (parts of one size finish close together); file spans cost no
  // memory, so the next wave is hashed while the last one is being sent.
  using internal::UploadPart;
  auto upload_part = [this, ref, upload_id, context, &options, &parts](
                         int number, UploadPart part) -> Result<std::string> {
    Call call{"PUT", ref.bucket, ref.key};
    call.query = {{"partNumber", std::to_string(number)}, {"uploadId", upload_id}};
    call.headers = {{"content-md5", internal::Base64Digest(part.md5)}};
    call.body = part.bytes;
    call.body_fd = part.fd;
    call.body_span = part.span;
    Result<net::HttpResponse> resp = Execute(call, context + ": part " + std::to_string(number));
    uint64_t bytes = part.size();
    parts.Recycle(std::move(part));
    if (!resp.ok()) return resp.status();
    if (options.progress) options.progress(bytes);
    std::string etag = resp->Header("etag");
    if (etag.size() >= 2 && etag.front() == '"') etag = etag.substr(1, etag.size() - 2);
    return etag;
  };

  std::vector<std::string> etags;
  std::deque<std::future<Result<std::string>>> in_flight;
  Status failure;
  auto collect_one = [&] {
    Result<std::string> etag = in_flight.front().get();
    in_flight.pop_front();
    if (!etag.ok() && failure.ok()) failure = etag.status();
    if (etag.ok()) etags.push_back(std::move(etag).value());
  };
  const auto slots = static_cast<size_t>(options_.concurrency);
  const bool holds_memory = parts.HoldsMemory();
  const size_t wave =
      holds_memory ? std::min(slots, Md5Lanes::kMaxMessages) : Md5Lanes::kMaxMessages;
  std::deque<UploadPart> ready;  // hashed, waiting for a slot
  int number = 0;
  while (failure.ok()) {
    if (Interrupted()) {  // no more parts read and hashed for nothing
      failure = InterruptedStatus(context);
      break;
    }
    if (ready.empty()) {
      if (holds_memory) {
        while (in_flight.size() > slots - wave) collect_one();
        if (!failure.ok()) break;
      }
      Result<std::vector<UploadPart>> next = parts.NextWave(wave);
      if (!next.ok()) {
        failure = next.status();
        break;
      }
      if (next->empty()) break;
      for (UploadPart& part : *next) ready.push_back(std::move(part));
    }
    while (in_flight.size() >= slots) collect_one();
    if (!failure.ok()) break;
    in_flight.push_back(
        std::async(std::launch::async, upload_part, ++number, std::move(ready.front())));
    ready.pop_front();
  }
  for (UploadPart& part : ready) parts.Recycle(std::move(part));
  while (!in_flight.empty()) collect_one();
  if (failure.ok() && Interrupted()) failure = InterruptedStatus(context);  // abort, not commit

  if (failure.ok()) {
    std::string body = BuildCompleteMultipart(etags);
    Call complete{"POST", ref.bucket, ref.key};
    complete.query = {{"uploadId", upload_id}};
    complete.body = body;
    complete.sign_body = true;
    complete.interruptible = false;
    if (options.if_none_match_any) complete.headers.emplace_back("if-none-match", "*");
    if (options.if_match) complete.headers.emplace_back("if-match", *options.if_match);
    Result<net::HttpResponse> done = Execute(complete, context + ": complete");
    if (done.ok()) {
      // S3 can answer 200 to CompleteMultipartUpload and still fail: the error is in the body.
      Result<std::string> etag = ParseCompleteMultipart(done->body);
      // Written: the answer that says so is not cut by an interrupt either.
      if (etag.ok()) {
        return HeadObject(ObjectRef{ref.bucket, ref.key, done->Header("x-amz-version-id")}, false);
      }
      failure = etag.status().WithContext(context);
    } else {
      failure = done.status();
    }
  }
  Call abort{"DELETE", ref.bucket, ref.key};
  abort.query = {{"uploadId", upload_id}};
  abort.interruptible = false;  // the reason for an interrupt's wait: no parts left behind
  Execute(abort, context + ": abort").status().IgnoreError();  // the first error is the story
  return failure.WithContext("put " + ref.ToString());
}

Result<ObjectInfo> S3Store::GetStream(const ObjectRef& ref, ByteSink& sink,
                                      const GetOptions& options) {
  RETURN_IF_ERROR(ValidateKey(ref.key));
  std::string context = "get " + ref.ToString();
  if (options.range && options.range->suffix_length && !options_.suffix_ranges) {
    return Status::NotSupported(context + ": suffix ranges are not supported by " + Describe());
  }
  if (options.range) return GetRange(ref, sink, options);
  // The first part is held in memory until it is complete and, when it is the whole
  // object, matches the MD5 ETag: a bad body is retried before the sink sees a byte.
  // Into a positional sink (a file being written) a large first answer instead
  // streams to its place through a staging buffer, its MD5 taken on the way;
  // a retry writes it again from byte 0. Not when the object is single-part
  // and longer than the answer: its MD5 needs every byte in order.
  auto* positional = dynamic_cast<PositionalSink*>(&sink);
  PartBuffers staging(internal::kStagingBytes);
  std::unique_ptr<PartBuffer> stage;  // while streaming the answer
  uint64_t staged = 0;                // bytes of the answer already in the sink
  std::optional<Md5> staged_md5;      // while streaming an answer with an MD5 ETag
  Status sink_error;                  // a failed write is not the server's fault
  auto flush_stage = [&]() -> Status {
    if (stage == nullptr || stage->size() == 0) return Status::Ok();
    if (staged_md5) staged_md5->Update(stage->view());
    if (Status st = positional->WriteAt(staged, stage->view()); !st.ok()) {
      sink_error = st;
      return st;
    }
    staged += stage->size();
    stage->Clear();
    return Status::Ok();
  };
  std::string first;
  std::optional<ObjectInfo> info;
  uint64_t total = 0, last = 0;
  Call call{"GET", ref.bucket, ref.key};
  if (!ref.version_id.empty()) call.query.emplace_back("versionId", ref.version_id);
  call.headers.emplace_back("range", "bytes=0-" + std::to_string(options_.part_size - 1));
  if (options.if_match) call.headers.emplace_back("if-match", *options.if_match);
  bool announced_empty = false;
  std::string streamed_etag;  // of an answer that was streamed: a retry must get that object
  call.before_attempt = [&](Call& c, int) {
    first.clear();
    staging.Give(std::move(stage));
    staged = 0;
    staged_md5.reset();
    if (!streamed_etag.empty()) {
      // Bytes of it are in the file already; another object could be shorter
      // and leave them there.
      std::erase_if(c.headers, [](const auto& h) { return h.first == "if-match"; });
      c.headers.emplace_back("if-match", streamed_etag);
    }
    // s3rver answers a range on an empty object with a body it never sends: ask again
    // without the range once the server has said the object is empty.
    if (announced_empty) std::erase_if(c.headers, [](const auto& h) { return h.first == "range"; });
  };
  call.on_response_start = [&](const net::HttpResponse& resp) {
    uint64_t a, b, n = 0;
    const bool ranged = internal::ParseContentRange(resp.Header("content-range"), a, b, n);
    if (ranged && n == 0) announced_empty = true;
    uint64_t length = std::strtoull(resp.Header("content-length").c_str(), nullptr, 10);
    const std::string etag = internal::InfoFromHeaders(ref.key, resp).etag;
    const bool whole = !ranged || n == length;
    if (positional != nullptr && length > internal::kStagingBytes &&
        (whole || !EtagIsMd5(resp, etag))) {
      stage = staging.Take();
      streamed_etag = etag;
      if (whole && EtagIsMd5(resp, etag)) staged_md5.emplace();
      return;
    }
    // Sized once: growing by doubling copied a 64 KiB object's bytes twice more.
    first.reserve(static_cast<size_t>(std::min(length, options_.part_size)));
  };
  call.on_body = [&](std::string_view bytes) {
    if (stage == nullptr) {
      first.append(bytes);
      return Status::Ok();
    }
    while (!bytes.empty()) {
      size_t take = std::min(bytes.size(), stage->capacity() - stage->size());
      stage->Append(bytes.substr(0, take));
      bytes.remove_prefix(take);
      if (stage->size() == stage->capacity()) RETURN_IF_ERROR(flush_stage());
    }
    return Status::Ok();
  };
  call.validate = [&](const net::HttpResponse& resp) {
    info = internal::InfoFromHeaders(ref.key, resp);
    // Some servers ignore If-Match on GET: check it here rather than return other bytes.
    if (options.if_match && internal::Unquote(*options.if_match) != info->etag) {
      return Status::PreconditionFailed("ETag is " + info->etag + ", not " + *options.if_match);
    }
    RETURN_IF_ERROR(flush_stage());
    const uint64_t received = stage != nullptr ? staged : first.size();
    uint64_t from = 0;
    if (!internal::ParseContentRange(resp.Header("content-range"), from, last, total)) {
      total = received;
      last = total == 0 ? 0 : total - 1;
    }
    if (received != (total == 0 ? 0 : last + 1)) {
      return Status::Unavailable("short answer: " + std::to_string(received) + " bytes");
    }
    const bool matches = stage == nullptr ? ChecksumMatches(resp, first, info->etag)
                                          : !staged_md5 || staged_md5->FinishHex() == info->etag;
    if (total == received && !matches) {
      return Status::Unavailable("body does not match its ETag/checksum (retrying)");
    }
    return Status::Ok();
  };
  Result<net::HttpResponse> r = Execute(call, context);
  if (!r.ok() && r.status().message().find("InvalidRange") != std::string::npos) {
    // An empty object has no byte 0: read it without a range.
    call.headers.erase(call.headers.begin());
    r = Execute(call, context);
  }
  if (!sink_error.ok()) return sink_error.WithContext(context);
  RETURN_IF_ERROR(r.status());
  if (stage != nullptr) {  // the answer is in the sink already
    staging.Give(std::move(stage));
    if (options.progress) options.progress(staged);
    if (total > staged) {
      RETURN_IF_ERROR(GetRestAt(ref, *positional, options, info->etag, staged, total, staging));
    }
    info->size = total;
    return *info;
  }
  // Only a single-part, unencrypted object's ETag is the MD5 of its bytes;
  // hashing a multipart download would cost CPU for nothing to compare with.
  // An object that fit in the first part was checked whole above.
  const bool check_md5 =
      total > first.size() && internal::IsPlainMd5(info->etag) && options_.sse.empty();
  if (positional != nullptr && !check_md5 && total > first.size()) {
    if (options.progress) options.progress(first.size());
    const uint64_t from = first.size();
    RETURN_IF_ERROR(internal::WriteStaged(*positional, 0, first));
    std::string().swap(first);
    RETURN_IF_ERROR(GetRestAt(ref, *positional, options, info->etag, from, total, staging));
    info->size = total;
    return *info;
  }
  Md5 md5;
  if (check_md5) md5.Update(first);
  if (options.progress) options.progress(first.size());
  RETURN_IF_ERROR(sink.Write(first));
  if (total > first.size()) {
    const uint64_t from = first.size();
    std::string().swap(first);  // delivered: free it before the parallel parts take memory
    RETURN_IF_ERROR(
        GetRest(ref, sink, options, info->etag, from, total, check_md5 ? &md5 : nullptr));
    if (check_md5 && md5.FinishHex() != info->etag) {
      return Status::Corruption(context + ": downloaded bytes do not match the ETag " + info->etag);
    }
  }
  info->size = total;
  return *info;
}

bool S3Store::EtagIsMd5(const net::HttpResponse& resp, const std::string& etag) const {
  // An SSE-KMS/SSE-C ETag is not the MD5 of the plaintext; multipart ETags carry "-N".
  return internal::IsPlainMd5(etag) && options_.sse.empty() &&
         resp.Header("x-amz-server-side-encryption") != "aws:kms";
}

bool S3Store::ChecksumMatches(const net::HttpResponse& resp, std::string_view body,
                              const std::string& etag) const {
  return !EtagIsMd5(resp, etag) || Md5Hex(body) == etag;
}

Result<ObjectInfo> S3Store::GetRange(const ObjectRef& ref, ByteSink& sink,
                                     const GetOptions& options) {
  uint64_t delivered = 0;
  uint64_t abs_first = 0, abs_last = 0, total = 0;
  bool known = false, whole_body = false;
  uint64_t seen = 0;  // with whole_body: offset in the object of the next body byte
  uint64_t base = 0;  // with whole_body: where the server's answer starts
  std::string etag;
  Call call{"GET", ref.bucket, ref.key};
  if (!ref.version_id.empty()) call.query.emplace_back("versionId", ref.version_id);
  call.before_attempt = [&](Call& c, int /*attempt*/) {
    c.headers.clear();
    seen = base;
    std::optional<std::string> match = options.if_match;
    if (known && delivered > 0 && !whole_body) {
      c.headers.emplace_back("range", "bytes=" + std::to_string(abs_first + delivered) + "-" +
                                          std::to_string(abs_last));
      match = etag;  // a resumed read must see the same object
    } else {
      const ByteRange& r = *options.range;
      std::string spec =
          r.suffix_length ? "-" + std::to_string(*r.suffix_length)
                          : std::to_string(r.first) + "-" + (r.last ? std::to_string(*r.last) : "");
      c.headers.emplace_back("range", "bytes=" + spec);
    }
    if (match) c.headers.emplace_back("if-match", *match);
  };
  std::optional<ObjectInfo> info;
  call.on_response_start = [&](const net::HttpResponse& resp) {
    if (known) return;
    info = internal::InfoFromHeaders(ref.key, resp);
    etag = info->etag;
    uint64_t length = std::strtoull(resp.Header("content-length").c_str(), nullptr, 10);
    known = internal::ParseContentRange(resp.Header("content-range"), abs_first, abs_last, total);
    if (known && options.range->last && abs_last > *options.range->last) {
      // s3rver answers "bytes=0-0" with more than asked for: cut it to the request.
      base = seen = abs_first;
      abs_first = options.range->first;
      abs_last = *options.range->last;
      whole_body = true;
    }
    if (!known) {
      // A 200 to a range request: the server ignored the range; cut it out ourselves.
      total = length;
      abs_first = std::min(options.range->first, total);
      abs_last = options.range->last ? std::min(*options.range->last, total - 1) : total - 1;
      if (options.range->suffix_length)
        abs_first = total - std::min(*options.range->suffix_length, total);
      whole_body = true;
      known = true;
    }
  };
  call.on_body = [&](std::string_view bytes) {
    if (whole_body) {
      uint64_t start = seen;
      seen += bytes.size();
      if (seen <= abs_first + delivered || start > abs_last) return Status::Ok();
      uint64_t from = std::max(start, abs_first + delivered) - start;
      uint64_t to = std::min<uint64_t>(bytes.size(), abs_last + 1 - start);
      bytes = bytes.substr(from, to - from);
    }
    delivered += bytes.size();
    if (options.progress) options.progress(bytes.size());
    return sink.Write(bytes);
  };
  ASSIGN_OR_RETURN(net::HttpResponse resp, Execute(call, "get " + ref.ToString()));
  if (!info) info = internal::InfoFromHeaders(ref.key, resp);
  if (options.if_match && internal::Unquote(*options.if_match) != info->etag) {
    return Status::PreconditionFailed("get " + ref.ToString() + ": ETag is " + info->etag +
                                      ", not " + *options.if_match);
  }
  info->size = total;
  return *info;
}

Status S3Store::GetRest(const ObjectRef& ref, ByteSink& sink, const GetOptions& options,
                        const std::string& etag, uint64_t from, uint64_t total, Md5* md5) {
  std::string context = "get " + ref.ToString();
  // Parts land in reused page-aligned buffers: no page faults after the
  // first few parts, and a file sink can write them out without a copy.
  PartBuffers buffers(static_cast<size_t>(options_.part_size));
  using Part = std::unique_ptr<PartBuffer>;
  auto fetch = [this, ref, etag, context, &options, &buffers](uint64_t first,
                                                              uint64_t last) -> Result<Part> {
    Part data = buffers.Take();
    Call call{"GET", ref.bucket, ref.key};
    if (!ref.version_id.empty()) call.query.emplace_back("versionId", ref.version_id);
    call.headers = {{"range", "bytes=" + std::to_string(first) + "-" + std::to_string(last)},
                    {"if-match", etag}};
    call.before_attempt = [&data](Call&, int) { data->Clear(); };
    call.on_body = [&data, &context, first](std::string_view bytes) {
      if (!data->Append(bytes)) {
        return Status::Unavailable(context + ": more bytes than asked for at offset " +
                                   std::to_string(first));
      }
      return Status::Ok();
    };
    Result<net::HttpResponse> resp = Execute(call, context);
    if (resp.ok() && data->size() != last - first + 1) {
      resp =
          Status::Unavailable(context + ": short range answer at offset " + std::to_string(first));
    }
    if (!resp.ok()) {
      buffers.Give(std::move(data));
      return resp.status();
    }
    if (options.progress) options.progress(data->size());
    return data;
  };
  return RunRanges(from, total, options_.part_size, options_.concurrency, fetch,
                   [&](Result<Part> part, bool wanted) -> Status {
                     if (!part.ok()) return part.status();
                     Status written = Status::Ok();
                     if (wanted) {
                       if (md5 != nullptr) md5->Update((*part)->view());
                       written = sink.Write((*part)->view());
                     }
                     buffers.Give(std::move(part).value());
                     return written;
                   });
}

Status S3Store::GetRestAt(const ObjectRef& ref, PositionalSink& sink, const GetOptions& options,
                          const std::string& etag, uint64_t from, uint64_t total,
                          PartBuffers& staging) {
  std::string context = "get " + ref.ToString();
  // Each range streams to its place in the file through a small reused
  // buffer: memory is concurrency x kStagingBytes, not concurrency x part size
  // (fresh pages the kernel must zero were a fifth of a download's CPU).
  auto fetch = [this, ref, etag, context, &options, &staging, &sink](uint64_t first,
                                                                     uint64_t last) -> Status {
    std::unique_ptr<PartBuffer> buffer = staging.Take();
    const uint64_t length = last - first + 1;
    uint64_t written = 0;  // bytes of this range already in the sink
    Status sink_error;     // a failed write is not the server's fault: never retried
    auto flush = [&]() -> Status {
      if (buffer->size() == 0) return Status::Ok();
      if (written + buffer->size() > length) {
        return Status::Unavailable(context + ": more bytes than asked for at offset " +
                                   std::to_string(first));
      }
      if (Status st = sink.WriteAt(first + written, buffer->view()); !st.ok()) {
        sink_error = st;
        return st;
      }
      written += buffer->size();
      buffer->Clear();
      return Status::Ok();
    };
    Call call{"GET", ref.bucket, ref.key};
    if (!ref.version_id.empty()) call.query.emplace_back("versionId", ref.version_id);
    call.headers = {{"range", "bytes=" + std::to_string(first) + "-" + std::to_string(last)},
                    {"if-match", etag}};
    call.before_attempt = [&](Call&, int) {
      buffer->Clear();
      written = 0;  // a retried range is written again from its start
    };
    call.on_body = [&](std::string_view bytes) {
      while (!bytes.empty()) {
        size_t take = std::min(bytes.size(), buffer->capacity() - buffer->size());
        buffer->Append(bytes.substr(0, take));
        bytes.remove_prefix(take);
        if (buffer->size() == buffer->capacity()) RETURN_IF_ERROR(flush());
      }
      return Status::Ok();
    };
    Result<net::HttpResponse> resp = Execute(call, context);
    Status st = resp.status();
    if (st.ok()) st = flush();
    if (st.ok() && written != length) {
      st = Status::Unavailable(context + ": short range answer at offset " + std::to_string(first));
    }
    staging.Give(std::move(buffer));
    if (!sink_error.ok()) return sink_error;
    if (st.ok() && options.progress) options.progress(length);
    return st;
  };
  return RunRanges(from, total, options_.part_size, options_.concurrency, fetch,
                   [](Status done, bool) { return done; });
}

}  // namespace ch::s3
