// Fuzz target for the rule loader: the bytes become the only .toml file of a fresh rule
// directory, which is checked and loaded. Any input must give diagnostics, never a crash.
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "extract/extract.h"
#include "normalize/normalize.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  std::string tmpl = (fs::temp_directory_path() / "nc_rules_fuzz_XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return 0;
  const fs::path dir(tmpl);
  {
    std::ofstream out(dir / "fuzz.toml", std::ios::binary);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  const auto diags = newsclaim::extract::RuleSet::Check(dir.string());
  for (const auto& d : diags) {
    if (d.ToString().empty()) abort();
  }
  auto rules = newsclaim::extract::RuleSet::LoadDir(dir.string());
  if (rules.ok() != diags.empty()) abort();
  if (rules.ok()) {
    const auto failures = newsclaim::extract::RunExamples(
        **rules, [](std::string_view t) { return newsclaim::normalize::FromText(t, {}); });
    (void)failures;
    newsclaim::Article a = newsclaim::normalize::FromText("约140万到150万颗, $1.5 billion", {});
    (void)newsclaim::extract::Extract(a, **rules);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
