#include "ndb_builder.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>

#include "parser/ndb/crc.h"

namespace ostfs::ndb::testing {
namespace {

void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
void put32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void put64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void put_id(uint8_t* p, uint64_t v, size_t width) {
  if (width == 4) put32(p, static_cast<uint32_t>(v));
  else put64(p, v);
}
void append_id(Bytes& b, uint64_t v, size_t width) {
  b.resize(b.size() + width);
  put_id(b.data() + b.size() - width, v, width);
}
uint16_t sig(uint64_t ib, uint64_t bid) {
  const uint32_t x = static_cast<uint32_t>((ib ^ bid) & 0xFFFFFFFFu);
  return static_cast<uint16_t>((x >> 16) ^ x);
}
size_t align(size_t v, size_t a) { return (v + a - 1) / a * a; }

}  // namespace

NdbBuilder::NdbBuilder(BuildOptions options) : options_(options), layout_(layout_for(options.format)) {}

uint64_t NdbBuilder::block(std::span<const uint8_t> data, bool internal) {
  if (data.size() > max_data()) throw std::length_error("test block too large");
  const uint64_t bid = next_bid_ | (internal ? 2 : 0);
  next_bid_ += 4;
  Bytes encoded(data.begin(), data.end());
  if (!internal) {
    if (options_.crypt == CryptMethod::Permute) permute_encode(encoded);
    else if (options_.crypt == CryptMethod::Cyclic) cyclic_crypt(encoded, static_cast<uint32_t>(bid));
  }
  Bytes disk = encoded;
  if (layout_.compressed_blocks && options_.compress && !encoded.empty()) {
    // The reader inflates, then decrypts: so the writer encrypts, then compresses.
    uLongf size = compressBound(encoded.size());
    Bytes z(size);
    if (compress2(z.data(), &size, encoded.data(), encoded.size(), 6) != Z_OK) throw std::runtime_error("zlib");
    z.resize(size);
    if (z.size() < encoded.size()) disk = std::move(z);
  }
  blocks_.push_back({bid, std::move(disk), static_cast<uint32_t>(data.size())});
  return bid;
}

uint64_t NdbBuilder::xblock(uint8_t cLevel, uint32_t lcbTotal, std::span<const uint64_t> bids) {
  Bytes b = {0x01, cLevel, 0, 0, 0, 0, 0, 0};
  put16(b.data() + 2, static_cast<uint16_t>(bids.size()));
  put32(b.data() + 4, lcbTotal);
  for (uint64_t bid : bids) append_id(b, bid, layout_.id_size);
  return block(b, true);
}

uint64_t NdbBuilder::stream(std::span<const uint8_t> data) {
  if (data.empty()) return 0;
  std::vector<uint64_t> leaves;
  for (size_t off = 0; off < data.size(); off += options_.leaf_size)
    leaves.push_back(block(data.subspan(off, std::min(options_.leaf_size, data.size() - off))));
  if (leaves.size() == 1) return leaves[0];
  const size_t fanout = options_.xblock_entries ? options_.xblock_entries : (max_data() - 8) / layout_.id_size;
  const auto total = static_cast<uint32_t>(data.size());
  if (leaves.size() <= fanout) return xblock(1, total, leaves);
  std::vector<uint64_t> xblocks;
  for (size_t i = 0; i < leaves.size(); i += fanout) {
    const size_t n = std::min(fanout, leaves.size() - i);
    uint64_t bytes = 0;
    for (size_t k = i; k < i + n; ++k) bytes += std::min(options_.leaf_size, data.size() - k * options_.leaf_size);
    xblocks.push_back(xblock(1, static_cast<uint32_t>(bytes), std::span(leaves).subspan(i, n)));
  }
  if (xblocks.size() > fanout) throw std::length_error("test stream too large");
  return xblock(2, total, xblocks);
}

uint64_t NdbBuilder::blocks(const std::vector<Bytes>& list) {
  if (list.empty()) return 0;
  std::vector<uint64_t> bids;
  uint64_t total = 0;
  for (const Bytes& b : list) {
    bids.push_back(block(b));
    total += b.size();
  }
  return bids.size() == 1 ? bids[0] : xblock(1, static_cast<uint32_t>(total), bids);
}

uint64_t NdbBuilder::subnodes(std::vector<SubnodeEntry> entries) {
  if (entries.empty()) return 0;
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.nid < b.nid; });
  const size_t w = layout_.id_size;
  const size_t fanout = options_.slblock_entries ? options_.slblock_entries
                                                  : (max_data() - layout_.sl_header_size) / layout_.slentry_size;
  auto header = [&](uint8_t level, size_t count) {
    Bytes b(layout_.sl_header_size, 0);
    b[0] = 0x02;
    b[1] = level;
    put16(b.data() + 2, static_cast<uint16_t>(count));
    return b;
  };
  std::vector<std::pair<uint32_t, uint64_t>> sls;
  for (size_t i = 0; i < entries.size(); i += fanout) {
    const size_t n = std::min(fanout, entries.size() - i);
    Bytes b = header(0, n);
    for (size_t k = i; k < i + n; ++k) {
      append_id(b, entries[k].nid, w);
      append_id(b, entries[k].bidData, w);
      append_id(b, entries[k].bidSub, w);
    }
    sls.emplace_back(entries[i].nid, block(b, true));
  }
  if (sls.size() == 1) return sls[0].second;
  Bytes si = header(1, sls.size());
  for (const auto& [nid, bid] : sls) {
    append_id(si, nid, w);
    append_id(si, bid, w);
  }
  return block(si, true);
}

