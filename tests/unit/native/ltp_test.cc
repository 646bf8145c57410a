// The LTP layer: heap-on-node, BTH, property and table contexts and the name-to-id map, on
// heaps made by the export writer's encoders (an independent implementation of the same
// structures), intact and damaged.
#include <gtest/gtest.h>

#include "export/ltp/bth.h"
#include "export/ltp/heap.h"
#include "ndb_builder.h"
#include "parser/ltp/bth.h"
#include "parser/ltp/heap.h"
#include "parser/ltp/name_to_id.h"
#include "parser/ltp/property_context.h"
#include "parser/ltp/table_context.h"
#include "parser/ndb/errors.h"
#include "parser/props.h"
#include "test_util.h"

namespace ostfs::ltp {
namespace {

using ndb::testing::NdbBuilder;
using ndb::testing::NodeRef;
namespace t = props::type;

Bytes le32(uint32_t v) { return {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)}; }
Bytes utf16(const std::u16string& s) {
  Bytes b;
  for (char16_t c : s) {
    b.push_back(static_cast<uint8_t>(c));
    b.push_back(static_cast<uint8_t>(c >> 8));
  }
  return b;
}
Bytes filled(size_t n, uint8_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + i * 7);
  return b;
}

// ---- Heap ----

TEST(Heap, ReadsEveryAllocationOfEveryPage) {
  pstw::HeapBuilder builder(client_sig::PC);
  std::vector<std::pair<uint32_t, Bytes>> allocs;
  for (uint8_t i = 0; i < 12; ++i) {
    Bytes data = filled(i % 3 == 0 ? 3000 : 17 * i + 1, i);  // enough for several pages
    allocs.emplace_back(builder.allocate(data), data);
  }
  builder.set_user_root(allocs[1].first);
  const std::vector<Bytes> blocks = builder.serialize();
  ASSERT_GT(blocks.size(), 1u);
  const Heap heap(blocks, 0x21);
  EXPECT_EQ(heap.client_sig(), client_sig::PC);
  EXPECT_EQ(heap.user_root(), allocs[1].first);
  for (const auto& [hid, data] : allocs) {
    const auto got = heap.get(hid);
    EXPECT_EQ(Bytes(got.begin(), got.end()), data) << hid;
  }
  EXPECT_THROW(heap.get(0), ndb::NotFoundError);
  EXPECT_THROW(heap.get(allocs[0].first | 0x1F), ndb::NotFoundError);        // a NID, not an HID
  EXPECT_THROW(heap.get((static_cast<uint32_t>(blocks.size()) << 16) | 0x20), ndb::NotFoundError);  // no such page
  EXPECT_THROW(heap.get(0x20 + (200 << 5)), ndb::NotFoundError);            // no such index
}

TEST(Heap, DamagedPagesAreCorrupt) {
  pstw::HeapBuilder builder(client_sig::PC);
  builder.allocate(filled(40, 1));
  builder.allocate(filled(40, 2));
  const Bytes good = builder.serialize()[0];
  Bytes sig = good;
  sig[2] = 0xED;
  EXPECT_THROW(Heap({sig}, 1), ndb::CorruptError);
  Bytes map_out_of_range = good;
  map_out_of_range[0] = 0xFF;
  map_out_of_range[1] = 0x7F;
  EXPECT_THROW(Heap({map_out_of_range}, 1), ndb::CorruptError);
  Bytes unordered = good;
  const size_t ibHnpm = ndb::load_u16(good.data());
  std::swap(unordered[ibHnpm + 6], unordered[ibHnpm + 8]);  // rgibAlloc[1] and [2] swapped
  std::swap(unordered[ibHnpm + 7], unordered[ibHnpm + 9]);
  EXPECT_THROW(Heap({unordered}, 1), ndb::CorruptError);
  EXPECT_THROW(Heap({}, 1), ndb::CorruptError);
  EXPECT_NO_THROW(Heap({good}, 1));
}

// ---- BTH ----

