// The normalize stage's entry points: decode, clean (HTML or text), select the body, read
// metadata, fold, segment. Every exception from a library stops here.
#include "normalize/normalize.h"

#include <exception>

#include "core/utf8.h"
#include "normalize/block.h"
#include "normalize/boilerplate.h"
#include "normalize/decode.h"
#include "normalize/fold_internal.h"
#include "normalize/html_clean.h"
#include "normalize/metadata.h"
#include "normalize/sentences.h"
#include "normalize/text_clean.h"
#include "normalize/text_util.h"

namespace newsclaim::normalize {
namespace {

using internal::DocMeta;
using internal::ExtractedDoc;

// Script from a declared language tag, for texts too short for statistics.
void ScriptFromTag(const std::string& tag, std::string* language, std::string* script) {
  if (internal::StartsWith(tag, "zh")) {
    *language = "zh";
    const bool hant = tag.find("hant") != std::string::npos ||
                      tag.find("tw") != std::string::npos || tag.find("hk") != std::string::npos ||
                      tag.find("mo") != std::string::npos;
    *script = hant ? "zh-Hant" : "zh-Hans";
  } else if (internal::StartsWith(tag, "en")) {
    *language = "en";
    *script = "en";
  }
}

Status FillDerived(Article* a, const std::string& declared_language, const FoldRules& rules) {
  NC_RETURN_IF_ERROR(internal::FoldText(rules, a->body, &a->folded, &a->folded_to_body));
  internal::DetectLanguage(*a, &a->language, &a->script);
  if (a->language.empty()) ScriptFromTag(declared_language, &a->language, &a->script);
  StatusOr<std::vector<Span>> sentences = internal::SplitSentences(a->body);
  if (!sentences.ok()) return sentences.status();
  a->sentences = std::move(sentences).value();
  return Status::Ok();
}

StatusOr<Article> NormalizeImpl(const RawDocument& raw, const NormalizeOptions& options) {
  if (raw.bytes.size() > options.max_bytes) {
    return ResourceExhaustedError("document of " + std::to_string(raw.bytes.size()) +
                                  " bytes exceeds the limit of " +
                                  std::to_string(options.max_bytes));
  }
  std::shared_ptr<const BoilerplateRules> boilerplate = options.boilerplate;
  if (boilerplate == nullptr) {
    StatusOr<std::shared_ptr<const BoilerplateRules>> def = DefaultBoilerplateRules();
    if (!def.ok()) {
      return FailedPreconditionError("no boilerplate rules: " + def.status().message());
    }
    boilerplate = *def;
  }
  StatusOr<internal::Decoded> decoded = internal::DecodeBytes(raw, options);
  if (!decoded.ok()) return decoded.status();
  const std::string& text = decoded->text;

  Article a;
  a.raw_sha256 = raw.sha256;
  a.uri = raw.uri;
  a.format = raw.format;
  a.charset = decoded->charset;
  a.replaced_bytes = decoded->replaced_bytes;

  ExtractedDoc doc;
  DocFormat format = raw.format;
  std::string_view content = text;
  if (format == DocFormat::kUnknown) {
    const std::string_view t = internal::Trim(text);
    format = internal::StartsWith(t, "---") ? DocFormat::kMarkdown
             : internal::StartsWith(t, "<") ? DocFormat::kHtml
                                            : DocFormat::kText;
  }
  bool html = format == DocFormat::kHtml;
  if (!html) {
    content.remove_prefix(internal::ParseFrontMatter(text, &doc.meta));
    // A dump that is mostly markup (a mirror that saved the page's HTML) is a page.
    html = internal::LooksLikeHtml(content);
  }
  if (html) {
    NC_RETURN_IF_ERROR(internal::ExtractHtml(content, options.max_html_depth, *boilerplate, &doc));
  } else {
    internal::ExtractTextBlocks(content, &doc);
  }

  std::string body;
  if (options.remove_boilerplate) {
    for (const std::string& p :
         internal::SelectBody(std::move(doc.blocks), *boilerplate, &doc.meta)) {
      if (!body.empty()) body += '\n';
      body += p;
    }
  } else {
    for (const internal::Block& b : doc.blocks) {
      if (!body.empty()) body += '\n';
      body += b.text;
    }
  }
  a.body = std::move(body);

  DocMeta& m = doc.meta;
  a.title = internal::CollapseSpaces(m.title);
  std::string author = m.author.empty() ? m.header_author : m.author;
  if (author.empty() && !a.body.empty()) {
    const size_t last = a.body.rfind('\n');
    author = internal::FindTrailingAuthor(
        std::string_view(a.body).substr(last == std::string::npos ? 0 : last + 1));
  }
  a.author = internal::CollapseSpaces(author);
  a.outlet = internal::CollapseSpaces(m.outlet.empty() ? m.title_suffix : m.outlet);
  // Never a date after the fetch: a page header's clock or a scheduled event is not the
  // publication date.
  for (const std::string* d : {&m.published, &m.fallback_published, &m.header_published}) {
    if (d->empty()) continue;
    if (!raw.fetched_at.empty() && d->compare(0, 10, raw.fetched_at, 0, 10) > 0) continue;
    a.published = *d;
    break;
  }
  a.canonical_url = m.canonical_url;
  NC_RETURN_IF_ERROR(FillDerived(&a, m.language, options.fold));
  return a;
}

}  // namespace

StatusOr<Article> Normalize(const RawDocument& raw, const NormalizeOptions& options) {
  try {
    return NormalizeImpl(raw, options);
  } catch (const std::exception& e) {
    return InternalError(std::string("normalize: ") + e.what());
  }
}

void Preload() {
  // A small page with a byline, a labelled date and Traditional text takes every path a
  // news page takes: the OpenCC t2s dictionaries, the default boilerplate rules, the
  // charset, sentence and metadata patterns all load here.
  RawDocument sample;
  sample.uri = "preload:sample.html";
  sample.bytes =
      "<html><head><meta charset=\"utf-8\"><title>標題 - 新聞網</title></head><body>"
      "<article><h1>標題</h1><p>記者王小明／台北報導 發布時間：2024-05-06 10:00</p>"
      "<p>據報導，這款晶片的產量增加了百分之二十，業界人士表示需求強勁。</p>"
      "<p>Sales rose 5% in 2024, according to Reuters.</p></article></body></html>";
  (void)Normalize(sample, NormalizeOptions{});
}

Article FromText(std::string_view text, const FoldRules& fold) {
  Article a;
  a.format = DocFormat::kText;
  a.charset = "UTF-8";
  a.body = std::string(text);
  Fold(fold, &a);
  internal::DetectLanguage(a, &a.language, &a.script);
  try {
    StatusOr<std::vector<Span>> sentences = internal::SplitSentences(a.body);
    if (sentences.ok()) a.sentences = std::move(sentences).value();
  } catch (const std::exception&) {
    a.sentences.clear();  // ICU does not throw; bad_alloc leaves no sentences, not a crash
  }
  if (a.sentences.empty() && !internal::Trim(a.body).empty()) {
    a.sentences.push_back({0, static_cast<uint32_t>(a.body.size())});
  }
  return a;
}

}  // namespace newsclaim::normalize
