// S3Store: signed requests, retries, and the single-request operations.
#include "storage/s3/s3_store.h"

#include <openssl/evp.h>

#include <ctime>
#include <thread>

#include "core/interrupt.h"
#include "storage/md5.h"
#include "storage/posix_file.h"
#include "storage/s3/errors.h"
#include "storage/s3/s3_store_internal.h"

namespace ch::s3 {

using internal::Base64Md5;
using internal::InfoFromHeaders;

S3Store::S3Store(S3StoreOptions options, Endpoint endpoint,
                 std::shared_ptr<CredentialsProvider> creds, std::unique_ptr<net::HttpClient> http)
    : options_(std::move(options)),
      endpoint_(std::move(endpoint)),
      credentials_(std::move(creds)),
      http_(std::move(http)),
      rng_(std::random_device{}()) {}

Result<std::unique_ptr<S3Store>> S3Store::Make(S3StoreOptions options,
                                               std::shared_ptr<CredentialsProvider> credentials) {
  if (credentials == nullptr) return Status::InvalidArgument("s3 store: no credentials provider");
  if (options.part_size < (5ull << 20) || options.part_size > (5ull << 30)) {
    return Status::InvalidArgument("s3 store: part_size must be 5 MiB .. 5 GiB, got " +
                                   std::to_string(options.part_size));
  }
  if (options.concurrency < 1 || options.max_attempts < 1) {
    return Status::InvalidArgument("s3 store: concurrency and max_attempts must be >= 1");
  }
  if (options.multipart_threshold < options.part_size)
    options.multipart_threshold = options.part_size;
  ASSIGN_OR_RETURN(Endpoint endpoint,
                   ResolveEndpoint({options.endpoint, options.region, options.path_style}));
  net::HttpClientOptions http_options;
  http_options.verify_tls = options.verify_tls;
  http_options.stall_timeout = options.stall_timeout;
  ASSIGN_OR_RETURN(std::unique_ptr<net::HttpClient> http, net::HttpClient::Make(http_options));
  return std::unique_ptr<S3Store>(new S3Store(std::move(options), std::move(endpoint),
                                              std::move(credentials), std::move(http)));
}

std::string S3Store::Describe() const {
  return "s3:" + (options_.endpoint.empty() ? endpoint_.host : options_.endpoint);
}

StoreCapabilities S3Store::Capabilities() const {
  return StoreCapabilities{options_.versioning, options_.conditional_put, options_.suffix_ranges,
                           true, options_.ordered_listing};
}

std::chrono::milliseconds S3Store::Backoff(int attempt) {
  // Full jitter: uniform in [0, base * 2^attempt], capped at 20 s.
  int64_t cap = std::min<int64_t>(20000, options_.base_backoff.count() << std::min(attempt, 16));
  std::lock_guard<std::mutex> lock(rng_mu_);
  return std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(0, cap)(rng_));
}

Result<net::HttpResponse> S3Store::SendOnce(const Call& call,
                                            std::chrono::steady_clock::time_point deadline) {
  ASSIGN_OR_RETURN(Credentials creds, credentials_->Get());
  RequestTarget target = Address(endpoint_, options_.path_style, call.bucket, call.key, call.query);
  SignableRequest signable{call.method, target.path, call.query, call.headers};
  signable.headers.emplace_back("host", target.host_header);
  SigningParams params;
  params.region = options_.region;
  params.time = std::chrono::system_clock::now();
  params.payload_hash = call.sign_body ? Sha256Hex(call.body) : std::string(kUnsignedPayload);
  SigningResult signed_request = SignHeaders(signable, creds, params);
  net::HttpRequest req;
  req.method = call.method;
  req.url = target.url;
  req.headers = signable.headers;
  req.headers.insert(req.headers.end(), signed_request.headers.begin(),
                     signed_request.headers.end());
  req.body = call.body;
  if (call.body_fd >= 0) {
    req.body_size = call.body_span.length;
    req.body_at = [&call](char* buf, size_t n, uint64_t at) {
      return posix::PreadFull(call.body_fd, buf, n, call.body_span.offset + at, "part bytes");
    };
  }
  req.on_body = call.on_body;
  req.on_response_start = call.on_response_start;
  req.interruptible = call.interruptible;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  req.timeout = std::max(left, std::chrono::milliseconds(1));
  return http_->Send(req);
}

