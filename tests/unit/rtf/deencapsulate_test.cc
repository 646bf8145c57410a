// [MS-OXRTFEX] de-encapsulation and the plain-text rendering of other RTF.
#include <gtest/gtest.h>

#include <span>
#include <string>

#include "parser/rtf.h"
#include "parser/text.h"
#include "tests/unit/rtf/rtf_test_util.h"

namespace ostfs::rtf {
namespace {

Deencapsulated run(std::string_view rtf, uint32_t default_codepage = 1252) {
  Deencapsulated d = deencapsulate(rtf, default_codepage);
  EXPECT_TRUE(test::is_valid_utf8(d.content));
  return d;
}

std::string html(std::string_view body) {
  const Deencapsulated d = run("{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 " + std::string(body) + "}");
  EXPECT_EQ(d.kind, BodyKind::Html);
  return d.content;
}

std::string text(std::string_view body) {
  const Deencapsulated d = run("{\\rtf1\\ansi\\ansicpg1252\\fromtext " + std::string(body) + "}");
  EXPECT_EQ(d.kind, BodyKind::Text);
  return d.content;
}

std::string plain(std::string_view rtf, uint32_t default_codepage = 1252) {
  const Deencapsulated d = run(rtf, default_codepage);
  EXPECT_EQ(d.kind, BodyKind::Rtf);
  return d.content;
}

// ---- Recognizing the encapsulation ([MS-OXRTFEX] 2.2.3.1) ----

TEST(SkippedDestinations, EveryOneHidesItsTextAndNeighboursDoNot) {
  // [MSFT-RTF] destinations that are not body text, first and last of the list and of
  // several first letters; and words one letter off, which are not destinations.
  for (const char* word : {"aftncn", "xmlnstbl", "annotation", "author", "bkmkstart", "colortbl", "do", "docvar",
                           "fldinst", "footer", "header", "info", "keywords", "objdata", "pict", "private",
                           "rsidtbl", "stylesheet", "tc", "themedata", "txe", "userprops", "xe"}) {
    EXPECT_EQ(plain("{\\rtf1 before{\\" + std::string(word) + " hidden}after}"), "beforeafter") << word;
  }
  for (const char* word : {"aftncnx", "xmlnstb", "a", "d", "z", "tcx", "xex", "pictx"})
    EXPECT_EQ(plain("{\\rtf1 before{\\" + std::string(word) + " shown}after}"), "beforeshownafter") << word;
}

TEST(DetectKind, FromHtmlInHeaderIsHtml) {
  EXPECT_EQ(run("{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0 Arial;}}x}").kind,
            BodyKind::Html);
}

TEST(DetectKind, FromTextAfterOtherHeaderWordsIsText) {
  EXPECT_EQ(run("{\\rtf1\\ansi\\fbidis\\ansicpg1252\\deff0\\deftab720\\fromtext{\\fonttbl}x}").kind,
            BodyKind::Text);
}

TEST(DetectKind, NoMarkerIsRtf) {
  EXPECT_EQ(run("{\\rtf1\\ansi\\deff0 Hello}").kind, BodyKind::Rtf);
}

TEST(DetectKind, FromHtmlZeroIsRtf) {
  EXPECT_EQ(run("{\\rtf1\\fromhtml0 x}").kind, BodyKind::Rtf);
}

TEST(DetectKind, MarkerInsideANestedGroupIsRtf) {
  EXPECT_EQ(run("{\\rtf1{\\*\\x\\fromhtml1}x}").kind, BodyKind::Rtf);
}

TEST(DetectKind, MarkerAfterBodyTextIsRtf) {
  EXPECT_EQ(run("{\\rtf1 Some text \\fromhtml1 more}").kind, BodyKind::Rtf);
}

// ---- HTML ([MS-OXRTFEX] 2.2.3.2) ----

// The RTF of [MS-OXRTFEX] 3.1 "Encapsulating HTML into RTF" up to the <li> tag, closed
// here with a list item and the closing tags.
constexpr std::string_view kSpecHtmlExample = R"({\rtf1\ANSI\ansicpg1251\fromhtml1 \deff0
{\fonttbl {\f0\fmodern Courier New;}{\f1\fswiss Arial;}{\f2\fswiss\fcharset0 Arial;}}
{\colortbl\red0\green0\blue0;\red0\green0\blue255;}
{\*\htmltag64}
\uc1\pard\plain\deftab360 \f0\fs24
{\*\htmltag <HTML><head>\par
<style>\par
<!--\par
 /* Style Definitions */\par
 p.MsoNormal, li.MsoNormal \{font-family:Arial;\}\par
-->\par
</style>\par
\tab <!-- This is a HTML comment.\par
There is a horizontal tab (%x09) character before the comment, \par
and some new lines inside the comment. -->\par
</head>\par
<body>\par
<p\par
class="MsoNormal">}
{\htmlrtf \f1 \htmlrtf0 Note the line break inside a P tag. {\*\htmltag <b>}{\htmlrtf \b \htmlrtf0 This is a bold text{\*\htmltag </b>}} \htmlrtf\par\htmlrtf0}
\htmlrtf \par \htmlrtf0
{\*\htmltag </p>\par
<p class="MsoNormal">\par}
{\htmlrtf \f1 \htmlrtf0 This is a normal text with a character references:
{\*\htmltag &nbsp;}\htmlrtf \'a0\htmlrtf0  {\*\htmltag &lt;}\htmlrtf <\htmlrtf0  {\*\htmltag &uml;}\htmlrtf {\f2\'a8}\htmlrtf0{\*\htmltag <br>\par}\htmlrtf\line\htmlrtf0
characters which have special meaning in RTF: \{\}\\{\*\htmltag <br>\par}\htmlrtf\line\htmlrtf0\htmlrtf\par\htmlrtf0}
{\*\htmltag </p>\par
<ol>\par
<li class="MsoNormal">}{\htmlrtf \f1 \htmlrtf0 This is a list item}
{\*\htmltag \par
</ol>\par
</body>\par
</HTML>}})";

