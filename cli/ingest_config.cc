// See ingest_config.h.
#include "cli/ingest_config.h"

#include <toml++/toml.h>

#include <filesystem>
#include <set>
#include <type_traits>

#include "ingest/fetch.h"

namespace newsclaim::cli {
namespace {

Status Bad(const std::string& path, const std::string& where, const std::string& what) {
  return InvalidArgumentError(path + ": " + where + ": " + what);
}

Status CheckKeys(const std::string& path, const std::string& where, const toml::table& t,
                 const std::set<std::string>& allowed) {
  for (const auto& [k, v] : t) {
    if (allowed.count(std::string(k.str())) == 0) {
      return Bad(path, where, "unknown key \"" + std::string(k.str()) + "\"");
    }
  }
  return Status::Ok();
}

template <typename T>
Status Get(const std::string& path, const std::string& where, const toml::table& t, const char* key,
           std::optional<T>* out) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return Status::Ok();
  if constexpr (std::is_same_v<T, std::string>) {
    if (!n->is_string()) return Bad(path, where, std::string(key) + " must be a string");
    *out = n->as_string()->get();
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!n->is_boolean()) return Bad(path, where, std::string(key) + " must be true or false");
    *out = n->as_boolean()->get();
  } else if constexpr (std::is_floating_point_v<T>) {
    std::optional<double> v = n->value<double>();
    if (!v || *v < 0) return Bad(path, where, std::string(key) + " must be a number >= 0");
    *out = static_cast<T>(*v);
  } else {
    if (!n->is_integer() || n->as_integer()->get() < 0) {
      return Bad(path, where, std::string(key) + " must be an integer >= 0");
    }
    *out = static_cast<T>(n->as_integer()->get());
  }
  return Status::Ok();
}

}  // namespace

StatusOr<IngestConfig> LoadIngestConfig(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFoundError("config file " + path + " not found");
  }
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return InvalidArgumentError(path + ":" + std::to_string(e.source().begin.line) + ": " +
                                std::string(e.description()));
  }
  IngestConfig config;
  NC_RETURN_IF_ERROR(CheckKeys(path, "top level", root, {"fetch", "feed", "sitemap", "page"}));
  if (const toml::node* f = root.get("fetch")) {
    const toml::table* t = f->as_table();
    if (t == nullptr) return Bad(path, "fetch", "must be a table ([fetch])");
    NC_RETURN_IF_ERROR(
        CheckKeys(path, "[fetch]", *t,
                  {"user_agent", "concurrency", "per_host", "delay", "timeout", "connect_timeout",
                   "max_bytes", "retries", "robots", "max_items", "warc_dir", "ca_file"}));
    FetchConfig& fc = config.fetch;
    const std::string w = "[fetch]";
    NC_RETURN_IF_ERROR(Get(path, w, *t, "user_agent", &fc.user_agent));
    NC_RETURN_IF_ERROR(Get(path, w, *t, "concurrency", &fc.concurrency));
    NC_RETURN_IF_ERROR(Get(path, w, *t, "per_host", &fc.per_host));
    NC_RETURN_IF_ERROR(Get(path, w, *t, "delay", &fc.delay_s));
    NC_RETURN_IF_ERROR(Get(path, w, *t, "timeout", &fc.timeout_s));
    NC_RETURN_IF_ERROR(Get(path, w, *t, "connect_timeout", &fc.connect_timeout_s));
    NC_RETURN_IF_ERROR(Get(path, w, *t, "max_bytes", &fc.max_bytes));
    NC_RETURN_IF_ERROR(Get(path, w, *t, "retries", &fc.retries));
    NC_RETURN_IF_ERROR(Get(path, w, *t, "robots", &fc.robots));
    NC_RETURN_IF_ERROR(Get(path, w, *t, "max_items", &fc.max_items));
    NC_RETURN_IF_ERROR(Get(path, w, *t, "warc_dir", &fc.warc_dir));
    NC_RETURN_IF_ERROR(Get(path, w, *t, "ca_file", &fc.ca_file));
    if (fc.user_agent && fc.user_agent->empty()) return Bad(path, w, "user_agent is empty");
    if ((fc.concurrency && *fc.concurrency < 1) || (fc.per_host && *fc.per_host < 1)) {
      return Bad(path, w, "concurrency and per_host must be at least 1");
    }
    if (fc.ca_file && !fc.ca_file->empty()) {
      // Relative to the config file, like every path in it.
      fc.ca_file = (std::filesystem::path(path).parent_path() / *fc.ca_file).string();
    }
    if (fc.warc_dir && !fc.warc_dir->empty()) {
      fc.warc_dir = (std::filesystem::path(path).parent_path() / *fc.warc_dir).string();
    }
  }
  const struct {
    const char* key;
    SourceKind kind;
  } kinds[] = {
      {"feed", SourceKind::kFeed}, {"sitemap", SourceKind::kSitemap}, {"page", SourceKind::kPage}};
  for (const auto& k : kinds) {
    const toml::node* n = root.get(k.key);
    if (n == nullptr) continue;
    const toml::array* arr = n->as_array();
    if (arr == nullptr) {
      return Bad(path, k.key, std::string("must be an array of tables ([[") + k.key + "]])");
    }
    for (size_t i = 0; i < arr->size(); ++i) {
      const std::string w = std::string("[[") + k.key + "]] #" + std::to_string(i + 1);
      const toml::table* t = arr->get(i)->as_table();
      if (t == nullptr) return Bad(path, w, "must be a table");
      const bool list = k.kind != SourceKind::kPage;
      NC_RETURN_IF_ERROR(CheckKeys(path, w, *t,
                                   list ? std::set<std::string>{"url", "max_items", "delay"}
                                        : std::set<std::string>{"url", "delay"}));
      SourceSpec spec;
      spec.kind = k.kind;
      std::optional<std::string> url;
      NC_RETURN_IF_ERROR(Get(path, w, *t, "url", &url));
      if (!url || ingest::UrlHost(*url).empty()) {
        return Bad(path, w, "url must be an absolute http(s) URL");
      }
      spec.url = *url;
      NC_RETURN_IF_ERROR(Get(path, w, *t, "max_items", &spec.max_items));
      NC_RETURN_IF_ERROR(Get(path, w, *t, "delay", &spec.delay_s));
      config.sources.push_back(std::move(spec));
    }
  }
  return config;
}

}  // namespace newsclaim::cli
