// The item model: plain data read from a PST/OST, independent of libpff.
// Everything the mount renders and the export writes comes from these structs.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ostfs::model {

// A named property's key ([MS-OXPROPS] 1.3.2): a property set GUID plus a numeric
// id (LID) or a string name.
struct NamedId {
  std::array<uint8_t, 16> guid{};  // as stored on disk (little-endian GUID layout)
  std::optional<uint32_t> lid;     // set for numeric names
  std::u16string name;             // set for string names (when lid is empty)
  bool operator==(const NamedId&) const = default;
};

// One MAPI property exactly as stored: id, type and the raw value bytes.
// Strings stay in their stored encoding (UTF-16LE for PT_UNICODE, 8-bit for PT_STRING8)
// so that no conversion by libpff can damage them; see text.h for conversion.
struct Property {
  uint16_t id = 0;
  uint16_t type = 0;
  std::vector<uint8_t> value;
  std::optional<NamedId> named;  // for id >= 0x8000 when the name-to-id map resolves it
};

// The properties of one object, in the order the file lists them.
class PropertyBag {
 public:
  std::vector<Property> props;

  const Property* find(uint16_t id) const;
  // Finds a named property by its key (independent of the file's NPID numbering).
  const Property* find_named(const std::array<uint8_t, 16>& guid, uint32_t lid) const;
  const Property* find_named(const std::array<uint8_t, 16>& guid, std::u16string_view name) const;

  // Typed accessors. Each returns nullopt when the property is missing or its type
  // does not fit. String accessors convert to UTF-8: PT_UNICODE by our own UTF-16
  // decoder, PT_STRING8 with `codepage` (Windows code page number).
  std::optional<std::string> string(uint16_t id, uint32_t codepage = 1252) const;
  std::optional<int32_t> int32(uint16_t id) const;
  std::optional<int64_t> int64(uint16_t id) const;
  std::optional<bool> boolean(uint16_t id) const;
  std::optional<uint64_t> filetime(uint16_t id) const;  // raw FILETIME (100 ns since 1601)
  const std::vector<uint8_t>* binary(uint16_t id) const;
};

// Converts a FILETIME to Unix seconds (may be negative for dates before 1970).
int64_t filetime_to_unix(uint64_t filetime);

struct Message;

struct Recipient {
  PropertyBag props;
};

// PR_ATTACH_METHOD values ([MS-OXCMSG] 2.2.2.9).
enum class AttachMethod : int32_t {
  None = 0,
  ByValue = 1,
  ByReference = 2,
  ByReferenceResolve = 3,
  ByReferenceOnly = 4,
  EmbeddedMessage = 5,
  Ole = 6,
};

struct Attachment {
  PropertyBag props;  // without PR_ATTACH_DATA_BIN's bytes: those are in `data`
  AttachMethod method = AttachMethod::ByValue;
  // Its node in the message (a subnode id) when the native reader read it, else 0: what
  // Store::attachment_data() reads its data by.
  uint32_t nid = 0;
  // Size of the attachment's data stream in bytes, known without reading it.
  uint64_t data_size = 0;
  // The data stream; empty until loaded (see Reader::load_message's `with_data`).
  std::vector<uint8_t> data;
  bool data_loaded = false;
  // For AttachMethod::EmbeddedMessage, the message inside (read recursively).
  std::unique_ptr<Message> embedded;
};

struct Message {
  uint32_t nid = 0;      // node id in the source file
  PropertyBag props;
  std::vector<Recipient> recipients;
  std::vector<Attachment> attachments;
  // Code page for PT_STRING8 values of this message (PR_INTERNET_CPID, else
  // PR_MESSAGE_CODEPAGE, else the file's ANSI code page).
  uint32_t codepage = 1252;
  // Problems met while reading parts of this message; the parts that could be read are kept.
  std::vector<std::string> warnings;

  std::string message_class() const;  // PR_MESSAGE_CLASS, "IPM.Note" when missing
  std::optional<std::string> text(uint16_t id) const { return props.string(id, codepage); }
  // Whether every attachment's data is loaded, embedded messages' included.
  bool attachment_data_loaded() const;
  // The node ids that lead from this message to the attachment at `path` (its index in
  // `attachments`, after those of the embedded messages it is in): each attachment's nid and
  // each embedded message's, as Store::attachment_data() takes them. nullopt when the path
  // does not lead to an attachment.
  std::optional<std::vector<uint32_t>> attachment_subnodes(std::span<const size_t> path) const;
};

struct Folder {
  uint32_t nid = 0;
  PropertyBag props;
  std::string name;          // PR_DISPLAY_NAME as UTF-8
  uint32_t message_count = 0;     // messages libpff lists in this folder
  uint32_t subfolder_count = 0;
};

}  // namespace ostfs::model
