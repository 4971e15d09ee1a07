// Sorted, lazy directory walk behind LocalStore's List, Size and ListVersions.
#include "storage/local_walk.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include "core/os_error.h"
#include "storage/local_layout.h"

namespace ch::local {
namespace {

// Closes a DIR* on scope exit.
struct DirCloser {
  DIR* dir;
  ~DirCloser() { ::closedir(dir); }
};

enum class Kind { kOther, kFile, kDir };

Kind KindOf(DIR* dir, const dirent* entry) {
  if (entry->d_type == DT_REG) return Kind::kFile;
  if (entry->d_type == DT_DIR) return Kind::kDir;
  if (entry->d_type != DT_UNKNOWN) return Kind::kOther;
  struct stat st {};
  if (::fstatat(::dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return Kind::kOther;
  if (S_ISREG(st.st_mode)) return Kind::kFile;
  return S_ISDIR(st.st_mode) ? Kind::kDir : Kind::kOther;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// Whether every '/'-separated segment of `rel` is a plain name (not empty,
// ".", ".." or the reserved directory at the top).
bool IsPlainRelativePath(std::string_view rel) {
  size_t start = 0;
  while (start <= rel.size()) {
    size_t slash = rel.find('/', start);
    if (slash == std::string_view::npos) slash = rel.size();
    std::string_view segment = rel.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (start == 0 && segment == kReservedDir) return false;
    start = slash + 1;
  }
  return true;
}

}  // namespace

KeyWalker::KeyWalker(Options options) : options_(std::move(options)) {}

void KeyWalker::RaiseBound(std::string bound) {
  if (options_.bound.empty() || bound > options_.bound ||
      (bound == options_.bound && options_.inclusive)) {
    options_.bound = std::move(bound);
    options_.inclusive = false;
  }
}

bool KeyWalker::SubtreeWanted(const std::string& dir_prefix) const {
  const std::string& prefix = options_.prefix;
  if (!StartsWith(dir_prefix, prefix) && !StartsWith(prefix, dir_prefix)) return false;
  // Every key below dir_prefix starts with it; a bound past it that does not
  // start with it is greater than all of them.
  const std::string& bound = options_.bound;
  return bound.empty() || bound < dir_prefix || StartsWith(bound, dir_prefix);
}

bool KeyWalker::KeyWanted(const std::string& key) const {
  if (!StartsWith(key, options_.prefix)) return false;
  const std::string& bound = options_.bound;
  return bound.empty() || key > bound || (options_.inclusive && key == bound);
}

Status KeyWalker::Start() {
  started_ = true;
  size_t slash = options_.prefix.rfind('/');
  std::string dir_key = slash == std::string::npos ? "" : options_.prefix.substr(0, slash + 1);
  std::string path = options_.root;
  if (!dir_key.empty()) {
    std::string rel = dir_key.substr(0, dir_key.size() - 1);
    // No stored key has such a folder, and walking it could leave the tree.
    if (!IsPlainRelativePath(rel)) return Status::Ok();
    path += "/" + (options_.mode == Mode::kHistory ? EncodeHistoryKey(rel) : rel);
  }
  return Push(std::move(dir_key), std::move(path));
}

Status KeyWalker::Push(std::string key_prefix, std::string path) {
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) {
    if (errno == ENOENT || errno == ENOTDIR) return Status::Ok();
    return StatusFromErrno(errno, "list: open directory " + path);
  }
  DirCloser closer{dir};
  Level level{std::move(key_prefix), std::move(path), {}, 0};
  bool top = level.key_prefix.empty();
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(dir);
    if (entry == nullptr) {
      if (errno != 0) return StatusFromErrno(errno, "list: read directory " + level.path);
      break;
    }
    std::string fs_name = entry->d_name;
    if (fs_name == "." || fs_name == "..") continue;
    Kind kind = KindOf(dir, entry);
    if (options_.mode == Mode::kObjects) {
      if (top && fs_name == kReservedDir) continue;
      if (kind == Kind::kFile && KeyWanted(level.key_prefix + fs_name)) {
        level.items.push_back(Item{fs_name, fs_name, fs_name, false});
      } else if (kind == Kind::kDir && SubtreeWanted(level.key_prefix + fs_name + "/")) {
        level.items.push_back(Item{fs_name, fs_name, fs_name + "/", true});
      }
      continue;
    }
    if (kind != Kind::kDir) continue;
    std::string name = DecodeHistorySegment(fs_name);
    if (KeyWanted(level.key_prefix + name)) level.items.push_back(Item{name, fs_name, name, false});
    if (SubtreeWanted(level.key_prefix + name + "/")) {
      level.items.push_back(Item{name, fs_name, name + "/", true});
    }
  }
  std::sort(level.items.begin(), level.items.end(),
            [](const Item& a, const Item& b) { return a.sort < b.sort; });
  stack_.push_back(std::move(level));
  return Status::Ok();
}

Result<std::optional<std::string>> KeyWalker::Next() {
  if (!started_) RETURN_IF_ERROR(Start());
  while (!stack_.empty()) {
    Level& top = stack_.back();
    if (top.pos == top.items.size()) {
      stack_.pop_back();
      continue;
    }
    const Item& item = top.items[top.pos++];
    std::string key = top.key_prefix + item.name;
    if (item.subtree) {
      key += '/';
      if (!SubtreeWanted(key)) continue;
      std::string path = top.path + "/" + item.fs_name;
      RETURN_IF_ERROR(Push(std::move(key), std::move(path)));
      continue;
    }
    if (KeyWanted(key)) return std::optional<std::string>(std::move(key));
  }
  return std::optional<std::string>();
}

}  // namespace ch::local