NodeRef NdbBuilder::ltp(const pstw::LtpNode& node, std::vector<SubnodeEntry> extra) {
  NodeRef ref;
  ref.bidData = blocks(node.heap);
  for (const pstw::ValueSubnode& v : node.subnodes) extra.push_back({v.nid, stream(v.data), 0});
  ref.bidSub = subnodes(std::move(extra));
  return ref;
}

NodeRef NdbBuilder::pc(std::vector<pstw::PcProperty> props, std::vector<SubnodeEntry> extra) {
  return ltp(pstw::encode_pc(std::move(props), [this] { return next_value_nid(); }), std::move(extra));
}

NodeRef NdbBuilder::tc(const std::vector<uint32_t>& tags, const std::vector<pstw::TcRow>& rows,
                       std::vector<SubnodeEntry> extra) {
  const pstw::TcLayout layout = pstw::layout_columns(tags);
  return ltp(pstw::encode_tc(layout, rows, [this] { return next_value_nid(); }), std::move(extra));
}

void NdbBuilder::node(uint32_t nid, NodeRef ref, uint32_t nidParent) {
  const size_t w = layout_.id_size;
  Bytes e;
  append_id(e, nid, w);
  append_id(e, ref.bidData, w);
  append_id(e, ref.bidSub, w);
  e.resize(layout_.nbtentry_size, 0);
  put32(e.data() + 3 * w, nidParent);
  nbt_.emplace_back(nid, std::move(e));
}

uint64_t NdbBuilder::offset_of(uint64_t bid) const {
  for (const StoredBlock& b : blocks_)
    if (b.bid == bid) return b.ib;
  throw std::out_of_range("no such test block");
}

