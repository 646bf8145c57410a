// NativeStore on built files: every layout and cipher, the OST 2013 case libpff misreads
// (a compressed XBLOCK), many threads at once, and damaged input.
#include <gtest/gtest.h>
#include <libpff.h>

#include <random>
#include <thread>

#include "parser/native_store.h"
#include "parser/ndb/block.h"
#include "parser/ndb/errors.h"
#include "parser/props.h"
#include "parser/reader.h"
#include "sample_file.h"
#include "test_util.h"

namespace ostfs::parser {
namespace {

using namespace ndb::testing;
using ndb::Bytes;

Bytes utf16(const std::u16string& s) {
  Bytes b;
  for (char16_t c : s) {
    b.push_back(static_cast<uint8_t>(c));
    b.push_back(static_cast<uint8_t>(c >> 8));
  }
  return b;
}

std::unique_ptr<NativeStore> open_bytes(Bytes bytes) {
  return std::make_unique<NativeStore>(open_memory(std::move(bytes)), NativeOptions{});
}

struct Variant {
  ndb::Format format;
  ndb::CryptMethod crypt;
};

class SampleStore : public ::testing::TestWithParam<Variant> {
 protected:
  SampleOptions options() const {
    SampleOptions o;
    o.build.format = GetParam().format;
    o.build.crypt = GetParam().crypt;
    o.attachment_size = 100000;  // 13 leaf blocks under an XBLOCK
    return o;
  }
};

INSTANTIATE_TEST_SUITE_P(
    Layouts, SampleStore,
    ::testing::Values(Variant{ndb::Format::Ansi, ndb::CryptMethod::Permute},
                      Variant{ndb::Format::Ansi, ndb::CryptMethod::Cyclic},
                      Variant{ndb::Format::Unicode, ndb::CryptMethod::None},
                      Variant{ndb::Format::Unicode, ndb::CryptMethod::Permute},
                      Variant{ndb::Format::Unicode, ndb::CryptMethod::Cyclic},
                      Variant{ndb::Format::Unicode4k, ndb::CryptMethod::None},
                      Variant{ndb::Format::Unicode4k, ndb::CryptMethod::Permute}),
    [](const auto& info) {
      const char* crypt = info.param.crypt == ndb::CryptMethod::None      ? "None"
                          : info.param.crypt == ndb::CryptMethod::Permute ? "Permute"
                                                                          : "Cyclic";
      return std::string(format_label(info.param.format)) + crypt;
    });

TEST_P(SampleStore, ReadsTheWholeMessage) {
  const SampleOptions o = options();
  const auto store = open_bytes(build_sample_file(o));
  EXPECT_EQ(store->header().format, o.build.format);
  const model::Message m = store->read_message(kSampleMessageNid, true);
  EXPECT_EQ(m.nid, kSampleMessageNid);
  EXPECT_TRUE(m.warnings.empty());
  // Raw UTF-16 as stored, the non-BMP character intact.
  ASSERT_TRUE(m.props.find(props::PidTagSubject));
  EXPECT_EQ(m.props.find(props::PidTagSubject)->value, utf16(kSampleSubject));
  EXPECT_EQ(m.text(props::PidTagSubject), "Launch \xF0\x9F\x9A\x80");
  EXPECT_EQ(m.props.find(props::PidTagBody)->value, sample_body(o.body_size));  // from a value subnode
  EXPECT_EQ(m.props.filetime(props::PidTagMessageDeliveryTime), 133000000000000000ull);
  // Named properties resolved through the map.
  const std::array<uint8_t, 16> custom = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  ASSERT_TRUE(m.props.find_named(custom, 0x8530));
  EXPECT_EQ(m.props.find_named(custom, 0x8530)->id, 0x8000);
  ASSERT_TRUE(m.props.find_named(custom, std::u16string_view(u"Keywords")));
  EXPECT_EQ(m.props.find_named(custom, std::u16string_view(u"Keywords"))->type, props::type::MvUnicode);
  ASSERT_TRUE(m.props.find_named(props::PS_MAPI, 0x1234));
  EXPECT_EQ(m.props.find_named(props::PS_MAPI, 0x1234)->value, Bytes{1});
  // Recipients in row order; the second has no address cells at all.
  ASSERT_EQ(m.recipients.size(), 2u);
  EXPECT_EQ(m.recipients[0].props.string(props::PidTagEmailAddress), "ada@example.org");
  EXPECT_EQ(m.recipients[1].props.string(props::PidTagDisplayName), "Charles Babbage");
  EXPECT_FALSE(m.recipients[1].props.find(props::PidTagEmailAddress));
  EXPECT_EQ(m.recipients[1].props.int32(props::PidTagRecipientType), props::RecipientCc);
  // The by-value attachment: bytes from its multi-block stream; its property keeps no value.
  ASSERT_EQ(m.attachments.size(), 2u);
  const model::Attachment& data = m.attachments[0];
  EXPECT_EQ(data.method, model::AttachMethod::ByValue);
  EXPECT_EQ(data.data_size, o.attachment_size);
  EXPECT_TRUE(data.data_loaded);
  EXPECT_EQ(data.data, sample_attachment(o.attachment_size));
  ASSERT_TRUE(data.props.find(props::PidTagAttachDataBinary));
  EXPECT_TRUE(data.props.find(props::PidTagAttachDataBinary)->value.empty());
  EXPECT_EQ(data.props.string(props::PidTagAttachFilename), "data.bin");
  // The embedded message, with its own recipients.
  const model::Attachment& embedded = m.attachments[1];
  EXPECT_EQ(embedded.method, model::AttachMethod::EmbeddedMessage);
  ASSERT_TRUE(embedded.embedded);
  EXPECT_EQ(embedded.embedded->nid, kSampleEmbeddedNid);
  EXPECT_EQ(embedded.embedded->text(props::PidTagSubject), "Inner");
  EXPECT_EQ(embedded.embedded->recipients.size(), 2u);
}

TEST_P(SampleStore, AttachmentSizeWithoutReadingItsData) {
  const SampleOptions o = options();
  Bytes file = build_sample_file(o);
  const auto intact = open_bytes(file);
  const ndb::DataTree stream = *intact->attachment_stream(kSampleMessageNid, kSampleDataAttachmentNid);
  ASSERT_GT(stream.leaves().size(), 1u);
  // Destroy every data block of the attachment: the message still reads, sizes included.
  for (const ndb::DataLeaf& leaf : stream.leaves()) file[leaf.block.ib] ^= 0xFF;
  const auto damaged = open_bytes(file);
  const model::Message m = damaged->read_message(kSampleMessageNid, false);
  EXPECT_TRUE(m.warnings.empty());
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].data_size, o.attachment_size);
  EXPECT_FALSE(m.attachments[0].data_loaded);
  EXPECT_TRUE(m.attachments[0].data.empty());
  // Reading the data now fails for that attachment only, with a warning naming it.
  const model::Message with_data = damaged->read_message(kSampleMessageNid, true);
  ASSERT_EQ(with_data.attachments.size(), 1u);
  ASSERT_EQ(with_data.warnings.size(), 1u);
  EXPECT_NE(with_data.warnings[0].find("attachment 1: block"), std::string::npos) << with_data.warnings[0];
  EXPECT_NE(with_data.warnings[0].find("bad CRC"), std::string::npos) << with_data.warnings[0];
}

