// Figure-extraction throughput on a fixed text, for bench/run_figures.sh, which times
// Recognizers-Text's Chinese number model (bench/recognizers_number.js) on the same file.
//   figures_bench --make-text OUT   writes the bench text: the seed articles' main text
//                                   (one paragraph a line) and every test-suite input
//   figures_bench TEXT [RUNS] [MODE] times newsclaim on TEXT, line by line, single thread
//                                   (MODE: only that mode, e.g. to profile it)
// Each mode is run RUNS times (default 15) after one warm-up; the median is reported as
// "name MB/s seconds bytes figures" lines on standard output.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "ingest/ingest.h"
#include "normalize/normalize.h"

namespace {

namespace fs = std::filesystem;
using newsclaim::Article;

std::string SourceDir() {
  const std::string here = __FILE__;
  return here.substr(0, here.rfind("/bench/"));
}

template <typename T>
T OrDie(newsclaim::StatusOr<T> v, const char* what) {
  if (!v.ok()) {
    std::fprintf(stderr, "figures_bench: %s: %s\n", what, v.status().ToString().c_str());
    std::exit(2);
  }
  return std::move(v).value();
}

std::vector<std::string> SortedFiles(const std::string& dir, const std::string& ext) {
  std::vector<std::string> paths;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && (ext.empty() || e.path().extension() == ext)) {
      paths.push_back(e.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

int MakeText(const std::string& out_path) {
  newsclaim::normalize::NormalizeOptions options;
  options.fold =
      OrDie(newsclaim::normalize::LoadFoldRules(SourceDir() + "/rules/fold.toml"), "fold");
  std::ofstream out(out_path, std::ios::binary);
  size_t lines = 0;
  auto emit = [&](const std::string& line) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) return;
    out << line << '\n';
    ++lines;
  };
  for (const std::string& p : SortedFiles(SourceDir() + "/corpus/seeds", "")) {
    const newsclaim::RawDocument raw = OrDie(newsclaim::ingest::ReadFile(p, {}), "read");
    const Article a = OrDie(newsclaim::normalize::Normalize(raw, options), "normalize");
    std::istringstream body(a.body);
    for (std::string line; std::getline(body, line);) emit(line);
  }
  for (const std::string& p : SortedFiles(SourceDir() + "/tests/data/figures", ".jsonl")) {
    std::ifstream in(p);
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      const nlohmann::json v = nlohmann::json::parse(line);
      std::string input = v["input"].get<std::string>();
      std::replace(input.begin(), input.end(), '\n', ' ');
      emit(input);
    }
  }
  std::fprintf(stderr, "figures_bench: wrote %zu lines to %s\n", lines, out_path.c_str());
  return out ? 0 : 2;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

int Time(const std::string& text_path, int runs, const std::string& only) {
  std::ifstream in(text_path, std::ios::binary);
  std::vector<std::string> lines;
  size_t bytes = 0;
  for (std::string line; std::getline(in, line);) {
    bytes += line.size() + 1;
    lines.push_back(std::move(line));
  }
  if (lines.empty()) {
    std::fprintf(stderr, "figures_bench: %s is empty\n", text_path.c_str());
    return 2;
  }
  const auto rules = OrDie(newsclaim::extract::RuleSet::LoadDir(SourceDir() + "/rules"), "rules");
  const newsclaim::normalize::FoldRules fold =
      OrDie(newsclaim::normalize::LoadFoldRules(SourceDir() + "/rules/fold.toml"), "fold");
  std::vector<Article> folded;
  for (const std::string& l : lines) folded.push_back(newsclaim::normalize::FromText(l, fold));

  struct Mode {
    const char* name;
    bool fold;  // include NFKC + Traditional->Simplified folding of each line
    bool numbers_only;
  };
  const Mode modes[] = {
      {"newsclaim_figures_with_fold", true, false},
      {"newsclaim_figures", false, false},
      {"newsclaim_numbers", false, true},
  };
  for (const Mode& m : modes) {
    if (!only.empty() && only != m.name) continue;
    newsclaim::extract::FigureOptions fo;
    fo.numbers_only = m.numbers_only;
    std::vector<double> seconds;
    size_t found = 0;
    for (int r = 0; r <= runs; ++r) {
      found = 0;
      const auto t0 = std::chrono::steady_clock::now();
      for (size_t i = 0; i < lines.size(); ++i) {
        if (m.fold) {
          const Article a = newsclaim::normalize::FromText(lines[i], fold);
          found += newsclaim::extract::FindFigures(a, *rules, fo).size();
        } else {
          found += newsclaim::extract::FindFigures(folded[i], *rules, fo).size();
        }
      }
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (r > 0) seconds.push_back(s);  // run 0 warms caches
    }
    const double med = Median(seconds);
    std::printf("%s %.3f %.6f %zu %zu\n", m.name, bytes / med / 1e6, med, bytes, found);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--make-text") return MakeText(argv[2]);
  if (argc >= 2 && argc <= 4) {
    return Time(argv[1], argc >= 3 ? std::atoi(argv[2]) : 15, argc == 4 ? argv[3] : "");
  }
  std::fprintf(stderr, "usage: figures_bench --make-text OUT | figures_bench TEXT [RUNS] [MODE]\n");
  return 2;
}
