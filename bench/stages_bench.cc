// Micro-benchmarks of the pipeline stages on the seed articles, each beside the baseline
// it is judged against: bytes-to-text (normalize::Normalize) against gumbo's parse alone,
// script folding (normalize::Fold) against a plain OpenCC t2s SimpleConverter, figure
// extraction, and SQLite writes (store::Store::PutArticle).
// Run: stages_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <gumbo.h>
#include <opencc/opencc.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/sha256.h"
#include "extract/extract.h"
#include "extract/figures.h"
#include "extract/internal.h"
#include "ingest/ingest.h"
#include "normalize/normalize.h"
#include "store/store.h"

namespace {

namespace fs = std::filesystem;
using newsclaim::Article;
using newsclaim::DocFormat;
using newsclaim::RawDocument;

std::string SourceDir() {
#ifdef NEWSCLAIM_SOURCE_DIR
  return NEWSCLAIM_SOURCE_DIR;
#else
  const std::string here = __FILE__;
  return here.substr(0, here.rfind("/bench/"));
#endif
}

template <typename T>
T OrDie(newsclaim::StatusOr<T> v, const char* what) {
  if (!v.ok()) {
    std::fprintf(stderr, "stages_bench: %s: %s\n", what, v.status().ToString().c_str());
    std::exit(2);
  }
  return std::move(v).value();
}

// The five seed articles, read as ingest reads them.
const std::vector<RawDocument>& Seeds() {
  static const std::vector<RawDocument>* seeds = [] {
    auto* v = new std::vector<RawDocument>();
    std::vector<std::string> paths;
    for (const auto& e : fs::directory_iterator(SourceDir() + "/corpus/seeds")) {
      paths.push_back(e.path().string());
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) v->push_back(OrDie(newsclaim::ingest::ReadFile(p, {}), "read"));
    return v;
  }();
  return *seeds;
}

// The epochtimes page: a table-layout HTML dump that opens with an anchor (the sniffer may
// call it text), benchmarked as HTML.
const RawDocument& HtmlSeed() {
  static const RawDocument* html = [] {
    for (const RawDocument& r : Seeds()) {
      if (r.format == DocFormat::kHtml || r.bytes.compare(0, 1, "<") == 0) {
        auto* copy = new RawDocument(r);
        copy->format = DocFormat::kHtml;
        return static_cast<const RawDocument*>(copy);
      }
    }
    std::fprintf(stderr, "stages_bench: no HTML seed\n");
    std::exit(2);
  }();
  return *html;
}

const newsclaim::extract::RuleSet& Rules() {
  static const std::shared_ptr<const newsclaim::extract::RuleSet> rules =
      OrDie(newsclaim::extract::RuleSet::LoadDir(SourceDir() + "/rules"), "rules");
  return *rules;
}

const newsclaim::normalize::NormalizeOptions& Options() {
  static const newsclaim::normalize::NormalizeOptions* options = [] {
    auto* o = new newsclaim::normalize::NormalizeOptions();
    o->fold = OrDie(newsclaim::normalize::LoadFoldRules(SourceDir() + "/rules/fold.toml"), "fold");
    return o;
  }();
  return *options;
}

// Every seed normalised once (bodies in both scripts, ~25 KB of main text).
const std::vector<Article>& Articles() {
  static const std::vector<Article>* articles = [] {
    auto* v = new std::vector<Article>();
    for (const RawDocument& r : Seeds()) {
      Article a = OrDie(newsclaim::normalize::Normalize(r, Options()), "normalize");
      a.raw_sha256 = r.sha256;
      a.uri = r.uri;
      v->push_back(std::move(a));
    }
    return v;
  }();
  return *articles;
}

int64_t SeedBytes() {
  int64_t n = 0;
  for (const RawDocument& r : Seeds()) n += static_cast<int64_t>(r.bytes.size());
  return n;
}

int64_t BodyBytes() {
  int64_t n = 0;
  for (const Article& a : Articles()) n += static_cast<int64_t>(a.body.size());
  return n;
}

// --- bytes to text ---

void BM_NormalizeHtml(benchmark::State& state) {
  const RawDocument& raw = HtmlSeed();
  for (auto _ : state) {
    auto a = newsclaim::normalize::Normalize(raw, Options());
    benchmark::DoNotOptimize(a);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(raw.bytes.size()));
}
BENCHMARK(BM_NormalizeHtml);

// Baseline: gumbo's parse of the same page, nothing else.
void BM_GumboParseHtml(benchmark::State& state) {
  const RawDocument& raw = HtmlSeed();
  for (auto _ : state) {
    GumboOutput* out =
        gumbo_parse_with_options(&kGumboDefaultOptions, raw.bytes.data(), raw.bytes.size());
    benchmark::DoNotOptimize(out);
    gumbo_destroy_output(&kGumboDefaultOptions, out);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(raw.bytes.size()));
}
BENCHMARK(BM_GumboParseHtml);

void BM_NormalizeAllSeeds(benchmark::State& state) {
  for (auto _ : state) {
    for (const RawDocument& raw : Seeds()) {
      auto a = newsclaim::normalize::Normalize(raw, Options());
      benchmark::DoNotOptimize(a);
    }
  }
  state.SetBytesProcessed(state.iterations() * SeedBytes());
}
BENCHMARK(BM_NormalizeAllSeeds);

// --- script folding ---

void BM_Fold(benchmark::State& state) {
  std::vector<Article> work = Articles();
  for (auto _ : state) {
    for (Article& a : work) {
      newsclaim::normalize::Fold(Options().fold, &a);
      benchmark::DoNotOptimize(a.folded);
    }
  }
  state.SetBytesProcessed(state.iterations() * BodyBytes());
}
BENCHMARK(BM_Fold);

// Baseline: OpenCC's t2s over the same bodies, with a converter built once.
void BM_OpenccT2s(benchmark::State& state) {
  std::unique_ptr<opencc::SimpleConverter> conv;
  for (const char* config : {"t2s.json", "/usr/share/opencc/t2s.json"}) {
    try {
      conv = std::make_unique<opencc::SimpleConverter>(config);
      break;
    } catch (const std::exception&) {
    }
  }
  if (!conv) {
    state.SkipWithError("OpenCC t2s.json not found");
    return;
  }
  for (auto _ : state) {
    for (const Article& a : Articles()) {
      std::string out = conv->Convert(a.body);
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetBytesProcessed(state.iterations() * BodyBytes());
}
BENCHMARK(BM_OpenccT2s);

// --- extraction ---

void BM_FindFigures(benchmark::State& state) {
  const auto& figures = *Rules().impl().figures;
  for (auto _ : state) {
    for (const Article& a : Articles()) {
      auto found = figures.Find(a);
      benchmark::DoNotOptimize(found);
    }
  }
  state.SetBytesProcessed(state.iterations() * BodyBytes());
}
BENCHMARK(BM_FindFigures);

// Figures, chips and sources: the whole extract stage.
void BM_Extract(benchmark::State& state) {
  for (auto _ : state) {
    for (const Article& a : Articles()) {
      auto claims = newsclaim::extract::Extract(a, Rules());
      benchmark::DoNotOptimize(claims);
    }
  }
  state.SetBytesProcessed(state.iterations() * BodyBytes());
}
BENCHMARK(BM_Extract);

// --- SQLite writes ---

class ScratchDb {
 public:
  ScratchDb() {
    std::string tmpl = (fs::temp_directory_path() / "nc_stages_bench_XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) std::exit(2);
    dir_ = tmpl;
    store_ = OrDie(newsclaim::store::Store::Open((dir_ / "bench.db").string(), {}), "open");
    run_ = OrDie(store_->BeginRun({"bench", "bench", "bench"}), "run");
  }
  ~ScratchDb() {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  newsclaim::store::Store& store() { return *store_; }
  int64_t run() const { return run_; }

 private:
  fs::path dir_;
  std::unique_ptr<newsclaim::store::Store> store_;
  int64_t run_ = 0;
};

// Re-extraction: each seed's article and claims replaced in its own transaction.
void BM_PutArticleReplace(benchmark::State& state) {
  ScratchDb db;
  std::vector<newsclaim::Claims> claims;
  for (size_t i = 0; i < Seeds().size(); ++i) {
    if (!db.store().PutRaw(Seeds()[i]).ok()) std::exit(2);
    claims.push_back(newsclaim::extract::Extract(Articles()[i], Rules()));
  }
  for (auto _ : state) {
    for (size_t i = 0; i < Articles().size(); ++i) {
      auto id = db.store().PutArticle(db.run(), "bench", Articles()[i], claims[i]);
      if (!id.ok()) state.SkipWithError(id.status().ToString().c_str());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(Articles().size()));
}
BENCHMARK(BM_PutArticleReplace);

// First ingestion: new raw bytes, then the article, two transactions per document.
void BM_PutRawAndArticle(benchmark::State& state) {
  ScratchDb db;
  std::vector<newsclaim::Claims> claims;
  for (const Article& a : Articles()) claims.push_back(newsclaim::extract::Extract(a, Rules()));
  int64_t n = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < Articles().size(); ++i) {
      RawDocument raw = Seeds()[i];
      raw.bytes += std::to_string(++n);  // distinct bytes, as a new document would be
      raw.sha256 = newsclaim::Sha256Hex(raw.bytes);
      Article a = Articles()[i];
      a.raw_sha256 = raw.sha256;
      if (!db.store().PutRaw(raw).ok()) state.SkipWithError("PutRaw");
      auto id = db.store().PutArticle(db.run(), "bench", a, claims[i]);
      if (!id.ok()) state.SkipWithError(id.status().ToString().c_str());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(Articles().size()));
}
BENCHMARK(BM_PutRawAndArticle);

}  // namespace

BENCHMARK_MAIN();
