// Runs the real newsclaim binary for end-to-end tests and captures its exit status,
// stdout and stderr.
#ifndef NEWSCLAIM_TESTS_E2E_CLI_RUNNER_H_
#define NEWSCLAIM_TESTS_E2E_CLI_RUNNER_H_

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace newsclaim::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() / ("nc_e2e_" + std::to_string(::getpid()) + "_" +
                                                      info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return (path_ / rel).string(); }

 private:
  std::filesystem::path path_;
};

// Runs `newsclaim ARGS...` with optional stdin text; rules come from the source tree.
inline CliResult RunCli(const TempDir& tmp, const std::vector<std::string>& args,
                        const std::string& stdin_text = "") {
  std::string cmd = ShellQuote(NEWSCLAIM_BINARY);
  for (const auto& a : args) cmd += " " + ShellQuote(a);
  const std::string in = tmp / "stdin.txt", out = tmp / "stdout.txt", err = tmp / "stderr.txt";
  std::ofstream(in, std::ios::binary) << stdin_text;
  cmd += " <" + ShellQuote(in) + " >" + ShellQuote(out) + " 2>" + ShellQuote(err);
  const int rc = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = ReadAll(out);
  r.err = ReadAll(err);
  return r;
}

}  // namespace newsclaim::testing

#endif  // NEWSCLAIM_TESTS_E2E_CLI_RUNNER_H_
