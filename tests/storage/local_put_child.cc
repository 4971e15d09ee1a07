// Helper process for LocalStore's crash and multi-process tests: writes to a
// store the way a real second process would, reporting progress on stdout so
// the test knows when to kill it.
//
//   local_put_child slow-put  ROOT BUCKET KEY TOTAL_BYTES CHUNK_BYTES DELAY_US
//   local_put_child overwrite ROOT BUCKET KEY SIZE COUNT   (COUNT 0: until killed)
//   local_put_child create    ROOT BUCKET KEY VALUE        (waits for stdin EOF first)
//
// Exit codes: 0 success, 3 PreconditionFailed, 1 any other error, 2 bad usage.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "storage/local_store.h"

namespace {

// Bytes of 'N', handed out in CHUNK-sized reads with a pause before each,
// announcing "wrote <total so far>" after each.
class SlowSource final : public ch::ByteSource {
 public:
  SlowSource(uint64_t total, size_t chunk, int delay_us)
      : total_(total), chunk_(chunk), delay_us_(delay_us) {}
  ch::Result<size_t> Read(char* buf, size_t n) override {
    if (done_ > 0) {
      std::printf("wrote %llu\n", static_cast<unsigned long long>(done_));
      std::fflush(stdout);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us_));
    n = static_cast<size_t>(std::min<uint64_t>({n, chunk_, total_ - done_}));
    std::memset(buf, 'N', n);
    done_ += n;
    return n;
  }

 private:
  uint64_t total_;
  size_t chunk_;
  int delay_us_;
  uint64_t done_ = 0;
};

int ExitFor(const ch::Status& st) {
  if (st.ok()) return 0;
  if (st.code() == ch::StatusCode::kPreconditionFailed) return 3;  // expected when racing
  std::fprintf(stderr, "%s\n", st.ToString().c_str());
  return 1;
}

int Overwrite(ch::LocalStore& store, const ch::ObjectRef& ref, size_t size, long count) {
  for (long i = 0; count == 0 || i < count; ++i) {
    // The fill byte also names the content type, so a test can check that
    // bytes and metadata always belong to the same write.
    char fill = static_cast<char>('a' + (::getpid() + i) % 26);
    ch::PutOptions options;
    options.content_type = std::string("text/x-fill-") + fill;
    ch::Status st = store.Put(ref, std::string(size, fill), options).status();
    if (!st.ok()) return ExitFor(st);
    std::printf("put %c\n", fill);
    std::fflush(stdout);
  }
  return 0;
}

int Create(ch::LocalStore& store, const ch::ObjectRef& ref, const std::string& value) {
  char c;
  while (::read(STDIN_FILENO, &c, 1) > 0) {
  }
  ch::PutOptions options;
  options.if_none_match_any = true;
  return ExitFor(store.Put(ref, value, options).status());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: %s MODE ROOT BUCKET KEY ARGS...\n", argv[0]);
    return 2;
  }
  std::string mode = argv[1];
  ch::LocalStoreOptions options;
  options.root = argv[2];
  ch::Result<std::unique_ptr<ch::LocalStore>> store = ch::LocalStore::Make(options);
  if (!store.ok()) return ExitFor(store.status());
  ch::ObjectRef ref{argv[3], argv[4], ""};
  if (mode == "slow-put" && argc == 8) {
    SlowSource source(std::strtoull(argv[5], nullptr, 10), std::strtoull(argv[6], nullptr, 10),
                      std::atoi(argv[7]));
    ch::PutOptions put;
    put.content_type = "text/new";
    return ExitFor((*store)->PutStream(ref, source, put).status());
  }
  if (mode == "overwrite" && argc == 7) {
    return Overwrite(**store, ref, std::strtoull(argv[5], nullptr, 10), std::atol(argv[6]));
  }
  if (mode == "create" && argc == 6) return Create(**store, ref, argv[5]);
  std::fprintf(stderr, "unknown mode or wrong arguments: %s\n", mode.c_str());
  return 2;
}