Result<net::HttpResponse> S3Store::Execute(const Call& call, std::string_view context) {
  auto deadline = std::chrono::steady_clock::now() + options_.timeout;
  for (int attempt = 1;; ++attempt) {
    if (call.before_attempt) call.before_attempt(const_cast<Call&>(call), attempt);
    Result<net::HttpResponse> r = SendOnce(call, deadline);
    Status st;
    if (r.ok() && r->status >= 200 && r->status < 300) {
      if (!call.validate) return r;
      st = call.validate(*r).WithContext(context);
      if (st.ok()) return r;
    } else if (r.ok()) {
      st = StatusFromS3Error(r->status, r->body, r->Header("x-amz-request-id"), context);
    } else {
      st = r.status().WithContext(context);
    }
    if (!st.IsRetryable()) return st;
    if (attempt >= options_.max_attempts) {
      return Status(st.code(),
                    st.message() + " (gave up after " + std::to_string(attempt) + " attempts)");
    }
    auto pause = Backoff(attempt);
    if (std::chrono::steady_clock::now() + pause >= deadline) {
      return Status(st.code(), st.message() + " (deadline of " +
                                   std::to_string(options_.timeout.count()) + " s reached)");
    }
    if (!call.interruptible) {
      std::this_thread::sleep_for(pause);
    } else if (!SleepUnlessInterrupted(pause)) {
      return InterruptedStatus(context);
    }
  }
}

Status S3Store::CreateBucket(std::string_view bucket) {
  RETURN_IF_ERROR(ValidateBucketName(bucket));
  Call call{"PUT", std::string(bucket)};
  std::string body;
  if (options_.region != "us-east-1") {
    body = "<CreateBucketConfiguration><LocationConstraint>" + options_.region +
           "</LocationConstraint></CreateBucketConfiguration>";
  }
  call.body = body;
  call.sign_body = true;
  Result<net::HttpResponse> r = Execute(call, "create bucket " + std::string(bucket));
  if (!r.ok() && r.status().code() == StatusCode::kAlreadyExists &&
      r.status().message().find("BucketAlreadyOwnedByYou") != std::string::npos) {
    return Status::Ok();
  }
  return r.status();
}

Result<bool> S3Store::BucketExists(std::string_view bucket) {
  Call call{"HEAD", std::string(bucket)};
  Result<net::HttpResponse> r = Execute(call, "head bucket " + std::string(bucket));
  if (r.ok()) return true;
  if (r.status().IsNotFound()) return false;
  return r.status();
}

Result<ObjectInfo> S3Store::Put(const ObjectRef& ref, std::string_view bytes,
                                const PutOptions& options) {
  RETURN_IF_ERROR(ValidateKey(ref.key));
  if (bytes.size() <= options_.multipart_threshold) return PutSingle(ref, bytes, options);
  internal::ViewPartReader parts(bytes, options_.part_size);
  return PutMultipart(ref, parts, options);
}

Result<ObjectInfo> S3Store::PutSingle(const ObjectRef& ref, std::string_view bytes,
                                      const PutOptions& options) {
  std::string context = "put " + ref.ToString();
  if ((options.if_none_match_any || options.if_match) && !options_.conditional_put) {
    return Status::NotSupported(context + ": conditional writes are not supported by " +
                                Describe());
  }
  Call call{"PUT", ref.bucket, ref.key};
  call.headers = internal::PutHeaders(options, options_);
  ASSIGN_OR_RETURN(std::string content_md5,
                   internal::ContentMd5(bytes, options.content_md5, context));
  call.headers.emplace_back("content-md5", std::move(content_md5));
  call.body = bytes;
  Result<net::HttpResponse> sent = Execute(call, context);
  if (!sent.ok()) return WithSseHint(sent.status());
  net::HttpResponse& resp = *sent;
  if (options.progress) options.progress(bytes.size());
  ObjectInfo info = InfoFromHeaders(ref.key, resp);
  info.size = bytes.size();
  info.content_type =
      options.content_type.empty() ? "application/octet-stream" : options.content_type;
  info.metadata = internal::LowerKeys(options.metadata);
  if (info.last_modified == TimePoint{}) info.last_modified = std::chrono::system_clock::now();
  return info;
}

Status S3Store::WithSseHint(const Status& st) const {
  bool refused = st.code() == StatusCode::kInvalidArgument ||
                 st.code() == StatusCode::kPermissionDenied ||
                 st.code() == StatusCode::kNotSupported;
  if (options_.sse.empty() || !refused) return st;
  return Status(st.code(), st.message() + " (server-side encryption " + options_.sse +
                               " was requested: the server may not support or allow it)");
}

Result<ObjectInfo> S3Store::Head(const ObjectRef& ref) { return HeadObject(ref, true); }

