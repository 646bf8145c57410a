// Encode/decode round trips for the LTP layer (HN, BTH, PC, TC) and the name-to-id map.
#include <gtest/gtest.h>

#include "export/ltp/bth.h"
#include "export/ltp/heap.h"
#include "export/ltp/prop_types.h"
#include "export/ltp/property_context.h"
#include "export/ltp/table_context.h"
#include "export/messaging/columns.h"
#include "export/messaging/named_props.h"
#include "parser/props.h"

namespace ostfs::pstw {
namespace {

Nid counter_nid(uint32_t& n) { return make_nid(nid_type::LTP, ++n); }

TEST(Heap, FirstAllocationIs0x20AndLookupReturnsBytes) {
  HeapBuilder heap(client_sig::PC);
  Hid a = heap.allocate(Bytes{1, 2, 3});
  Hid b = heap.allocate(Bytes{4});
  heap.set_user_root(a);
  EXPECT_EQ(a, 0x20u);
  EXPECT_EQ(b, 0x40u);
  auto blocks = heap.serialize();
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0][2], 0xEC);
  EXPECT_EQ(blocks[0][3], 0xBC);
  EXPECT_EQ(load_u32(blocks[0].data() + 4), 0x20u);
  auto v = heap_lookup(blocks, b);
  EXPECT_EQ(Bytes(v.begin(), v.end()), Bytes{4});
  EXPECT_THROW(heap.allocate(Bytes(3581)), std::length_error);
  EXPECT_THROW(heap_lookup(blocks, 0x60), std::out_of_range);
}

TEST(Heap, SpillsIntoBlocksWithBitmapHeaderAtBlock8) {
  HeapBuilder heap(client_sig::TC);
  std::vector<Hid> hids;
  for (int i = 0; i < 30; ++i) hids.push_back(heap.allocate(Bytes(3000, static_cast<uint8_t>(i))));
  auto blocks = heap.serialize();
  EXPECT_GE(blocks.size(), 10u);
  for (const Bytes& b : blocks) EXPECT_LE(b.size(), 8176u);
  for (int i = 0; i < 30; ++i) {
    auto v = heap_lookup(blocks, hids[i]);
    ASSERT_EQ(v.size(), 3000u);
    EXPECT_EQ(v[0], i);
  }
  // Block 8 starts with HNBITMAPHDR: its first allocation lies past the 66-byte header.
  EXPECT_EQ(heap_lookup(blocks, make_hid(8, 1)).data() - blocks[8].data(), 66);
}

TEST(Bth, MultiLevelRoundTrip) {
  HeapBuilder heap(client_sig::BTH);
  std::vector<BthRecord> recs;
  for (uint32_t i = 0; i < 2000; ++i) {
    BthRecord r;
    append_u32(r.key, i * 3);
    append_u32(r.data, i);
    recs.push_back(r);
  }
  Hid h = build_bth(heap, 4, 4, recs);
  EXPECT_EQ(h, 0x20u);
  auto blocks = heap.serialize();
  BthContents back = read_bth(blocks, h);
  EXPECT_EQ(back.bIdxLevels, 1);
  ASSERT_EQ(back.records.size(), recs.size());
  for (size_t i = 0; i < recs.size(); ++i) {
    EXPECT_EQ(back.records[i].key, recs[i].key);
    EXPECT_EQ(back.records[i].data, recs[i].data);
  }
  std::swap(recs[0], recs[1]);
  HeapBuilder heap2(client_sig::BTH);
  EXPECT_THROW(build_bth(heap2, 4, 4, recs), std::invalid_argument);
}

TEST(PropertyContext, RoundTripInlineHidAndSubnodeValues) {
  namespace t = props::type;
  const Bytes i32 = {0x2A, 0, 0, 0};
  const Bytes b1 = {1};
  const Bytes time = {1, 2, 3, 4, 5, 6, 7, 8};
  const Bytes subject = {'H', 0, 'i', 0};
  const Bytes big(5000, 0x5A);
  std::vector<PcProperty> in = {
      {props::PidTagSubject, t::Unicode, subject},
      {props::PidTagMessageFlags, t::Int32, i32},
      {props::PidTagSubfolders, t::Boolean, b1},
      {props::PidTagCreationTime, t::SysTime, time},
      {props::PidTagBody, t::Unicode, big},
      {props::PidTagDisplayName, t::Unicode, {}},
  };
  uint32_t n = 0;
  LtpNode node = encode_pc(in, [&] { return counter_nid(n); });
  ASSERT_EQ(node.subnodes.size(), 1u);
  EXPECT_EQ(node.subnodes[0].data.size(), 5000u);
  EXPECT_EQ(load_u32(node.heap[0].data() + 4), 0x20u);  // BTHHEADER first, as pst-extractor needs
  auto out = read_pc(node.heap);
  ASSERT_EQ(out.size(), 6u);  // sorted by property id
  EXPECT_EQ(out[0].id, props::PidTagSubject);
  EXPECT_EQ(out[0].value, subject);
  EXPECT_EQ(out[1].id, props::PidTagMessageFlags);
  EXPECT_EQ(out[1].value, i32);
  EXPECT_EQ(out[2].id, props::PidTagBody);
  EXPECT_EQ(out[2].subnode, node.subnodes[0].nid);
  EXPECT_EQ(out[3].id, props::PidTagDisplayName);
  EXPECT_TRUE(out[3].value.empty());
  EXPECT_EQ(out[4].value, time);
  EXPECT_EQ(out[5].value, b1);
  in.push_back({props::PidTagSubject, t::Unicode, subject});
  EXPECT_THROW(encode_pc(in, [&] { return counter_nid(n); }), std::invalid_argument);
  EXPECT_THROW(encode_pc({{props::PidTagMessageFlags, t::Int32, b1}}, [&] { return counter_nid(n); }),
               std::invalid_argument);
}