Bytes NdbBuilder::finish() {
  const Layout& l = layout_;
  const size_t w = l.id_size;
  Bytes file(l.format == Format::Unicode4k ? 0x23000 : 0x4600, 0);
  // Blocks.
  for (StoredBlock& b : blocks_) {
    b.ib = align(file.size(), l.block_alignment);
    const size_t size = align(b.disk.size() + l.block_trailer_size, l.block_alignment);
    file.resize(b.ib + size, 0);
    uint8_t* p = file.data() + b.ib;
    std::memcpy(p, b.disk.data(), b.disk.size());
    uint8_t* t = p + size - l.block_trailer_size;
    const uint32_t crc = compute_crc(b.disk);
    put16(t, static_cast<uint16_t>(b.disk.size()));
    put16(t + 2, sig(b.ib, b.bid));
    if (l.format == Format::Ansi) {
      put32(t + 4, static_cast<uint32_t>(b.bid));
      put32(t + 8, crc);
    } else {
      put32(t + 4, crc);
      put64(t + 8, b.bid);
      if (l.compressed_blocks) put16(t + 18, static_cast<uint16_t>(b.cbInflated));
    }
  }
  // B-trees: leaves, then index levels until one page remains.
  uint64_t next_page_bid = 0x100;
  auto write_tree = [&](std::vector<std::pair<uint64_t, Bytes>> entries, uint8_t ptype, size_t leaf_size) {
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    int level = 0;
    for (;;) {
      const size_t entry_size = level == 0 ? leaf_size : l.btentry_size;
      const size_t per_page = l.bt_entries_size / entry_size;
      std::vector<std::pair<uint64_t, Bytes>> parents;
      size_t i = 0;
      do {
        const size_t n = std::min(per_page, entries.size() - i);
        const uint64_t ib = align(file.size(), l.page_size);
        const uint64_t bid = next_page_bid++;
        file.resize(ib + l.page_size, 0);
        uint8_t* p = file.data() + ib;
        for (size_t k = 0; k < n; ++k) std::memcpy(p + k * entry_size, entries[i + k].second.data(), entry_size);
        uint8_t* c = p + l.bt_counts_offset;
        if (l.bt_wide_counts) {
          put16(c, static_cast<uint16_t>(n));
          put16(c + 2, static_cast<uint16_t>(per_page));
          c[4] = static_cast<uint8_t>(entry_size);
          c[5] = static_cast<uint8_t>(level);
        } else {
          c[0] = static_cast<uint8_t>(n);
          c[1] = static_cast<uint8_t>(per_page);
          c[2] = static_cast<uint8_t>(entry_size);
          c[3] = static_cast<uint8_t>(level);
        }
        uint8_t* t = p + l.page_data_size;
        t[0] = t[1] = ptype;
        put16(t + 2, sig(ib, bid));
        const uint32_t crc = compute_crc(std::span<const uint8_t>(p, l.page_data_size));
        if (l.format == Format::Ansi) {
          put32(t + 4, static_cast<uint32_t>(bid));
          put32(t + 8, crc);
        } else {
          put32(t + 4, crc);
          put64(t + 8, bid);
        }
        Bytes parent;
        append_id(parent, n ? entries[i].first : 0, w);
        append_id(parent, bid, w);
        append_id(parent, ib, w);
        parents.emplace_back(n ? entries[i].first : 0, std::move(parent));
        i += n;
      } while (i < entries.size());
      if (parents.size() == 1) {
        const Bytes& root = parents[0].second;
        return std::pair<uint64_t, uint64_t>{load_uint(root.data() + w, w), load_uint(root.data() + 2 * w, w)};
      }
      entries = std::move(parents);
      ++level;
    }
  };
  std::vector<std::pair<uint64_t, Bytes>> bbt;
  for (const StoredBlock& b : blocks_) {
    Bytes e;
    append_id(e, b.bid, w);
    append_id(e, b.ib, w);
    e.resize(l.bbtentry_size, 0);
    put16(e.data() + 2 * w, static_cast<uint16_t>(b.disk.size()));
    if (l.compressed_blocks) {
      put16(e.data() + 2 * w + 2, static_cast<uint16_t>(b.cbInflated));
      put16(e.data() + 2 * w + 4, 2);
    } else {
      put16(e.data() + 2 * w + 2, 2);
    }
    bbt.emplace_back(b.bid, std::move(e));
  }
  std::vector<std::pair<uint64_t, Bytes>> nbt;
  for (const auto& [nid, e] : nbt_) nbt.emplace_back(nid, e);
  const auto [bbt_bid, bbt_ib] = write_tree(std::move(bbt), 0x80, l.bbtentry_size);
  const auto [nbt_bid, nbt_ib] = write_tree(std::move(nbt), 0x81, l.nbtentry_size);
  file.resize(align(file.size(), l.page_size), 0);
  // Header.
  uint8_t* h = file.data();
  std::memcpy(h, "!BDN", 4);
  put16(h + 8, options_.wMagicClient);
  put16(h + 10, l.format == Format::Ansi ? 14 : l.format == Format::Unicode ? 23 : 36);
  put16(h + 12, 19);
  h[14] = h[15] = 1;
  if (l.format == Format::Ansi) {
    put32(h + 24, static_cast<uint32_t>(next_bid_));
    put32(h + 28, static_cast<uint32_t>(next_page_bid));
    for (int i = 0; i < 32; ++i) put32(h + 36 + 4 * i, 0x400);
    uint8_t* root = h + 164;
    put32(root + 4, static_cast<uint32_t>(file.size()));
    put32(root + 20, static_cast<uint32_t>(nbt_bid));
    put32(root + 24, static_cast<uint32_t>(nbt_ib));
    put32(root + 28, static_cast<uint32_t>(bbt_bid));
    put32(root + 32, static_cast<uint32_t>(bbt_ib));
    std::memset(h + 204, 0xFF, 256);
    h[460] = 0x80;
    h[461] = static_cast<uint8_t>(options_.crypt);
  } else {
    put64(h + 32, next_page_bid);
    for (int i = 0; i < 32; ++i) put32(h + 44 + 4 * i, 0x400);
    uint8_t* root = h + 180;
    put64(root + 4, file.size());
    put64(root + 36, nbt_bid);
    put64(root + 44, nbt_ib);
    put64(root + 52, bbt_bid);
    put64(root + 60, bbt_ib);
    std::memset(h + 256, 0xFF, 256);
    h[512] = 0x80;
    h[513] = static_cast<uint8_t>(options_.crypt);
    put64(h + 516, next_bid_);
    put32(h + 524, compute_crc(std::span<const uint8_t>(h + 8, 516)));
  }
  put32(h + 4, compute_crc(std::span<const uint8_t>(h + 8, 471)));
  return file;
}

}  // namespace ostfs::ndb::testing
