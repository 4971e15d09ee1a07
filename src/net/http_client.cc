// HttpClient over libcurl: pooled easy handles sharing one connection/DNS/TLS cache.
#include "net/http_client.h"

#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <mutex>

#include "core/interrupt.h"
#include "net/curl_library.h"

namespace ch::net {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// State of one transfer, reached from the libcurl callbacks.
struct Transfer {
  const HttpRequest* request = nullptr;
  HttpResponse* response = nullptr;
  Status callback_status;  // the first error a callback hit
  uint64_t body_offset = 0;
  bool started = false;
  // Stall watchdog: when the byte counts last moved.
  std::chrono::seconds stall_timeout{0};
  curl_off_t last_bytes = -1;
  std::chrono::steady_clock::time_point last_move;
};

void StartResponse(Transfer* t) {
  int status = t->response->status;
  if (t->started || status < 200 || status >= 300) return;
  t->started = true;
  if (t->request->on_response_start) t->request->on_response_start(*t->response);
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    // A new status line (after 100 Continue or a redirect) starts a new header block.
    size_t sp = line.find(' ');
    t->response->status = sp == std::string_view::npos ? 0 : std::atoi(line.data() + sp + 1);
    t->response->headers.clear();
    return size * n;
  }
  if (line == "\r\n") {
    StartResponse(t);  // headers complete, even if the body never comes
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    t->response->headers.emplace_back(Lower(Trim(line.substr(0, colon))),
                                      std::string(Trim(line.substr(colon + 1))));
  }
  return size * n;
}

size_t OnWrite(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view bytes(data, size * n);
  int status = t->response->status;
  StartResponse(t);
  if (t->request->on_body && status >= 200 && status < 300) {
    Status st = t->request->on_body(bytes);
    if (!st.ok()) {
      t->callback_status = std::move(st);
      return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
    }
    return bytes.size();
  }
  t->response->body.append(bytes);
  return bytes.size();
}

size_t OnRead(char* buf, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t room = size * n;
  if (t->request->body_at) {
    size_t want =
        static_cast<size_t>(std::min<uint64_t>(room, t->request->body_size - t->body_offset));
    if (want == 0) return 0;
    Result<size_t> got = t->request->body_at(buf, want, t->body_offset);
    if (got.ok() && *got == 0) {
      got = Status::IOError(t->request->method + " " + t->request->url.substr(0, 200) +
                            ": the body ended after " + std::to_string(t->body_offset) + " of " +
                            std::to_string(t->request->body_size) + " bytes");
    }
    if (!got.ok()) {
      t->callback_status = got.status();
      return CURL_READFUNC_ABORT;
    }
    t->body_offset += *got;
    return *got;
  }
  std::string_view rest = t->request->body.substr(static_cast<size_t>(t->body_offset));
  size_t take = std::min(room, rest.size());
  std::copy_n(rest.data(), take, buf);
  t->body_offset += take;
  return take;
}

// libcurl rewinds the body when it resends a request on a fresh connection.
int OnSeek(void* user, curl_off_t offset, int origin) {
  auto* t = static_cast<Transfer*>(user);
  uint64_t size = t->request->body_at ? t->request->body_size : t->request->body.size();
  if (origin != SEEK_SET || offset < 0 || static_cast<uint64_t>(offset) > size) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  t->body_offset = static_cast<uint64_t>(offset);
  return CURL_SEEKFUNC_OK;
}

// Cuts a transfer that moved no byte for stall_timeout (libcurl's own low-speed
// check averages over several seconds, so a stall after a burst is seen late),
// or that an interrupt stops. libcurl calls this at least once a second, also
// while no byte moves.
int OnProgress(void* user, curl_off_t /*dltotal*/, curl_off_t dlnow, curl_off_t /*ultotal*/,
               curl_off_t ulnow) {
  auto* t = static_cast<Transfer*>(user);
  if (t->request->interruptible && Interrupted()) {
    t->callback_status =
        InterruptedStatus(t->request->method + " " + t->request->url.substr(0, 200));
    return 1;
  }
  auto now = std::chrono::steady_clock::now();
  if (dlnow + ulnow != t->last_bytes) {
    t->last_bytes = dlnow + ulnow;
    t->last_move = now;
    return 0;
  }
  if (t->stall_timeout.count() > 0 && now - t->last_move > t->stall_timeout) {
    t->callback_status = Status::Unavailable(
        t->request->method + " " + t->request->url.substr(0, 200) + ": connection stalled (no " +
        "bytes for " + std::to_string(t->stall_timeout.count()) + " s)");
    return 1;
  }
  return 0;
}

}  // namespace

struct HttpClient::Impl {
  explicit Impl(const CurlLibrary& library) : curl(library) {}
  const CurlLibrary& curl;
  HttpClientOptions options;
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;
  std::mutex pool_mu;
  std::vector<CURL*> pool;
  std::atomic<uint64_t> connections{0};

  ~Impl() {
    for (CURL* h : pool) curl.easy_cleanup(h);
    if (share != nullptr) curl.share_cleanup(share);
  }

  CURL* Acquire() {
    {
      std::lock_guard<std::mutex> lock(pool_mu);
      if (!pool.empty()) {
        CURL* h = pool.back();
        pool.pop_back();
        curl.easy_reset(h);  // keeps the handle's connections and caches
        return h;
      }
    }
    return curl.easy_init();
  }

  void Release(CURL* h) {
    std::lock_guard<std::mutex> lock(pool_mu);
    pool.push_back(h);
  }

  void Configure(CURL* h, const HttpRequest& req, Transfer& t, curl_slist* headers) const;
};

constexpr long kTransferBufferBytes = 512 << 10;

