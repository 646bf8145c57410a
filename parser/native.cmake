# The native reader: NDB (header, B-trees, blocks, data and subnode trees) and LTP (heap,
# BTH, property and table contexts, name-to-id map) read directly from the file, without
# libpff; and NativeStore, which builds model objects from them.
add_library(ostfs_native STATIC
  ndb/block.cc
  ndb/btree.cc
  ndb/crc.cc
  ndb/crypt.cc
  ndb/data_tree.cc
  ndb/database.cc
  ndb/errors.cc
  ndb/format.cc
  ndb/header.cc
  ndb/node.cc
  ndb/source.cc
  ndb/subnodes.cc
  ltp/bth.cc
  ltp/heap.cc
  ltp/name_to_id.cc
  ltp/property_context.cc
  ltp/table_context.cc
  native_store.cc
)
target_link_libraries(ostfs_native PUBLIC ostfs_model PRIVATE PkgConfig::ISAL Threads::Threads)
