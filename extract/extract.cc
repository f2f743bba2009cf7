// The rule loader (rules/*.toml -> RuleSet) and the extraction entry points.
#include "extract/extract.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <utility>

#include "core/sha256.h"
#include "extract/chips.h"
#include "extract/figures.h"
#include "extract/internal.h"
#include "extract/sources.h"

namespace newsclaim::extract {

std::string RuleDiagnostic::ToString() const {
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ": " + message;
}

RuleSet::Impl::~Impl() = default;
RuleSet::RuleSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RuleSet::~RuleSet() = default;

const std::string& RuleSet::version() const { return impl_->version; }

size_t RuleSet::rule_count() const {
  return impl_->figures->size() + impl_->chips->size() + impl_->sources->size();
}

namespace {

namespace fs = std::filesystem;

// rules/fold.toml ([[keep]] tables) belongs to normalize; it is part of the rules version
// (it changes what the rules see) but not loaded here.
constexpr const char* kFoldFile = "fold.toml";
constexpr const char* kFoldKey = "keep";
// rules/boilerplate.toml (normalize's boilerplate lexicon) likewise.
constexpr const char* kBoilerplateFile = "boilerplate.toml";

int LineOf(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

struct Loaded {
  std::unique_ptr<RuleSet::Impl> impl;
  std::vector<RuleDiagnostic> diagnostics;
  bool dir_missing = false;
};

// Reads `examples` / `counter_examples` of one entry into out (which are added only if the
// entry itself is accepted).
void CollectExamples(const toml::table& entry, const std::string& rule, const std::string& file,
                     Diagnostics& diag, std::vector<RuleExample>* out) {
  for (const char* key : {"examples", "counter_examples"}) {
    const toml::node* n = entry.get(key);
    if (n == nullptr) continue;
    const toml::array* arr = n->as_array();
    if (arr == nullptr) {
      diag.Add(LineOf(*n), "rule '" + rule + "': '" + key + "' must be an array of strings");
      continue;
    }
    for (const toml::node& e : *arr) {
      if (!e.is_string()) {
        diag.Add(LineOf(e), "rule '" + rule + "': '" + key + "' must hold strings only");
        continue;
      }
      RuleExample ex;
      ex.file = file;
      ex.line = LineOf(e) > 0 ? LineOf(e) : LineOf(*n);
      ex.rule = rule;
      ex.text = e.as_string()->get();
      ex.must_match = std::string(key) == "examples";
      out->push_back(std::move(ex));
    }
  }
}

void LoadFile(const fs::path& path, const std::string& bytes,
              const std::map<std::string, RuleModule*>& modules,
              std::map<std::string, std::string>* names, Loaded* loaded) {
  const std::string file = path.string();
  Diagnostics diag(file, &loaded->diagnostics);
  // toml++ visits keys in name order; report in line order.
  const size_t first = loaded->diagnostics.size();
  struct SortByLine {
    std::vector<RuleDiagnostic>* out;
    size_t first;
    ~SortByLine() {
      std::stable_sort(
          out->begin() + first, out->end(),
          [](const RuleDiagnostic& a, const RuleDiagnostic& b) { return a.line < b.line; });
    }
  } sort_by_line{&loaded->diagnostics, first};
  toml::table root;
  try {
    root = toml::parse(bytes, file);
  } catch (const toml::parse_error& e) {
    diag.Add(static_cast<int>(e.source().begin.line), std::string(e.description()));
    return;
  }
  std::string known;
  for (const auto& [k, m] : modules) known += (known.empty() ? "" : ", ") + k;
  for (const auto& [k, v] : root) {
    const std::string key(k.str());
    if (key == kFoldKey) continue;
    const auto module = modules.find(key);
    if (module == modules.end()) {
      diag.Add(LineOf(v), "unknown section '" + key + "' (expected one of: " + known + ")");
      continue;
    }
    if (!v.is_array_of_tables()) {
      diag.Add(LineOf(v), "'" + key + "' must be an array of tables: write [[" + key + "]]");
      continue;
    }
    for (const toml::node& e : *v.as_array()) {
      const toml::table& entry = *e.as_table();
      std::string name;
      if (const toml::node* n = entry.get("name"); n != nullptr) {
        if (!n->is_string()) {
          diag.Add(LineOf(*n), "field 'name' must be a string");
          continue;
        }
        name = n->as_string()->get();
        const std::string where = file + ":" + std::to_string(LineOf(entry));
        const auto [it, inserted] = names->emplace(name, where);
        if (!inserted) {
          diag.Add(LineOf(*n),
                   "duplicate rule name '" + name + "' (first defined at " + it->second + ")");
          continue;
        }
      } else {
        name = key + "@" + file + ":" + std::to_string(LineOf(entry));
      }
      std::vector<RuleExample> examples;
      CollectExamples(entry, name, file, diag, &examples);
      if (!module->second->AddEntry(key, entry, diag)) continue;
      for (RuleExample& ex : examples) {
        loaded->impl->examples.push_back(std::move(ex));
        loaded->impl->example_owner.push_back(module->second);
      }
    }
  }
}

Loaded LoadAll(const std::string& dir) {
  Loaded loaded;
  loaded.impl = std::make_unique<RuleSet::Impl>();
  RuleSet::Impl& impl = *loaded.impl;
  impl.figures = std::make_unique<FigureRules>();
  impl.chips = std::make_unique<ChipRules>();
  impl.sources = std::make_unique<SourceRules>();
  try {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      loaded.dir_missing = true;
      loaded.diagnostics.push_back({dir, 0, "rule directory not found"});
      return loaded;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.path().extension() == ".toml" && e.is_regular_file(ec)) files.push_back(e.path());
    }
    if (ec) loaded.diagnostics.push_back({dir, 0, "cannot list directory: " + ec.message()});
    std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
      return a.filename().string() < b.filename().string();
    });