TEST(Html, SpecExampleGivesBackTheHtml) {
  const Deencapsulated d = run(kSpecHtmlExample);
  EXPECT_EQ(d.kind, BodyKind::Html);
  EXPECT_EQ(d.content,
            "<HTML><head>\r\n<style>\r\n<!--\r\n /* Style Definitions */\r\n"
            " p.MsoNormal, li.MsoNormal {font-family:Arial;}\r\n-->\r\n</style>\r\n"
            "\t<!-- This is a HTML comment.\r\n"
            "There is a horizontal tab (%x09) character before the comment, \r\n"
            "and some new lines inside the comment. -->\r\n</head>\r\n<body>\r\n<p\r\n"
            "class=\"MsoNormal\">Note the line break inside a P tag. <b>This is a bold text</b> "
            "</p>\r\n<p class=\"MsoNormal\">\r\n"
            "This is a normal text with a character references:&nbsp; &lt; &uml;<br>\r\n"
            "characters which have special meaning in RTF: {}\\<br>\r\n"
            "</p>\r\n<ol>\r\n<li class=\"MsoNormal\">This is a list item\r\n</ol>\r\n</body>\r\n"
            "</HTML>");
}

TEST(Html, HtmlrtfStateIsRestoredAtGroupEnd) {
  EXPECT_EQ(html("{\\*\\htmltag <p>}{\\htmlrtf a{\\htmlrtf0 b}c}d"), "<p>bd");
}

TEST(Html, HtmlrtfOneAndBareBothSuppress) {
  EXPECT_EQ(html("a\\htmlrtf1 b\\htmlrtf0 c\\htmlrtf d\\htmlrtf0 e"), "ace");
}

TEST(Html, HtmltagInsideHtmlrtfRegionIsSuppressed) {
  // [MS-OXRTFEX] 2.1.3.1.3: nothing is copied until \htmlrtf0.
  EXPECT_EQ(html("\\htmlrtf {\\*\\htmltag <b>}\\htmlrtf0 {\\*\\htmltag <i>}"), "<i>");
}

TEST(Html, TagParameterAndDelimiterAreNotContent) {
  EXPECT_EQ(html("{\\*\\htmltag84 <a href=\"x\">}{\\*\\htmltag 1<br>}"), "<a href=\"x\">1<br>");
}

TEST(Html, EscapesInsideHtmltagFollowTheSpecTable) {
  // [MS-OXRTFEX] 2.1.3.1.4.2
  EXPECT_EQ(html("{\\*\\htmltag a\\par b\\tab c\\{\\}\\\\\\lquote\\rquote\\ldblquote\\rdblquote"
                 "\\bullet\\endash\\emdash\\~\\_}"),
            "a\r\nb\tc{}\\\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u00A0\u00AD");
}

TEST(Html, OtherControlWordsInsideHtmltagAreIgnored) {
  EXPECT_EQ(html("{\\*\\htmltag <b\\line\\b0\\fs20 >}"), "<b>");
}

TEST(Html, HexAndUnicodeEscapesInsideHtmltag) {
  EXPECT_EQ(html("{\\*\\htmltag caf\\'e9 \\u8364?}"), "caf\u00E9 \u20AC");
}

