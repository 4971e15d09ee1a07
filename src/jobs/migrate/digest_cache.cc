// The digest cache of digest_cache.h over SQLite.
#include "jobs/migrate/digest_cache.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>

#include "core/os_error.h"
#include "storage/posix_file.h"

namespace ch::migrate {
namespace {

// Bumped when the table changes; an older file is dropped and rebuilt.
constexpr int kSchemaVersion = 1;
constexpr int kRowsPerTransaction = 512;
constexpr int kBusyTimeoutMs = 10000;

FileStamp StampFrom(const struct stat& st) {
  return FileStamp{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                   static_cast<uint64_t>(st.st_size), posix::TimespecNs(st.st_mtim),
                   posix::TimespecNs(st.st_ctim)};
}

// SQLite integers are signed 64-bit; unsigned values go through bit for bit.
int64_t AsInt(uint64_t v) { return static_cast<int64_t>(v); }

}  // namespace

Result<FileStamp> StampOf(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return StatusFromErrno(errno, "stat");
  return StampFrom(st);
}

Result<FileStamp> StampOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return StatusFromErrno(errno, "stat " + path);
  return StampFrom(st);
}

std::filesystem::path DigestCache::DefaultFile() {
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    base = std::filesystem::path(home) / ".cache";
  } else {
    return {};
  }
  return base / "climahealth" / "migrate-digests.sqlite3";
}

Status DigestCache::Error(std::string_view what) const {
  return Status::IOError("digest cache " + file_.string() + ": " + std::string(what) + ": " +
                         (db_ != nullptr ? sqlite3_errmsg(db_) : "cannot allocate"));
}

Status DigestCache::Exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) == SQLITE_OK) return Status::Ok();
  std::string text = message != nullptr ? message : "unknown error";
  sqlite3_free(message);
  return Status::IOError("digest cache " + file_.string() + ": " + text);
}

