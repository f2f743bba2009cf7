// Fuzz target for the fold rule loader (rules/fold.toml): the bytes become a fold rule
// file; any input must load or give a "file:line" diagnostic, and loaded rules must fold
// text without breaking the offset map.
#include <stdlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "normalize/normalize.h"

namespace {

namespace fs = std::filesystem;

class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "nc_fold_fuzz_XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ScratchDir* dir = new ScratchDir();
  const std::string path = (dir->path() / "fold.toml").string();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto rules = newsclaim::normalize::LoadFoldRules(path);
  if (!rules.ok()) {
    if (rules.status().message().find("fold.toml") == std::string::npos) std::abort();
    return 0;
  }
  std::string text = "華為昇騰910C與輝達H20晶片，記憶體約１２８GB。";
  for (const auto& [written, folded] : rules->keep) text += written + "，";
  const newsclaim::Article a = newsclaim::normalize::FromText(text, *rules);
  if (a.body != text) std::abort();
  if (a.folded_to_body.size() != a.folded.size() + 1) std::abort();
  if (a.folded_to_body.back() != a.body.size()) std::abort();
  for (size_t i = 1; i < a.folded_to_body.size(); ++i) {
    if (a.folded_to_body[i] < a.folded_to_body[i - 1]) std::abort();
  }
  return 0;
}
