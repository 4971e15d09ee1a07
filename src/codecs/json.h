// The platform's JSON document type: an alias of nlohmann::json.
//
// Why an alias and not our own type: services build and read documents
// (predictions, forecasts, alerts, model metadata) through a full DOM API;
// wrapping it would copy a large interface for no gain. The library is
// header-only, so nothing leaks at link time, and this one header is the only
// place that names it: swapping the implementation is a change here plus the
// call sites' DOM use. Parsing and printing go through codecs/json_codec.h,
// which never lets an exception out.
#pragma once

#include <nlohmann/json.hpp>

namespace ch {

// Objects keep their keys sorted, so the same document always prints the same bytes.
using Json = nlohmann::json;

}  // namespace ch
