// See ingest_pipeline.h.
#include "cli/ingest_pipeline.h"

#include <cstdio>

#include "extract/extract.h"

namespace newsclaim::cli {

normalize::NormalizeOptions NormalizeOptionsFor(const LoadedRules& rules) {
  normalize::NormalizeOptions options;
  options.fold = rules.fold;
  options.boilerplate = rules.boilerplate;
  return options;
}

StatusOr<std::pair<Article, Claims>> Analyze(const RawDocument& raw, const LoadedRules& rules,
                                             const normalize::NormalizeOptions& options) {
  StatusOr<Article> article = normalize::Normalize(raw, options);
  if (!article.ok()) return article.status();
  article->uri = raw.uri;
  article->raw_sha256 = raw.sha256;
  Claims claims = extract::Extract(*article, *rules.rules);
  return std::make_pair(std::move(article).value(), std::move(claims));
}

IngestPipeline::IngestPipeline(store::Store& store, const LoadedRules& rules, int64_t run_id,
                               std::string db_path, bool quiet)
    : store_(store),
      rules_(rules),
      norm_options_(NormalizeOptionsFor(rules)),
      run_id_(run_id),
      db_path_(std::move(db_path)),
      quiet_(quiet) {}

Status IngestPipeline::WriteError(const std::string& uri, const Status& s) const {
  return Status(s.code(), "cannot write to database " + db_path_ +
                              (uri.empty() ? "" : " (while storing " + uri + ")") + ": " +
                              s.message());
}

Status IngestPipeline::RecordFailure(const std::string& uri, const std::string& sha,
                                     const char* stage, const Status& error) {
  ++counts_.failed;
  if (!quiet_) {
    std::fprintf(stderr, "newsclaim: %s: %s: %s\n", uri.c_str(), stage, error.ToString().c_str());
  }
  if (Status s = store_.PutError(run_id_, uri, sha, stage, error); !s.ok()) {
    return WriteError(uri, s);
  }
  return Status::Ok();
}

Status IngestPipeline::Fail(const std::string& uri, const std::string& raw_sha256,
                            const char* stage, const Status& error) {
  ++counts_.seen;
  return RecordFailure(uri, raw_sha256, stage, error);
}

Status IngestPipeline::Add(const RawDocument& raw) {
  ++counts_.seen;
  // Raw bytes first: whatever happens next, the document can be re-run from them.
  if (Status s = store_.PutRaw(raw); !s.ok()) return WriteError(raw.uri, s);
  const std::string& rules_version = rules_.rules->version();
  StatusOr<bool> have = store_.HasArticle(raw.sha256, rules_version);
  if (!have.ok()) return WriteError(raw.uri, have.status());
  if (*have) {
    ++counts_.unchanged;
    return Status::Ok();
  }
  StatusOr<std::pair<Article, Claims>> analyzed = Analyze(raw, rules_, norm_options_);
  if (!analyzed.ok()) return RecordFailure(raw.uri, raw.sha256, "normalize", analyzed.status());
  StatusOr<int64_t> id =
      store_.PutArticle(run_id_, rules_version, analyzed->first, analyzed->second);
  if (!id.ok()) return WriteError(raw.uri, id.status());
  ++counts_.added;
  return Status::Ok();
}

}  // namespace newsclaim::cli
