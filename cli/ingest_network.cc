// See ingest_network.h.
#include "cli/ingest_network.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "core/clock.h"
#include "ingest/fetch.h"
#include "ingest/warc.h"
#include "store/store.h"

namespace newsclaim::cli {
namespace {

const std::string* FindHeader(const RawDocument& doc, const char* name) {
  for (const auto& [k, v] : doc.headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Media types a page may have: markup and text. Anything else (images, PDFs, archives,
// application/octet-stream) is refused before it reaches normalisation.
bool IsDocumentContentType(const std::string& content_type) {
  std::string mime = Lower(content_type.substr(0, content_type.find(';')));
  mime.erase(std::remove_if(mime.begin(), mime.end(), [](char c) { return c == ' ' || c == '\t'; }),
             mime.end());
  if (mime.empty()) return true;  // no Content-Type: the bytes are sniffed
  if (mime.compare(0, 5, "text/") == 0) return true;
  return mime == "application/xhtml+xml" || mime == "application/xml" ||
         mime == "application/rss+xml" || mime == "application/atom+xml";
}

// Transient failures: the URL may well work next time.
bool IsTransient(const Status& s) {
  return s.code() == StatusCode::kUnavailable || s.code() == StatusCode::kDataLoss ||
         s.code() == StatusCode::kInternal;
}

// WARC-Truncated value for a response whose transfer failed mid-body.
std::string TruncationOf(const Status& s) {
  switch (s.code()) {
    case StatusCode::kResourceExhausted:
      return "length";
    case StatusCode::kUnavailable:
      return s.message().find("timed out") != std::string::npos ? "time" : "unspecified";
    case StatusCode::kDataLoss:
      return "disconnect";
    default:
      return "unspecified";
  }
}

struct Source {
  SourceSpec spec;
  int depth = 0;
  int parent = -1;             // index of the sitemap index that listed it
  bool complete = true;        // every new item handled (validators may advance)
  bool fetched = false;        // a 2xx or 304 arrived
  ingest::FetchResult result;  // headers of the response (bytes dropped after parsing)
};

struct Page {
  std::string url;
  int source = -1;  // index into sources; -1 for a page named on the command line
  std::string etag, last_modified;
};

class NetworkRun {
 public:
  NetworkRun(const NetworkOptions& options, IngestPipeline& pipeline, NetworkCounts* counts)
      : options_(options), pipeline_(pipeline), store_(pipeline.store()), counts_(counts) {}

  Status Run() {
    ingest::CrawlOptions crawl = options_.crawl;
    for (const SourceSpec& spec : options_.sources) {
      if (spec.delay_s) crawl.host_delay[ingest::UrlHost(spec.url)] = *spec.delay_s;
    }
    // robots.txt responses are archived like every other response.
    crawl.on_robots = [this](const ingest::FetchResult& r) {
      if (robots_archive_error_.ok()) robots_archive_error_ = Archive(r);
    };
    StatusOr<std::unique_ptr<ingest::Crawler>> crawler = ingest::Crawler::Create(crawl);
    if (!crawler.ok()) return crawler.status();
    crawler_ = std::move(crawler).value();
    if (!options_.warc_dir.empty()) {
      ingest::WarcWriterOptions wo;
      wo.dir = options_.warc_dir;
      wo.max_file_bytes = options_.warc_max_file_bytes;
      wo.software = std::string("newsclaim/") + NEWSCLAIM_VERSION;
      wo.user_agent = options_.crawl.fetch.user_agent;
      StatusOr<std::unique_ptr<ingest::WarcWriter>> w = ingest::WarcWriter::Open(wo);
      if (!w.ok()) {
        return Status(w.status().code(),
                      "cannot open the WARC archive in " + wo.dir + ": " + w.status().message());
      }
      warc_ = std::move(w).value();
    }
    std::vector<Page> pages;
    for (const SourceSpec& spec : options_.sources) {
      if (spec.kind == SourceKind::kPage) {
        pages.push_back({spec.url, -1, "", ""});
      } else {
        sources_.push_back({spec, 0, -1, true, false, {}});
      }
    }
    NC_RETURN_IF_ERROR(FetchSources(&pages));
    NC_RETURN_IF_ERROR(FetchPages(pages));
    NC_RETURN_IF_ERROR(FinishSources());
    if (warc_ != nullptr) {
      if (Status s = warc_->Close(); !s.ok()) {
        return Status(s.code(), "cannot close the WARC archive: " + s.message());
      }
    }
    return Status::Ok();
  }

 private:
  // Archives every response of a result (redirect hops included) and indexes it.
  Status Archive(const ingest::FetchResult& r) {
    if (warc_ == nullptr) return Status::Ok();
    for (const ingest::FetchResult& hop : r.hops) NC_RETURN_IF_ERROR(ArchiveOne(hop, ""));
    return ArchiveOne(r, r.doc.sha256);
  }

  Status ArchiveOne(const ingest::FetchResult& r, const std::string& sha256) {
    if (r.doc.http_status == 0 || r.response_head.empty()) return Status::Ok();
    ingest::WarcExchange ex;
    ex.target_uri = r.final_url.empty() ? r.doc.uri : r.final_url;
    ex.fetch_time = r.doc.fetched_at;
    ex.ip_address = r.ip;
    ex.request_head = r.request_head;
    ex.response_head = r.response_head;
    // A transfer that failed mid-body keeps what arrived, marked as truncated.
    const bool partial = r.doc.bytes.empty() && !r.partial_body.empty();
    ex.body = partial ? r.partial_body : r.doc.bytes;
    if (partial) ex.truncated = TruncationOf(r.status);
    StatusOr<ingest::WarcLocation> loc = warc_->Write(ex);
    if (!loc.ok()) {
      return Status(loc.status().code(), "cannot write to the WARC archive in " +
                                             options_.warc_dir + " (while storing " +
                                             ex.target_uri + "): " + loc.status().message());
    }
    ++counts_->archived;
    store::Store::WarcRecord rec;
    rec.raw_sha256 = r.status.ok() && !r.not_modified ? sha256 : "";
    rec.target_uri = ex.target_uri;
    rec.warc_file = (std::filesystem::path(options_.warc_dir) / loc->file).string();
    rec.offset = static_cast<int64_t>(loc->offset);
    rec.length = static_cast<int64_t>(loc->length);
    rec.record_id = loc->record_id;
    rec.date = loc->date;
    rec.http_status = r.doc.http_status;
    StatusOr<bool> put = store_.PutWarcRecord(rec);
    if (!put.ok()) return pipeline_.WriteError(ex.target_uri, put.status());
    return Status::Ok();
  }

  StatusOr<std::optional<store::FetchState>> State(const std::string& url) {
    StatusOr<std::optional<store::FetchState>> st = store_.GetFetchState(url);
    if (!st.ok()) return pipeline_.WriteError(url, st.status());
    return st;
  }

  // Records an attempt at url. On success (advance=true) the validators and hash advance.
  Status RecordAttempt(const std::string& url, const ingest::FetchResult& r, bool success,
                       bool advance) {
    StatusOr<std::optional<store::FetchState>> old = State(url);
    if (!old.ok()) return old.status();
    store::FetchState st = old->value_or(store::FetchState{});
    st.url = url;
    const std::string now = NowUtc();
    st.last_attempt = now;
    st.http_status = r.doc.http_status;
    if (!success) {
      ++st.failures;
    } else {
      st.failures = 0;
      if (advance) {
        st.last_success = now;
        if (const std::string* etag = FindHeader(r.doc, "etag")) st.etag = *etag;
        if (const std::string* lm = FindHeader(r.doc, "last-modified")) st.last_modified = *lm;
        if (!r.not_modified) {
          if (!FindHeader(r.doc, "etag")) st.etag.clear();
          if (!FindHeader(r.doc, "last-modified")) st.last_modified.clear();
          if (st.sha256 != r.doc.sha256) st.last_changed = now;
          st.sha256 = r.doc.sha256;
        }
      }
    }
    if (Status s = store_.PutFetchState(st); !s.ok()) return pipeline_.WriteError(url, s);
    return Status::Ok();
  }

  // Whether a feed or sitemap item needs fetching: never fetched successfully, or its
  // lastmod is newer than the last success.
  StatusOr<bool> IsNew(const ingest::FeedEntry& e) {
    StatusOr<std::optional<store::FetchState>> st = State(e.url);
    if (!st.ok()) return st.status();
    if (!st->has_value() || (*st)->last_success.empty()) return true;
    const std::string updated = ToUtcTimestamp(e.updated);
    return !updated.empty() && updated > (*st)->last_success;
  }

  static ingest::FetchRequest RequestWithValidators(const std::string& url,
                                                    const std::optional<store::FetchState>& st) {
    ingest::FetchRequest req;
    req.url = url;
    if (st && !st->last_success.empty()) {
      req.etag = st->etag;
      req.last_modified = st->last_modified;
    }
    return req;
  }

  Status FetchSources(std::vector<Page>* pages) {
    std::set<std::string> queued_pages;
    for (const Page& p : *pages) queued_pages.insert(p.url);
    size_t begin = 0;
    while (begin < sources_.size()) {
      const size_t end = sources_.size();
      std::vector<ingest::FetchRequest> requests;
      for (size_t i = begin; i < end; ++i) {
        StatusOr<std::optional<store::FetchState>> st = State(sources_[i].spec.url);
        if (!st.ok()) return st.status();
        requests.push_back(RequestWithValidators(sources_[i].spec.url, *st));
      }
      Status failure;
      crawler_->FetchAll(requests, [&](size_t j, ingest::FetchResult r) {
        if (failure.ok()) failure = OnSource(begin + j, std::move(r), pages, &queued_pages);
      });
      NC_RETURN_IF_ERROR(failure);
      NC_RETURN_IF_ERROR(robots_archive_error_);
      begin = end;
    }
    return Status::Ok();
  }

  Status OnSource(size_t index, ingest::FetchResult r, std::vector<Page>* pages,
                  std::set<std::string>* queued_pages) {
    NC_RETURN_IF_ERROR(Archive(r));
    const std::string url = sources_[index].spec.url;
    if (r.robots_disallowed) {
      ++counts_->robots_skipped;
      sources_[index].complete = false;
      return Status::Ok();
    }
    if (!r.status.ok()) {
      sources_[index].complete = false;
      NC_RETURN_IF_ERROR(pipeline_.Fail(url, "", "fetch", r.status));
      return RecordAttempt(url, r, false, false);
    }
    sources_[index].fetched = true;
    if (r.not_modified) {
      ++counts_->not_modified;
      sources_[index].result = std::move(r);
      return Status::Ok();
    }
    ++counts_->fetched;
    ingest::FeedOptions fo;
    StatusOr<ingest::Feed> feed = ingest::ParseFeed(r.doc.bytes, r.final_url, fo);
    if (feed.ok() && feed->external_entities) {
      feed = InvalidArgumentError(
          "refused: the document declares an external entity or DTD (possible XXE); nothing "
          "external was read");
    }
    const std::string sha = r.doc.sha256;
    r.doc.bytes.clear();
    r.doc.bytes.shrink_to_fit();
    if (!feed.ok()) {
      sources_[index].complete = false;
      sources_[index].fetched = false;
      NC_RETURN_IF_ERROR(pipeline_.Fail(url, sha, "feed", feed.status()));
      return RecordAttempt(url, r, false, false);
    }
    sources_[index].result = std::move(r);
    if (feed->kind == ingest::FeedKind::kSitemapIndex) {
      if (sources_[index].depth + 1 > options_.max_sitemap_depth) {
        sources_[index].complete = false;
        sources_[index].fetched = false;
        return pipeline_.Fail(url, sha, "feed",
                              InvalidArgumentError("sitemap indexes nested deeper than " +
                                                   std::to_string(options_.max_sitemap_depth)));
      }
      std::set<std::string> known;
      for (const Source& s : sources_) known.insert(s.spec.url);
      for (const ingest::FeedEntry& e : feed->entries) {
        if (known.count(e.url) != 0) continue;  // an index listing itself or a sibling twice
        StatusOr<bool> is_new = IsNew(e);
        if (!is_new.ok()) return is_new.status();
        if (!*is_new) continue;
        SourceSpec child = sources_[index].spec;
        child.kind = SourceKind::kSitemap;
        child.url = e.url;
        sources_.push_back(
            {child, sources_[index].depth + 1, static_cast<int>(index), true, false, {}});
        known.insert(e.url);
      }
      return Status::Ok();
    }
    const int64_t cap = sources_[index].spec.max_items.value_or(options_.max_items);
    int64_t taken = 0;
    for (const ingest::FeedEntry& e : feed->entries) {
      StatusOr<bool> is_new = IsNew(e);
      if (!is_new.ok()) return is_new.status();
      if (!*is_new) {
        ++counts_->known_items;
        continue;
      }
      if (queued_pages->count(e.url) != 0) continue;
      if (cap > 0 && taken >= cap) {
        ++counts_->deferred_items;
        sources_[index].complete = false;
        continue;
      }
      ++taken;
      StatusOr<std::optional<store::FetchState>> st = State(e.url);
      if (!st.ok()) return st.status();
      Page p{e.url, static_cast<int>(index), "", ""};
      if (st->has_value() && !(*st)->last_success.empty()) {
        p.etag = (*st)->etag;
        p.last_modified = (*st)->last_modified;
      }
      pages->push_back(std::move(p));
      queued_pages->insert(e.url);
    }
    return Status::Ok();
  }

  Status FetchPages(const std::vector<Page>& pages) {
    std::vector<ingest::FetchRequest> requests;
    requests.reserve(pages.size());
    for (const Page& p : pages) {
      ingest::FetchRequest req;
      req.url = p.url;
      if (p.source < 0) {
        StatusOr<std::optional<store::FetchState>> st = State(p.url);
        if (!st.ok()) return st.status();
        req = RequestWithValidators(p.url, *st);
      } else {
        req.etag = p.etag;
        req.last_modified = p.last_modified;
      }
      requests.push_back(std::move(req));
    }
    Status failure;
    crawler_->FetchAll(requests, [&](size_t i, ingest::FetchResult r) {
      if (failure.ok()) failure = OnPage(pages[i], std::move(r));
    });
    NC_RETURN_IF_ERROR(failure);
    return robots_archive_error_;
  }

  Status OnPage(const Page& page, ingest::FetchResult r) {
    NC_RETURN_IF_ERROR(Archive(r));
    const auto incomplete = [&] {
      if (page.source >= 0) sources_[page.source].complete = false;
    };
    if (r.robots_disallowed) {
      ++counts_->robots_skipped;
      return Status::Ok();
    }
    if (!r.status.ok()) {
      if (IsTransient(r.status)) incomplete();
      NC_RETURN_IF_ERROR(pipeline_.Fail(page.url, "", "fetch", r.status));
      return RecordAttempt(page.url, r, false, false);
    }
    if (r.not_modified) {
      ++counts_->not_modified;
      ++pipeline_.counts().unchanged;
      return RecordAttempt(page.url, r, true, true);
    }
    ++counts_->fetched;
    if (const std::string* ct = FindHeader(r.doc, "content-type");
        ct != nullptr && !IsDocumentContentType(*ct)) {
      NC_RETURN_IF_ERROR(pipeline_.Fail(
          page.url, r.doc.sha256, "fetch",
          InvalidArgumentError("unsupported Content-Type \"" + *ct + "\" (not a document)")));
      return RecordAttempt(page.url, r, false, false);
    }
    NC_RETURN_IF_ERROR(pipeline_.Add(r.doc));
    return RecordAttempt(page.url, r, true, true);
  }

  // Advances the validators of every feed and sitemap whose items were all handled
  // (a sitemap index only when all of its children were), else records the attempt.
  Status FinishSources() {
    for (size_t i = sources_.size(); i-- > 0;) {
      if (!sources_[i].complete && sources_[i].parent >= 0) {
        sources_[sources_[i].parent].complete = false;
      }
    }
    for (Source& s : sources_) {
      if (!s.fetched) continue;
      NC_RETURN_IF_ERROR(RecordAttempt(s.spec.url, s.result, true, s.complete));
    }
    return Status::Ok();
  }

  const NetworkOptions& options_;
  IngestPipeline& pipeline_;
  store::Store& store_;
  NetworkCounts* counts_;
  std::unique_ptr<ingest::Crawler> crawler_;
  Status robots_archive_error_;  // the first failure to archive a robots.txt response
  std::unique_ptr<ingest::WarcWriter> warc_;
  std::vector<Source> sources_;
};

}  // namespace

std::string ToUtcTimestamp(const std::string& iso) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  int consumed = 0;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10) {
    return "";
  }
  size_t pos = 10;
  long offset_s = 0;
  if (pos < iso.size() && (iso[pos] == 'T' || iso[pos] == 't' || iso[pos] == ' ')) {
    int n = 0;
    if (std::sscanf(iso.c_str() + pos + 1, "%2d:%2d%n", &h, &mi, &n) != 2) return "";
    pos += 1 + static_cast<size_t>(n);
    if (pos < iso.size() && iso[pos] == ':') {
      if (std::sscanf(iso.c_str() + pos + 1, "%2d%n", &s, &n) != 1) return "";
      pos += 1 + static_cast<size_t>(n);
      if (pos < iso.size() && (iso[pos] == '.' || iso[pos] == ',')) {
        ++pos;
        while (pos < iso.size() && std::isdigit(static_cast<unsigned char>(iso[pos]))) ++pos;
      }
    }
    if (pos < iso.size() && (iso[pos] == '+' || iso[pos] == '-')) {
      const int sign = iso[pos] == '-' ? -1 : 1;
      int oh = 0, om = 0;
      const std::string zone = iso.substr(pos + 1);
      if (std::sscanf(zone.c_str(), "%2d:%2d", &oh, &om) != 2 &&
          std::sscanf(zone.c_str(), "%2d%2d", &oh, &om) < 1) {
        return "";
      }
      offset_s = sign * (oh * 3600L + om * 60L);
    }
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return "";
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  const time_t t = timegm(&tm) - offset_s;
  std::tm out{};
  if (gmtime_r(&t, &out) == nullptr) return "";
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &out);
  return buf;
}

Status IngestNetwork(const NetworkOptions& options, IngestPipeline& pipeline,
                     NetworkCounts* counts) {
  NetworkRun run(options, pipeline, counts);
  return run.Run();
}

}  // namespace newsclaim::cli
