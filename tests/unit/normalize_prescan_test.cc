// Tests of the byte-level pass before gumbo (normalize/html_prescan.h): the nesting limit,
// and the emptying of script, style and comment text with the tokenizer's own rules for
// where raw text ends.
#include <gtest/gtest.h>

#include <string>

#include "normalize/html_prescan.h"

namespace newsclaim::normalize::internal {
namespace {

std::string Strip(std::string_view html) { return PrescanHtml(html, PrescanOptions{}); }

TEST(LimitNestingTest, FlattensOnlyBeyondTheLimit) {
  const std::string shallow = "<div><p>a</p><div><span>b</span></div></div>";
  EXPECT_EQ(LimitNesting(shallow, 4), shallow);
  EXPECT_EQ(LimitNesting("<div><div><div>x</div></div></div>", 2), "<div><div>x</div></div>");
  EXPECT_EQ(LimitNesting("<DIV><Div><div>x</div></dIV></DIV>", 2), "<DIV><Div>x</dIV></DIV>");
  // Tags in scripts and comments are not counted.
  const std::string script = "<div><script>'<div><div><div>'</script><!--<div><div>--></div>";
  EXPECT_EQ(LimitNesting(script, 2), script);
  // Implicitly closed paragraphs and list items do not accumulate depth.
  std::string list = "<ul>";
  for (int i = 0; i < 100; ++i) list += "<li><p>item";
  list += "</ul>";
  EXPECT_EQ(LimitNesting(list, 5), list);
}

TEST(PrescanTest, EmptiesScriptStyleAndCommentsButKeepsTheElements) {
  EXPECT_EQ(Strip("<p>a</p><script type=text/javascript>var x = '<p>no</p>';</script>"
                  "<style>p{color:red}</style><!-- note --><p>b</p>"),
            "<p>a</p><script type=text/javascript></script><style></style><p>b</p>");
  EXPECT_EQ(Strip("<SCRIPT>x()</SCRIPT ><p>b"), "<SCRIPT></SCRIPT ><p>b");
  // `</scripts>` does not end a script; `</script/` does.
  EXPECT_EQ(Strip("<script>a</scripts>b</script/>c"), "<script></script/>c");
}

TEST(PrescanTest, KeepsJsonLdAndTheTextOfOtherRawTextElements) {
  const std::string ld =
      "<script type=\"application/LD+JSON\">{\"datePublished\":\"2025-08-21\"}</script>";
  EXPECT_EQ(Strip(ld), ld);
  const std::string keep =
      "<title>T &amp; <b></title><textarea><!-- x --></textarea>"
      "<noscript><p>text</p></noscript>";
  EXPECT_EQ(Strip(keep), keep);
}

TEST(PrescanTest, ScriptEndFollowsTheEscapedStates) {
  // Old portals write scripts from scripts inside a comment: the first </script> is part
  // of the outer script's text (double-escaped state), the second ends it.
  EXPECT_EQ(Strip("<script><!--\ndocument.write('<script src=a.js></script>');\n//--></script>"
                  "<p>body</p>"),
            "<script></script><p>body</p>");
  // Outside the escape, the first end tag ends the script.
  EXPECT_EQ(Strip("<script>document.write('<script></script>');</script><p>x</p>"),
            "<script></script>');</script><p>x</p>");
  // An unterminated script runs to the end of the input, as in the tokenizer.
  EXPECT_EQ(Strip("<p>a</p><script>var s = 1;"), "<p>a</p><script>");
}

TEST(PrescanTest, CommentForms) {
  EXPECT_EQ(Strip("a<!-->b<!--->c<!---->d"), "abcd");
  // A comment with no end swallows the rest of the input; it is left for the parser.
  EXPECT_EQ(Strip("a<!-- open <p>x</p>"), "a<!-- open <p>x</p>");
  // Markup declarations are not comments.
  EXPECT_EQ(Strip("<!DOCTYPE html><p>a"), "<!DOCTYPE html><p>a");
}

TEST(PrescanTest, QuotedGreaterThanDoesNotEndATag) {
  EXPECT_EQ(Strip("<script type=\"a>b\">x()</script><p>k"), "<script type=\"a>b\"></script><p>k");
}

TEST(PrescanTest, DropsTheAttributesNothingReads) {
  EXPECT_EQ(Strip("<div class=\"c\" data-x=\"1\" id=i><a href=\"/x\" title='t'>a</a>"
                  "<img src=x.jpg alt=\"y\"/><link rel=canonical href=\"https://e.com/x\">"
                  "<meta property=og:title content=T><time datetime=2025-01-02>d</time></div>"),
            "<div class=\"c\"  id=i><a  >a</a><img  /><link rel=canonical href=\"https://e.com/x\">"
            "<meta property=og:title content=T><time datetime=2025-01-02>d</time></div>");
  // Names are compared without case, as the tokenizer lowercases them.
  EXPECT_EQ(Strip("<P CLASS=a DATA-X=b Style='display:none' HIDDEN>x"),
            "<P CLASS=a  Style='display:none' HIDDEN>x");
  // The tree builder reads input's type and compares the attributes of formatting
  // elements; isindex turns its attributes into elements and text.
  for (std::string_view kept :
       {"<input type=hidden>", "<b data-x=1>b</b>", "<font color=red data-y=2>f</font>",
        "<isindex prompt=\"Search\" data-z=1>", "<i title=t>i</i>"}) {
    EXPECT_EQ(Strip(kept), kept);
  }
  // Without the attribute after it, a '/' would make the tag self-closing (which matters
  // in SVG).
  EXPECT_EQ(Strip("<svg/x=1><p/title=t>"), "<svg/x=1><p/title=t>");
  EXPECT_EQ(Strip("<svg viewBox=\"0 0 1 1\"/><path d=\"M0 0\"/>"), "<svg /><path />");
}

TEST(PrescanTest, AttributesFollowTheTokenizer) {
  // A quote inside an unquoted value or a name does not start a quoted string.
  EXPECT_EQ(Strip("<p title=it's class=k>x's</p><p x'=1 class=\"a>b\">y"),
            "<p  class=k>x's</p><p  class=\"a>b\">y");
  // A quoted value may hold '>' and tags.
  EXPECT_EQ(Strip("<p title=\"<b class=x>\" class=q>t</p>"), "<p  class=q>t</p>");
  // Missing values, names that start with '=', spaces around '='.
  EXPECT_EQ(Strip("<p title=>t<p =x class=a>u<p alt = \"v\" id = w>"),
            "<p >t<p  class=a>u<p  id = w>");
  // A tag cut off by the end of the input is not rewritten.
  EXPECT_EQ(Strip("<p>a<p title=\"x"), "<p>a<p title=\"x");
  // End tags are left as they are.
  EXPECT_EQ(Strip("<p>a</p title=x>"), "<p>a</p title=x>");
}

TEST(PrescanTest, NoAttributeDroppedOutsideTags) {
  // Bogus comments end at the first '>', quotes or not; what follows is text.
  for (std::string_view s :
       {"<?php echo \"<a title='x>y'>\"; ?>", "</ <a title=\"x>y\">",
        "<!DOCTYPE x \"<a title=x>\">", "<svg><![CDATA[<a title=\"x\">]]></svg>",
        "<title><a title=x></title>", "<textarea><a title=x></textarea>"}) {
    EXPECT_EQ(Strip(s), s);
  }
}

TEST(PrescanTest, CommentEndBangAndEscapedScriptOpenings) {
  // "--!>" ends a comment.
  EXPECT_EQ(Strip("a<!-- x --!>b<!-- y -->c"), "abc");
  // "<!-->" inside a script opens and closes the escape at once: a later <script> does
  // not start the double-escaped state.
  EXPECT_EQ(Strip("<script><!--><script></script><p>a</p>"), "<script></script><p>a</p>");
  EXPECT_EQ(Strip("<script><!---><script></script><p>a</p>"), "<script></script><p>a</p>");
}

TEST(PrescanTest, CollapsesWhiteSpaceRunsInTextKeepingNewlines) {
  EXPECT_EQ(Strip("<div>\n    <p>a  b\t\tc</p>\n\n    <p> d </p>\n</div>"),
            "<div>\n<p>a b\tc</p>\n\n<p> d </p>\n</div>");
  // Single blanks, text around a '<' that is not markup, and entities stay as written.
  EXPECT_EQ(Strip("<p>x < y &nbsp; z</p>"), "<p>x < y &nbsp; z</p>");
  EXPECT_EQ(Strip("<p>1  <  2</p>"), "<p>1 < 2</p>");
  // Runs on both sides of a dropped comment are collapsed on each side.
  EXPECT_EQ(Strip("<p>a   <!-- c -->   b</p>"), "<p>a  b</p>");
}

TEST(PrescanTest, KeepsWhiteSpaceWherePresentationNeedsIt) {
  // Preformatted text, raw-text elements and attribute values are not touched.
  const std::string pre = "<pre>  a\n    b  </pre><listing>  x  </listing>";
  EXPECT_EQ(Strip(pre), pre);
  EXPECT_EQ(Strip("<div><pre><b>  a  </b>\n  <i> b</i></pre>  c</div>"),
            "<div><pre><b>  a  </b>\n  <i> b</i></pre> c</div>");
  const std::string raw =
      "<title>  T  </title><textarea>  a\n   b</textarea><p class=\"a  b\">t</p>";
  EXPECT_EQ(Strip(raw), raw);
  const std::string ld = "<script type=application/ld+json>{  \"a\":  1}</script>";
  EXPECT_EQ(Strip(ld), ld);
  // After a CDATA section (whose extent depends on the namespace) nothing is collapsed
  // before its end.
  const std::string cdata = "<svg><![CDATA[  x  ]]></svg>";
  EXPECT_EQ(Strip(cdata), cdata);
  PrescanOptions keep;
  keep.collapse_whitespace = false;
  EXPECT_EQ(PrescanHtml("<p>a   b</p>", keep), "<p>a   b</p>");
}

TEST(PrescanTest, TruncatedInputDoesNotReadPastTheEnd) {
  for (std::string_view s : {"<", "<script", "<script>", "<script><!--", "<script><!--<script",
                             "</", "<!-", "<!--", "<style>a</sty", "<div"}) {
    const std::string out = Strip(s);
    EXPECT_LE(out.size(), s.size()) << s;
  }
}

}  // namespace
}  // namespace newsclaim::normalize::internal
