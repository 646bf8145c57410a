// [MS-OXRTFCP] decompression: the specification's examples, the header rules and
// malformed streams.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "parser/rtf.h"
#include "tests/unit/rtf/rtf_test_util.h"

namespace ostfs::rtf {
namespace {

using test::kLZFu;
using test::kMELA;
using test::make_stream;

// [MS-OXRTFCP] 3.1.1 "Example 1: Simple Compressed RTF".
const std::vector<uint8_t> kSpecExample1 = {
    0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5,
    0xc7, 0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42,
    0x32, 0x0a, 0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0,
    0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f, 0xa0};
const std::string kSpecExample1Raw = "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n";

// [MS-OXRTFCP] 3.1.2 "Example 2: Reading a Token from the Dictionary That Crosses
// WritePosition".
const std::vector<uint8_t> kSpecExample2 = {
    0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xe2, 0xd4,
    0x4b, 0x51, 0x41, 0x00, 0x04, 0x20, 0x57, 0x58, 0x59, 0x5a, 0x0d, 0x6e, 0x7d, 0x01,
    0x0e, 0xb0};
const std::string kSpecExample2Raw = "{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}";

std::vector<uint8_t> contents_of(const std::vector<uint8_t>& stream) {
  return std::vector<uint8_t>(stream.begin() + 16, stream.end());
}

void set_le32(std::vector<uint8_t>& stream, size_t offset, uint32_t v) {
  for (int k = 0; k < 4; ++k) stream[offset + k] = static_cast<uint8_t>(v >> (8 * k));
}

TEST(Decompress, SpecExample1SimpleCompressedRtf) {
  EXPECT_EQ(decompress(kSpecExample1), kSpecExample1Raw);
}

TEST(Decompress, SpecExample2ReferenceCrossesWritePosition) {
  EXPECT_EQ(decompress(kSpecExample2), kSpecExample2Raw);
}

TEST(Decompress, MelaReturnsContentsAsStored) {
  const std::string rtf = "{\\rtf1\\ansi hi}";
  EXPECT_EQ(decompress(make_stream(kMELA, static_cast<uint32_t>(rtf.size()), test::bytes_of(rtf))),
            rtf);
}

TEST(Decompress, MelaWithRawSizeTwelveTooLargeKeepsAllContents) {
  // Aspose writes MELA streams with RAWSIZE == COMPSIZE; COMPSIZE is what bounds the data.
  const std::string rtf = "{\\rtf1 Body}";
  auto stream = make_stream(kMELA, 0, test::bytes_of(rtf));
  set_le32(stream, 4, static_cast<uint32_t>(rtf.size() + 12));
  EXPECT_EQ(decompress(stream), rtf);
}

TEST(Decompress, MelaRawSizeCapsOutput) {
  EXPECT_EQ(decompress(make_stream(kMELA, 4, test::bytes_of("{\\rtf1 x}"))), "{\\rt");
}

TEST(Decompress, RawSizeCapsLzfuOutput) {
  auto stream = kSpecExample1;
  set_le32(stream, 4, 10);  // RAWSIZE is outside CONTENTS, so the CRC still holds
  EXPECT_EQ(decompress(stream), kSpecExample1Raw.substr(0, 10));
}

TEST(Decompress, RawSizeZeroGivesEmptyOutput) {
  auto stream = kSpecExample1;
  set_le32(stream, 4, 0);
  EXPECT_EQ(decompress(stream), "");
}

TEST(Decompress, HostileRawSizeDoesNotDriveAllocation) {
  auto stream = kSpecExample1;
  set_le32(stream, 4, 0xFFFFFFFFu);
  const std::string out = decompress(stream);
  EXPECT_EQ(out, kSpecExample1Raw);  // the end marker ends it, not RAWSIZE
  EXPECT_LT(out.capacity(), 4096u);
}

TEST(Decompress, BytesAfterCompSizeAreIgnored) {
  auto stream = kSpecExample1;
  stream.insert(stream.end(), {0xDE, 0xAD, 0xBE, 0xEF});
  EXPECT_EQ(decompress(stream), kSpecExample1Raw);
}

TEST(Decompress, ExpansionIsAtMostEightfold) {
  // Runs of 8 references of the maximum length (17) each: 136 output bytes per 17 input
  // bytes, the largest ratio the format allows.
  constexpr size_t kRuns = 100;
  std::vector<uint8_t> contents;
  size_t write = 207;
  for (size_t r = 0; r < kRuns; ++r) {
    contents.push_back(0xFF);
    for (int t = 0; t < 8; ++t) {
      contents.push_back(0x00);  // offset 0
      contents.push_back(0x0F);  // length 15 + 2
      write = (write + 17) % 4096;
    }
  }
  contents.push_back(0x01);
  contents.push_back(static_cast<uint8_t>(write >> 4));
  contents.push_back(static_cast<uint8_t>((write & 0x0F) << 4));
  const std::string out = decompress(make_stream(kLZFu, 0xFFFFFFFFu, contents));
  EXPECT_EQ(out.size(), kRuns * 8 * 17);
  EXPECT_EQ(out.substr(0, 17), "{\\rtf1\\ansi\\mac\\d");
}

struct MalformedStream {
  const char* name;
  std::vector<uint8_t> bytes;
  const char* message;  // a part of RtfError::what()
};

std::vector<uint8_t> header_only(uint32_t comp_size, uint32_t raw_size, uint32_t comp_type) {
  std::vector<uint8_t> out;
  test::put_le32(out, comp_size);
  test::put_le32(out, raw_size);
  test::put_le32(out, comp_type);
  test::put_le32(out, 0);
  return out;
}

std::vector<MalformedStream> malformed_streams() {
  std::vector<MalformedStream> cases;
  cases.push_back({"Empty", {}, "shorter than the 16-byte header"});
  cases.push_back({"FifteenBytes", std::vector<uint8_t>(15, 0x41), "stream of 15 bytes"});
  cases.push_back(
      {"UnknownCompType", header_only(12, 0, 0x44434241), "invalid COMPTYPE 0x44434241"});
  cases.push_back({"CompSizeBelowTwelve", header_only(11, 0, kLZFu), "invalid COMPSIZE 11"});
  cases.push_back({"CompSizeBeyondStream",
                   std::vector<uint8_t>(kSpecExample1.begin(), kSpecExample1.end() - 1),
                   "truncated: COMPSIZE 45 needs 49 bytes, stream has 48"});
  cases.push_back({"MelaCompSizeBeyondStream", header_only(100, 88, kMELA), "truncated"});

  auto corrupted = kSpecExample1;
  corrupted[20] ^= 0x01;
  cases.push_back({"CrcMismatch", corrupted, "CRC mismatch: header has 0xA7C7C5F1"});

  std::vector<uint8_t> no_end = {0x00};
  for (char c : std::string("ABCDEFGH")) no_end.push_back(static_cast<uint8_t>(c));
  cases.push_back({"NoEndMarker", make_stream(kLZFu, 100, no_end),
                   "ends without its end marker after 8 of RAWSIZE 100 bytes"});
  cases.push_back({"ReferenceCutOff", make_stream(kLZFu, 100, {0x01, 0x00}),
                   "dictionary reference cut off at CONTENTS offset 1"});
  return cases;
}

class DecompressMalformed : public testing::TestWithParam<MalformedStream> {};

TEST_P(DecompressMalformed, ThrowsRtfErrorNamingTheProblem) {
  const MalformedStream& c = GetParam();
  try {
    decompress(c.bytes);
    FAIL() << "no RtfError for " << c.name;
  } catch (const RtfError& e) {
    EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("PR_RTF_COMPRESSED: ", 0), 0u) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, DecompressMalformed, testing::ValuesIn(malformed_streams()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Decompress, EveryCutOfTheSpecExampleFailsCleanlyOrGivesAPrefix) {
  // Re-framed with a matching COMPSIZE and CRC, a cut stream passes the header checks, so
  // this exercises the token loop at every possible end of input.
  const auto contents = contents_of(kSpecExample1);
  for (size_t cut = 0; cut <= contents.size(); ++cut) {
    const std::vector<uint8_t> prefix(contents.begin(), contents.begin() + cut);
    try {
      const std::string out = decompress(make_stream(kLZFu, 43, prefix));
      EXPECT_EQ(kSpecExample1Raw.compare(0, out.size(), out), 0) << "cut " << cut;
    } catch (const RtfError&) {
      // a cut before the end marker is reported as such
    }
  }
  EXPECT_THROW(decompress(make_stream(kLZFu, 43, std::vector<uint8_t>(
                                                     contents.begin(), contents.begin() + 20))),
               RtfError);
}

TEST(Decompress, RandomContentsStayWithinBounds) {
  std::mt19937 rng(20240611);
  for (int iteration = 0; iteration < 2000; ++iteration) {
    std::vector<uint8_t> contents(rng() % 400);
    for (auto& b : contents) b = static_cast<uint8_t>(rng());
    const uint32_t raw_size = (iteration % 3 == 0) ? 0xFFFFFFFFu : rng() % 2000;
    try {
      const std::string out = decompress(make_stream(kLZFu, raw_size, contents));
      EXPECT_LE(out.size(), raw_size);
      EXPECT_LE(out.size(), contents.size() * 8);
    } catch (const RtfError&) {
    }
  }
}

// [MS-OXRTFCP] 2.1.3.1 as written: a 4096-byte ring buffer that starts with the initial
// dictionary; every output byte is also written to it. nullopt when the data ends without
// its end marker before `raw_size` bytes (the decoder under test then throws).
std::optional<std::string> ring_buffer_decode(const std::vector<uint8_t>& contents, uint32_t raw_size) {
  const std::string initial =
      "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern "
      "\\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0"
      "\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
  std::vector<uint8_t> ring(4096, 0);
  std::copy(initial.begin(), initial.end(), ring.begin());
  size_t write = initial.size();
  std::string out;
  size_t in = 0;
  while (in < contents.size()) {
    const uint8_t control = contents[in++];
    for (int bit = 0; bit < 8 && in < contents.size(); ++bit) {
      if (out.size() >= raw_size) return out;
      if (!(control & (1 << bit))) {
        out.push_back(static_cast<char>(ring[write] = contents[in++]));
        write = (write + 1) % 4096;
        continue;
      }
      if (in + 2 > contents.size()) return std::nullopt;
      const unsigned reference = contents[in] << 8 | contents[in + 1];
      in += 2;
      const size_t offset = reference >> 4;
      if (offset == write) return out;
      for (size_t k = 0; k < (reference & 0xF) + 2u && out.size() < raw_size; ++k) {
        const uint8_t b = ring[(offset + k) % 4096];
        out.push_back(static_cast<char>(b));
        ring[write] = b;
        write = (write + 1) % 4096;
      }
    }
  }
  if (out.size() >= raw_size) return out;
  return std::nullopt;
}

TEST(Decompress, SameOutputAsTheSpecsRingBufferOnRandomStreams) {
  // Streams long enough for references to reach every distance, including slots of the
  // dictionary never written (zeros) and references that overlap what they write.
  std::mt19937 rng(7);
  size_t compared = 0;
  for (int iteration = 0; iteration < 3000; ++iteration) {
    std::vector<uint8_t> contents(rng() % 6000);
    const unsigned reference_share = rng() % 9;  // in eighths of the control bits
    for (size_t i = 0; i < contents.size(); ++i) {
      uint8_t control = 0;
      for (int bit = 0; bit < 8; ++bit)
        if (rng() % 8 < reference_share) control |= static_cast<uint8_t>(1 << bit);
      contents[i] = control;
      for (int bit = 0; bit < 8 && i + 1 < contents.size(); ++bit) {
        const int bytes = (control & (1 << bit)) ? 2 : 1;
        for (int b = 0; b < bytes && i + 1 < contents.size(); ++b) contents[++i] = static_cast<uint8_t>(rng());
      }
    }
    const uint32_t raw_size = iteration % 4 == 0 ? 0xFFFFFFFFu : rng() % 30000;
    const std::optional<std::string> expected = ring_buffer_decode(contents, raw_size);
    try {
      const std::string out = decompress(make_stream(kLZFu, raw_size, contents));
      ASSERT_TRUE(expected) << "iteration " << iteration << ": decoded where the spec's decoder finds no end";
      ASSERT_EQ(out, *expected) << "iteration " << iteration;
      ++compared;
    } catch (const RtfError&) {
      ASSERT_FALSE(expected) << "iteration " << iteration << ": the spec's decoder gives " << expected->size()
                             << " bytes";
    }
  }
  EXPECT_GT(compared, 1000u);
}

}  // namespace
}  // namespace ostfs::rtf