Result<ObjectInfo> S3Store::HeadObject(const ObjectRef& ref, bool interruptible) {
  RETURN_IF_ERROR(ValidateKey(ref.key));
  Call call{"HEAD", ref.bucket, ref.key};
  if (!ref.version_id.empty()) call.query.emplace_back("versionId", ref.version_id);
  call.interruptible = interruptible;
  ASSIGN_OR_RETURN(net::HttpResponse resp, Execute(call, "head " + ref.ToString()));
  return InfoFromHeaders(ref.key, resp);
}

Result<ListPage> S3Store::List(std::string_view bucket, const ListOptions& options) {
  if (options.max_keys < 1 || options.max_keys > 1000) {
    return Status::InvalidArgument("list " + std::string(bucket) + ": max_keys must be 1..1000");
  }
  Call call{"GET", std::string(bucket)};
  call.query = {{"list-type", "2"}, {"max-keys", std::to_string(options.max_keys)}};
  if (!options.prefix.empty()) call.query.emplace_back("prefix", options.prefix);
  if (!options.delimiter.empty()) call.query.emplace_back("delimiter", options.delimiter);
  if (!options.continuation_token.empty()) {
    call.query.emplace_back("continuation-token", options.continuation_token);
  }
  std::string context = "list " + std::string(bucket) + "/" + options.prefix;
  ASSIGN_OR_RETURN(net::HttpResponse resp, Execute(call, context));
  Result<ListPage> page = ParseListObjectsV2(resp.body);
  if (!page.ok()) return page.status().WithContext(context);
  return page;
}

Status S3Store::Delete(const ObjectRef& ref) {
  RETURN_IF_ERROR(ValidateKey(ref.key));
  Call call{"DELETE", ref.bucket, ref.key};
  if (!ref.version_id.empty()) call.query.emplace_back("versionId", ref.version_id);
  Result<net::HttpResponse> r = Execute(call, "delete " + ref.ToString());
  if (!r.ok() && r.status().IsNotFound() &&
      r.status().message().find("NoSuchBucket") == std::string::npos) {
    return Status::Ok();  // deleting a missing key succeeds
  }
  return r.status();
}

Result<std::vector<KeyError>> S3Store::DeleteMany(std::string_view bucket,
                                                  const std::vector<std::string>& keys) {
  std::vector<KeyError> failed;
  for (size_t start = 0; start < keys.size(); start += 1000) {
    std::vector<std::string> batch(keys.begin() + start,
                                   keys.begin() + std::min(keys.size(), start + 1000));
    std::string body = BuildDeleteObjects(batch);
    Call call{"POST", std::string(bucket)};
    call.query = {{"delete", ""}};
    call.headers = {{"content-md5", Base64Md5(body)}, {"content-type", "application/xml"}};
    call.body = body;
    call.sign_body = true;
    std::string context =
        "delete " + std::to_string(batch.size()) + " keys in " + std::string(bucket);
    ASSIGN_OR_RETURN(net::HttpResponse resp, Execute(call, context));
    ASSIGN_OR_RETURN(std::vector<DeleteError> errors, ParseDeleteResult(resp.body));
    for (const DeleteError& e : errors) {
      if (e.code == "NoSuchKey") continue;
      failed.push_back(
          KeyError{e.key, StatusFromS3Code(400, e.code, e.message, "",
                                           "delete " + std::string(bucket) + "/" + e.key)});
    }
  }
  return failed;
}

Result<ObjectInfo> S3Store::Copy(const ObjectRef& from, const ObjectRef& to,
                                 const PutOptions& options) {
  RETURN_IF_ERROR(ValidateKey(from.key));
  RETURN_IF_ERROR(ValidateKey(to.key));
  std::string context = "copy " + from.ToString() + " to " + to.ToString();
  Call call{"PUT", to.bucket, to.key};
  call.headers = internal::PutHeaders(options, options_);
  std::string source = "/" + from.bucket + "/" + UriEncode(from.key, false);
  if (!from.version_id.empty()) source += "?versionId=" + UriEncode(from.version_id, true);
  call.headers.emplace_back("x-amz-copy-source", source);
  bool replace = !options.content_type.empty() || !options.metadata.empty();
  call.headers.emplace_back("x-amz-metadata-directive", replace ? "REPLACE" : "COPY");
  ASSIGN_OR_RETURN(net::HttpResponse resp, Execute(call, context));
  // S3 can answer 200 to CopyObject and still fail: the error is in the body.
  Result<ObjectInfo> copied = ParseCopyResult(resp.body);
  if (!copied.ok()) return copied.status().WithContext(context);
  return Head(ObjectRef{to.bucket, to.key, resp.Header("x-amz-version-id")});
}

