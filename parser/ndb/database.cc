#include "parser/ndb/database.h"

#include <algorithm>
#include <string>

#include "parser/ndb/block.h"
#include "parser/ndb/errors.h"

namespace ostfs::ndb {
namespace {

Header read_header(const ByteSource& source) {
  Bytes bytes(static_cast<size_t>(std::min<uint64_t>(kHeaderSize, source.size())));
  source.read(0, bytes);
  return parse_header(bytes);
}

}  // namespace

std::unique_ptr<Database> Database::open(const std::filesystem::path& path, DatabaseOptions options) {
  return std::make_unique<Database>(std::make_unique<FileSource>(path), options);
}

Database::Database(std::unique_ptr<ByteSource> source, DatabaseOptions options)
    : source_(std::move(source)),
      header_(read_header(*source_)),
      layout_(layout_for(header_.format)),
      pages_(*source_, layout_, options.page_cache_bytes),
      nbt_(pages_, layout_, header_.BREFNBT, ptype::NBT),
      bbt_(pages_, layout_, header_.BREFBBT, ptype::BBT) {}

NbtEntry Database::node(uint32_t nid) const {
  auto e = nbt_.find_node(nid);
  if (!e) throw NotFoundError("node " + hex(nid) + " is not in the NBT");
  return *e;
}

BbtEntry Database::block(uint64_t bid) const {
  auto e = bbt_.find_block(bid);
  if (!e) throw NotFoundError("block " + hex(bid) + " is not in the BBT");
  return *e;
}

Bytes Database::read_block(uint64_t bid) const { return read_block(block(bid)); }

size_t Database::stored_size(const BbtEntry& entry) const {
  const size_t size = block_disk_size(entry, layout_);
  if (size > layout_.max_block_size)
    throw CorruptError("block " + hex(entry.bid) + " at " + hex(entry.ib) + ": cb " + std::to_string(entry.cb) +
                       " too large");
  return size;
}

void Database::read_stored(const BbtEntry& entry, std::span<uint8_t> out) const {
  try {
    source_->read(entry.ib, out);
  } catch (const IoError& e) {
    throw IoError("block " + hex(entry.bid) + ": " + e.what());
  }
}

Bytes Database::read_block(const BbtEntry& entry) const {
  Bytes raw(stored_size(entry));
  read_stored(entry, raw);
  return decode_block(std::move(raw), entry, layout_, header_.bCryptMethod);
}

void Database::read_block_into(const BbtEntry& entry, std::span<uint8_t> out) const {
  // One buffer per thread for the block as stored: reading an attachment allocates nothing
  // per block, and the buffer only grows (resizing it to each block's size zeroed the
  // difference every time a bigger block followed a smaller one).
  thread_local Bytes buffer;
  const size_t size = stored_size(entry);
  if (buffer.size() < size) buffer.resize(size);
  const std::span<uint8_t> raw(buffer.data(), size);
  read_stored(entry, raw);
  decode_block_into(raw, entry, layout_, header_.bCryptMethod, out);
}

}  // namespace ostfs::ndb