TEST(Bth, FindsEveryRecordThroughIndexLevels) {
  pstw::HeapBuilder builder(client_sig::BTH);
  std::vector<pstw::BthRecord> records;
  for (uint32_t k = 0; k < 2000; ++k) records.push_back({le32(k * 3 + 1), le32(k ^ 0xABCD)});
  const Hid header = pstw::build_bth(builder, 4, 4, records);
  const std::vector<Bytes> blocks = builder.serialize();
  const Heap heap(blocks, 0x21);
  const Bth bth(heap, header);
  EXPECT_EQ(bth.key_size(), 4);
  EXPECT_EQ(bth.data_size(), 4);
  for (uint32_t k = 0; k < 2000; ++k) {
    const auto v = bth.find(k * 3 + 1);
    ASSERT_TRUE(v) << k;
    EXPECT_EQ(ndb::load_u32(v->data()), k ^ 0xABCD);
    EXPECT_FALSE(bth.find(k * 3 + 2));
  }
  EXPECT_FALSE(bth.find(0));
  uint64_t last = 0;
  size_t count = 0;
  bth.for_each([&](uint64_t key, std::span<const uint8_t>) {
    EXPECT_GT(key, last);
    last = key;
    ++count;
  });
  EXPECT_EQ(count, records.size());
}

TEST(Bth, BadHeaderIsCorrupt) {
  pstw::HeapBuilder builder(client_sig::BTH);
  const Hid wrong_type = builder.allocate(Bytes{0xB4, 2, 6, 0, 0, 0, 0, 0});
  const Hid too_deep = builder.allocate(Bytes{0xB5, 2, 6, 9, 0x40, 0, 0, 0});
  const Hid wide_key = builder.allocate(Bytes{0xB5, 16, 6, 0, 0, 0, 0, 0});
  const Hid empty = builder.allocate(Bytes{0xB5, 2, 6, 0, 0, 0, 0, 0});
  const Heap heap(builder.serialize(), 0x21);
  EXPECT_THROW(Bth(heap, wrong_type), ndb::CorruptError);
  EXPECT_THROW(Bth(heap, too_deep), ndb::CorruptError);
  EXPECT_THROW(Bth(heap, wide_key), ndb::CorruptError);
  const Bth bth(heap, empty);
  EXPECT_TRUE(bth.empty());
  EXPECT_FALSE(bth.find(1));
}

TEST(Bth, IndexThatReachesAnAllocationTwiceIsCorrupt) {
  pstw::HeapBuilder builder(client_sig::BTH);
  const Hid leaf = builder.allocate(Bytes{1, 0, 9, 9});  // one record: key 1, data 0x0909
  Bytes index = {1, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0};   // two index records, both -> leaf
  ndb::Bytes l = le32(leaf);
  std::copy(l.begin(), l.end(), index.begin() + 2);
  std::copy(l.begin(), l.end(), index.begin() + 8);
  const Hid root = builder.allocate(index);
  Bytes header = {0xB5, 2, 2, 1};
  const Bytes r = le32(root);
  header.insert(header.end(), r.begin(), r.end());
  const Hid h = builder.allocate(header);
  const Heap heap(builder.serialize(), 0x21);
  const Bth bth(heap, h);
  EXPECT_THROW(bth.for_each([](uint64_t, std::span<const uint8_t>) {}), ndb::CorruptError);
}

// ---- PC and TC inside a node database ----

class LtpLayout : public ::testing::TestWithParam<ndb::Format> {};
INSTANTIATE_TEST_SUITE_P(AllLayouts, LtpLayout,
                         ::testing::Values(ndb::Format::Ansi, ndb::Format::Unicode, ndb::Format::Unicode4k),
                         [](const auto& info) { return std::string(ndb::testing::format_label(info.param)); });

