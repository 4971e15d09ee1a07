// Sorted directory walk over readdir/fstatat, and a paging store listing.
#include "jobs/migrate/cursors.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include "core/os_error.h"

namespace ch::migrate {
namespace {

class DirectoryCursor final : public EntryCursor {
 public:
  explicit DirectoryCursor(std::string root) : root_(std::move(root)) {}

  Result<std::optional<Entry>> Next() override {
    if (!started_) {
      started_ = true;
      struct stat st {};
      if (::stat(root_.c_str(), &st) != 0) {
        if (errno == ENOENT) return std::optional<Entry>();
        return StatusFromErrno(errno, "walk " + root_);
      }
      if (!S_ISDIR(st.st_mode))
        return Status::InvalidArgument("walk " + root_ + ": not a directory");
      RETURN_IF_ERROR(Push(""));
    }
    while (!levels_.empty()) {
      Level& level = levels_.back();
      if (level.pos == level.items.size()) {
        levels_.pop_back();
        continue;
      }
      Item item = std::move(level.items[level.pos++]);
      std::string rel = level.prefix + item.name;
      if (item.dir) {
        RETURN_IF_ERROR(Push(rel));
        continue;
      }
      return std::optional<Entry>(Entry{std::move(rel), item.size, ""});
    }
    return std::optional<Entry>();
  }

 private:
  struct Item {
    std::string name;  // a directory's ends in '/', so names sort like keys
    bool dir = false;
    uint64_t size = 0;
  };
  struct Level {
    std::string prefix;
    std::vector<Item> items;
    size_t pos = 0;
  };

  // Reads one directory (`prefix` is "" or ends in '/'), sorted by name.
  Status Push(const std::string& prefix) {
    std::string path = prefix.empty() ? root_ : root_ + "/" + prefix;
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) {
      if (errno == ENOENT) return Status::Ok();  // vanished meanwhile
      return StatusFromErrno(errno, "read directory " + path);
    }
    Level level{prefix, {}, 0};
    int fd = ::dirfd(dir);
    errno = 0;
    while (struct dirent* d = ::readdir(dir)) {
      std::string name = d->d_name;
      if (name == "." || name == "..") continue;
      struct stat st {};
      if (::fstatat(fd, d->d_name, &st, 0) != 0) continue;  // vanished or dangling link
      if (S_ISDIR(st.st_mode) && d->d_type != DT_LNK) {
        level.items.push_back(Item{std::move(name) + "/", true, 0});
      } else if (S_ISREG(st.st_mode)) {
        level.items.push_back(Item{std::move(name), false, static_cast<uint64_t>(st.st_size)});
      }
    }
    int err = errno;
    ::closedir(dir);
    if (err != 0) return StatusFromErrno(err, "read directory " + path);
    std::sort(level.items.begin(), level.items.end(),
              [](const Item& a, const Item& b) { return a.name < b.name; });
    levels_.push_back(std::move(level));
    return Status::Ok();
  }

  std::string root_;
  bool started_ = false;
  std::vector<Level> levels_;
};

class StoreCursor final : public EntryCursor {
 public:
  StoreCursor(ObjectStore& store, std::string bucket, std::string prefix)
      : store_(store), bucket_(std::move(bucket)), prefix_(std::move(prefix)) {}

  Result<std::optional<Entry>> Next() override {
    while (pos_ == page_.objects.size()) {
      if (started_ && page_.next_token.empty()) return std::optional<Entry>();
      ListOptions options;
      options.prefix = prefix_;
      options.continuation_token = page_.next_token;
      started_ = true;
      ASSIGN_OR_RETURN(page_, store_.List(bucket_, options));
      pos_ = 0;
    }
    ObjectInfo& info = page_.objects[pos_++];
    return std::optional<Entry>(
        Entry{info.key.substr(prefix_.size()), info.size, std::move(info.etag)});
  }

 private:
  ObjectStore& store_;
  std::string bucket_;
  std::string prefix_;
  ListPage page_;
  size_t pos_ = 0;
  bool started_ = false;
};

}  // namespace

std::unique_ptr<EntryCursor> WalkDirectory(std::string root) {
  return std::make_unique<DirectoryCursor>(std::move(root));
}

std::unique_ptr<EntryCursor> WalkStore(ObjectStore& store, std::string bucket, std::string prefix) {
  return std::make_unique<StoreCursor>(store, std::move(bucket), std::move(prefix));
}

}  // namespace ch::migrate
