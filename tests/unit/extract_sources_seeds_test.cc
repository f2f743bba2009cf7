// Golden test over corpus/seeds: the real pipeline (normalize::Normalize, then Extract with
// every rule file in rules/) scored against tests/data/gold on what the chip gazetteer and
// the attribution cues own: chip F1, sources found, and the source of each figure found.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "normalize/normalize.h"

namespace newsclaim {
namespace {

namespace fs = std::filesystem;

const std::string kRoot = NEWSCLAIM_SOURCE_DIR;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Chip names compared as the scorer does: lower-case letters and digits only.
std::string ChipKey(const std::string& s) {
  std::string out;
  for (char c : s) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) out += c;
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    if (static_cast<unsigned char>(c) >= 0x80) out += c;
  }
  return out;
}

struct Totals {
  int chip_tp = 0, chip_fp = 0, chip_fn = 0;
  int src_found = 0, src_want = 0;
  int fig_src_ok = 0, fig_src_n = 0;
};

TEST(SeedsTest, ChipsSourcesAndAttributionMeetTargets) {
  StatusOr<std::shared_ptr<const extract::RuleSet>> rules =
      extract::RuleSet::LoadDir(kRoot + "/rules");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  StatusOr<normalize::FoldRules> fold = normalize::LoadFoldRules(kRoot + "/rules/fold.toml");
  ASSERT_TRUE(fold.ok()) << fold.status().ToString();
  normalize::NormalizeOptions options;
  options.fold = *fold;
  // Strings compared after the same fold as the text (either script may be written).
  auto folded = [&](const std::string& s) {
    std::string f = normalize::FromText(s, *fold).folded;
    f.erase(std::remove(f.begin(), f.end(), ' '), f.end());
    return f;
  };

  Totals t;
  std::vector<fs::path> golds;
  for (const auto& e : fs::directory_iterator(kRoot + "/tests/data/gold")) {
    if (e.path().extension() == ".json") golds.push_back(e.path());
  }
  std::sort(golds.begin(), golds.end());
  ASSERT_FALSE(golds.empty());
  for (const fs::path& gold_path : golds) {
    const std::string name = gold_path.stem().string();
    SCOPED_TRACE(name);
    const nlohmann::json gold = nlohmann::json::parse(ReadFile(gold_path));
    RawDocument raw;
    raw.uri = kRoot + "/corpus/seeds/" + name + ".txt";
    raw.bytes = ReadFile(raw.uri);
    ASSERT_FALSE(raw.bytes.empty());
    StatusOr<Article> article = normalize::Normalize(raw, options);
    ASSERT_TRUE(article.ok()) << article.status().ToString();
    const Claims claims = extract::Extract(*article, **rules);

    // Chips: each non-optional gold chip found under its name or an alias; every chip
    // reported must be in the gold.
    std::set<std::string> found;
    for (const ChipMention& m : claims.chips) found.insert(ChipKey(m.canonical));
    std::set<std::string> matched;
    for (const auto& chip : gold["chips"]) {
      std::set<std::string> keys{ChipKey(chip["name"].get<std::string>())};
      for (const auto& a : chip.value("aliases", nlohmann::json::array())) {
        keys.insert(ChipKey(a.get<std::string>()));
      }
      bool hit = false;
      for (const std::string& k : keys) {
        if (found.count(k)) {
          matched.insert(k);
          hit = true;
        }
      }
      if (chip.value("optional", false)) continue;
      if (hit) {
        ++t.chip_tp;
      } else {
        ++t.chip_fn;
        std::cout << name << ": "
                  << "chip not found: " << chip["name"] << "\n";
      }
    }
    for (const std::string& k : found) {
      if (!matched.count(k)) {
        ++t.chip_fp;
        std::cout << name << ": "
                  << "chip not in gold: " << k << "\n";
      }
    }

    // Sources: each key appears in a source or in a figure's source.
    std::vector<std::string> names;
    for (const Source& s : claims.sources) names.push_back(folded(s.name));
    for (const auto& want : gold["sources_must_include"]) {
      const std::string w = folded(want.get<std::string>());
      ++t.src_want;
      bool hit = false;
      for (const std::string& n : names) hit = hit || n.find(w) != std::string::npos;
      if (hit) {
        ++t.src_found;
      } else {
        std::cout << name << ": "
                  << "source not found: " << want << "\n";
      }
    }

    // Attribution, for the gold figures the figure grammar found (by overlapping text).
    std::vector<bool> used(claims.figures.size(), false);
    for (const auto& g : gold["figures"]) {
      if (g["source"].is_null() || g.value("optional", false)) continue;
      const std::string text = folded(g["text"].get<std::string>());
      for (size_t i = 0; i < claims.figures.size(); ++i) {
        const std::string p = folded(claims.figures[i].text);
        if (used[i] || p.empty() ||
            (text.find(p) == std::string::npos && p.find(text) == std::string::npos)) {
          continue;
        }
        used[i] = true;
        ++t.fig_src_n;
        const int s = claims.figures[i].source;
        const std::string got = s >= 0 ? folded(claims.sources[s].name) : "";
        if (got.find(folded(g["source"].get<std::string>())) != std::string::npos) {
          ++t.fig_src_ok;
        } else {
          std::cout << name << ": figure " << g["text"] << " attributed to '" << got << "', want "
                    << g["source"] << "\n";
        }
        break;
      }
    }
  }
  const double p = t.chip_tp + t.chip_fp ? double(t.chip_tp) / (t.chip_tp + t.chip_fp) : 1;
  const double r = t.chip_tp + t.chip_fn ? double(t.chip_tp) / (t.chip_tp + t.chip_fn) : 1;
  const double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
  const double src = t.src_want ? double(t.src_found) / t.src_want : 1;
  const double fig_src = t.fig_src_n ? double(t.fig_src_ok) / t.fig_src_n : 1;
  std::cout << "chip F1 " << f1 << " (tp " << t.chip_tp << ", fp " << t.chip_fp << ", fn "
            << t.chip_fn << "); sources found " << src << " (" << t.src_found << "/" << t.src_want
            << "); figure sources " << fig_src << " (" << t.fig_src_ok << "/" << t.fig_src_n
            << ")\n";
  EXPECT_GE(f1, 0.97);
  EXPECT_GE(src, 0.90);
  EXPECT_GE(fig_src, 0.90);
}

}  // namespace
}  // namespace newsclaim