TEST_P(LtpLayout, PropertyContextValuesAsStored) {
  ndb::testing::BuildOptions o;
  o.format = GetParam();
  NdbBuilder b(o);
  const Bytes big = filled(10000, 3);  // above 3580: a value subnode
  const Bytes text = utf16(u"Grüße \U0001F600");
  const Bytes object = {0x5F, 0, 0, 0, 0x10, 0, 0, 0};
  const Bytes i16 = {0x34, 0x12};
  const Bytes i32 = le32(0xDEADBEEF);
  const Bytes b1 = {1};
  const Bytes i64 = {1, 2, 3, 4, 5, 6, 7, 8};
  b.node(0x21, b.pc({{0x0001, t::Int16, i16},
                     {0x0002, t::Int32, i32},
                     {0x0003, t::Boolean, b1},
                     {0x0004, t::Int64, i64},
                     {0x0005, t::Unicode, text},
                     {0x0006, t::Binary, big},
                     {0x0007, t::Binary, {}},
                     {0x0008, t::Object, object}}));
  auto db = ndb::testing::open_memory(b.finish());
  const PropertyContext pc(ndb::Node::open(*db, 0x21));
  ASSERT_EQ(pc.records().size(), 8u);
  const model::PropertyBag bag = pc.read();
  ASSERT_EQ(bag.props.size(), 8u);
  EXPECT_EQ(bag.props[0].value, i16);
  EXPECT_EQ(bag.props[1].value, i32);
  EXPECT_EQ(bag.props[2].value, b1);
  EXPECT_EQ(bag.props[3].value, i64);
  EXPECT_EQ(bag.props[4].value, text);
  EXPECT_EQ(bag.props[4].type, t::Unicode);
  EXPECT_EQ(bag.props[5].value, big);
  EXPECT_TRUE(bag.props[6].value.empty());
  EXPECT_EQ(bag.props[7].value, object);
  EXPECT_EQ(bag.string(0x0005), "Grüße \xF0\x9F\x98\x80");
  // The big value's size without reading it, and a read that skips it.
  EXPECT_TRUE(pc.value_subnode(*pc.find(0x0006)));
  EXPECT_EQ(pc.value_size(*pc.find(0x0006)), big.size());
  uint64_t size = 0;
  const model::PropertyBag skipped = pc.read(0x0006, &size);
  EXPECT_EQ(size, big.size());
  EXPECT_TRUE(skipped.props[5].value.empty());
  EXPECT_FALSE(pc.find(0x0009));
}

TEST_P(LtpLayout, PropertyContextRejectsOtherHeaps) {
  ndb::testing::BuildOptions o;
  o.format = GetParam();
  NdbBuilder b(o);
  b.node(0x21, b.tc({0x67F20003}, {}));
  auto db = ndb::testing::open_memory(b.finish());
  EXPECT_THROW(PropertyContext(ndb::Node::open(*db, 0x21)), ndb::CorruptError);
}

TEST_P(LtpLayout, TableContextRowsCellsAndOrder) {
  ndb::testing::BuildOptions o;
  o.format = GetParam();
  NdbBuilder b(o);
  // iBit order differs from tag order on purpose: rows list cells in iBit order.
  const std::vector<uint32_t> tags = {0x67F20003, 0x67F30003, 0x3001001F, 0x0C150003, 0x0E0F000B, 0x10000102};
  std::vector<pstw::TcRow> rows;
  const size_t n = 1500;  // a row matrix larger than one heap allocation: a subnode
  for (uint32_t r = 0; r < n; ++r) {
    pstw::TcRow row;
    row.row_id = 1000 + r;
    row.cells = {le32(1000 + r), le32(r), utf16(u"row " + std::u16string(1, char16_t(u'a' + r % 26))),
                 r % 2 ? std::optional<Bytes>() : le32(r * 2), Bytes{static_cast<uint8_t>(r % 2)},
                 r == 7 ? std::optional<Bytes>(filled(5000, 1)) : std::optional<Bytes>(Bytes{})};
    rows.push_back(std::move(row));
  }
  b.node(0x21, b.tc(tags, rows));
  auto db = ndb::testing::open_memory(b.finish());
  const TableContext tc(ndb::Node::open(*db, 0x21));
  ASSERT_EQ(tc.row_count(), n);
  ASSERT_EQ(tc.columns().size(), tags.size());
  EXPECT_EQ(tc.columns()[0].tag, 0x0C150003u);  // TCOLDESCs sorted by tag
  for (size_t r = 0; r < n; ++r) {
    EXPECT_EQ(tc.row_id(r), 1000 + r);
    const model::PropertyBag bag = tc.row(r);
    ASSERT_EQ(bag.props.size(), r % 2 ? 5u : 6u) << r;
    EXPECT_EQ(bag.props[0].id, 0x67F2);  // iBit 0 first
    EXPECT_EQ(bag.props[2].id, 0x3001);
    EXPECT_EQ(bag.int32(0x0C15), r % 2 ? std::nullopt : std::optional<int32_t>(static_cast<int32_t>(r * 2)));
    EXPECT_EQ(bag.boolean(0x0E0F), r % 2 == 1);
  }
  EXPECT_EQ(tc.row(7).binary(0x1000)->size(), 5000u);  // a cell in a subnode
  const model::PropertyBag some = tc.row(4, {0x3001, 0x0C15, 0x9999});
  ASSERT_EQ(some.props.size(), 2u);
  EXPECT_EQ(some.props[0].id, 0x3001);
  EXPECT_THROW(tc.row(n), ndb::NotFoundError);
}

