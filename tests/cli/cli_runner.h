// Runs the real climahealth binary (CH_CLI_BINARY) against a local store in a
// test's own directory and captures its exit code, stdout and stderr.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/temp_dir.h"

namespace ch::testing {

struct CliResult {
  int exit_code = -1;  // -1 when the process did not exit normally (a crash)
  std::string out;
  std::string err;
};

inline std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// `climahealth ARGS` with the store rooted at DIR/store, outside any ambient
// S3 endpoint or config file; stdin from `stdin_file` when given.
inline CliResult RunCli(const std::filesystem::path& dir, const std::string& args,
                        const std::string& stdin_file = "") {
  const std::filesystem::path out = dir / "stdout.txt";
  const std::filesystem::path err = dir / "stderr.txt";
  std::string cmd =
      "env -u AWS_ENDPOINT_URL -u AWS_ENDPOINT_URL_S3 -u CLIMAHEALTH_CONFIG "
      "CLIMAHEALTH_STORE=local CLIMAHEALTH_STORAGE_ROOT=" +
      ShellQuote((dir / "store").string()) + " " + CH_CLI_BINARY + " " + args + " >" +
      ShellQuote(out.string()) + " 2>" + ShellQuote(err.string());
  if (!stdin_file.empty()) cmd += " <" + ShellQuote(stdin_file);
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  return r;
}

}  // namespace ch::testing