TEST(Html, HtmltagUsesTheDocumentCodePageNotTheFont) {
  const Deencapsulated d = run(
      "{\\rtf1\\ansi\\ansicpg1251\\fromhtml1 {\\fonttbl{\\f1\\fcharset0 Arial;}}"
      "\\f1 {\\*\\htmltag \\'c4}\\'c4}");
  EXPECT_EQ(d.content, "\u0414\u00C4");  // cp1251 inside the tag, the font's 1252 outside
}

TEST(Html, TextOutsideTagsKeepsLineBreaksAndTabs) {
  EXPECT_EQ(html("{\\*\\htmltag <pre>}a\\line b\\tab c\\par d{\\*\\htmltag </pre>}"),
            "<pre>a\r\nb\tc\r\nd</pre>");
}

TEST(Html, MhtmltagIsDroppedInFavourOfHtmltag) {
  EXPECT_EQ(html("{\\*\\mhtmltag340 <IMG src=\"http://host/icons.gif\">}"
                 "{\\*\\htmltag340 <IMG src=\"icons.gif\">}"),
            "<IMG src=\"icons.gif\">");
}

TEST(Html, HeaderDestinationsAreSkipped) {
  EXPECT_EQ(html("{\\fonttbl{\\f0 Arial;}}{\\colortbl\\red0;}{\\*\\generator Word;}"
                 "{\\stylesheet{Normal;}}{\\*\\htmltag <p>}"),
            "<p>");
}

// ---- Plain text ([MS-OXRTFEX] 2.2.3.3) ----

TEST(Text, ParLineAndTabBecomeText) {
  EXPECT_EQ(text("{\\fonttbl{\\f0 Arial;}}a\\par b\\line c\\tab d"), "a\r\nb\r\nc\td");
}

TEST(Text, EscapedCharactersAreUnescaped) {
  EXPECT_EQ(text("\\{x\\} \\\\ caf\\'e9"), "{x} \\ caf\u00E9");
}

TEST(Text, FormattingWordsWithoutTextAreIgnored) {
  EXPECT_EQ(text("\\pard\\ql\\plain\\fs20\\f0{\\b bold} plain"), "bold plain");
}

// ---- Other RTF: readable plain text ----

TEST(PlainRtf, SkipsHeaderTablesAndInfo) {
  EXPECT_EQ(plain("{\\rtf1\\ansi{\\fonttbl{\\f0\\fswiss Arial;}}{\\colortbl;\\red255;}"
                  "{\\stylesheet{\\s0 Normal;}}{\\info{\\title T}{\\author A}}"
                  "{\\*\\generator Riched20;}Hello}"),
            "Hello");
}

TEST(PlainRtf, SkipsPicturesAndBinaryData) {
  EXPECT_EQ(plain("{\\rtf1 a{\\pict\\pngblip 89504e47}b{\\pict\\bin4 }{\\}}c}"), "abc");
}

TEST(PlainRtf, BinaryDataIsNotParsed) {
  // The 6 bytes after \bin6 contain braces and a backslash that must not count.
  EXPECT_EQ(plain("{\\rtf1 a{\\*\\blob\\bin6 }}\\{{x}b}"), "ab");
}

TEST(PlainRtf, KeepsFieldResultNotInstruction) {
  EXPECT_EQ(plain("{\\rtf1 see {\\field{\\*\\fldinst HYPERLINK \"http://x\"}"
                  "{\\fldrslt http://x}} now}"),
            "see http://x now");
}

TEST(PlainRtf, UnknownIgnorableDestinationIsSkippedButUnknownWordIsNot) {
  EXPECT_EQ(plain("{\\rtf1 a{\\*\\unknowndest junk}b{\\unknownword c}}"), "abc");
}

TEST(PlainRtf, HiddenTextIsLeftOut) {
  EXPECT_EQ(plain("{\\rtf1 shown{\\v hidden}\\v gone\\v0  back}"), "shown back");
}

TEST(PlainRtf, TablesBecomeTabsAndLines) {
  EXPECT_EQ(plain("{\\rtf1 \\trowd a\\cell b\\cell\\row c\\par}"), "a\tb\t\r\nc\r\n");
}

TEST(PlainRtf, SpecialCharacterWords) {
  EXPECT_EQ(plain("{\\rtf1 \\emdash\\endash\\bullet\\lquote\\rquote\\ldblquote\\rdblquote"
                  "\\~\\_\\-x}"),
            "\u2014\u2013\u2022\u2018\u2019\u201C\u201D\u00A0\u2011x");
}