TEST_P(SampleStore, AttachmentDataUpToALimit) {
  const SampleOptions o = options();
  const auto store = open_bytes(build_sample_file(o));
  // Exactly the attachment's size: read.
  const model::Message fits = store->read_message(kSampleMessageNid, true, o.attachment_size);
  ASSERT_EQ(fits.attachments.size(), 2u);
  EXPECT_TRUE(fits.attachments[0].data_loaded);
  EXPECT_EQ(fits.attachments[0].data, sample_attachment(o.attachment_size));
  EXPECT_TRUE(fits.attachment_data_loaded());
  // One byte less: left unread, its size known; the rest of the message is all there.
  const model::Message over = store->read_message(kSampleMessageNid, true, o.attachment_size - 1);
  EXPECT_TRUE(over.warnings.empty());
  ASSERT_EQ(over.attachments.size(), 2u);
  EXPECT_FALSE(over.attachments[0].data_loaded);
  EXPECT_TRUE(over.attachments[0].data.empty());
  EXPECT_EQ(over.attachments[0].data_size, o.attachment_size);
  EXPECT_EQ(over.attachments[0].props.string(props::PidTagAttachFilename), "data.bin");
  ASSERT_TRUE(over.attachments[1].embedded);
  EXPECT_EQ(over.attachments[1].embedded->text(props::PidTagSubject), "Inner");
  EXPECT_FALSE(over.attachment_data_loaded());
}

