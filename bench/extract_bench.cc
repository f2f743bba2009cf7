// extract_bench: main-text extraction throughput next to gumbo's parse alone, over the same
// pages in the same run (issue 3 wants extraction >= 0.8x gumbo). Also times the phases
// (decode, fold) so the profile's dominant cost is visible.
//
//   extract_bench [--reps N] FILE...   (.html, .htm, .gz; e.g. the extraction benchmark)
#include <gumbo.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ingest/ingest.h"
#include "normalize/decode.h"
#include "normalize/fold_internal.h"
#include "normalize/normalize.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

template <typename F>
double Median(int reps, F&& f) {  // one warm-up run, then the median of reps runs
  f();
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    const auto start = Clock::now();
    f();
    t.push_back(Seconds(start));
  }
  std::sort(t.begin(), t.end());
  return t.size() % 2 ? t[t.size() / 2] : (t[t.size() / 2 - 1] + t[t.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 3;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--reps" && i + 1 < argc) {
      reps = std::max(1, std::atoi(argv[++i]));
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: extract_bench [--reps N] FILE...\n");
    return 2;
  }
  std::vector<newsclaim::RawDocument> raws;
  size_t bytes = 0;
  for (const std::string& f : files) {
    auto raw = newsclaim::ingest::ReadFile(f, {});
    if (!raw.ok()) {
      std::fprintf(stderr, "%s: %s\n", f.c_str(), raw.status().ToString().c_str());
      return 1;
    }
    raw->format = newsclaim::DocFormat::kHtml;
    bytes += raw->bytes.size();
    raws.push_back(std::move(raw).value());
  }
  newsclaim::normalize::NormalizeOptions options;
  // Decoded UTF-8 pages: gumbo accepts only UTF-8, so its baseline parses these.
  std::vector<std::string> utf8;
  for (const auto& r : raws) {
    auto d = newsclaim::normalize::internal::DecodeBytes(r, options);
    utf8.push_back(d.ok() ? d->text : std::string());
  }
  std::vector<std::string> bodies(raws.size());
  int failed = 0;

  const double t_gumbo = Median(reps, [&] {
    for (const std::string& html : utf8) {
      GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
      gumbo_destroy_output(&kGumboDefaultOptions, out);
    }
  });
  const double t_decode = Median(reps, [&] {
    for (const auto& r : raws) (void)newsclaim::normalize::internal::DecodeBytes(r, options);
  });
  const double t_norm = Median(reps, [&] {
    failed = 0;
    for (size_t i = 0; i < raws.size(); ++i) {
      auto a = newsclaim::normalize::Normalize(raws[i], options);
      if (a.ok()) {
        bodies[i] = a->body;
      } else {
        ++failed;
      }
    }
  });
  const double t_fold = Median(reps, [&] {
    std::string folded;
    std::vector<uint32_t> map;
    for (const std::string& b : bodies) {
      (void)newsclaim::normalize::internal::FoldText(options.fold, b, &folded, &map);
    }
  });
  const double mb = bytes / 1e6;
  std::printf("pages %zu, %.1f MB raw, median of %d, failed %d\n", raws.size(), mb, reps, failed);
  std::printf("gumbo parse alone (UTF-8) %7.3f s %7.2f MB/s\n", t_gumbo, mb / t_gumbo);
  std::printf("extraction (Normalize)    %7.3f s %7.2f MB/s  ratio %.2fx gumbo\n", t_norm,
              mb / t_norm, t_gumbo / t_norm);
  std::printf("  of which decode         %7.3f s (%.0f%%)\n", t_decode, 100 * t_decode / t_norm);
  std::printf("  of which fold (OpenCC)  %7.3f s (%.0f%%)\n", t_fold, 100 * t_fold / t_norm);
  return failed > 0 ? 1 : 0;
}