TEST(PlainRtf, BackslashBeforeLineEndIsPar) {
  EXPECT_EQ(plain("{\\rtf1 a\\\nb\\\r\nc}"), "a\r\nb\r\nc");
}

TEST(PlainRtf, SourceLineBreaksAreNotText) {
  EXPECT_EQ(plain("{\\rtf1 a\r\nb\nc\rd}"), "abcd");
}

// ---- Code pages ----

TEST(CodePage, AnsicpgDecodesHexEscapes) {
  EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg1251 \\'c4\\'e0}"), "\u0414\u0430");
}

TEST(CodePage, DefaultCodePageAppliesWithoutAnsicpg) {
  EXPECT_EQ(plain("{\\rtf1\\ansi \\'c4}", 1251), "\u0414");
  EXPECT_EQ(plain("{\\rtf1\\ansi \\'c4}", 1252), "\u00C4");
}

TEST(CodePage, AnsicpgOverridesTheDefault) {
  EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg1253 \\'e1}", 1251), "\u03B1");
}

TEST(CodePage, LiteralHighBytesAreDecodedToo) {
  EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg1252 caf\xE9}"), "caf\u00E9");
}

TEST(CodePage, FontCharsetSelectsTheCodePage) {
  const std::string rtf =
      "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}"
      "{\\f1\\fswiss\\fcharset204 Arial Cyr;}{\\f2\\fcharset161{\\*\\panose 0}Greek;}}"
      "\\'c4{\\f1 \\'c4}{\\f2 \\'e1}\\'c4}";
  EXPECT_EQ(plain(rtf), "\u00C4\u0414\u03B1\u00C4");
}

TEST(CodePage, CharsetZeroIsWesternEvenInACyrillicDocument) {
  // As in [MS-OXRTFEX] 3.1, where &uml; is written {\f2\'a8} with \f2 \fcharset0 and
  // \ansicpg1251.
  EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg1251{\\fonttbl{\\f2\\fcharset0 Arial;}}{\\f2\\'a8}\\'a8}"),
            "\u00A8\u0401");
}

TEST(CodePage, DefaultFontCharsetAppliesToPlainText) {
  EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg1252\\deff1{\\fonttbl{\\f1\\fcharset238 X;}}"
                  "\\'b9\\plain\\'b9}"),
            "\u0105\u0105");
}

TEST(CodePage, CpgInFontTableSelectsTheCodePage) {
  EXPECT_EQ(plain("{\\rtf1\\ansi{\\fonttbl{\\f3\\cpg1255 Hebrew;}}\\f3\\'e0}"), "\u05D0");
}

TEST(CodePage, HebrewAndVietnameseKeepTheirLastCharacter) {
  // glibc holds back the last character of these code pages to compose combining marks.
  EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg1255 \\'e0\\'e1}"), "\u05D0\u05D1");
  EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg1255 \\'e0A}"), "\u05D0A");
  EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg1255 \\'e0AB}"), "\u05D0AB");
  EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg1258 Vi\\'ea\\'f2t}"), "Vi\u1EC7t");
}

TEST(CodePage, DoubleByteCharacterFromTwoHexEscapes) {
  EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg932 \\'93\\'fa\\'96\\'7b}"), "\u65E5\u672C");
}

TEST(CodePage, DoubleByteTrailByteMayBeAnEscapedBackslash) {
  // U+30BD KATAKANA SO is 83 5C in Shift_JIS; 5C is "\", written \\ in RTF.
  EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg932 \\'83\\\\}"), "\u30BD");
}

TEST(CodePage, GbkThroughFontCharset134) {
  EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0\\fcharset134 SimSun;}}"
                  "\\f0\\'cf\\'ea\\'cf\\'b8}"),
            "\u8BE6\u7EC6");
}

TEST(CodePage, LiteralTextRunsDecodeAsTheCodePageDecodesThem) {
  // Every byte a text run can hold (not the RTF delimiters, not the line ends the reader drops),
  // with a NUL inside, which is dropped. In EBCDIC code pages (500, 1026) the bytes below 0x80
  // are not ASCII either ("A" is 0xC1): a run is never copied as it is there.
  std::string run;
  for (int b = 1; b < 256; ++b)
    if (b != '\\' && b != '{' && b != '}' && b != '\r' && b != '\n') run.push_back(static_cast<char>(b));
  run.insert(run.size() / 2, 1, '\0');
  const std::string without_nul = std::string(run).erase(run.size() / 2, 1);
  for (uint32_t codepage : {1252u, 1251u, 1253u, 10000u, 437u, 500u, 1026u}) {
    const std::string expected = text::codepage_to_utf8(
        std::span(reinterpret_cast<const uint8_t*>(without_nul.data()), without_nul.size()), codepage);
    // A space starts the run: the reader takes it as the end of \ansicpgN, not as text.
    EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg" + std::to_string(codepage) + " " + run + "}"), expected)
        << "code page " << codepage;
  }
  EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg500 \xC1\xC2\x81}"), "ABa");
}

