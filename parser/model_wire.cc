#include "parser/model_wire.h"

#include <cstring>

namespace ostfs::parser::wire {
namespace {

// Embedded messages nest; the reader caps them at 32 levels, the decoder a little above.
constexpr int kMaxDepth = 40;

void put_message(Writer& w, const model::Message& message, int depth);
model::Message get_message_at(Reader& r, int depth);

void put_named(Writer& w, const std::optional<model::NamedId>& named) {
  w.u8(named ? 1 : 0);
  if (!named) return;
  w.bytes(named->guid);
  w.u8(named->lid ? 1 : 0);
  if (named->lid) w.u32(*named->lid);
  w.u32(static_cast<uint32_t>(named->name.size()));
  for (char16_t c : named->name) w.u32(c);
}

std::optional<model::NamedId> get_named(Reader& r) {
  if (r.u8() == 0) return std::nullopt;
  model::NamedId named;
  const std::vector<uint8_t> guid = r.bytes();
  if (guid.size() != named.guid.size()) throw WireError("named property GUID of " + std::to_string(guid.size()) + " bytes");
  std::memcpy(named.guid.data(), guid.data(), guid.size());
  if (r.u8() != 0) named.lid = r.u32();
  const uint32_t units = r.u32();
  for (uint32_t i = 0; i < units; ++i) named.name.push_back(static_cast<char16_t>(r.u32()));
  return named;
}

void put_attachment(Writer& w, const model::Attachment& attachment, int depth) {
  put(w, attachment.props);
  w.u32(static_cast<uint32_t>(attachment.method));
  w.u64(attachment.data_size);
  w.bytes(attachment.data);
  w.u8(attachment.data_loaded ? 1 : 0);
  w.u8(attachment.embedded ? 1 : 0);
  if (attachment.embedded) put_message(w, *attachment.embedded, depth + 1);
}

model::Attachment get_attachment(Reader& r, int depth) {
  model::Attachment attachment;
  attachment.props = get_bag(r);
  attachment.method = static_cast<model::AttachMethod>(r.u32());
  attachment.data_size = r.u64();
  attachment.data = r.bytes();
  attachment.data_loaded = r.u8() != 0;
  if (r.u8() != 0) attachment.embedded = std::make_unique<model::Message>(get_message_at(r, depth + 1));
  return attachment;
}

void put_message(Writer& w, const model::Message& message, int depth) {
  if (depth > kMaxDepth) throw WireError("embedded messages nested too deeply to send");
  w.u32(message.nid);
  put(w, message.props);
  w.u32(static_cast<uint32_t>(message.recipients.size()));
  for (const model::Recipient& recipient : message.recipients) put(w, recipient.props);
  w.u32(static_cast<uint32_t>(message.attachments.size()));
  for (const model::Attachment& attachment : message.attachments) put_attachment(w, attachment, depth);
  w.u32(message.codepage);
  w.u32(static_cast<uint32_t>(message.warnings.size()));
  for (const std::string& warning : message.warnings) w.str(warning);
}

model::Message get_message_at(Reader& r, int depth) {
  if (depth > kMaxDepth) throw WireError("embedded messages nested too deeply");
  model::Message message;
  message.nid = r.u32();
  message.props = get_bag(r);
  const uint32_t recipients = r.u32();
  for (uint32_t i = 0; i < recipients; ++i) message.recipients.push_back(model::Recipient{get_bag(r)});
  const uint32_t attachments = r.u32();
  for (uint32_t i = 0; i < attachments; ++i) message.attachments.push_back(get_attachment(r, depth));
  message.codepage = r.u32();
  const uint32_t warnings = r.u32();
  for (uint32_t i = 0; i < warnings; ++i) message.warnings.push_back(r.str());
  return message;
}

}  // namespace

void Writer::u32(uint32_t v) {
  for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void Writer::u64(uint64_t v) {
  for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void Writer::bytes(std::span<const uint8_t> v) {
  u64(v.size());
  bytes_.insert(bytes_.end(), v.begin(), v.end());
}

void Writer::str(std::string_view v) {
  bytes(std::span(reinterpret_cast<const uint8_t*>(v.data()), v.size()));
}

std::span<const uint8_t> Reader::take(size_t n) {
  if (n > bytes_.size() - pos_)
    throw WireError("record ends after " + std::to_string(bytes_.size()) + " bytes, " + std::to_string(n) +
                    " more expected");
  std::span<const uint8_t> out = bytes_.subspan(pos_, n);
  pos_ += n;
  return out;
}

uint8_t Reader::u8() { return take(1)[0]; }

uint32_t Reader::u32() {
  const std::span<const uint8_t> p = take(4);
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) | (static_cast<uint32_t>(p[2]) << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}

uint64_t Reader::u64() {
  const std::span<const uint8_t> p = take(8);
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::vector<uint8_t> Reader::bytes() {
  const uint64_t size = u64();
  if (size > bytes_.size() - pos_) throw WireError("value of " + std::to_string(size) + " bytes runs past its record");
  const std::span<const uint8_t> p = take(static_cast<size_t>(size));
  return {p.begin(), p.end()};
}

std::string Reader::str() {
  const std::vector<uint8_t> raw = bytes();
  return {raw.begin(), raw.end()};
}

void put(Writer& w, const model::PropertyBag& bag) {
  w.u32(static_cast<uint32_t>(bag.props.size()));
  for (const model::Property& prop : bag.props) {
    w.u32(prop.id);
    w.u32(prop.type);
    w.bytes(prop.value);
    put_named(w, prop.named);
  }
}

void put(Writer& w, const model::Message& message) { put_message(w, message, 0); }

void put(Writer& w, const model::Folder& folder) {
  w.u32(folder.nid);
  put(w, folder.props);
  w.str(folder.name);
  w.u32(folder.message_count);
  w.u32(folder.subfolder_count);
}

void put(Writer& w, const MessageSummary& summary) {
  w.u32(summary.nid);
  w.u32(static_cast<uint32_t>(summary.index));
  w.str(summary.subject);
  w.str(summary.message_class);
  w.u8(summary.time ? 1 : 0);
  if (summary.time) w.u64(static_cast<uint64_t>(*summary.time));
}

void put(Writer& w, const PffDescription& description) {
  w.u8(description.unicode ? 1 : 0);
  w.u32(description.page_size);
  w.str(description.encryption);
  w.u32(description.ansi_codepage);
  w.u32(description.root_nid);
  put(w, description.message_store);
}

model::PropertyBag get_bag(Reader& r) {
  model::PropertyBag bag;
  const uint32_t count = r.u32();
  for (uint32_t i = 0; i < count; ++i) {
    model::Property prop;
    prop.id = static_cast<uint16_t>(r.u32());
    prop.type = static_cast<uint16_t>(r.u32());
    prop.value = r.bytes();
    prop.named = get_named(r);
    bag.props.push_back(std::move(prop));
  }
  return bag;
}

model::Message get_message(Reader& r) { return get_message_at(r, 0); }

model::Folder get_folder(Reader& r) {
  model::Folder folder;
  folder.nid = r.u32();
  folder.props = get_bag(r);
  folder.name = r.str();
  folder.message_count = r.u32();
  folder.subfolder_count = r.u32();
  return folder;
}

MessageSummary get_summary(Reader& r) {
  MessageSummary summary;
  summary.nid = r.u32();
  summary.index = static_cast<int>(r.u32());
  summary.subject = r.str();
  summary.message_class = r.str();
  if (r.u8() != 0) summary.time = static_cast<int64_t>(r.u64());
  return summary;
}

PffDescription get_description(Reader& r) {
  PffDescription description;
  description.unicode = r.u8() != 0;
  description.page_size = r.u32();
  description.encryption = r.str();
  description.ansi_codepage = r.u32();
  description.root_nid = r.u32();
  description.message_store = get_bag(r);
  return description;
}

}  // namespace ostfs::parser::wire