Result<std::unique_ptr<DigestCache>> DigestCache::Open(const std::filesystem::path& file) {
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) {
    return Status::IOError("digest cache: cannot create " + file.parent_path().string() + ": " +
                           ec.message());
  }
  std::unique_ptr<DigestCache> cache(new DigestCache(file));
  int rc =
      sqlite3_open_v2(file.c_str(), &cache->db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return cache->Error("open");
  sqlite3_busy_timeout(cache->db_, kBusyTimeoutMs);
  // WAL lets one process read while another commits; NORMAL sync may lose the
  // last commits on power loss, which for a cache only means hashing again.
  RETURN_IF_ERROR(cache->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"));
  sqlite3_stmt* version = nullptr;
  if (sqlite3_prepare_v2(cache->db_, "PRAGMA user_version", -1, &version, nullptr) != SQLITE_OK) {
    return cache->Error("read version");
  }
  int found = sqlite3_step(version) == SQLITE_ROW ? sqlite3_column_int(version, 0) : -1;
  sqlite3_finalize(version);
  if (found != kSchemaVersion) {
    RETURN_IF_ERROR(cache->Exec("DROP TABLE IF EXISTS file_digest"));
    RETURN_IF_ERROR(cache->Exec(
        "CREATE TABLE file_digest (path TEXT PRIMARY KEY, device INTEGER, inode INTEGER, "
        "size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, part_size INTEGER, "
        "threshold INTEGER, md5 TEXT, multipart_etag TEXT) WITHOUT ROWID"));
    RETURN_IF_ERROR(cache->Exec(("PRAGMA user_version=" + std::to_string(kSchemaVersion)).c_str()));
  }
  if (sqlite3_prepare_v2(cache->db_,
                         "SELECT md5, multipart_etag FROM file_digest WHERE path=?1 AND "
                         "device=?2 AND inode=?3 AND size=?4 AND mtime_ns=?5 AND ctime_ns=?6 "
                         "AND part_size=?7 AND threshold=?8",
                         -1, &cache->find_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(cache->db_,
                         "INSERT OR REPLACE INTO file_digest VALUES "
                         "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                         -1, &cache->remember_, nullptr) != SQLITE_OK) {
    return cache->Error("prepare");
  }
  return cache;
}

DigestCache::~DigestCache() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (db_ != nullptr && pending_ > 0) (void)CommitLocked();  // best effort: it is a cache
  }
  sqlite3_finalize(find_);
  sqlite3_finalize(remember_);
  sqlite3_close(db_);
}

namespace {

void BindKey(sqlite3_stmt* stmt, const std::string& path, const FileStamp& stamp,
             const DigestLayout& layout) {
  sqlite3_bind_text(stmt, 1, path.data(), static_cast<int>(path.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 2, AsInt(stamp.device));
  sqlite3_bind_int64(stmt, 3, AsInt(stamp.inode));
  sqlite3_bind_int64(stmt, 4, AsInt(stamp.size));
  sqlite3_bind_int64(stmt, 5, stamp.mtime_ns);
  sqlite3_bind_int64(stmt, 6, stamp.ctime_ns);
  sqlite3_bind_int64(stmt, 7, AsInt(layout.part_size));
  sqlite3_bind_int64(stmt, 8, AsInt(layout.threshold));
}

std::string ColumnText(sqlite3_stmt* stmt, int column) {
  const unsigned char* text = sqlite3_column_text(stmt, column);
  return text != nullptr ? std::string(reinterpret_cast<const char*>(text)) : std::string();
}

}  // namespace

Result<std::optional<Digest>> DigestCache::Find(const std::string& path, const FileStamp& stamp,
                                                const DigestLayout& layout) {
  std::lock_guard<std::mutex> lock(mu_);
  sqlite3_reset(find_);
  BindKey(find_, path, stamp, layout);
  int rc = sqlite3_step(find_);
  if (rc == SQLITE_DONE) return std::optional<Digest>();
  if (rc != SQLITE_ROW) return Error("look up " + path);
  Digest digest{ColumnText(find_, 0), ColumnText(find_, 1), stamp.size};
  sqlite3_reset(find_);
  return std::optional<Digest>(std::move(digest));
}

Status DigestCache::Remember(const std::string& path, const FileStamp& stamp,
                             const DigestLayout& layout, const Digest& digest) {
  std::lock_guard<std::mutex> lock(mu_);
  if (pending_ == 0) RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  sqlite3_reset(remember_);
  BindKey(remember_, path, stamp, layout);
  sqlite3_bind_text(remember_, 9, digest.md5.data(), static_cast<int>(digest.md5.size()),
                    SQLITE_TRANSIENT);
  sqlite3_bind_text(remember_, 10, digest.multipart_etag.data(),
                    static_cast<int>(digest.multipart_etag.size()), SQLITE_TRANSIENT);
  int rc = sqlite3_step(remember_);
  sqlite3_reset(remember_);
  ++pending_;
  if (rc != SQLITE_DONE) return Error("record " + path);
  return pending_ >= kRowsPerTransaction ? CommitLocked() : Status::Ok();
}

Status DigestCache::Flush() {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_ > 0 ? CommitLocked() : Status::Ok();
}

Status DigestCache::CommitLocked() {
  pending_ = 0;
  return Exec("COMMIT");
}

namespace {

// A file changed within this long before it was read may have been changed
// again within the same timestamp tick while it was read, leaving the same
// stamp on other bytes (the "racy" case git also guards against); such a
// file is hashed again next time instead of being remembered.
constexpr int64_t kSettleNs = 2'000'000'000;

// `before` if the file kept that stamp through the read and had settled.
std::optional<FileStamp> SteadyStamp(int fd, const FileStamp& before) {
  Result<FileStamp> after = StampOf(fd);
  if (!after.ok() || !(*after == before)) return std::nullopt;
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  int64_t now_ns = posix::TimespecNs(now);
  if (before.ctime_ns > now_ns - kSettleNs || before.mtime_ns > now_ns - kSettleNs) {
    return std::nullopt;
  }
  return before;
}

}  // namespace

Result<StampedDigest> HashFileStamped(const std::string& path, const DigestLayout& layout) {
  ASSIGN_OR_RETURN(posix::UniqueFd fd, posix::Open(path, O_RDONLY, 0, "digest"));
  ASSIGN_OR_RETURN(FileStamp before, StampOf(fd.get()));
  ASSIGN_OR_RETURN(Digest digest,
                   HashOpenFile(fd.get(), before.size, layout.part_size, layout.threshold, path));
  std::optional<FileStamp> stamp;
  if (digest.size == before.size) stamp = SteadyStamp(fd.get(), before);
  return StampedDigest{std::move(digest), stamp};
}

Result<StampedBytes> ReadFileStamped(const std::string& path) {
  ASSIGN_OR_RETURN(posix::UniqueFd fd, posix::Open(path, O_RDONLY, 0, "read"));
  ASSIGN_OR_RETURN(FileStamp before, StampOf(fd.get()));
  StampedBytes out;
  std::string& bytes = out.bytes;
  bytes.resize(before.size + 1);  // the extra byte reveals a file that grew
  size_t have = 0;
  for (;;) {
    ASSIGN_OR_RETURN(size_t got, posix::PreadFull(fd.get(), bytes.data() + have,
                                                  bytes.size() - have, have, "read " + path));
    have += got;
    if (have < bytes.size()) break;  // end of file
    bytes.resize(bytes.size() * 2);
  }
  bytes.resize(have);
  if (have == before.size) out.stamp = SteadyStamp(fd.get(), before);
  return out;
}

}  // namespace ch::migrate