TEST(TableContext, TemplateLayoutsMatchOutlook) {
  TcLayout contents = layout_columns(contents_columns());
  EXPECT_EQ(contents.rgib, (std::array<uint16_t, 4>{120, 120, 122, 126}));
  const TcColumn& delivery = contents.columns[contents.index_of(make_tag(props::PidTagMessageDeliveryTime, props::type::SysTime))];
  EXPECT_EQ(delivery.ib, 32);
  EXPECT_EQ(delivery.iBit, 8);
  EXPECT_EQ(layout_columns(hierarchy_columns()).rgib, (std::array<uint16_t, 4>{52, 52, 53, 55}));
  EXPECT_EQ(layout_columns(assoc_contents_columns()).rgib, (std::array<uint16_t, 4>{56, 56, 57, 59}));
  EXPECT_EQ(layout_columns(search_contents_columns()).rgib, (std::array<uint16_t, 4>{72, 72, 75, 78}));
  EXPECT_EQ(layout_columns(attachment_columns()).rgib, (std::array<uint16_t, 4>{24, 24, 24, 25}));
  EXPECT_EQ(layout_columns(recipient_columns()).rgib, (std::array<uint16_t, 4>{48, 48, 50, 52}));
}

TEST(TableContext, RoundTripSmallAndLargeTables) {
  const TcLayout layout = layout_columns(hierarchy_columns());
  const size_t name_col = layout.index_of(make_tag(props::PidTagDisplayName, props::type::Unicode));
  const size_t sub_col = layout.index_of(make_tag(props::PidTagSubfolders, props::type::Boolean));
  for (size_t count : {size_t{3}, size_t{700}}) {
    std::vector<TcRow> rows;
    for (size_t i = 0; i < count; ++i) {
      TcRow r;
      r.row_id = static_cast<uint32_t>(1000 - i);  // descending: the index must sort them
      r.cells.resize(layout.columns.size());
      r.cells.set(0, Bytes{static_cast<uint8_t>(r.row_id), static_cast<uint8_t>(r.row_id >> 8), 0, 0});
      r.cells.set(name_col, Bytes{static_cast<uint8_t>('a' + i % 26), 0});
      if (i % 2) r.cells.set(sub_col, Bytes{1});
      rows.push_back(std::move(r));
    }
    uint32_t n = 0;
    LtpNode node = encode_tc(layout, rows, [&] { return counter_nid(n); });
    EXPECT_EQ(load_u32(node.heap[0].data() + 4), 0x40u);  // TCINFO at 0x40, row index at 0x20
    std::span<const uint8_t> matrix;
    if (count > 100) {
      ASSERT_EQ(node.subnodes.size(), 1u);
      matrix = node.subnodes[0].data;
      EXPECT_EQ(matrix.size() % 8176, (count % (8176 / 55)) * 55);  // full blocks padded to 8176
    }
    TcContents back = read_tc(node.heap, matrix);
    ASSERT_EQ(back.rows.size(), count);
    EXPECT_EQ(back.row_index.front().first, 1001 - count);
    for (const TcRow& r : back.rows) {
      const size_t i = 1000 - r.row_id;
      EXPECT_EQ(r.cells[name_col], rows[i].cells[name_col]);
      EXPECT_EQ(r.cells[sub_col].has_value(), i % 2 == 1);
      EXPECT_FALSE(r.cells[layout.index_of(make_tag(props::PidTagContainerClass, props::type::Unicode))]);
    }
  }
}

