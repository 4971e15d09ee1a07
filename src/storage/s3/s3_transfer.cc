// S3Store transfers: streamed and multipart uploads, resumable and parallel downloads.
#include <openssl/evp.h>

#include <deque>
#include <future>

#include "storage/md5.h"
#include "storage/s3/s3_store_internal.h"

namespace ch::s3 {
namespace internal {
namespace {

TimePoint ParseHttpDate(const std::string& text) {
  std::tm tm{};
  if (strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm) == nullptr) return {};
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string Unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

}  // namespace

// "bytes 0-9/100" → {0, 9, 100}.
bool ParseContentRange(const std::string& v, uint64_t& first, uint64_t& last, uint64_t& total) {
  return std::sscanf(v.c_str(), "bytes %lu-%lu/%lu", &first, &last, &total) == 3;
}

namespace {}  // namespace

bool IsPlainMd5(const std::string& etag) {
  return etag.size() == 32 && etag.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string Base64Md5(std::string_view bytes) {
  Md5 md5;
  md5.Update(bytes);
  std::string raw = md5.FinishRaw();
  unsigned char out[32];
  int n = EVP_EncodeBlock(out, reinterpret_cast<const unsigned char*>(raw.data()),
                          static_cast<int>(raw.size()));
  return std::string(reinterpret_cast<char*>(out), static_cast<size_t>(n));
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

Result<size_t> StringViewSource::Read(char* buf, size_t n) {
  size_t take = std::min(n, bytes_.size() - offset_);
  std::copy_n(bytes_.data() + offset_, take, buf);
  offset_ += take;
  return take;
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

}  // namespace internal

Result<ObjectInfo> S3Store::PutStream(const ObjectRef& ref, ByteSource& source,
                                      const PutOptions& options) {
  RETURN_IF_ERROR(ValidateKey(ref.key));
  std::optional<uint64_t> size = source.Size();
  uint64_t first =
      size && *size <= options_.multipart_threshold ? *size + 1 : options_.multipart_threshold + 1;
  Result<std::string> head = internal::ReadUpTo(source, first);
  if (!head.ok()) return head.status().WithContext("put " + ref.ToString());
  if (head->size() <= options_.multipart_threshold) return PutSingle(ref, *head, options);
  return PutMultipart(ref, source, options, std::move(head).value());
}

Result<ObjectInfo> S3Store::PutMultipart(const ObjectRef& ref, ByteSource& source,
                                         const PutOptions& options, std::string pending) {
  std::string context = "put " + ref.ToString() + " (multipart)";
  if (options.if_match && !options_.conditional_put) {
    return Status::NotSupported(context + ": conditional writes are not supported by " +
                                Describe());
  }
  Call init{"POST", ref.bucket, ref.key};
  init.query = {{"uploads", ""}};
  init.headers = internal::PutHeaders(options, options_);
  std::erase_if(init.headers, [](const auto& h) { return h.first.starts_with("if-"); });
  ASSIGN_OR_RETURN(net::HttpResponse init_resp, Execute(init, context + ": create"));
  ASSIGN_OR_RETURN(std::string upload_id, ParseInitiateMultipart(init_resp.body));

  auto upload_part = [this, ref, upload_id, context, &options](
                         int number, std::string data) -> Result<std::string> {
    Call call{"PUT", ref.bucket, ref.key};
    call.query = {{"partNumber", std::to_string(number)}, {"uploadId", upload_id}};
    call.headers = {{"content-md5", internal::Base64Md5(data)}};
    call.body = data;
    ASSIGN_OR_RETURN(net::HttpResponse resp,
                     Execute(call, context + ": part " + std::to_string(number)));
    if (options.progress) options.progress(data.size());
    std::string etag = resp.Header("etag");
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
  int number = 0;
  uint64_t part = options_.part_size;
  // `pending` holds what was read ahead; cut it into parts, then keep reading.
  size_t offset = 0;
  while (failure.ok()) {
    std::string data;
    if (offset < pending.size()) {
      data = pending.substr(offset, part);
      offset += data.size();
      if (data.size() < part) {
        Result<std::string> more = internal::ReadUpTo(source, part - data.size());
        if (!more.ok()) {
          failure = more.status();
          break;
        }
        data += *more;
      }
      if (offset >= pending.size()) std::string().swap(pending);
    } else {
      Result<std::string> next = internal::ReadUpTo(source, part);
      if (!next.ok()) {
        failure = next.status();
        break;
      }
      data = std::move(next).value();
    }
    if (data.empty() && number > 0) break;
    bool last = data.size() < part;
    if (in_flight.size() >= static_cast<size_t>(options_.concurrency)) collect_one();
    in_flight.push_back(std::async(std::launch::async, upload_part, ++number, std::move(data)));
    if (last) break;
  }
  while (!in_flight.empty()) collect_one();

  if (failure.ok()) {
    std::string body = BuildCompleteMultipart(etags);
    Call complete{"POST", ref.bucket, ref.key};
    complete.query = {{"uploadId", upload_id}};
    complete.body = body;
    complete.sign_body = true;
    if (options.if_none_match_any) complete.headers.emplace_back("if-none-match", "*");
    if (options.if_match) complete.headers.emplace_back("if-match", *options.if_match);
    Result<net::HttpResponse> done = Execute(complete, context + ": complete");
    if (done.ok()) {
      // S3 can answer 200 to CompleteMultipartUpload and still fail: the error is in the body.
      Result<std::string> etag = ParseCompleteMultipart(done->body);
      if (etag.ok()) return Head(ObjectRef{ref.bucket, ref.key, done->Header("x-amz-version-id")});
      failure = etag.status().WithContext(context);
    } else {
      failure = done.status();
    }
  }
  Call abort{"DELETE", ref.bucket, ref.key};
  abort.query = {{"uploadId", upload_id}};
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
  bool whole = !options.range;
  uint64_t delivered = 0;
  uint64_t abs_first = 0, abs_last = 0, total = 0;
  bool known = false;
  std::string etag;
  Md5 md5;
  Call call{"GET", ref.bucket, ref.key};
  if (!ref.version_id.empty()) call.query.emplace_back("versionId", ref.version_id);
  std::optional<ObjectInfo> info;
  call.before_attempt = [&](Call& c, int /*attempt*/) {
    c.headers.clear();
    std::optional<std::string> match = options.if_match;
    if (known && delivered > 0) {
      c.headers.emplace_back("range", "bytes=" + std::to_string(abs_first + delivered) + "-" +
                                          std::to_string(abs_last));
      match = etag;  // a resumed read must see the same object
    } else if (options.range) {
      const ByteRange& r = *options.range;
      std::string spec =
          r.suffix_length ? "-" + std::to_string(*r.suffix_length)
                          : std::to_string(r.first) + "-" + (r.last ? std::to_string(*r.last) : "");
      c.headers.emplace_back("range", "bytes=" + spec);
    } else {
      c.headers.emplace_back("range", "bytes=0-" + std::to_string(options_.part_size - 1));
    }
    if (match) c.headers.emplace_back("if-match", *match);
  };
  call.on_response_start = [&](const net::HttpResponse& resp) {
    if (known) return;
    info = internal::InfoFromHeaders(ref.key, resp);
    etag = info->etag;
    uint64_t length = std::strtoull(resp.Header("content-length").c_str(), nullptr, 10);
    known = internal::ParseContentRange(resp.Header("content-range"), abs_first, abs_last, total);
    if (!known)
      abs_first = 0, abs_last = length == 0 ? 0 : length - 1, total = length, known = true;
  };
  call.on_body = [&](std::string_view bytes) {
    delivered += bytes.size();
    if (whole) md5.Update(bytes);
    if (options.progress) options.progress(bytes.size());
    return sink.Write(bytes);
  };
  Result<net::HttpResponse> r = Execute(call, context);
  if (!r.ok() && whole && r.status().message().find("InvalidRange") != std::string::npos) {
    // An empty object has no byte 0: read it without a range.
    call.before_attempt = nullptr;
    call.on_response_start = nullptr;
    call.headers.clear();
    if (options.if_match) call.headers.emplace_back("if-match", *options.if_match);
    r = Execute(call, context);
    if (r.ok()) return internal::InfoFromHeaders(ref.key, *r);
  }
  RETURN_IF_ERROR(r.status());
  if (!info) info = internal::InfoFromHeaders(ref.key, *r);
  if (whole && total > abs_last + 1) {
    RETURN_IF_ERROR(GetRest(ref, sink, options, etag, abs_last + 1, total, md5));
  }
  if (whole && internal::IsPlainMd5(etag) && options_.sse.empty() && md5.FinishHex() != etag) {
    return Status::Corruption(context + ": downloaded bytes do not match the ETag " + etag);
  }
  info->size = whole ? total : delivered;
  return *info;
}

Status S3Store::GetRest(const ObjectRef& ref, ByteSink& sink, const GetOptions& options,
                        const std::string& etag, uint64_t from, uint64_t total, Md5& md5) {
  std::string context = "get " + ref.ToString();
  auto fetch = [this, ref, etag, context, &options](uint64_t first,
                                                    uint64_t last) -> Result<std::string> {
    std::string data;
    Call call{"GET", ref.bucket, ref.key};
    if (!ref.version_id.empty()) call.query.emplace_back("versionId", ref.version_id);
    call.headers = {{"range", "bytes=" + std::to_string(first) + "-" + std::to_string(last)},
                    {"if-match", etag}};
    call.before_attempt = [&data](Call&, int) { data.clear(); };
    call.on_body = [&data](std::string_view bytes) {
      data.append(bytes);
      return Status::Ok();
    };
    ASSIGN_OR_RETURN(net::HttpResponse resp, Execute(call, context));
    if (data.size() != last - first + 1) {
      return Status::Unavailable(context + ": short range answer at offset " +
                                 std::to_string(first));
    }
    if (options.progress) options.progress(data.size());
    return data;
  };
  std::deque<std::future<Result<std::string>>> in_flight;
  uint64_t next = from;
  Status failure;
  while ((next < total || !in_flight.empty())) {
    while (failure.ok() && next < total &&
           in_flight.size() < static_cast<size_t>(options_.concurrency)) {
      uint64_t last = std::min(total, next + options_.part_size) - 1;
      in_flight.push_back(std::async(std::launch::async, fetch, next, last));
      next = last + 1;
    }
    if (in_flight.empty()) break;
    Result<std::string> part = in_flight.front().get();
    in_flight.pop_front();
    if (!failure.ok()) continue;
    if (!part.ok()) {
      failure = part.status();
      continue;
    }
    md5.Update(*part);
    failure = sink.Write(*part);
  }
  return failure;
}

}  // namespace ch::s3
