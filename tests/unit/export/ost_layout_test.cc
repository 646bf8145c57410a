// The writer's Ost2013 layout (wVer 36, 4 KiB pages, zlib blocks): known answers for each
// structure against what Outlook wrote in fe01.ost, then whole files read back with the
// project's native NDB reader, which checks every CRC, signature and inflated size.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "export/ndb/amap.h"
#include "export/ndb/block.h"
#include "export/ndb/btree.h"
#include "export/ndb/crc.h"
#include "export/ndb/file_writer.h"
#include "export/ndb/header.h"
#include "export/pst_writer.h"
#include "parser/native_store.h"
#include "parser/ndb/data_tree.h"
#include "parser/ndb/database.h"
#include "parser/ndb/subnodes.h"
#include "parser/props.h"
#include "parser/text.h"
#include "memory_sink.h"
#include "test_support.h"

namespace ostfs::pstw {
namespace {
namespace fs = std::filesystem;

const NdbLayout& ost() { return ndb_layout(Layout::Ost2013); }

Bytes read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

Bytes inflate(std::span<const uint8_t> z, size_t size) {
  Bytes out(size);
  uLongf n = size;
  EXPECT_EQ(::uncompress(out.data(), &n, z.data(), z.size()), Z_OK);
  EXPECT_EQ(n, size);
  return out;
}

Bytes random_bytes(size_t n, uint64_t seed) {
  std::mt19937_64 random(seed);
  Bytes b(n);
  for (auto& x : b) x = static_cast<uint8_t>(random());
  return b;
}

TEST(OstLayout, GeometryMatchesOutlooksOst) {
  // fe01.ost: one region from 0x22000 to its EOF 0x100A000, DList at 0x21000.
  EXPECT_EQ(ost().region_size(), 16678912u);
  EXPECT_EQ(ost().region_offset(1), 0x100A000u);
  EXPECT_EQ(ost().dlist_offset, 0x21000u);
  EXPECT_EQ(ost().page_data_size(), 4072u);
  EXPECT_EQ(ost().bt_entries_size(), 4056u);
  EXPECT_EQ(ost().max_block_data(), 65512u);
  EXPECT_EQ(ost().xblock_max_entries(), 8188u);
  EXPECT_EQ(region_map_bytes(ost(), 0), 4096u);
  EXPECT_EQ(region_map_bytes(ost(), 128), 4096u);  // no FMap in this layout
  // The PST layout keeps its numbers.
  const NdbLayout& pst = ndb_layout(Layout::Pst2003Unicode);
  EXPECT_EQ(pst.region_size(), kRegionSize);
  EXPECT_EQ(pst.region_offset(2), region_offset(2));
  EXPECT_EQ(pst.xblock_max_entries(), kXBlockMaxEntries);
  EXPECT_EQ(pst.slblock_max_entries(), kSlBlockMaxEntries);
  EXPECT_EQ(pst.siblock_max_entries(), kSiBlockMaxEntries);
}

// The writer's sizes are the reader's (parser/ndb/format.h): one definition of each format.
// Known answers, so a change to that definition shows here too.
TEST(OstLayout, WriterGeometryIsTheReaders) {
  EXPECT_EQ(ost().ndb.format, ndb::Format::Unicode4k);
  EXPECT_EQ(ndb_layout(Layout::Pst2003Unicode).ndb.format, ndb::Format::Unicode);
  EXPECT_EQ(ost().page_size(), 4096u);
  EXPECT_EQ(ost().page_trailer_size(), 24u);
  EXPECT_EQ(ost().block_unit(), 512u);
  EXPECT_EQ(ost().ndb.block_trailer_size, 24u);
  EXPECT_TRUE(ost().ndb.bt_wide_counts);
  EXPECT_TRUE(ost().ndb.compressed_blocks);
  EXPECT_EQ(ost().slblock_max_entries(), (65512u - 8u) / 24u);
  const NdbLayout& pst = ndb_layout(Layout::Pst2003Unicode);
  EXPECT_EQ(pst.page_size(), 512u);
  EXPECT_EQ(pst.page_trailer_size(), 16u);
  EXPECT_EQ(pst.block_unit(), 64u);
  EXPECT_FALSE(pst.ndb.bt_wide_counts);
  EXPECT_FALSE(pst.ndb.compressed_blocks);
  EXPECT_EQ(pst.ndb.btentry_size, 24u);
  EXPECT_EQ(pst.ndb.nbtentry_size, 32u);
  EXPECT_EQ(pst.ndb.bbtentry_size, 24u);
  // The PST constants of page.h, block.h and amap.h follow from the same definition.
  EXPECT_EQ(kPageSize, 512u);
  EXPECT_EQ(kPageDataSize, 496u);
  EXPECT_EQ(kMaxBlockData, 8176u);
  EXPECT_EQ(kBlockTrailerSize, 16u);
  EXPECT_EQ(kXBlockMaxEntries, 1021u);
  EXPECT_EQ(kSlBlockMaxEntries, 340u);
  EXPECT_EQ(kSiBlockMaxEntries, 510u);
  EXPECT_EQ(kSlotSize, 64u);
  EXPECT_EQ(kRegionSize, 253952u);
  EXPECT_EQ(block_total_size(8176), 8192u);
  EXPECT_EQ(block_total_size(1), 64u);
}

TEST(OstLayout, CompressesShrinkingBlocksWithoutPermuting) {
  const Bytes text(5000, 'a');
  PackedBlock p = pack_block(ost(), text, true);
  ASSERT_LT(p.stored.size(), 100u);
  EXPECT_EQ(p.stored[0], 0x78);  // a zlib stream, as in Outlook's files
  EXPECT_EQ(p.stored[1], 0x9C);
  EXPECT_EQ(p.cbInflated, 5000);
  EXPECT_EQ(inflate(p.stored, 5000), text);  // not permuted: OSTs are not encrypted

  const Bytes noise = random_bytes(4000, 7);
  PackedBlock raw = pack_block(ost(), noise, false);
  EXPECT_EQ(raw.stored, noise);  // deflate would not shrink it: stored as is
  EXPECT_EQ(raw.cbInflated, 4000);

  // The PST layout never compresses and permutes external blocks.
  PackedBlock pst = pack_block(ndb_layout(Layout::Pst2003Unicode), text, true);
  EXPECT_EQ(pst.stored.size(), 5000u);
  EXPECT_NE(pst.stored, text);
  EXPECT_THROW(pack_block(ost(), Bytes(65513), false), std::length_error);
  EXPECT_NO_THROW(pack_block(ost(), Bytes(65512), false));
}

TEST(OstLayout, BlockTrailerCarriesTheInflatedSize) {
  const Bytes data(3000, 0x11);
  const PackedBlock p = pack_block(ost(), data, false);
  const Bytes b = seal_block(ost(), p, 0x1234, 0x45600);
  ASSERT_EQ(b.size(), 512u);  // stored bytes + 24-byte trailer, in 512-byte units
  const uint8_t* t = b.data() + b.size() - 24;
  EXPECT_EQ(load_u16(t), p.stored.size());
  EXPECT_EQ(load_u16(t + 2), compute_sig(0x45600, 0x1234));
  EXPECT_EQ(load_u32(t + 4), compute_crc(p.stored));  // CRC of the stored (compressed) bytes
  EXPECT_EQ(load_u64(t + 8), 0x1234u);
  EXPECT_EQ(load_u16(t + 16), 2);     // as on every block of fe01.ost
  EXPECT_EQ(load_u16(t + 18), 3000);  // cbInflated
  EXPECT_EQ(load_u32(t + 20), 0u);
  EXPECT_EQ(block_total_size(ost(), 489), 1024u);
}

TEST(OstLayout, HeaderSaysOst2013) {
  Header h;
  h.bidNextB = 0x100;
  h.bCryptMethod = 0;
  const auto b = encode_header(h, ost());
  EXPECT_EQ(std::string(b.begin(), b.begin() + 4), "!BDN");
  EXPECT_EQ(std::string(b.begin() + 8, b.begin() + 10), "SO");
  EXPECT_EQ(load_u16(b.data() + 10), 36);
  EXPECT_EQ(load_u16(b.data() + 12), 12);
  EXPECT_EQ(b[256], 0x00);  // rgbFM zero, as in fe01.ost
  EXPECT_EQ(b[511], 0x00);
  EXPECT_EQ(b[513], 0);
  EXPECT_EQ(load_u32(b.data() + 4), compute_crc(std::span<const uint8_t>(b.data() + 8, 471)));
  EXPECT_EQ(load_u32(b.data() + 524), compute_crc(std::span<const uint8_t>(b.data() + 8, 516)));
}

TEST(OstLayout, BbtPagesUseWideCountsAndCarryInflatedSizes) {
  std::vector<BbtEntry> entries;
  for (uint64_t i = 1; i <= 170; ++i) entries.push_back({i * 4, 0x30000 + i * 512, 100, 2, 300});
  MemorySink sink(ost());
  const Bref root = build_bbt(ost(), entries, sink);
  ASSERT_EQ(sink.pages.size(), 3u);  // 169 + 1 leaf entries, one intermediate page
  const Bytes& leaf = sink.pages[0].second;
  ASSERT_EQ(leaf.size(), 4096u);
  EXPECT_EQ(load_u16(leaf.data() + 4056), 169);  // cEnt
  EXPECT_EQ(load_u16(leaf.data() + 4058), 169);  // cEntMax
  EXPECT_EQ(leaf[4060], 24);                     // cbEnt
  EXPECT_EQ(leaf[4061], 0);                      // cLevel
  EXPECT_EQ(load_u64(leaf.data()), 4u);
  EXPECT_EQ(load_u16(leaf.data() + 16), 100);  // cb
  EXPECT_EQ(load_u16(leaf.data() + 18), 300);  // cbInflated
  EXPECT_EQ(load_u16(leaf.data() + 20), 2);    // cRef
  EXPECT_EQ(leaf[4072], 0x80);                 // ptype BBT
  EXPECT_EQ(load_u32(leaf.data() + 4076), compute_crc(std::span<const uint8_t>(leaf.data(), 4072)));
  EXPECT_EQ(leaf[4088], 1);  // as in every 4 KiB page of fe01.ost
  const Bytes& top = sink.pages[2].second;
  EXPECT_EQ(top[4061], 1);
  EXPECT_EQ(load_u16(top.data() + 4056), 2);
  EXPECT_EQ(root.ib, sink.pages[2].first);
}

using OstFile = testing::FreshDirTest;

// Internal blocks of every kind, written through FileWriter and read back by the native
// reader: a heap-like list long enough for an XXBLOCK, and a subnode tree long enough for an
// SIBLOCK. Every one of them is compressed, since block ids in sequence deflate well.
TEST_F(OstFile, XxBlockAndSiBlockAreCompressedAndReadBack) {
  const fs::path path = dir_ / "internal.ost";
  std::vector<Bytes> pieces;
  Bytes expected;
  for (size_t i = 0; i < ost().xblock_max_entries() + 5; ++i) {
    pieces.push_back(Bytes(1 + i % 7, static_cast<uint8_t>(i)));
    expected.insert(expected.end(), pieces.back().begin(), pieces.back().end());
  }
  std::vector<SlEntry> subnodes;
  uint64_t list_bid = 0;
  uint64_t sub_bid = 0;
  {
    FileWriter w(path, Layout::Ost2013);
    list_bid = w.write_block_list(pieces).bid;
    for (uint32_t i = 0; i < ost().slblock_max_entries() + 3; ++i) {
      const Bytes value = {static_cast<uint8_t>(i), static_cast<uint8_t>(i >> 8)};
      subnodes.push_back({make_nid(nid_type::LTP, 0x400 + i), w.write_block(value).bid, 0});
    }
    sub_bid = w.write_subnodes(subnodes);
    w.add_node({NID_MESSAGE_STORE, list_bid, sub_bid, 0});
    std::array<uint32_t, 32> rgnid;
    rgnid.fill(0x400);
    w.finish(rgnid);
  }
  auto db = ndb::Database::open(path);
  EXPECT_EQ(db->header().format, ndb::Format::Unicode4k);
  EXPECT_EQ(ndb::DataTree(*db, list_bid).read_all(), expected);
  const ndb::SubnodeTree tree(*db, sub_bid);
  ASSERT_EQ(tree.entries().size(), subnodes.size());
  const ndb::SubnodeEntry* last = tree.find(subnodes.back().nid);
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(ndb::DataTree(*db, last->bidData).read_all(), (Bytes{static_cast<uint8_t>(subnodes.size() - 1), 10}));

  size_t compressed_internal = 0;
  bool xx = false, si = false;
  db->for_each_block([&](const ndb::BbtEntry& e) {
    if (!(e.bid & kBidInternal)) return;
    ASSERT_LT(e.cb, e.cbInflated) << "internal block " << e.bid << " stored raw";
    ++compressed_internal;
    const Bytes data = db->read_block(e);
    xx = xx || (data[0] == 0x01 && data[1] == 2);
    si = si || (data[0] == 0x02 && data[1] == 1);
  });
  EXPECT_TRUE(xx);
  EXPECT_TRUE(si);
  EXPECT_GE(compressed_internal, 5u);  // XXBLOCK, 2 XBLOCKs, SIBLOCK, 2 SLBLOCKs
}

model::Property unicode(uint16_t id, std::string_view utf8) {
  const std::string u = text::utf8_to_utf16le(utf8);
  return {id, props::type::Unicode, Bytes(u.begin(), u.end()), std::nullopt};
}

model::Message small_message(size_t i) {
  model::Message m;
  m.props.props.push_back(unicode(props::PidTagMessageClass, "IPM.Note"));
  m.props.props.push_back(unicode(props::PidTagSubject, "Message " + std::to_string(i)));
  m.props.props.push_back(unicode(props::PidTagBody, "Body " + std::to_string(i) + "\r\n"));
  return m;
}

// A whole store through PstWriter: a folder whose contents table spans several 64 KiB row
// blocks and a 1.5 MB attachment, read back by the native reader.
TEST_F(OstFile, StoreWithBigFolderAndBigAttachmentReadsBack) {
  const fs::path path = dir_ / "store.ost";
  const Bytes attachment = random_bytes(1500000, 11);
  constexpr size_t kMessages = 1500;
  FolderRef folder_ref = 0;
  {
    WriterOptions options;
    options.layout = Layout::Ost2013;
    PstWriter writer(path, options);
    model::Folder folder;
    folder.name = "Big";
    folder_ref = writer.add_folder(writer.ipm_subtree(), folder);
    for (size_t i = 0; i < kMessages; ++i) {
      model::Message m = small_message(i);
      if (i == 7) {
        model::Attachment a;
        a.method = model::AttachMethod::ByValue;
        a.props.props.push_back(unicode(props::PidTagAttachLongFilename, "big.bin"));
        a.data = attachment;
        a.data_size = attachment.size();
        a.data_loaded = true;
        m.attachments.push_back(std::move(a));
      }
      writer.add_message(folder_ref, m);
    }
    writer.finish();
  }
  const Bytes file = read_file(path);
  ASSERT_GT(file.size(), 0x22000u);
  EXPECT_EQ(file.size() % ost().region_size(), 0x22000u % ost().region_size());
  EXPECT_EQ(load_u16(file.data() + 0x22000 + 4072), 0x8484);  // the first AMap's ptype twice

  auto store = parser::NativeStore::open(path);
  EXPECT_EQ(store->header().format, ndb::Format::Unicode4k);
  EXPECT_EQ(store->header().wMagicClient, ndb::kClientOst);
  const std::vector<parser::ContentsRow> rows = store->contents(folder_ref);
  ASSERT_EQ(rows.size(), kMessages);
  const model::Message m = store->read_message(rows[7].nid, true);
  EXPECT_EQ(m.text(props::PidTagSubject).value_or(""), "Message 7");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].data_size, attachment.size());
  EXPECT_EQ(m.attachments[0].data, attachment);
  EXPECT_EQ(store->read_message(rows.back().nid, false).text(props::PidTagSubject).value_or(""),
            "Message " + std::to_string(kMessages - 1));

  // The contents table's rows fill 64 KiB blocks, as Outlook's do: fewer, larger row blocks.
  const ndb::Node table =
      ndb::Node::open(store->database(), make_nid(nid_type::CONTENTS_TABLE, nid_index_of(folder_ref)));
  bool big_row_block = false;
  const auto subnodes = table.subnodes();
  for (const ndb::SubnodeEntry& e : subnodes.entries()) {
    const ndb::DataTree rows(store->database(), e.bidData);  // named: leaves() refers into it
    for (const ndb::DataLeaf& leaf : rows.leaves()) big_row_block = big_row_block || leaf.size > kMaxBlockData;
  }
  EXPECT_TRUE(big_row_block);
}

}  // namespace
}  // namespace ostfs::pstw