TEST(MessageModel, AttachmentDataLoadedLooksIntoEmbeddedMessages) {
  model::Message outer;
  EXPECT_TRUE(outer.attachment_data_loaded());  // no attachments: nothing missing
  model::Attachment& inner_holder = outer.attachments.emplace_back();
  inner_holder.method = model::AttachMethod::EmbeddedMessage;
  inner_holder.data_loaded = true;
  inner_holder.embedded = std::make_unique<model::Message>();
  model::Attachment& inner = inner_holder.embedded->attachments.emplace_back();
  inner.data_size = 10;
  EXPECT_FALSE(outer.attachment_data_loaded());
  inner.data.assign(10, 'x');
  inner.data_loaded = true;
  EXPECT_TRUE(outer.attachment_data_loaded());
  outer.attachments.emplace_back().data_size = 1;  // a second one, unread
  EXPECT_FALSE(outer.attachment_data_loaded());
}

TEST_P(SampleStore, StreamsReadPiecewise) {
  const SampleOptions o = options();
  const auto store = open_bytes(build_sample_file(o));
  ASSERT_TRUE(store->attachment_stream(kSampleMessageNid, kSampleDataAttachmentNid));
  const ndb::DataTree stream = *store->attachment_stream(kSampleMessageNid, kSampleDataAttachmentNid);
  const Bytes expected = sample_attachment(o.attachment_size);
  ASSERT_EQ(stream.size(), expected.size());
  Bytes piece(20000);
  stream.read(12345, piece);
  EXPECT_TRUE(std::equal(piece.begin(), piece.end(), expected.begin() + 12345));
  // An embedded message is no byte stream.
  EXPECT_FALSE(store->attachment_stream(kSampleMessageNid, kSampleEmbeddedAttachmentNid));
  EXPECT_THROW(store->attachment_stream(kSampleMessageNid, 0x9999), ndb::NotFoundError);
}

TEST_P(SampleStore, FolderListingsFromTheTables) {
  const auto store = open_bytes(build_sample_file(options()));
  EXPECT_TRUE(store->subfolders(0x122).empty());
  const std::vector<ContentsRow> rows = store->contents(0x122);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].nid, kSampleMessageNid);
  EXPECT_EQ(rows[0].cells.string(props::PidTagSubject), "Launch \xF0\x9F\x9A\x80");
  EXPECT_EQ(rows[0].cells.string(props::PidTagMessageClass), "IPM.Note");
  EXPECT_EQ(rows[0].cells.filetime(props::PidTagMessageDeliveryTime), 133000000000000000ull);
  EXPECT_EQ(store->read_properties(0x122).string(props::PidTagDisplayName), "Root");
  EXPECT_TRUE(store->contents(0x8022).empty());  // no such folder: no table
  EXPECT_THROW(store->read_message(0x200064, false), ndb::NotFoundError);
}

TEST_P(SampleStore, LibpffReadsTheSameMessage) {
  // The built files are sound: libpff reads them, and reads them the same way. (A control
  // for OstCompressedXBlock below: blocks stay uncompressed here, as libpff misreads
  // compressed XBLOCKs.)
  SampleOptions o = options();
  o.build.compress = false;
  const TempFile file(build_sample_file(o));
  const auto lib = Store::open(file.path(), Store::Readers::LibpffOnly);
  const auto nat = NativeStore::open(file.path());
  const std::vector<MessageSummary> list = lib->messages(lib->root_nid(), nullptr);
  ASSERT_EQ(list.size(), 1u);
  const model::Message a = lib->load_message({lib->root_nid(), 0, list[0].nid}, true);
  const model::Message b = nat->read_message(kSampleMessageNid, true);
  ASSERT_EQ(a.props.props.size(), b.props.props.size());
  for (size_t i = 0; i < a.props.props.size(); ++i) {
    EXPECT_EQ(a.props.props[i].id, b.props.props[i].id);
    EXPECT_EQ(a.props.props[i].value, b.props.props[i].value) << a.props.props[i].id;
  }
  ASSERT_EQ(a.attachments.size(), 2u);
  EXPECT_EQ(a.attachments[0].data, b.attachments[0].data);
  ASSERT_TRUE(a.attachments[1].embedded);
  EXPECT_EQ(a.attachments[1].embedded->props.props.size(), b.attachments[1].embedded->props.props.size());
}

