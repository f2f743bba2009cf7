// The byte-level pass before gumbo (normalize/html_prescan.h) must not change what the
// extractor reads: gumbo's tree of the rewritten page equals its tree of the original in
// every element, text node and read attribute, apart from the emptied script and style
// bodies, the dropped comments and the collapsed runs of blanks in text. Checked on tricky markup
// and on every HTML page of the test data and the fuzz seeds.
#include <gtest/gtest.h>
#include <gumbo.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "normalize/html_prescan.h"

namespace newsclaim::normalize::internal {
namespace {

// The attributes html_clean.cc reads (its Attr() calls); href is read on <link> only.
constexpr const char* kReadAttributes[] = {"class",       "id",   "role",     "style",   "hidden",
                                           "aria-hidden", "lang", "property", "name",    "itemprop",
                                           "content",     "rel",  "type",     "datetime"};

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// Text nodes print as "text"; adjacent ones (split by a comment the prescan drops) merge.
void Serialize(const GumboNode* g, std::string* out) {
  switch (g->type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_WHITESPACE:
    case GUMBO_NODE_CDATA:
      if (!out->empty() && out->back() == '"') {
        out->pop_back();
      } else {
        *out += "\"";
      }
      *out += std::string(g->v.text.text) + "\"";
      return;
    case GUMBO_NODE_COMMENT:
      return;  // the extractor never reads comments; the prescan drops them
    case GUMBO_NODE_DOCUMENT:
      for (unsigned k = 0; k < g->v.document.children.length; ++k) {
        Serialize(static_cast<const GumboNode*>(g->v.document.children.data[k]), out);
      }
      return;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      break;
  }
  const GumboElement& e = g->v.element;
  *out += "<" + std::to_string(e.tag) + ":" + std::to_string(e.tag_namespace) + ":" +
          std::to_string(g->parse_flags & GUMBO_INSERTION_IMPLICIT_END_TAG ? 1 : 0);
  for (const char* name : kReadAttributes) {
    if (const GumboAttribute* a = gumbo_get_attribute(&e.attributes, name)) {
      *out += " " + std::string(name) + "=\"" + a->value + "\"";
    }
  }
  if (e.tag == GUMBO_TAG_LINK) {
    if (const GumboAttribute* a = gumbo_get_attribute(&e.attributes, "href")) {
      *out += " href=\"" + std::string(a->value) + "\"";
    }
  }
  *out += ">";
  const GumboAttribute* type = gumbo_get_attribute(&e.attributes, "type");
  const bool json_ld = type != nullptr && Lower(type->value).find("ld+json") != std::string::npos;
  // Script and style text is emptied (JSON-LD excepted), the elements stay.
  if (!((e.tag == GUMBO_TAG_SCRIPT && !json_ld) || e.tag == GUMBO_TAG_STYLE)) {
    for (unsigned k = 0; k < e.children.length; ++k) {
      Serialize(static_cast<const GumboNode*>(e.children.data[k]), out);
    }
  }
  *out += "</>";
}

std::string Tree(const std::string& html) {
  GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  std::string out;
  Serialize(output->document, &out);
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  return out;
}

// The serialized tree with every run of two or more blanks written as its newlines, or
// one space when it has none: what the prescan's white-space collapsing leaves of a run.
std::string CollapsedBlanks(const std::string& tree) {
  std::string out;
  for (size_t i = 0; i < tree.size();) {
    size_t r = i;
    while (r < tree.size() && (tree[r] == ' ' || tree[r] == '\t' || tree[r] == '\n')) ++r;
    if (r - i >= 2) {
      const size_t newlines = std::count(tree.begin() + i, tree.begin() + r, '\n');
      out += newlines > 0 ? std::string(newlines, '\n') : std::string(1, tree[i]);
      i = r;
    } else {
      out += tree[i++];
    }
  }
  return out;
}

void ExpectTreesEqual(const std::string& a, const std::string& b, const std::string& what) {
  if (a == b) return;
  size_t at = 0;
  while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
  const size_t from = at < 200 ? 0 : at - 200;
  ADD_FAILURE() << what << ": trees differ at " << at << "\noriginal:  " << a.substr(from, 400)
                << "\nrewritten: " << b.substr(from, 400);
}

void ExpectSameTree(const std::string& html_in, const std::string& what) {
  // Decoding turns CR LF and CR into LF before the prescan sees the text.
  std::string html;
  for (size_t i = 0; i < html_in.size(); ++i) {
    if (html_in[i] != '\r') {
      html += html_in[i];
    } else if (i + 1 >= html_in.size() || html_in[i + 1] != '\n') {
      html += '\n';
    }
  }
  // The nesting limit changes the tree on purpose: both sides have it.
  const std::string limited = LimitNesting(html, PrescanOptions{}.max_depth);
  const std::string original = Tree(limited);
  // Without white-space collapsing the trees are equal to the byte...
  PrescanOptions exact;
  exact.collapse_whitespace = false;
  const std::string uncollapsed = PrescanHtml(html, exact);
  EXPECT_LE(uncollapsed.size(), limited.size()) << what;
  ExpectTreesEqual(original, Tree(uncollapsed), what);
  // ...and with it (the default) equal but for runs of blanks, which keep their newlines.
  const std::string rewritten = PrescanHtml(html, PrescanOptions{});
  EXPECT_LE(rewritten.size(), uncollapsed.size()) << what;
  ExpectTreesEqual(CollapsedBlanks(original), CollapsedBlanks(Tree(rewritten)),
                   what + " (white space collapsed)");
}

TEST(PrescanTreeTest, TrickyMarkupParsesTheSame) {
  const char* cases[] = {
      "<p title=it's class=k>x's</p><p x'=1 class=\"a>b\">y",
      "<p title=\"<b class=x>\" class=q>t</p><div =x id=a data-y>u</div>",
      "<?php echo \"<a title='x>y'>\"; ?><p class=z>after",
      "</ <a title=\"x>y\"><p>t",
      "<svg><![CDATA[<a title=\"x\">]]></svg><p class=c>t",
      "<svg/x=1><circle r=1/></svg><p>after svg",
      "<svg viewBox=\"0 0 1 1\"><path d=\"M0\"/><foreignObject><p class=f>in</p></foreignObject>"
      "</svg><p>t",
      "<math><annotation-xml encoding=\"text/html\"><div class=m>x</div></annotation-xml></math>",
      "<table><input type=hidden data-x=1><tr><td class=c title=t>cell</td></tr></table>",
      "<a href=1><a href=2><a href=3><a href=4>x</a></a></a></a>text",
      "<b class=x data-i=1><b class=x data-i=2><b class=x data-i=3><b class=x data-i=4>"
      "<p>bold text</p>",
      "<a href=1 class=l><div>block in link</div></a><p>after",
      "<font color=red data-x=1><svg><font color=blue>out</font></svg></font>",
      "<isindex prompt=\"Find\" action=/s data-x=1>",
      "<html lang=en data-a=1><body class=b data-b=2><body class=c data-c=3>t",
      "<script><!--><script></script><p class=p>a</p>",
      "<script><!--\ndocument.write('<script src=a.js></script>');\n//--></script><p>b",
      "a<!-- x --!>b<!-- y -->c<!-->d<!--->e",
      "<textarea><a title=x></textarea><title><b class=x></title><p>t",
      "<select><option value=1 class=o>one<option value=2>two</select>",
      "<img/src=a.jpg><br/class=x><hr/ id=h>",
      "<p title=\"unterminated",
      "<div class=a\n\tdata-x\n=\n'1'\nid=b>ws</div>",
      "<link rel=canonical href=\"https://e.com/x\"><a rel=nofollow href=\"/y\">l</a>",
      "<script type=\"application/ld+json\" data-x=1>{\"a\":\"<b>\"}</script>",
  };
  for (const char* c : cases) ExpectSameTree(c, c);
}

TEST(PrescanTreeTest, TestPagesParseTheSame) {
  const std::filesystem::path root = NEWSCLAIM_SOURCE_DIR;
  int pages = 0;
  for (const char* dir : {"tests/data/extraction", "fuzz/corpus/normalize_fuzz"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / dir)) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".html" && ext != ".htm")) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      ExpectSameTree(bytes.str(), entry.path().string());
      ++pages;
    }
  }
  EXPECT_GE(pages, 10);
}

}  // namespace
}  // namespace newsclaim::normalize::internal
