// The NDB layer on files built in memory: CRC, ciphers, header, B-trees, blocks, data trees
// and subnode trees, in all three layouts, intact and damaged.
#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <set>

#include "ndb_builder.h"
#include "parser/ndb/block.h"
#include "parser/ndb/crc.h"
#include "parser/ndb/crypt.h"
#include "parser/ndb/data_tree.h"
#include "parser/ndb/errors.h"
#include "parser/ndb/header.h"
#include "parser/ndb/node.h"
#include "parser/ndb/subnodes.h"
#include "test_util.h"

namespace ostfs::ndb::testing {
namespace {

Bytes pattern(size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes b(size);
  for (auto& x : b) x = static_cast<uint8_t>(rng() % 7 + 'a');  // compressible
  return b;
}

// ---- CRC and ciphers ----

TEST(Crc, MatchesZlibFormulation) {
  // [MS-PST] 5.3's CRC starts at 0 with no final inversion; zlib inverts on entry and exit,
  // so seeding zlib with 0xFFFFFFFF and inverting its result gives the same function.
  for (size_t size : {1, 3, 4, 5, 7, 8, 511, 4072}) {
    const Bytes data = pattern(size, static_cast<uint32_t>(size));
    const auto expected = static_cast<uint32_t>(::crc32_z(0xFFFFFFFFul, data.data(), data.size()) ^ 0xFFFFFFFFul);
    EXPECT_EQ(compute_crc(data), expected) << size;
  }
  EXPECT_EQ(compute_crc(Bytes{}), 0u);  // (zlib treats an empty buffer specially)
}

// compute_crc is built on zlib, so it is also checked against the definition itself, one
// bit at a time, at every alignment and with a nonzero starting value.
TEST(Crc, MatchesBitwiseDefinition) {
  auto bitwise = [](std::span<const uint8_t> data, uint32_t crc) {
    for (uint8_t byte : data) {
      crc ^= byte;
      for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return crc;
  };
  const Bytes data = pattern(4200, 9);
  for (size_t offset : {0, 1, 2, 3, 5, 7})
    for (size_t size : {0, 1, 2, 15, 16, 17, 64, 4096}) {
      const auto piece = std::span<const uint8_t>(data).subspan(offset, size);
      EXPECT_EQ(compute_crc(piece), bitwise(piece, 0)) << offset << "+" << size;
      EXPECT_EQ(compute_crc(piece, 0x12345678u), bitwise(piece, 0x12345678u)) << offset << "+" << size;
    }
}

TEST(Crc, ContinuesAcrossPieces) {
  const Bytes data = pattern(1000, 1);
  const uint32_t whole = compute_crc(data);
  const uint32_t first = compute_crc(std::span<const uint8_t>(data).first(333));
  EXPECT_EQ(compute_crc(std::span<const uint8_t>(data).subspan(333), first), whole);
  EXPECT_NE(whole, compute_crc(std::span<const uint8_t>(data).first(999)));
}

TEST(Permute, DecodesWhatItEncodesAndUsesTheSpecTable) {
  Bytes b = {0x00, 0x01, 0xFF};
  permute_encode(b);
  EXPECT_EQ(b, (Bytes{65, 54, 61}));  // mpbbR[0], [1], [255]
  permute_decode(b);
  EXPECT_EQ(b, (Bytes{0x00, 0x01, 0xFF}));
}

TEST(Permute, VectorPathDecodesLikeTheTableAtEveryLengthAndOffset) {
  // The fast path works in 64-byte steps with a masked tail: every length around a step and
  // every start offset must give what the byte-wise table gives, and leave the bytes around alone.
  Bytes all(256);
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint8_t>(i);
  Bytes expected = all;
  detail::permute_decode_bytewise(expected);
  Bytes decoded = all;
  permute_decode(decoded);
  EXPECT_EQ(decoded, expected);
  const Bytes data = pattern(4096 + 200, 7);
  for (size_t offset : {0, 1, 31, 63}) {
    for (size_t length = 0; length <= 300; ++length) {
      Bytes fast = data, slow = data;
      permute_decode(std::span<uint8_t>(fast).subspan(offset, length));
      detail::permute_decode_bytewise(std::span<uint8_t>(slow).subspan(offset, length));
      ASSERT_EQ(fast, slow) << "offset " << offset << " length " << length;
    }
  }
  Bytes big = data, big_slow = data;
  permute_decode(big);
  detail::permute_decode_bytewise(big_slow);
  EXPECT_EQ(big, big_slow);
  permute_encode(big);
  EXPECT_EQ(big, data);
}

TEST(Cyclic, IsItsOwnInverseAndDependsOnTheKey) {
  const Bytes plain = pattern(300, 2);
  Bytes a = plain;
  cyclic_crypt(a, 0x1234);
  EXPECT_NE(a, plain);
  Bytes b = plain;
  cyclic_crypt(b, 0x1238);
  EXPECT_NE(a, b);
  cyclic_crypt(a, 0x1234);
  EXPECT_EQ(a, plain);
}

// ---- Per-layout fixture ----

class NdbLayout : public ::testing::TestWithParam<Format> {
 protected:
  BuildOptions options(CryptMethod crypt = CryptMethod::Permute) const {
    BuildOptions o;
    o.format = GetParam();
    o.crypt = crypt;
    return o;
  }
};

INSTANTIATE_TEST_SUITE_P(AllLayouts, NdbLayout, ::testing::Values(Format::Ansi, Format::Unicode, Format::Unicode4k),
                         [](const auto& info) { return std::string(format_label(info.param)); });

TEST_P(NdbLayout, HeaderRoundTrip) {
  NdbBuilder b(options(CryptMethod::Cyclic));
  b.node(0x21, {b.block(pattern(10, 1)), 0});
  const Bytes file = b.finish();
  const Header h = parse_header(file);
  EXPECT_EQ(h.format, GetParam());
  EXPECT_EQ(h.bCryptMethod, CryptMethod::Cyclic);
  EXPECT_EQ(h.ibFileEof, file.size());
  EXPECT_NE(h.BREFNBT.ib, 0u);
  EXPECT_NE(h.BREFBBT.ib, h.BREFNBT.ib);
}

TEST_P(NdbLayout, HeaderDamageIsRejectedByKind) {
  NdbBuilder b(options());
  b.node(0x21, {b.block(pattern(10, 1)), 0});
  const Bytes good = b.finish();
  Bytes bad_magic = good;
  bad_magic[0] = 'X';
  EXPECT_THROW(parse_header(bad_magic), CorruptError);
  Bytes bad_crc = good;
  bad_crc[200] ^= 1;  // inside the ROOT, covered by dwCRCPartial
  EXPECT_THROW(parse_header(bad_crc), CrcError);
  EXPECT_THROW(parse_header(std::span<const uint8_t>(good).first(100)), CorruptError);
}

TEST(Header, UnknownVersionAndCipherAreCorrupt) {
  NdbBuilder b(BuildOptions{});
  b.node(0x21, {b.block(pattern(10, 1)), 0});
  Bytes file = b.finish();
  auto reseal = [](Bytes& f) {
    const uint32_t full = compute_crc(std::span<const uint8_t>(f).subspan(8, 516));
    for (int i = 0; i < 4; ++i) f[524 + i] = static_cast<uint8_t>(full >> (8 * i));
    const uint32_t partial = compute_crc(std::span<const uint8_t>(f).subspan(8, 471));
    for (int i = 0; i < 4; ++i) f[4 + i] = static_cast<uint8_t>(partial >> (8 * i));
  };
  Bytes version = file;
  version[10] = 30;
  reseal(version);
  EXPECT_THROW(parse_header(version), CorruptError);
  Bytes cipher = file;
  cipher[513] = 0x10;
  reseal(cipher);
  EXPECT_THROW(parse_header(cipher), CorruptError);
  reseal(file);
  EXPECT_NO_THROW(parse_header(file));
}

TEST_P(NdbLayout, BTreesFindEveryKeyAndNothingElse) {
  NdbBuilder b(options());
  std::vector<uint32_t> nids;
  // Enough nodes for several levels of NBT and BBT pages in every layout.
  for (uint32_t i = 0; i < 3000; ++i) {
    const uint32_t nid = ((0x400 + i * 3) << 5) | 4;
    nids.push_back(nid);
    b.node(nid, {b.block(pattern(8, i)), 0}, 0x122);
  }
  auto db = open_memory(b.finish());
  for (uint32_t nid : nids) {
    const auto e = db->find_node(nid);
    ASSERT_TRUE(e) << nid;
    EXPECT_EQ(e->nid, nid);
    EXPECT_EQ(e->nidParent, 0x122u);
    EXPECT_EQ(db->read_block(e->bidData).size(), 8u);
  }
  EXPECT_FALSE(db->find_node(nids.front() - 32));
  EXPECT_FALSE(db->find_node(nids.back() + 32));
  EXPECT_FALSE(db->find_node(nids[10] + 32));  // between two keys
  EXPECT_THROW(db->node(nids[10] + 32), NotFoundError);
  EXPECT_FALSE(db->find_block(0x3));  // bit 0 is ignored: BID 2 is not a block either
  size_t count = 0;
  uint32_t last = 0;
  db->for_each_node([&](const NbtEntry& e) {
    EXPECT_GT(e.nid, last);
    last = e.nid;
    ++count;
  });
  EXPECT_EQ(count, nids.size());
  size_t blocks = 0;
  db->for_each_block([&](const BbtEntry&) { ++blocks; });
  EXPECT_EQ(blocks, nids.size());
}

TEST_P(NdbLayout, DamagedBTreePageNamesItself) {
  NdbBuilder b(options());
  b.node(0x21, {b.block(pattern(10, 1)), 0});
  Bytes file = b.finish();
  const Header h = parse_header(file);
  file[h.BREFNBT.ib + 3] ^= 0x40;
  auto db = open_memory(file);
  try {
    db->find_node(0x21);
    FAIL() << "no error";
  } catch (const CrcError& e) {
    EXPECT_NE(std::string(e.what()).find("NBT page at " + hex(h.BREFNBT.ib)), std::string::npos) << e.what();
  }
}

TEST_P(NdbLayout, PageThatPointsAtItselfIsALoopNotAHang) {
  NdbBuilder b(options());
  for (uint32_t i = 0; i < 400; ++i) b.node(((0x400 + i) << 5) | 4, {b.block(pattern(4, i)), 0});
  Bytes file = b.finish();
  const Header h = parse_header(file);
  const Layout l = layout_for(GetParam());
  // Point the root's second child at the root itself and re-seal the page.
  uint8_t* root = file.data() + h.BREFNBT.ib;
  const size_t level = l.bt_wide_counts ? root[l.bt_counts_offset + 5] : root[l.bt_counts_offset + 3];
  ASSERT_GT(level, 0u);
  uint8_t* entry = root + l.btentry_size;
  const auto key = static_cast<uint32_t>(load_uint(entry, l.id_size));
  for (size_t i = 0; i < l.id_size; ++i) {
    entry[l.id_size + i] = static_cast<uint8_t>(h.BREFNBT.bid >> (8 * i));
    entry[2 * l.id_size + i] = static_cast<uint8_t>(h.BREFNBT.ib >> (8 * i));
  }
  const uint32_t crc = compute_crc(std::span<const uint8_t>(root, l.page_data_size));
  const size_t crc_at = l.page_data_size + (l.format == Format::Ansi ? 8 : 4);
  for (int i = 0; i < 4; ++i) root[crc_at + i] = static_cast<uint8_t>(crc >> (8 * i));
  auto db = open_memory(file);
  EXPECT_THROW(db->for_each_node([](const NbtEntry&) {}), CorruptError);
  EXPECT_THROW(db->find_node(key), CorruptError);
}

TEST_P(NdbLayout, BlocksAreCheckedAndDecoded) {
  for (CryptMethod crypt : {CryptMethod::None, CryptMethod::Permute, CryptMethod::Cyclic}) {
    NdbBuilder b(options(crypt));
    const Bytes data = pattern(3000, 5);
    const uint64_t bid = b.block(data);
    const uint64_t internal = b.block(data, true);
    b.node(0x21, {bid, 0});
    Bytes file = b.finish();
    {
      auto db = open_memory(file);
      EXPECT_EQ(db->read_block(bid), data);
      EXPECT_EQ(db->read_block(internal), data);  // internal blocks are never encrypted
      // (Cyclic encoding is position-dependent: such blocks do not compress.)
      if (GetParam() == Format::Unicode4k && crypt != CryptMethod::Cyclic) {
        const BbtEntry e = db->block(bid);
        EXPECT_LT(e.cb, e.cbInflated);  // stored compressed
        EXPECT_EQ(e.cbInflated, data.size());
      }
    }
    file[b.offset_of(bid) + 5] ^= 1;
    auto db = open_memory(file);
    EXPECT_THROW(db->read_block(bid), CrcError);
    EXPECT_EQ(db->read_block(internal), data);
  }
}

TEST(Block, TrailerMustMatchTheBbt) {
  const Layout l = layout_for(Format::Unicode);
  Bytes raw(64, 0);
  BbtEntry e{0x44, 0x1000, 10, 10, 2};
  raw[48] = 10;  // cb
  raw[56] = 0x48;  // another bid
  EXPECT_THROW(decode_block(raw, e, l, CryptMethod::None), CorruptError);
  raw[56] = 0x44;
  raw[48] = 11;
  EXPECT_THROW(decode_block(raw, e, l, CryptMethod::None), CorruptError);
  raw[48] = 10;
  EXPECT_EQ(decode_block(raw, e, l, CryptMethod::None), Bytes(10, 0));  // dwCRC 0: not checked
}

TEST(Block, CompressedBlockThatDoesNotInflateIsCorrupt) {
  const Layout l = layout_for(Format::Unicode4k);
  Bytes raw(512, 0);
  BbtEntry e{0x44, 0x1000, 20, 100, 2};
  for (int i = 0; i < 20; ++i) raw[i] = static_cast<uint8_t>(0x78 + i);  // not a zlib stream
  uint8_t* t = raw.data() + 512 - 24;
  t[0] = 20;
  t[8] = 0x44;
  t[18] = 100;
  EXPECT_THROW(decode_block(raw, e, l, CryptMethod::None), CorruptError);
  EXPECT_THROW(inflate_exact(Bytes{1, 2, 3}, 5), CorruptError);
}

TEST(Block, InflateChecksTheWholeZlibStream) {
  Bytes data(50000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7 % 251 + i / 1000);
  uLongf packed_size = compressBound(static_cast<uLong>(data.size()));
  Bytes packed(packed_size);
  ASSERT_EQ(compress2(packed.data(), &packed_size, data.data(), static_cast<uLong>(data.size()), 6), Z_OK);
  packed.resize(packed_size);
  EXPECT_EQ(inflate_exact(packed, data.size()), data);
  // The stream's own size, and nothing else, is accepted.
  EXPECT_THROW(inflate_exact(packed, data.size() - 1), CorruptError);
  EXPECT_THROW(inflate_exact(packed, data.size() + 1), CorruptError);
  // A changed Adler-32 (the last four bytes), a cut stream, a bad header.
  Bytes bad_sum = packed;
  bad_sum.back() ^= 0x01;
  EXPECT_THROW(inflate_exact(bad_sum, data.size()), CorruptError);
  EXPECT_THROW(inflate_exact(std::span(packed).first(packed.size() / 2), data.size()), CorruptError);
  Bytes bad_header = packed;
  bad_header[0] = 0x77;
  EXPECT_THROW(inflate_exact(bad_header, data.size()), CorruptError);
}

TEST_P(NdbLayout, DataTreesOfEveryDepth) {
  BuildOptions o = options();
  o.leaf_size = 1000;
  o.xblock_entries = 4;  // 1 leaf: a block; up to 4: XBLOCK; more: XXBLOCK
  NdbBuilder b(o);
  const std::vector<size_t> sizes = {0, 1, 999, 1000, 3500, 4000, 4001, 15999};
  std::vector<uint64_t> bids;
  for (size_t s : sizes) bids.push_back(b.stream(pattern(s, static_cast<uint32_t>(s))));
  b.node(0x21, {bids[1], 0});
  auto db = open_memory(b.finish());
  for (size_t i = 0; i < sizes.size(); ++i) {
    const Bytes expected = pattern(sizes[i], static_cast<uint32_t>(sizes[i]));
    const DataTree tree(*db, bids[i]);
    EXPECT_EQ(tree.size(), sizes[i]);
    EXPECT_EQ(data_tree_size(*db, bids[i]), sizes[i]);
    EXPECT_EQ(tree.read_all(), expected) << sizes[i];
    if (sizes[i] > 10) {
      Bytes piece(sizes[i] / 2);
      tree.read(sizes[i] / 3, piece);
      EXPECT_TRUE(std::equal(piece.begin(), piece.end(), expected.begin() + sizes[i] / 3)) << sizes[i];
      Bytes too_far(2);
      EXPECT_THROW(tree.read(sizes[i] - 1, too_far), CorruptError);
    }
  }
  EXPECT_THROW(DataTree(*db, bids.back()).read_all(100), CorruptError);  // over the caller's cap
}

TEST_P(NdbLayout, StreamSizeIsKnownWithoutReadingItsBlocks) {
  BuildOptions o = options();
  o.leaf_size = 1000;
  NdbBuilder b(o);
  const uint64_t bid = b.stream(pattern(5000, 9));
  b.node(0x21, {bid, 0});
  Bytes file = b.finish();
  auto intact = open_memory(file);
  const DataTree tree(*intact, bid);
  // Damage the second leaf: its size is still known, reading it fails.
  file[b.offset_of(tree.leaves()[1].block.bid)] ^= 0xFF;
  auto db = open_memory(file);
  EXPECT_EQ(data_tree_size(*db, bid), 5000u);
  EXPECT_EQ(DataTree(*db, bid).size(), 5000u);
  EXPECT_THROW(DataTree(*db, bid).read_all(), CrcError);
  Bytes first(1000);
  DataTree(*db, bid).read(0, first);  // the intact first leaf still reads
  EXPECT_TRUE(std::equal(first.begin(), first.end(), pattern(5000, 9).begin()));
}

TEST_P(NdbLayout, XBlockWhoseTotalDisagreesIsCorrupt) {
  NdbBuilder b(options());
  const uint64_t leaf1 = b.block(pattern(100, 1));
  const uint64_t leaf2 = b.block(pattern(100, 2));
  const std::vector<uint64_t> leaves = {leaf1, leaf2};
  const uint64_t wrong = b.xblock(1, 150, leaves);
  const uint64_t loop = b.xblock(2, 200, std::vector<uint64_t>{leaf1});  // XXBLOCK naming a data block
  b.node(0x21, {wrong, 0});
  auto db = open_memory(b.finish());
  EXPECT_THROW(DataTree(*db, wrong), CorruptError);
  EXPECT_THROW(DataTree(*db, loop), CorruptError);
}

TEST_P(NdbLayout, SubnodeTreesOneAndTwoLevels) {
  for (size_t fanout : {size_t{0}, size_t{3}}) {  // 0: one SLBLOCK; 3: an SIBLOCK over SLBLOCKs
    BuildOptions o = options();
    o.slblock_entries = fanout;
    NdbBuilder b(o);
    std::vector<SubnodeEntry> entries;
    for (uint32_t i = 0; i < 10; ++i)
      entries.push_back({((0x20 + i * 2) << 5) | 0x1F, b.block(pattern(20, i)), 0});
    const uint64_t sub = b.subnodes(entries);
    b.node(0x200024, {b.block(pattern(10, 99)), sub});
    auto db = open_memory(b.finish());
    const Node node = Node::open(*db, 0x200024);
    ASSERT_EQ(node.subnodes().entries().size(), 10u);
    for (uint32_t i = 0; i < 10; ++i) {
      const Node child = node.subnode(entries[i].nid);
      EXPECT_EQ(child.data(), pattern(20, i));
    }
    EXPECT_FALSE(node.find_subnode(((0x21) << 5) | 0x1F));
    EXPECT_THROW(node.subnode(0x3F), NotFoundError);
  }
}

TEST(Subnodes, WrongBlockTypeIsCorrupt) {
  NdbBuilder b(BuildOptions{});
  const uint64_t not_sl = b.xblock(1, 0, std::vector<uint64_t>{});
  b.node(0x21, {0, not_sl});
  auto db = open_memory(b.finish());
  EXPECT_THROW(Node::open(*db, 0x21).subnodes(), CorruptError);
  EXPECT_THROW(SubnodeTree(*db, 0x44), CorruptError);  // an external BID cannot be a subnode block
}

}  // namespace
}  // namespace ostfs::ndb::testing