void HttpClient::Impl::Configure(CURL* h, const HttpRequest& req, Transfer& t,
                                 curl_slist* headers) const {
  curl.easy_setopt(h, CURLOPT_SHARE, share);
  curl.easy_setopt(h, CURLOPT_MAXCONNECTS, options.max_idle_connections);
  curl.easy_setopt(h, CURLOPT_URL, req.url.c_str());
  curl.easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);  // S3 keys may contain "." and ".." segments
  curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl.easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl.easy_setopt(h, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl.easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl.easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
  curl.easy_setopt(h, CURLOPT_HEADERDATA, &t);
  curl.easy_setopt(h, CURLOPT_WRITEFUNCTION, OnWrite);
  curl.easy_setopt(h, CURLOPT_WRITEDATA, &t);
  // Larger than libcurl's 16 KiB (download) and 64 KiB (upload) buffers: a
  // 16 MiB part then moves in a few dozen callbacks and socket calls, not a thousand.
  curl.easy_setopt(h, CURLOPT_BUFFERSIZE, kTransferBufferBytes);
  curl.easy_setopt(h, CURLOPT_UPLOAD_BUFFERSIZE, kTransferBufferBytes);
  curl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options.connect_timeout.count()));
  t.stall_timeout = options.stall_timeout;
  t.last_move = std::chrono::steady_clock::now();
  curl.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl.easy_setopt(h, CURLOPT_XFERINFODATA, &t);
  curl.easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl.easy_setopt(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.stall_timeout.count()));
  if (req.timeout.count() > 0) {
    curl.easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout.count()));
  }
  curl.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
  curl.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
  if (req.url.starts_with("https:")) {
    std::string bundle = options.ca_bundle;
    const char* env = std::getenv("AWS_CA_BUNDLE");
    if (bundle.empty() && env != nullptr) bundle = env;
    if (!bundle.empty()) curl.easy_setopt(h, CURLOPT_CAINFO, bundle.c_str());
  }
  if (req.method == "HEAD") {
    curl.easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (req.method == "PUT" || req.method == "POST") {
    curl.easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl.easy_setopt(h, CURLOPT_READFUNCTION, OnRead);
    curl.easy_setopt(h, CURLOPT_READDATA, &t);
    curl.easy_setopt(h, CURLOPT_SEEKFUNCTION, OnSeek);
    curl.easy_setopt(h, CURLOPT_SEEKDATA, &t);
    curl_off_t size = static_cast<curl_off_t>(req.body_at ? req.body_size : req.body.size());
    curl.easy_setopt(h, CURLOPT_INFILESIZE_LARGE, size);
    curl.easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  } else if (req.method != "GET") {
    curl.easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
}

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

Result<std::unique_ptr<HttpClient>> HttpClient::Make(HttpClientOptions options) {
  ASSIGN_OR_RETURN(const CurlLibrary* curl, LoadCurl());
  auto impl = std::make_unique<Impl>(*curl);
  impl->options = std::move(options);
  impl->share = curl->share_init();
  if (impl->share == nullptr) return Status::Internal("http client: curl_share_init failed");
  auto lock = +[](CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Impl*>(user)->locks[data].lock();
  };
  auto unlock = +[](CURL*, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->locks[data].unlock();
  };
  curl->share_setopt(impl->share, CURLSHOPT_LOCKFUNC, lock);
  curl->share_setopt(impl->share, CURLSHOPT_UNLOCKFUNC, unlock);
  curl->share_setopt(impl->share, CURLSHOPT_USERDATA, impl.get());
  curl->share_setopt(impl->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl->share_setopt(impl->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  curl->share_setopt(impl->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

Result<HttpResponse> HttpClient::Send(const HttpRequest& request) {
  if (request.interruptible && Interrupted()) {
    return InterruptedStatus(request.method + " " + request.url.substr(0, 200));
  }
  CURL* h = impl_->Acquire();
  if (h == nullptr) return Status::Internal("http client: curl_easy_init failed");
  HttpResponse response;
  Transfer t{&request, &response, Status::Ok(), 0};
  curl_slist* headers = impl_->curl.slist_append(nullptr, "Expect:");  // no 100-continue round trip
  for (const auto& [name, value] : request.headers) {
    std::string line = name;
    line += value.empty() ? ";" : ": ";
    line += value;
    headers = impl_->curl.slist_append(headers, line.c_str());
  }
  impl_->Configure(h, request, t, headers);
  CURLcode code = impl_->curl.easy_perform(h);
  long opened = 0;
  impl_->curl.easy_getinfo(h, CURLINFO_NUM_CONNECTS, &opened);
  impl_->connections += static_cast<uint64_t>(opened);
  impl_->curl.slist_free_all(headers);
  impl_->Release(h);
  if (!t.callback_status.ok()) return t.callback_status;
  if (code == CURLE_OK) StartResponse(&t);  // an empty body calls no write callback
  if (code != CURLE_OK) {
    return StatusFromCurl(code, request.method + " " + request.url.substr(0, 200));
  }
  return response;
}

uint64_t HttpClient::ConnectionsOpened() const { return impl_->connections.load(); }

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

Status StatusFromCurl(int curl_code, std::string_view context) {
  auto code = static_cast<CURLcode>(curl_code);
  Result<const CurlLibrary*> curl = LoadCurl();
  std::string msg = std::string(context) + ": " +
                    (curl.ok() ? std::string((*curl)->easy_strerror(code))
                               : "libcurl error " + std::to_string(curl_code));
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
      return Status::Unavailable(msg);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Status::InvalidArgument(msg);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return Status::PermissionDenied(msg);
    default:
      return Status::IOError(msg);
  }
}

}  // namespace ch::net
