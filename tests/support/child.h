// Runs the climahealth binary as a child process, capturing its output and
// resource usage, for the end-to-end tests.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace ch::testing {

inline std::string ClimahealthBinary() {
  return std::string(CH_BINARY_DIR) + "/src/cli/climahealth";
}

struct ChildResult {
  int exit_code = -1;  // -signal when killed
  std::string out;     // stdout
  std::string err;     // stderr
  long max_rss_kib = 0;
  double cpu_seconds = 0;
};

class Child {
 public:
  // Starts `args` (argv[0] is the binary) with `env` added to the environment;
  // stdout and stderr go to files in `dir`.
  Child(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
        const std::filesystem::path& dir)
      : out_(dir / ("child-" + std::to_string(counter()) + ".out")), err_(out_.string() + ".err") {
    pid_ = ::fork();
    if (pid_ == 0) {
      for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
      int o = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int e = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(o, 1);
      ::dup2(e, 2);
      std::vector<char*> argv;
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  pid_t pid() const { return pid_; }
  // What the child has written to stderr so far.
  std::string ErrSoFar() const { return ReadFile(err_); }
  void Kill() { ::kill(pid_, SIGKILL); }

  ChildResult Wait() {
    ChildResult r;
    int status = 0;
    struct rusage usage {};
    ::wait4(pid_, &status, 0, &usage);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    r.max_rss_kib = usage.ru_maxrss;
    r.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                    static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    r.out = ReadFile(out_);
    r.err = ReadFile(err_);
    return r;
  }

 private:
  static int counter() {
    static int n = 0;
    return n++;
  }
  std::filesystem::path out_, err_;
  pid_t pid_ = -1;
};

inline ChildResult RunChild(const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& env,
                            const std::filesystem::path& dir) {
  return Child(args, env, dir).Wait();
}

}  // namespace ch::testing