TEST(TableContext, TheNodeOwnsItsValuesAfterTheRowsAreGone) {
  // Rows are consumed as they go into the matrix: a value too big for the heap must be kept by
  // the node itself (the sanitized suite reads freed memory otherwise).
  const TcLayout layout = layout_columns(hierarchy_columns());
  const size_t name_col = layout.index_of(make_tag(props::PidTagDisplayName, props::type::Unicode));
  Bytes big(5000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 7);
  uint32_t n = 0;
  LtpNode node;
  {
    std::vector<TcRow> rows(1);
    rows[0].row_id = 7;
    rows[0].cells.resize(layout.columns.size());
    rows[0].cells.set(name_col, big);
    node = encode_tc(layout, std::move(rows), [&] { return counter_nid(n); });
  }
  ASSERT_EQ(node.subnodes.size(), 1u);
  EXPECT_EQ(Bytes(node.subnodes[0].data.begin(), node.subnodes[0].data.end()), big);
  EXPECT_TRUE(node.subnodes[0].owned);
}

TEST(TableContext, RowMatrixBlocksArePaddedAndTheLastIsNot) {
  // 65,512-byte blocks (OST 2013): rows never straddle a block; the matrix ends after the last row.
  const TcLayout layout = layout_columns(contents_columns());
  const size_t row_size = layout.rgib[3];
  const size_t per_block = 65512 / row_size;
  for (size_t count : {per_block, per_block + 1, 3 * per_block - 1}) {
    std::vector<TcRow> rows(count);
    for (size_t i = 0; i < count; ++i) {
      rows[i].row_id = static_cast<uint32_t>(i + 1);
      rows[i].cells.resize(layout.columns.size());
      rows[i].cells.set(0, Bytes{static_cast<uint8_t>(i), static_cast<uint8_t>(i >> 8), 0, 0});
    }
    uint32_t n = 0;
    LtpNode node = encode_tc(layout, std::move(rows), [&] { return counter_nid(n); }, 65512);
    ASSERT_EQ(node.subnodes.size(), 1u);
    const std::span<const uint8_t> matrix = node.subnodes[0].data;
    const size_t full = (count - 1) / per_block;
    EXPECT_EQ(matrix.size(), full * 65512 + (count - full * per_block) * row_size) << count;
    TcContents back = read_tc(node.heap, matrix, 65512);
    ASSERT_EQ(back.rows.size(), count);
    for (const TcRow& r : back.rows) {
      const uint32_t i = r.row_id - 1;
      EXPECT_EQ(r.cells[0], (Bytes{static_cast<uint8_t>(i), static_cast<uint8_t>(i >> 8), 0, 0}));
    }
  }
}

TEST(TableContext, DuplicateRowIdsAndWrongCellCountsAreRefused) {
  const TcLayout layout = layout_columns(hierarchy_columns());
  uint32_t n = 0;
  std::vector<TcRow> twice(2);
  for (TcRow& r : twice) {
    r.row_id = 9;
    r.cells.resize(layout.columns.size());
  }
  EXPECT_THROW(encode_tc(layout, twice, [&] { return counter_nid(n); }), std::invalid_argument);
  std::vector<TcRow> short_row(1);
  short_row[0].cells.resize(layout.columns.size() - 1);
  EXPECT_THROW(encode_tc(layout, short_row, [&] { return counter_nid(n); }), std::invalid_argument);
}

TEST(NameToIdMap, NumericBucketMatchesOutlook) {
  // Empty.pst has LID 0x8552 in its third GUID (wGuid 5) in bucket 0x1000: (0x8552 ^ 0xA) % 251 == 0.
  NameToIdMap names;
  std::array<uint8_t, 16> g1{1}, g2{2}, g3{3};
  EXPECT_EQ(names.npid({g1, 1u, {}}), 0x8000);
  EXPECT_EQ(names.npid({g2, 2u, {}}), 0x8001);
  EXPECT_EQ(names.npid({g3, 0x8552u, {}}), 0x8002);
  EXPECT_EQ(names.npid({g2, 2u, {}}), 0x8001);  // reused
  EXPECT_EQ(names.npid({props::PS_MAPI, std::nullopt, u"ab"}), 0x8003);
  auto e = names.encode();
  EXPECT_EQ(e.guids.size(), 48u);
  ASSERT_EQ(e.entries.size(), 32u);
  EXPECT_EQ(load_u16(e.entries.data() + 16 + 4), 0x000A);
  ASSERT_TRUE(e.buckets.count(0x1000));
  EXPECT_EQ(load_u32(e.buckets.at(0x1000).data()), 0x8552u);
  // The string entry: PS_MAPI (wGuid 1) with N=1 → word 3; its key is the CRC of "ab".
  EXPECT_EQ(load_u16(e.entries.data() + 24 + 4), 0x0003);
  EXPECT_EQ(load_u32(e.strings.data()), 4u);
  EXPECT_EQ(e.strings.size(), 8u);
}

}  // namespace
}  // namespace ostfs::pstw