TEST_P(LtpLayout, TableReadOnDemandGivesWhatTheWholeTableGivesInAnyOrder) {
  ndb::testing::BuildOptions o;
  o.format = GetParam();
  NdbBuilder b(o);
  const std::vector<uint32_t> tags = {0x67F20003, 0x3001001F, 0x0E060040, 0x10000102};
  std::vector<pstw::TcRow> rows;
  // Rows and heap over many more blocks than are kept, with strings of every length up to a
  // few hundred bytes in the heap and one large cell in a subnode.
  const size_t n = 6000;
  for (uint32_t r = 0; r < n; ++r) {
    pstw::TcRow row;
    row.row_id = 50000 + r * 3;
    std::u16string subject = u"subject " + std::u16string(r % 200, char16_t(u'a' + r % 26));
    row.cells = {le32(50000 + r * 3), utf16(subject), filled(8, static_cast<uint8_t>(r)),
                 r == 4321 ? std::optional<Bytes>(filled(9000, 3)) : std::optional<Bytes>()};
    rows.push_back(std::move(row));
  }
  b.node(0x21, b.tc(tags, rows));
  auto db = ndb::testing::open_memory(b.finish());
  const TableContext whole(ndb::Node::open(*db, 0x21));
  const TableContext on_demand(ndb::Node::open(*db, 0x21), TableContext::Reading::OnDemand);
  ASSERT_EQ(on_demand.row_count(), n);
  ASSERT_EQ(whole.row_count(), n);
  // Stored order, backwards, and strides that jump across blocks.
  std::vector<size_t> order;
  for (size_t r = 0; r < n; ++r) order.push_back(r);
  for (size_t r = n; r-- > 0;) order.push_back(r);
  for (size_t stride : {997, 3001})
    for (size_t i = 0, r = 0; i < n; ++i, r = (r + stride) % n) order.push_back(r);
  for (size_t r : order) {
    ASSERT_EQ(on_demand.row_id(r), whole.row_id(r)) << r;
    const model::PropertyBag a = on_demand.row(r), b2 = whole.row(r);
    ASSERT_EQ(a.props.size(), b2.props.size()) << r;
    for (size_t i = 0; i < a.props.size(); ++i) {
      EXPECT_EQ(a.props[i].id, b2.props[i].id) << r;
      EXPECT_EQ(a.props[i].value, b2.props[i].value) << r;
    }
  }
  EXPECT_EQ(on_demand.row(4321).binary(0x1000)->size(), 9000u);
  EXPECT_EQ(on_demand.row(10, {0x3001}).string(0x3001), whole.row(10, {0x3001}).string(0x3001));
  EXPECT_THROW(on_demand.row(n), ndb::NotFoundError);
}

