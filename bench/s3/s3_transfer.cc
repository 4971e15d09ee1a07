// S3 transfer benchmark client: uploads or downloads one large file or a directory
// of small files with S3Store, at a given concurrency, and prints the wall time.
//
// Usage: bench_s3_transfer ENDPOINT BUCKET put|get LOCAL PREFIX CONCURRENCY PART_MIB
//   put: LOCAL is a file (→ PREFIX as the key) or a directory (each file → PREFIX/name)
//   get: PREFIX is a key (→ LOCAL file) or ends in '/' (every key under it → LOCAL dir)
// Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "storage/s3/s3_store.h"

namespace {

namespace fs = std::filesystem;
using ch::ObjectRef;
using ch::Status;

// Runs `work(i)` for i in [0, n) on `threads` threads; the first error wins.
Status ParallelFor(size_t n, int threads, const std::function<Status(size_t)>& work) {
  std::atomic<size_t> next{0};
  std::mutex mu;
  Status first;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = next++) < n;) {
        Status st = work(i);
        std::lock_guard<std::mutex> lock(mu);
        if (!st.ok() && first.ok()) first = st;
      }
    });
  }
  for (std::thread& t : pool) t.join();
  return first;
}

Status Put(ch::s3::S3Store& store, const std::string& bucket, const fs::path& local,
           const std::string& prefix, int concurrency) {
  if (!fs::is_directory(local)) return store.PutFile({bucket, prefix, ""}, local).status();
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(local)) files.push_back(e.path());
  return ParallelFor(files.size(), concurrency, [&](size_t i) {
    return store.PutFile({bucket, prefix + "/" + files[i].filename().string(), ""}, files[i])
        .status();
  });
}

Status Get(ch::s3::S3Store& store, const std::string& bucket, const fs::path& local,
           const std::string& prefix, int concurrency) {
  if (!prefix.ends_with("/")) return store.GetFile({bucket, prefix, ""}, local).status();
  std::vector<std::string> keys;
  RETURN_IF_ERROR(ch::ForEachObject(store, bucket, prefix, [&](const ch::ObjectInfo& info) {
    keys.push_back(info.key);
    return Status::Ok();
  }));
  fs::create_directories(local);
  return ParallelFor(keys.size(), concurrency, [&](size_t i) {
    return store.GetFile({bucket, keys[i], ""}, local / keys[i].substr(prefix.size())).status();
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr, "usage: %s ENDPOINT BUCKET put|get LOCAL PREFIX CONCURRENCY PART_MIB\n",
                 argv[0]);
    return 2;
  }
  ch::s3::S3StoreOptions o;
  o.endpoint = argv[1];
  o.path_style = true;
  o.concurrency = std::atoi(argv[6]);
  o.part_size = static_cast<uint64_t>(std::atoi(argv[7])) << 20;
  o.multipart_threshold = o.part_size;
  const char* ak = std::getenv("AWS_ACCESS_KEY_ID");
  const char* sk = std::getenv("AWS_SECRET_ACCESS_KEY");
  auto creds = std::make_shared<ch::s3::StaticCredentialsProvider>(
      ch::s3::Credentials{ak ? ak : "", sk ? sk : "", "", std::nullopt});
  auto store = ch::s3::S3Store::Make(o, creds);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::string mode = argv[3];
  Status st = mode == "put" ? Put(**store, argv[2], argv[4], argv[5], o.concurrency)
                            : Get(**store, argv[2], argv[4], argv[5], o.concurrency);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  std::printf("{\"seconds\": %.3f}\n", secs);
  return 0;
}