// An OST 2013 file whose large attachment is listed by a zlib-compressed XBLOCK, as Outlook
// 2013+ may write it. libpff 20180714 parses the XBLOCK with its compressed size and returns
// the attachment as 0 bytes without an error (libpff-limits.md §2); the native reader returns
// every byte.
TEST(OstCompressedXBlock, NativeReadsTheStreamLibpffReadsNothing) {
  SampleOptions o;
  o.build.format = ndb::Format::Unicode4k;
  o.build.crypt = ndb::CryptMethod::None;
  o.build.wMagicClient = ndb::kClientOst;
  o.attachment_size = 2000000;  // 245 leaves: a 1,968-byte XBLOCK, compressed
  const TempFile file(build_sample_file(o), "test.ost");
  const auto nat = NativeStore::open(file.path());
  const ndb::DataTree stream = *nat->attachment_stream(kSampleMessageNid, kSampleDataAttachmentNid);
  // Find the XBLOCK over the leaves and check that it is stored compressed.
  bool compressed_xblock = false;
  nat->database().for_each_block([&](const ndb::BbtEntry& e) {
    if (ndb::is_internal(e.bid) && e.cbInflated > 1000 && e.cb < e.cbInflated) compressed_xblock = true;
  });
  ASSERT_TRUE(compressed_xblock);
  ASSERT_GT(stream.leaves().size(), 200u);

  const model::Message native = nat->read_message(kSampleMessageNid, true);
  ASSERT_EQ(native.attachments.size(), 2u);
  EXPECT_EQ(native.attachments[0].data_size, o.attachment_size);
  EXPECT_EQ(native.attachments[0].data, sample_attachment(o.attachment_size));

  // libpff, called directly on the same message.
  libpff_file_t* raw = nullptr;
  ASSERT_EQ(libpff_file_initialize(&raw, nullptr), 1);
  ASSERT_EQ(libpff_file_open(raw, file.path().c_str(), LIBPFF_OPEN_READ, nullptr), 1);
  libpff_item_t* item = nullptr;
  ASSERT_EQ(libpff_file_get_item_by_identifier(raw, kSampleMessageNid, &item, nullptr), 1);
  libpff_item_t* attachment = nullptr;
  ASSERT_EQ(libpff_message_get_attachment(item, 0, &attachment, nullptr), 1);
  size64_t libpff_size = 12345;
  const int has_size = libpff_attachment_get_data_size(attachment, &libpff_size, nullptr);
  // If this fails, Debian's libpff has been fixed and ostfs's workaround can be revisited.
  EXPECT_TRUE(has_size != 1 || libpff_size == 0) << "libpff now reads " << libpff_size << " bytes";
  libpff_item_free(&attachment, nullptr);
  libpff_item_free(&item, nullptr);
  libpff_file_close(raw, nullptr);
  libpff_file_free(&raw, nullptr);
}

TEST(OstCompressedXBlock, UncompressedControlIsReadByBoth) {
  SampleOptions o;
  o.build.format = ndb::Format::Unicode4k;
  o.build.crypt = ndb::CryptMethod::None;
  o.build.compress = false;
  o.build.wMagicClient = ndb::kClientOst;
  o.attachment_size = 2000000;
  const TempFile file(build_sample_file(o), "test.ost");
  const auto lib = Store::open(file.path(), Store::Readers::LibpffOnly);
  const std::vector<MessageSummary> list = lib->messages(lib->root_nid(), nullptr);
  ASSERT_EQ(list.size(), 1u);
  const model::Message a = lib->load_message({lib->root_nid(), 0, list[0].nid}, true);
  ASSERT_EQ(a.attachments.size(), 2u);
  EXPECT_EQ(a.attachments[0].data, sample_attachment(o.attachment_size));
  EXPECT_EQ(NativeStore::open(file.path())->read_message(kSampleMessageNid, true).attachments[0].data,
            a.attachments[0].data);
}

