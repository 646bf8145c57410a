// Known-answer tests for the NDB layer, checked against Outlook's own Empty.pst.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "export/ndb/amap.h"
#include "export/ndb/block.h"
#include "export/ndb/bytes.h"
#include "export/ndb/crc.h"
#include "export/ndb/header.h"
#include "parser/ndb/crypt.h"

namespace ostfs::pstw {
namespace {

Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

const Bytes& empty_pst() {
  static const Bytes b = read_file(OSTFS_CORPUS_DIR "/microsoft__outlook-pst-rs__Empty.pst");
  return b;
}

TEST(Crc, MatchesOutlookHeaderCrcs) {
  const Bytes& f = empty_pst();
  ASSERT_EQ(f.size(), 271360u);
  EXPECT_EQ(compute_crc(std::span<const uint8_t>(f.data() + 8, 471)), load_u32(f.data() + 4));
  EXPECT_EQ(compute_crc(std::span<const uint8_t>(f.data() + 8, 516)), load_u32(f.data() + 524));
}

TEST(Crc, ContinuesAcrossPieces) {
  const Bytes& f = empty_pst();
  uint32_t whole = compute_crc(std::span<const uint8_t>(f.data() + 8, 516));
  uint32_t part = compute_crc(std::span<const uint8_t>(f.data() + 8, 100));
  EXPECT_EQ(compute_crc(std::span<const uint8_t>(f.data() + 108, 416), part), whole);
  EXPECT_EQ(compute_crc(std::span<const uint8_t>()), 0u);
}

TEST(Crc, MatchesOutlookPageCrc) {
  // The first AMap page (0x4400): dwCRC at trailer +4 covers bytes [0, 496).
  const Bytes& f = empty_pst();
  const uint8_t* page = f.data() + 0x4400;
  EXPECT_EQ(compute_crc(std::span<const uint8_t>(page, 496)), load_u32(page + 496 + 4));
}

TEST(Permute, KnownValuesAndRoundTrip) {
  Bytes b = {0x00, 0x01, 0xFF, 0x41};
  ndb::permute_encode(b);
  EXPECT_EQ(b[0], 65);   // mpbbCrypt[0]
  EXPECT_EQ(b[1], 54);   // mpbbCrypt[1]
  ndb::permute_decode(b);
  EXPECT_EQ(b, (Bytes{0x00, 0x01, 0xFF, 0x41}));
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<uint8_t>(i);
  Bytes enc = all;
  ndb::permute_encode(enc);
  std::sort(enc.begin(), enc.end());
  EXPECT_EQ(enc, all);  // a permutation
}

TEST(Signature, MatchesOutlookPageTrailers) {
  // The NBT root page of Empty.pst: its trailer's wSig derives from its offset and BID.
  const Bytes& f = empty_pst();
  const uint64_t bid = load_u64(f.data() + 180 + 36);
  const uint64_t ib = load_u64(f.data() + 180 + 44);
  const uint8_t* trailer = f.data() + ib + 496;
  EXPECT_EQ(load_u64(trailer + 8), bid);
  EXPECT_EQ(compute_sig(ib, bid), load_u16(trailer + 2));
  EXPECT_EQ(compute_sig(0x4400, 0x4400), 0);
  EXPECT_EQ(compute_sig(0x12345678, 0), 0x1234 ^ 0x5678);
}

TEST(Block, EncodesTrailerAndPermutes) {
  const Bytes data = {0xEC, 0xBC, 0x00, 0x01};
  Bytes b = encode_block(data, 0x24, 0x5000, true);
  ASSERT_EQ(b.size(), 64u);
  EXPECT_EQ(load_u16(b.data() + 48), 4);
  EXPECT_EQ(load_u16(b.data() + 50), compute_sig(0x5000, 0x24));
  EXPECT_EQ(load_u32(b.data() + 52), compute_crc(std::span<const uint8_t>(b.data(), 4)));
  EXPECT_EQ(load_u64(b.data() + 56), 0x24u);
  Bytes back(b.begin(), b.begin() + 4);
  ndb::permute_decode(back);
  EXPECT_EQ(back, data);
  EXPECT_EQ(block_total_size(8176), 8192u);
  EXPECT_THROW(encode_block(Bytes(8177), 4, 0, false), std::length_error);
}

TEST(Header, EncodesValidCrcsAndFields) {
  Header h;
  h.bidNextB = 0x130;
  h.bidNextP = 0x17F;
  h.dwUnique = 0x16;
  h.rgnid.fill(0x400);
  h.root.ibFileEof = 271360;
  h.root.fAMapValid = VALID_AMAP2;
  auto b = encode_header(h);
  EXPECT_EQ(std::string(b.begin(), b.begin() + 4), "!BDN");
  EXPECT_EQ(load_u16(b.data() + 10), 23);
  EXPECT_EQ(load_u16(b.data() + 12), 19);
  EXPECT_EQ(b[512], 0x80);
  EXPECT_EQ(b[513], 1);
  EXPECT_EQ(load_u64(b.data() + 516), 0x130u);
  EXPECT_EQ(load_u32(b.data() + 4), compute_crc(std::span<const uint8_t>(b.data() + 8, 471)));
  EXPECT_EQ(load_u32(b.data() + 524), compute_crc(std::span<const uint8_t>(b.data() + 8, 516)));
  // Same version/platform/ROOT layout bytes as Outlook's file.
  const Bytes& f = empty_pst();
  EXPECT_TRUE(std::equal(b.begin() + 8, b.begin() + 16, f.begin() + 8));
  EXPECT_EQ(load_u64(b.data() + 184), load_u64(f.data() + 184));
}

TEST(AMap, RegionGeometry) {
  EXPECT_EQ(region_offset(0), 0x4400u);
  EXPECT_EQ(region_offset(1), 0x4400u + 253952u);
  EXPECT_EQ(region_map_bytes(0), 1024u);    // AMap + PMap
  EXPECT_EQ(region_map_bytes(1), 512u);
  EXPECT_EQ(region_map_bytes(128), 1536u);  // AMap + PMap + FMap
  EXPECT_EQ(region_map_bytes(8192), 2048u);  // FPMap at +1536
  EXPECT_FALSE(region_has_fmap(8192));
  AMapBits bits{};
  amap_mark(bits, 0, 1024);
  EXPECT_EQ(bits[0], 0xFF);
  EXPECT_EQ(bits[1], 0xFF);
  EXPECT_EQ(bits[2], 0x00);
  EXPECT_EQ(amap_free_slots(bits), kSlotsPerRegion - 16);
  EXPECT_EQ(amap_longest_free_run(bits), kSlotsPerRegion - 16);
  // Outlook's first AMap, recomputed from its bits: cbAMapFree in the header matches.
  const Bytes& f = empty_pst();
  AMapBits outlook;
  std::copy(f.begin() + 0x4400, f.begin() + 0x4400 + 496, outlook.begin());
  EXPECT_EQ(amap_free_slots(outlook) * 64, load_u64(f.data() + 180 + 20));
}

}  // namespace
}  // namespace ostfs::pstw
