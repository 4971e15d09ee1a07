// errno → Status, in one place so every module words OS failures alike.
#include "core/os_error.h"

#include <cerrno>
#include <cstring>
#include <string>

namespace ch {

Status StatusFromErrno(int err, std::string_view context) {
  std::string msg(context);
  msg += ": ";
  msg += std::strerror(err);
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return Status::NotFound(std::move(msg));
    case EACCES:
    case EPERM:
    case EROFS:
      return Status::PermissionDenied(std::move(msg));
    case EEXIST:
      return Status::AlreadyExists(std::move(msg));
    case EINTR:
    case EAGAIN:
    case EBUSY:
    case ETIMEDOUT:
      return Status::Unavailable(std::move(msg));
    case EINVAL:
    case ENAMETOOLONG:
    case EISDIR:
      return Status::InvalidArgument(std::move(msg));
    default:
      return Status::IOError(std::move(msg));
  }
}

}  // namespace ch
