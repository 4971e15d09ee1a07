// The process's standard input and output as ByteSource / ByteSink, for the
// store verbs that read from "-" or write to "-".
#pragma once

#include "storage/object_store.h"

namespace ch::cli {

// Reads stdin until end of file.
class StdinSource final : public ByteSource {
 public:
  Result<size_t> Read(char* buf, size_t n) override;
};

// Writes straight to the stdout descriptor. Whatever stdio had buffered is
// flushed first, so object bytes never overtake earlier output.
class StdoutSink final : public ByteSink {
 public:
  StdoutSink();
  Status Write(std::string_view bytes) override;
};

}  // namespace ch::cli
