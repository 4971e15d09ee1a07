// ApiServer: wires the ApiService to the HttpListener.
#include "api/api_server.h"

#include <algorithm>
#include <cctype>

#include "api/api_service.h"

namespace ch::api {

struct ApiServer::Impl {
  std::unique_ptr<ApiService> service;
  std::unique_ptr<HttpListener> listener;
  std::string host;
};

Result<std::unique_ptr<ApiServer>> ApiServer::Start(ApiServerOptions options, ObjectStore& store,
                                                    BucketNames buckets,
                                                    obs::MetricsRegistry& registry,
                                                    ModelLister models, JobRegistry jobs) {
  for (std::string& hash : options.api_key_sha256) {
    std::transform(hash.begin(), hash.end(), hash.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    bool hex = hash.size() == 64 && std::all_of(hash.begin(), hash.end(), [](char c) {
                 return std::isxdigit(static_cast<unsigned char>(c)) != 0;
               });
    if (!hex) {
      return Status::InvalidArgument("api key hashes must be 64 hex digits (SHA-256)");
    }
  }
  auto impl = std::make_unique<Impl>();
  impl->host = options.listener.host;
  ListenerOptions listener_options = options.listener;
  impl->service = std::make_unique<ApiService>(std::move(options), store, std::move(buckets),
                                               registry, std::move(models), std::move(jobs));
  ApiService* service = impl->service.get();
  ListenerCallbacks callbacks;
  callbacks.handle = [service](const HttpRequest& request) { return service->Handle(request); };
  callbacks.reject = [service](const HttpRequest& request, int status, const std::string& message) {
    return service->Reject(request, status, message);
  };
  ASSIGN_OR_RETURN(impl->listener, HttpListener::Start(listener_options, std::move(callbacks)));
  return std::unique_ptr<ApiServer>(new ApiServer(std::move(impl)));
}

ApiServer::ApiServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ApiServer::~ApiServer() { Shutdown(); }

uint16_t ApiServer::port() const { return impl_->listener->port(); }

std::string ApiServer::url() const {
  std::string host =
      impl_->host.find(':') != std::string::npos ? "[" + impl_->host + "]" : impl_->host;
  return "http://" + host + ":" + std::to_string(port()) + "/";
}

void ApiServer::Shutdown() {
  impl_->listener->Shutdown();
  impl_->service->Shutdown();
}

}  // namespace ch::api