TEST(NativeStoreThreads, ManyReadersAtOnceSeeTheSameMessage) {
  SampleOptions o;
  o.build.format = ndb::Format::Unicode4k;
  const TempFile file(build_sample_file(o));
  const auto store = NativeStore::open(file.path());
  const model::Message reference = store->read_message(kSampleMessageNid, true);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 40; ++i) {
        const model::Message m = store->read_message(kSampleMessageNid, true);
        if (m.props.props.size() != reference.props.props.size() || m.attachments.size() != 2 ||
            m.attachments[0].data != reference.attachments[0].data || m.recipients.size() != 2)
          ++mismatches;
        if (store->contents(0x122).size() != 1) ++mismatches;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// Damaged input: random byte changes, truncation and zeroed regions anywhere in the file.
// Every outcome must be a result or an ndb::NdbError: no crash, no hang, no other exception.
struct Mutation {
  const char* name;
  ndb::Format format;
  int seed_count;
};

class HostileInput : public ::testing::TestWithParam<Mutation> {};

INSTANTIATE_TEST_SUITE_P(Layouts, HostileInput,
                         ::testing::Values(Mutation{"Ansi", ndb::Format::Ansi, 3000},
                                           Mutation{"Unicode", ndb::Format::Unicode, 3000},
                                           Mutation{"Unicode4k", ndb::Format::Unicode4k, 3000}),
                         [](const auto& info) { return std::string(info.param.name); });

void exercise(Bytes file) {
  std::unique_ptr<NativeStore> store;
  try {
    store = open_bytes(std::move(file));
  } catch (const ndb::NdbError&) {
    return;
  }
  auto attempt = [](auto&& fn) {
    try {
      fn();
    } catch (const ndb::NdbError&) {
    }
  };
  attempt([&] { store->read_message(kSampleMessageNid, true); });
  attempt([&] { store->read_message(kSampleMessageNid, false); });
  attempt([&] { store->contents(0x122); });
  attempt([&] { store->subfolders(0x122); });
  attempt([&] { store->read_properties(0x21); });
  attempt([&] { store->database().for_each_node([](const ndb::NbtEntry&) {}); });
  attempt([&] {
    const std::optional<ndb::DataTree> s = store->attachment_stream(kSampleMessageNid, kSampleDataAttachmentNid);
    if (!s) return;
    Bytes piece(std::min<uint64_t>(s->size(), 5000));
    s->read(0, piece);
  });
}

TEST_P(HostileInput, NeverCrashesNorThrowsAnythingElse) {
  SampleOptions o;
  o.build.format = GetParam().format;
  o.build.crypt = ndb::CryptMethod::None;  // so that changed bytes reach the structures unscrambled
  o.build.compress = false;
  o.attachment_size = 30000;
  const Bytes good = build_sample_file(o);
  // Structures start after the reserved area; aim most changes at them.
  const size_t first = GetParam().format == ndb::Format::Unicode4k ? 0x23000 : 0x4600;
  std::mt19937 rng(1234);
  for (int seed = 0; seed < GetParam().seed_count; ++seed) {
    Bytes bad = good;
    switch (seed % 4) {
      case 0:  // a few random bytes
        for (int k = 0; k < 1 + seed % 5; ++k) bad[first + rng() % (bad.size() - first)] = static_cast<uint8_t>(rng());
        break;
      case 1:  // truncated
        bad.resize(first + rng() % (bad.size() - first));
        break;
      case 2: {  // a zeroed or 0xFF run
        const size_t at = first + rng() % (bad.size() - first);
        const size_t n = std::min<size_t>(1 + rng() % 64, bad.size() - at);
        std::fill_n(bad.begin() + at, n, seed % 8 == 2 ? 0x00 : 0xFF);
        break;
      }
      case 3:  // a 16- or 32-bit field set to an extreme
        for (int k = 0; k < 2; ++k) {
          const size_t at = first + rng() % (bad.size() - first - 4);
          bad[at] = bad[at + 1] = 0xFF;
          if (rng() % 2) bad[at + 2] = bad[at + 3] = 0x7F;
        }
        break;
    }
    ASSERT_NO_FATAL_FAILURE(exercise(std::move(bad))) << "seed " << seed;
  }
}

TEST(HostileInput, NotAPstAtAll) {
  EXPECT_THROW(open_bytes(Bytes(100, 0)), ndb::CorruptError);
  EXPECT_THROW(open_bytes(Bytes{}), ndb::CorruptError);
  Bytes text(4096, 'x');
  EXPECT_THROW(open_bytes(text), ndb::CorruptError);
  EXPECT_THROW(NativeStore::open("/nonexistent/file.pst"), ndb::IoError);
  EXPECT_THROW(NativeStore::open("/tmp"), ndb::IoError);
}

}  // namespace
}  // namespace ostfs::parser