TEST(Heap, ReadOnDemandGivesEveryAllocationAndKeepsOnlyAFewPages) {
  NdbBuilder b({});
  pstw::HeapBuilder builder(client_sig::PC);
  std::vector<std::pair<uint32_t, Bytes>> allocs;
  for (uint32_t i = 0; i < 400; ++i) {
    Bytes data = filled(i % 5 == 0 ? 2500 : 13 * (i % 40) + 1, static_cast<uint8_t>(i));
    allocs.emplace_back(builder.allocate(data), data);
  }
  builder.set_user_root(allocs[3].first);
  const std::vector<Bytes> pages = builder.serialize();
  ASSERT_GT(pages.size(), 20u);  // many more than the pages kept below
  b.node(0x21, NodeRef{b.blocks(pages), 0});
  auto db = ndb::testing::open_memory(b.finish());
  const Heap heap(ndb::Node::open(*db, 0x21), 4);
  EXPECT_EQ(heap.client_sig(), client_sig::PC);
  EXPECT_EQ(heap.user_root(), allocs[3].first);
  for (int pass = 0; pass < 2; ++pass)
    for (size_t k = 0; k < allocs.size(); ++k) {
      const auto& [hid, data] = allocs[pass == 0 ? k : (k * 131) % allocs.size()];
      EXPECT_EQ(heap.read(hid), data) << hid;
    }
  EXPECT_THROW(heap.read(0), ndb::NotFoundError);
  EXPECT_THROW(heap.read((static_cast<uint32_t>(pages.size()) << 16) | 0x20), ndb::NotFoundError);
  EXPECT_THROW(heap.get(allocs[0].first), std::logic_error);  // no stable bytes to point into
}

TEST_P(LtpLayout, EmptyTableHasNoRows) {
  ndb::testing::BuildOptions o;
  o.format = GetParam();
  NdbBuilder b(o);
  b.node(0x21, b.tc({0x67F20003, 0x3001001F}, {}));
  auto db = ndb::testing::open_memory(b.finish());
  const TableContext tc(ndb::Node::open(*db, 0x21));
  EXPECT_EQ(tc.row_count(), 0u);
  EXPECT_EQ(tc.column(0x3001), std::optional<size_t>(0));  // TCOLDESCs sorted by tag
  EXPECT_FALSE(tc.column(0x3002));
}

// ---- Name-to-id map ----

TEST(NameToIdMap, NumericAndStringNamesWithEveryGuidKind) {
  Bytes guids(32);
  for (size_t i = 0; i < 32; ++i) guids[i] = static_cast<uint8_t>(i + 1);
  Bytes strings = {6, 0, 0, 0, 'a', 0, 'b', 0, 'c', 0, 0, 0, 0xFF, 0xFF, 0, 0};
  auto entry = [](uint32_t prop, uint16_t guid, bool string, uint16_t idx) {
    Bytes e = le32(prop);
    const uint16_t g = static_cast<uint16_t>(guid << 1 | string);
    e.insert(e.end(), {uint8_t(g), uint8_t(g >> 8), uint8_t(idx), uint8_t(idx >> 8)});
    return e;
  };
  Bytes entries;
  for (const Bytes& e : {entry(0x8530, 1, false, 0), entry(0x232A, 2, false, 1), entry(0x10, 4, false, 2),
                         entry(0, 3, true, 3), entry(0x1000, 3, true, 4) /* string offset out of range */,
                         entry(1, 9, false, 5) /* GUID index out of range */})
    entries.insert(entries.end(), e.begin(), e.end());
  const NameToIdMap map(guids, entries, strings);
  EXPECT_EQ(map.size(), 4u);
  ASSERT_TRUE(map.find(0x8000));
  EXPECT_EQ(map.find(0x8000)->guid, props::PS_MAPI);
  EXPECT_EQ(map.find(0x8000)->lid, 0x8530u);
  EXPECT_EQ(map.find(0x8001)->guid, props::PS_PUBLIC_STRINGS);
  EXPECT_EQ(map.find(0x8002)->guid[0], 17);  // the second GUID of the stream
  EXPECT_EQ(map.find(0x8003)->name, u"abc");
  EXPECT_FALSE(map.find(0x8003)->lid);
  EXPECT_FALSE(map.find(0x8004));
  EXPECT_FALSE(map.find(0x8005));
  EXPECT_FALSE(map.find(0x0037));
}

}  // namespace
}  // namespace ostfs::ltp
