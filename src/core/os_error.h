// The one translation of errno values into Status codes.
#pragma once

#include <string_view>

#include "core/status.h"

namespace ch {

// Maps `err` (an errno value) to a Status whose message is
// "<context>: <strerror text>". ENOENT → NotFound, EACCES/EPERM →
// PermissionDenied, EEXIST → AlreadyExists, EINTR/EAGAIN/ENOSPC-free
// transient cases → Unavailable, everything else → IOError.
Status StatusFromErrno(int err, std::string_view context);

}  // namespace ch