    std::map<std::string, RuleModule*> modules;
    for (RuleModule* m : std::initializer_list<RuleModule*>{impl.figures.get(), impl.chips.get(),
                                                            impl.sources.get()}) {
      for (const std::string& k : m->Keys()) {
        if (!modules.emplace(k, m).second) {
          loaded.diagnostics.push_back({dir, 0, "internal: section '" + k + "' claimed twice"});
        }
      }
    }
    std::map<std::string, std::string> names;
    std::string version_input;
    for (const fs::path& path : files) {
      std::ifstream in(path, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (!in.good() && !in.eof()) {
        loaded.diagnostics.push_back({path.string(), 0, "cannot read file"});
        continue;
      }
      const std::string name = path.filename().string();
      version_input += name + '\0' + std::to_string(bytes.size()) + '\0' + bytes;
      if (name == kFoldFile || name == kBoilerplateFile) continue;
      LoadFile(path, bytes, modules, &names, &loaded);
    }
    for (RuleModule* m : std::initializer_list<RuleModule*>{impl.figures.get(), impl.chips.get(),
                                                            impl.sources.get()}) {
      m->Finalize(&loaded.diagnostics);
    }
    impl.version = Sha256Hex(version_input);
  } catch (const std::exception& e) {
    loaded.diagnostics.push_back(
        {dir, 0, std::string("internal error loading rules: ") + e.what()});
  }
  return loaded;
}

void SetSentences(const Article& article, std::vector<Figure>* figures) {
  for (Figure& f : *figures) {
    const auto it =
        std::upper_bound(article.sentences.begin(), article.sentences.end(), f.span.begin,
                         [](uint32_t v, const Span& s) { return v < s.begin; });
    if (it == article.sentences.begin()) continue;
    const Span& s = *(it - 1);
    if (f.span.begin < s.end || s.begin == s.end) {
      f.sentence = static_cast<int>(it - 1 - article.sentences.begin());
    }
  }
}

}  // namespace

StatusOr<std::shared_ptr<const RuleSet>> RuleSet::LoadDir(const std::string& dir) {
  Loaded loaded = LoadAll(dir);
  if (loaded.dir_missing) return NotFoundError("rule directory not found: " + dir);
  if (!loaded.diagnostics.empty()) {
    std::string message = "invalid rules:";
    for (const RuleDiagnostic& d : loaded.diagnostics) message += "\n" + d.ToString();
    return InvalidArgumentError(message);
  }
  return std::shared_ptr<const RuleSet>(new RuleSet(std::move(loaded.impl)));
}

std::vector<RuleDiagnostic> RuleSet::Check(const std::string& dir) {
  return LoadAll(dir).diagnostics;
}

Claims Extract(const Article& article, const RuleSet& rules) {
  const RuleSet::Impl& impl = rules.impl();
  Claims claims;
  claims.figures = impl.figures->Find(article);
  claims.sources = impl.sources->FindAndAttribute(article, &claims.figures);
  claims.chips = impl.chips->Find(article);
  SetSentences(article, &claims.figures);
  return claims;
}

std::vector<Figure> FindFigures(const Article& article, const RuleSet& rules,
                                const FigureOptions& options) {
  std::vector<Figure> figures = rules.impl().figures->Find(article, options);
  SetSentences(article, &figures);
  return figures;
}

std::vector<RuleDiagnostic> RunExamples(const RuleSet& rules,
                                        const std::function<Article(std::string_view)>& prepare) {
  std::vector<RuleDiagnostic> out;
  const RuleSet::Impl& impl = rules.impl();
  for (size_t i = 0; i < impl.examples.size(); ++i) {
    const RuleExample& ex = impl.examples[i];
    std::string message;
    try {
      const Article article = prepare(ex.text);
      message = impl.example_owner[i]->CheckExample(ex, article, rules);
    } catch (const std::exception& e) {
      message = std::string("internal error: ") + e.what();
    }
    if (!message.empty()) out.push_back({ex.file, ex.line, "rule '" + ex.rule + "': " + message});
  }
  return out;
}

}  // namespace newsclaim::extract