TEST(CodePage, CharacterSetWordsSelectTheDocumentCodePage) {
  // [MSFT-RTF] \mac (Mac Roman), \pc (437), \pca (850): 0xD5 differs in all three.
  EXPECT_EQ(plain("{\\rtf1\\mac \\'d5\\'8a}"), "\u2019\u00E4");
  EXPECT_EQ(plain("{\\rtf1\\pc \\'d5\\'82}"), "\u2552\u00E9");
  EXPECT_EQ(plain("{\\rtf1\\pca \\'d5\\'82}"), "\u0131\u00E9");
  // Words that share a first letter with them change nothing.
  EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg1251\\pard\\plain\\margl10\\pca\\pcx1\\ul\\uldb\\'d5}"), "\u0131");
}

TEST(CodePage, UnknownCodePageStillGivesValidUtf8) {
  const std::string out = plain("{\\rtf1\\ansi\\ansicpg99999 a\\'e9b}");
  EXPECT_EQ(out.front(), 'a');
  EXPECT_EQ(out.back(), 'b');
}

// ---- Unicode ----

TEST(Unicode, FallbackCharacterIsSkipped) {
  EXPECT_EQ(plain("{\\rtf1 \\u8364?x}"), "\u20ACx");
}

TEST(Unicode, UcZeroSkipsNothing) {
  EXPECT_EQ(plain("{\\rtf1\\uc0 \\u8364 x}"), "\u20ACx");
}

TEST(Unicode, UcTwoSkipsTwoHexBytes) {
  EXPECT_EQ(plain("{\\rtf1\\ansi\\ansicpg932\\uc2 \\u26085\\'93\\'fa!}"), "\u65E5!");
}

TEST(Unicode, SkipCountsBytesInsideATextRun) {
  EXPECT_EQ(plain("{\\rtf1\\uc3 \\u8364abcd}"), "\u20ACd");
}

TEST(Unicode, UcIsScopedToItsGroup) {
  EXPECT_EQ(plain("{\\rtf1 {\\uc2 \\u8364ab}\\u8364cd}"), "\u20AC\u20ACd");
}

TEST(Unicode, SkippingStopsAtAGroupBoundary) {
  EXPECT_EQ(plain("{\\rtf1 {\\u8364}?}"), "\u20AC?");
}

TEST(Unicode, FormattingWordsDoNotCountAsFallback) {
  EXPECT_EQ(plain("{\\rtf1 \\u8364\\f1\\b ?x}"), "\u20ACx");
}

TEST(Unicode, NegativeValuesWrapTo16Bits) {
  EXPECT_EQ(plain("{\\rtf1 \\u-3913?}"), "\uF0B7");
}

TEST(Unicode, SurrogatePairBecomesOneCodePoint) {
  // U+1F600 is D83D DE00: -10179 and -8704 as signed 16-bit values.
  EXPECT_EQ(plain("{\\rtf1 \\u-10179?\\u-8704?}"), "\U0001F600");
  EXPECT_EQ(plain("{\\rtf1\\uc0 \\u55357\\u56832}"), "\U0001F600");
}

TEST(Unicode, UnpairedSurrogatesShowAsReplacement) {
  EXPECT_EQ(plain("{\\rtf1 \\u-10179?x}"), "\uFFFDx");
  EXPECT_EQ(plain("{\\rtf1 \\u-8704?x}"), "\uFFFDx");
  EXPECT_EQ(plain("{\\rtf1 \\u-10179?}"), "\uFFFD");
  EXPECT_EQ(plain("{\\rtf1 \\u-10179?\\u-10179?\\u-8704?}"), "\uFFFD\U0001F600");
}

TEST(Unicode, CodePointsBeyondUnicodeAreReplaced) {
  EXPECT_EQ(plain("{\\rtf1\\uc0 \\u2000000}"), "\uFFFD");
  EXPECT_EQ(plain("{\\rtf1\\uc0 \\u128512}"), "\U0001F600");
}

TEST(Unicode, ZeroIsDropped) {
  EXPECT_EQ(plain("{\\rtf1 a\\u0?b\\'00c}"), "abc");
}

}  // namespace
}  // namespace ostfs::rtf
