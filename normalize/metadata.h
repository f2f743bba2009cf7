// Metadata parsing: dates in the forms news pages write them, bylines and datelines
// (中央社／ 台北25日電, 【大纪元2025年08月21日讯】, 记者X综合报导, 作者：X), <title> site
// suffixes, JSON-LD, and language/script from character statistics.
#ifndef NEWSCLAIM_NORMALIZE_METADATA_H_
#define NEWSCLAIM_NORMALIZE_METADATA_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/types.h"
#include "normalize/block.h"

namespace newsclaim::normalize::internal {

// A date found in text: [begin, end) bytes of the match and its ISO 8601 form
// ("2025-08-21", "2024-05-06T23:48", "2025-08-21T10:05:00+08:00").
struct DateMatch {
  size_t begin = 0;
  size_t end = 0;
  std::string iso;
};

// Finds the first full date (year, month, day; optional time and zone) in s: ISO 8601 and
// RFC 3339, 2025/08/21, 2025年08月21日 [10:05 | 23时48分], "Aug 21, 2025", "21 August 2025".
// Full-width digits are accepted. Returns false when there is none.
bool FindDate(std::string_view s, DateMatch* match);
// FindDate's ISO form, or "" when s holds no date.
std::string ParseDate(std::string_view s);

// What a byline or dateline says.
struct Byline {
  std::string outlet;
  std::string author;
  std::string published;  // ISO 8601
  // The date follows a publication label ("发布时间", "发表于", "本贴由X于…发表",
  // "Posted"): stronger evidence than a bare date line.
  bool date_labelled = false;
  // The label names the date a document was written or issued (成文日期, 发文日期): an
  // official document's own date, which outranks the page's publication time.
  bool document_date = false;
};

// True when the whole block is a byline, dateline or date line (metadata, not body):
// "中央社／ 台北25日電", "經濟日報／ 編譯林文彬／綜合外電", "Wilson (42865)发表于 2024年05月06日
// 23时48分", "date 2026-02-25 快訊", "2021年03月23日 10:05", "作者：王明", "By Jane Doe".
bool ParseBylineBlock(std::string_view text, Byline* out);
// False when text has no four digits in a row (ASCII or full-width): then it holds no
// date, and a byline in it has no labelled date (Byline::date_labelled stays false).
bool MayHoldDate(std::string_view text);
// Length in bytes of a dateline/byline prefix at the start of a paragraph
// ("【大纪元2025年08月21日讯】（大纪元记者纪语安综合报导）"), 0 when there is none.
size_t ParseDatelinePrefix(std::string_view text, Byline* out);

// The name after an author/reporter/editor label in a line ("作者： 罗银胜", "记者 伊琳 李清芬",
// "编辑：山石", "本报记者罗科苏盈发自北京"); "" when there is none.
std::string FindAuthorLabel(std::string_view text);
// The name after a writer's label only (作者, 记者, 撰稿, 文／, 通讯员; an outlet may precede
// 记者 on a short line: "新京报记者 彭冲 山东冠县报道" -> "彭冲"); editors are not writers.
std::string FindWriterLabel(std::string_view text);
// The names in a closing bracket, alone on the line or ending the last paragraph:
// "（袁源）", "……推动高质量发展。（记者 胡晓蓉）", "（常书香 马丹阳 ）"; "" otherwise.
std::string FindTrailingAuthor(std::string_view line);
// The line is only a Chinese person's name or a few names ("胡平", "伊琳 李清芬"), the
// first of them starting with a common surname: the author line under a headline.
bool IsPersonNameLine(std::string_view line);

// Splits a <title> into the headline and the site part ("X | 聯合新聞網" -> "X", "聯合新聞網").
// headline_hint (the page's <h1>, may be empty) settles which part is the headline when
// the site name is the longer part ("Chips - The Daily").
std::string CleanTitle(std::string_view title, std::string* site_suffix,
                       std::string_view headline_hint = {});
// Cuts a tagline off an outlet name ("奇客Solidot–传递最新科技情报" -> "奇客Solidot").
std::string CleanOutlet(std::string_view outlet);

// Reads schema.org Article data (headline, datePublished, author, publisher, url) from one
// <script type="application/ld+json"> body into meta (fields already set are kept).
void ParseJsonLd(std::string_view json, DocMeta* meta);

// "zh"/"en"/"" and "zh-Hant"/"zh-Hans"/"en"/"" from the body and its folded form: a text is
// Traditional when a noticeable share of its Han characters change under t2s.
void DetectLanguage(const Article& article, std::string* language, std::string* script);

}  // namespace newsclaim::normalize::internal

#endif  // NEWSCLAIM_NORMALIZE_METADATA_H_
