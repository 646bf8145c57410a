// The node database of one PST/OST file: header, NBT and BBT lookups and block reads.
// Every method is const and safe to call from many threads at once; the only shared state
// is the page cache, which locks internally.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "parser/ndb/btree.h"
#include "parser/ndb/header.h"
#include "parser/ndb/le.h"
#include "parser/ndb/source.h"

namespace ostfs::ndb {

struct DatabaseOptions {
  // Bytes of checked B-tree pages kept in memory (an NBT or BBT lookup then costs no I/O
  // for the pages near the root).
  size_t page_cache_bytes = size_t{16} << 20;
};

class Database {
 public:
  // Opens and checks the header. Throws IoError or CorruptError/CrcError (bad header).
  static std::unique_ptr<Database> open(const std::filesystem::path& path, DatabaseOptions options = {});
  explicit Database(std::unique_ptr<ByteSource> source, DatabaseOptions options = {});

  const Header& header() const { return header_; }
  const Layout& layout() const { return layout_; }
  const ByteSource& source() const { return *source_; }

  std::optional<NbtEntry> find_node(uint32_t nid) const { return nbt_.find_node(nid); }
  // Throws NotFoundError when `nid` is not in the NBT.
  NbtEntry node(uint32_t nid) const;
  std::optional<BbtEntry> find_block(uint64_t bid) const { return bbt_.find_block(bid); }
  // Throws NotFoundError when `bid` is not in the BBT.
  BbtEntry block(uint64_t bid) const;

  // Reads, checks, inflates and decodes one block. Throws NdbError subclasses.
  Bytes read_block(uint64_t bid) const;
  Bytes read_block(const BbtEntry& entry) const;
  // The same into `out`, which must have the block's decoded size: a data stream's blocks go
  // straight to their place in it.
  void read_block_into(const BbtEntry& entry, std::span<uint8_t> out) const;

  void for_each_node(const std::function<void(const NbtEntry&)>& visit) const { nbt_.for_each_node(visit); }
  void for_each_block(const std::function<void(const BbtEntry&)>& visit) const { bbt_.for_each_block(visit); }

 private:
  // The size of the block as stored (data, padding, trailer); throws when it cannot be one.
  size_t stored_size(const BbtEntry& entry) const;
  // The block as stored into `out`, of stored_size(entry) bytes.
  void read_stored(const BbtEntry& entry, std::span<uint8_t> out) const;

  std::unique_ptr<ByteSource> source_;
  Header header_;
  Layout layout_;
  PageReader pages_;
  BTree nbt_;
  BTree bbt_;
};

}  // namespace ostfs::ndb
