#include "cli/std_streams.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "core/os_error.h"
#include "storage/posix_file.h"

namespace ch::cli {

Result<size_t> StdinSource::Read(char* buf, size_t n) {
  for (;;) {
    ssize_t got = ::read(STDIN_FILENO, buf, n);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) return StatusFromErrno(errno, "read stdin");
  }
}

StdoutSink::StdoutSink() { std::fflush(stdout); }

Status StdoutSink::Write(std::string_view bytes) {
  return posix::WriteAll(STDOUT_FILENO, bytes, "stdout");
}

}  // namespace ch::cli