Result<bool> S3Store::GetVersioning(std::string_view bucket) {
  if (!options_.versioning) {
    return Unsupported("get versioning of " + std::string(bucket), "versioning");
  }
  Call call{"GET", std::string(bucket)};
  call.query = {{"versioning", ""}};
  ASSIGN_OR_RETURN(net::HttpResponse resp,
                   Execute(call, "get versioning of " + std::string(bucket)));
  return ParseVersioning(resp.body);
}

Status S3Store::SetVersioning(std::string_view bucket, bool enabled) {
  if (!options_.versioning) {
    return Unsupported("set versioning of " + std::string(bucket), "versioning");
  }
  std::string body = BuildVersioning(enabled);
  Call call{"PUT", std::string(bucket)};
  call.query = {{"versioning", ""}};
  call.headers = {{"content-md5", Base64Md5(body)}};
  call.body = body;
  call.sign_body = true;
  return Execute(call, "set versioning of " + std::string(bucket)).status();
}

Result<VersionPage> S3Store::ListVersions(std::string_view bucket, const ListOptions& options) {
  if (!options_.versioning) {
    return Unsupported("list versions in " + std::string(bucket), "versioning");
  }
  Call call{"GET", std::string(bucket)};
  call.query = {{"versions", ""}, {"max-keys", std::to_string(options.max_keys)}};
  if (!options.prefix.empty()) call.query.emplace_back("prefix", options.prefix);
  if (!options.continuation_token.empty()) {
    ASSIGN_OR_RETURN(auto markers, DecodeVersionToken(options.continuation_token));
    call.query.emplace_back("key-marker", markers.first);
    if (!markers.second.empty()) call.query.emplace_back("version-id-marker", markers.second);
  }
  ASSIGN_OR_RETURN(net::HttpResponse resp,
                   Execute(call, "list versions in " + std::string(bucket)));
  return ParseListObjectVersions(resp.body);
}

Result<std::string> S3Store::Presign(std::string_view method, const ObjectRef& ref,
                                     std::chrono::seconds expires) {
  RETURN_IF_ERROR(ValidateKey(ref.key));
  if (method != "GET" && method != "PUT") {
    return Status::InvalidArgument("presign " + ref.ToString() + ": method must be GET or PUT");
  }
  ASSIGN_OR_RETURN(Credentials creds, credentials_->Get());
  KeyValues query;
  if (!ref.version_id.empty()) query.emplace_back("versionId", ref.version_id);
  RequestTarget target = Address(endpoint_, options_.path_style, ref.bucket, ref.key, query);
  SignableRequest signable{std::string(method), target.path, query, {{"host", target.host_header}}};
  SigningParams params;
  params.region = options_.region;
  params.time = std::chrono::system_clock::now();
  params.payload_hash = std::string(kUnsignedPayload);
  ASSIGN_OR_RETURN(SigningResult signed_query, SignQuery(signable, creds, params, expires));
  KeyValues all = query;
  all.insert(all.end(), signed_query.query.begin(), signed_query.query.end());
  return Address(endpoint_, options_.path_style, ref.bucket, ref.key, all).url;
}

Result<std::vector<std::string>> S3Store::ListOpenUploads(std::string_view bucket,
                                                          std::string_view prefix) {
  Call call{"GET", std::string(bucket)};
  call.query = {{"uploads", ""}, {"prefix", std::string(prefix)}};
  ASSIGN_OR_RETURN(net::HttpResponse resp,
                   Execute(call, "list multipart uploads in " + std::string(bucket)));
  return ParseListUploads(resp.body);
}

Result<std::vector<std::string>> S3Store::AbortOpenUploads(std::string_view bucket,
                                                           std::string_view prefix,
                                                           TimePoint started_before) {
  std::vector<std::string> aborted;
  for (;;) {  // each round lists up to 1000 uploads; aborted ones leave the listing
    Call call{"GET", std::string(bucket)};
    call.query = {{"uploads", ""}, {"prefix", std::string(prefix)}};
    ASSIGN_OR_RETURN(net::HttpResponse resp,
                     Execute(call, "list multipart uploads in " + std::string(bucket)));
    ASSIGN_OR_RETURN(std::vector<OpenUpload> uploads, ParseOpenUploads(resp.body));
    size_t before = aborted.size();
    for (const OpenUpload& u : uploads) {
      if (u.initiated >= started_before) continue;
      Call abort{"DELETE", std::string(bucket), u.key};
      abort.query = {{"uploadId", u.upload_id}};
      Status s = Execute(abort, "abort upload of " + std::string(bucket) + "/" + u.key).status();
      if (!s.ok() && s.code() != StatusCode::kNotFound) return s;
      aborted.push_back(u.key);
    }
    if (aborted.size() == before || uploads.size() < 1000) return aborted;
  }
}

}  // namespace ch::s3
