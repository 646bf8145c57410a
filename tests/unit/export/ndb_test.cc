// Known-answer tests for the NDB layer, checked against Outlook's own Empty.pst.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <optional>
#include <utility>
#include <vector>

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
  EXPECT_EQ(region_map_bytes(8192), 1536u);  // AMap + PMap + FPMap, packed
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

// The map pages a > 4 GB file needs, without writing one: FPMaps at regions 8192 (2.08 GB)
// and 39,936 (10.1 GB), FMaps every 496 regions from 128, PMaps every 8, at 64-bit offsets.
TEST(AMap, MapPagesPastFourGigabytes) {
  const NdbLayout& pst = ndb_layout(Layout::Pst2003Unicode);
  using Pages = std::vector<std::pair<uint8_t, uint64_t>>;
  auto pages = [&](uint64_t r) {
    Pages out;
    for (const MapPage& p : region_map_pages(pst, r)) out.emplace_back(p.type, p.offset);
    return out;
  };
  EXPECT_EQ(pages(0), (Pages{{ptype::AMap, 0}, {ptype::PMap, 512}}));
  EXPECT_EQ(pages(128), (Pages{{ptype::AMap, 0}, {ptype::PMap, 512}, {ptype::FMap, 1024}}));
  // FPMap regions never hold an FMap: the FPMap takes the page after the PMap.
  EXPECT_EQ(pages(8192), (Pages{{ptype::AMap, 0}, {ptype::PMap, 512}, {ptype::FPMap, 1024}}));
  EXPECT_EQ(region_offset(8192) + *region_map_page_offset(pst, 8192, ptype::FPMap), 0x7C004800u);
  EXPECT_EQ(pages(8193), (Pages{{ptype::AMap, 0}}));

  // The first regions past 4 GiB: 16,912 starts below it, 16,913 above.
  EXPECT_LT(region_offset(16912), 0x100000000u);
  EXPECT_GT(region_offset(16913), 0x100000000u);
  EXPECT_EQ(region_offset(16913), 0x4400ull + 16913ull * 253952ull);
  EXPECT_EQ(pages(16913), (Pages{{ptype::AMap, 0}}));
  EXPECT_EQ(pages(16920), (Pages{{ptype::AMap, 0}, {ptype::PMap, 512}}));
  // 128 + 34 × 496 = 16,992: the first FMap beyond 4 GiB, at 0x1_0134_4800; the one
  // before it, 16,496, is the last below.
  EXPECT_EQ(pages(16992), (Pages{{ptype::AMap, 0}, {ptype::PMap, 512}, {ptype::FMap, 1024}}));
  EXPECT_EQ(region_offset(16992) + *region_map_page_offset(pst, 16992, ptype::FMap), 0x101344800u);
  EXPECT_EQ(pages(16496), (Pages{{ptype::AMap, 0}, {ptype::PMap, 512}, {ptype::FMap, 1024}}));
  EXPECT_EQ(pages(16497), (Pages{{ptype::AMap, 0}}));
  // 8192 + 31,744 = 39,936: the second FPMap, 10.1 GB in; also a PMap region, not an FMap one.
  EXPECT_EQ(pages(39936), (Pages{{ptype::AMap, 0}, {ptype::PMap, 512}, {ptype::FPMap, 1024}}));
  EXPECT_EQ(region_map_page_offset(pst, 39936, ptype::FMap), std::nullopt);
  EXPECT_EQ(region_map_page_offset(pst, 39935, ptype::FPMap), std::nullopt);
  // No region is ever both: FMaps sit at 128 mod 496, FPMaps at 8192 + 31,744k ≡ 256 mod 496.
  for (uint64_t r = 8192; r < 8192 + 31744 * 16; r += 31744) EXPECT_FALSE(region_has_fmap(r)) << r;
  // The Ost2013 layout has only AMaps, whatever the region.
  EXPECT_EQ(region_map_pages(ndb_layout(Layout::Ost2013), 8192).size(), 1u);

  // A map page at a 64-bit offset: wSig 0 and the full offset as its BID, CRC over its bits.
  const uint64_t ib = region_offset(39936) + 1024;
  ASSERT_GT(ib, 0xFFFFFFFFu);
  Bytes bits(kPageDataSize, 0xFF);
  const Bytes page = encode_map_page(pst, bits, ptype::FPMap, ib);
  ASSERT_EQ(page.size(), kPageSize);
  EXPECT_EQ(page[496], ptype::FPMap);
  EXPECT_EQ(page[497], ptype::FPMap);
  EXPECT_EQ(load_u16(page.data() + 498), 0);
  EXPECT_EQ(load_u32(page.data() + 500), compute_crc(std::span<const uint8_t>(page.data(), 496)));
  EXPECT_EQ(load_u64(page.data() + 504), ib);

  // The AMap of a region past 4 GiB marks exactly its map pages (here AMap, PMap, FMap).
  Bytes amap_bits(kPageDataSize, 0);
  amap_mark(amap_bits, 0, region_map_bytes(pst, 16992), kSlotSize);
  EXPECT_EQ(amap_bits[0], 0xFF);
  EXPECT_EQ(amap_bits[1], 0xFF);
  EXPECT_EQ(amap_bits[2], 0xFF);
  EXPECT_EQ(amap_bits[3], 0x00);
  EXPECT_EQ(amap_free_slots(amap_bits), kSlotsPerRegion - 24);
}

}  // namespace
}  // namespace ostfs::pstw
