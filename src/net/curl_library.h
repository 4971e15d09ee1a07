// libcurl, opened when the first HTTP client is made instead of at process
// start. With its two dozen dependent libraries, linking it at start costs
// every process several milliseconds of dynamic linking (about a tenth of a
// cold `predict`), which commands on the local store never need.
#pragma once

#include <curl/curl.h>

#include "core/status.h"

namespace ch::net {

// The libcurl functions the HTTP client calls, named without "curl_"; one
// list for the table below, its loading and its test.
// clang-format off
#define CH_CURL_FUNCTIONS(X)                                              \
  X(global_init) X(version_info)                                          \
  X(easy_init) X(easy_setopt) X(easy_perform) X(easy_getinfo)             \
  X(easy_reset) X(easy_cleanup) X(easy_strerror)                          \
  X(share_init) X(share_setopt) X(share_cleanup)                          \
  X(slist_append) X(slist_free_all)
// clang-format on

// Each function resolved from the library: CurlLibrary::easy_init is curl_easy_init.
struct CurlLibrary {
// NOLINTNEXTLINE(bugprone-macro-parentheses): `name` is a declarator, not an expression.
#define CH_CURL_MEMBER(name) decltype(&::curl_##name) name = nullptr;
  CH_CURL_FUNCTIONS(CH_CURL_MEMBER)
#undef CH_CURL_MEMBER
};

// Opens libcurl and runs curl_global_init, once per process; later calls
// return the same answer. Unavailable, naming the library and the loader's
// reason, when it is missing, lacks a function or is older than 7.62 (the
// first with CURLOPT_UPLOAD_BUFFERSIZE). Thread-safe.
Result<const CurlLibrary*> LoadCurl();

}  // namespace ch::net
