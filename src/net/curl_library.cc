// LoadCurl: dlopen and dlsym, once.
#include "net/curl_library.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace ch::net {
namespace {

// The soname of libcurl's ABI, unchanged since 7.16 (2006).
constexpr const char* kCurlSoname = "libcurl.so.4";
constexpr unsigned kMinimumVersion = 0x073e00;  // 7.62.0

template <typename Fn>
bool Resolve(void* handle, const char* name, Fn* out, std::string* missing) {
  void* symbol = ::dlsym(handle, name);
  if (symbol == nullptr) {
    if (!missing->empty()) *missing += ", ";
    *missing += name;
    return false;
  }
  *out = reinterpret_cast<Fn>(symbol);
  return true;
}

Result<const CurlLibrary*> Open() {
  static CurlLibrary library;
  // RTLD_NODELETE: the library stays for the process's life, as when linked.
  void* handle = ::dlopen(kCurlSoname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (handle == nullptr) {
    const char* reason = ::dlerror();
    return Status::Unavailable(std::string("http client: cannot load ") + kCurlSoname + " (" +
                               (reason != nullptr ? reason : "unknown reason") +
                               "); install libcurl4");
  }
  std::string missing;
  CurlLibrary& l = library;
  bool ok = true;
#define CH_CURL_RESOLVE(name) ok &= Resolve(handle, "curl_" #name, &l.name, &missing);
  CH_CURL_FUNCTIONS(CH_CURL_RESOLVE)
#undef CH_CURL_RESOLVE
  if (!ok) {
    return Status::Unavailable(std::string("http client: ") + kCurlSoname + " lacks " + missing);
  }
  const curl_version_info_data* version = l.version_info(CURLVERSION_NOW);
  if (version == nullptr || version->version_num < kMinimumVersion) {
    return Status::Unavailable(std::string("http client: ") + kCurlSoname + " is version " +
                               (version != nullptr ? version->version : "unknown") +
                               "; 7.62 or newer is needed");
  }
  CURLcode init = l.global_init(CURL_GLOBAL_DEFAULT);
  if (init != CURLE_OK) {
    return Status::Unavailable(std::string("http client: curl_global_init: ") +
                               l.easy_strerror(init));
  }
  return &library;
}

}  // namespace

Result<const CurlLibrary*> LoadCurl() {
  static std::once_flag once;
  static Result<const CurlLibrary*> loaded = Status::Internal("not loaded");
  std::call_once(once, [] { loaded = Open(); });
  return loaded;
}

}  // namespace ch::net
