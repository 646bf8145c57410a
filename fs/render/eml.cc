#include "fs/render/eml.h"

#include <cstring>
#include <deque>
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "fs/render/eml_body.h"
#include "fs/render/eml_headers.h"
#include "fs/render/eml_meeting.h"
#include "fs/render/eml_report.h"
#include "fs/render/eml_smime.h"
#include "fs/render/gmime_support.h"
#include "fs/render/mime_param.h"
#include "fs/render/mime_text.h"
#include "fs/render/mime_type.h"
#include "parser/props.h"

// How measure_eml() stays exact: both functions run the same renderer. Every base64 part
// (attachments, an RTF body) is written by GMime with empty content; in Render mode its
// base64 is spliced in afterwards (splice_base64()), in Measure mode the renderer adds up
// what it would have added (base64_encoded_size(n)). Nothing else in the output depends
// on attachment data: the transfer encoding of attachments is always base64, and
// boundaries are chosen by scanning only body texts (base64 lines cannot contain a
// boundary, which holds "=_").
// The signed entity of a clear-signed S/MIME message is written as stored, so it adds
// exactly its data size. A meeting's calendar part comes from properties only.

namespace ostfs::render {
namespace {

enum class Mode { Render, Measure };

struct Rendered {
  std::string bytes;
  uint64_t omitted = 0;  // bytes of attachment encoding left out of `bytes` (Measure mode)
  std::vector<EmlPlan::Streamed> streamed;  // attachments left out of `bytes` (a plan)
};

// Attachment data a part needs is not loaded. A plan (plan_eml()) can do without it only in
// base64 parts (the message's own and its embedded messages').
struct DataNotLoaded : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

constexpr size_t kMaxWarnings = 16;

// Where an attachment's file name comes from, best first.
constexpr uint16_t kNameTags[] = {props::PidTagAttachLongFilename, props::PidTagAttachFilename,
                                  props::PidTagDisplayName};

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// Boundaries must not depend on where the message sits in its file (its nid): the same
// message exported to a new PST must render to the same bytes. They come from properties
// that every copy keeps instead.
uint64_t identity_key(const model::Message& m) {
  std::string key = m.message_class();
  for (uint16_t tag : {props::PidTagSubject, props::PidTagInternetMessageId})
    key += "|" + m.text(tag).value_or("");
  for (uint16_t tag : {props::PidTagClientSubmitTime, props::PidTagMessageDeliveryTime, props::PidTagCreationTime})
    key += "|" + std::to_string(m.props.filetime(tag).value_or(0));
  return fnv1a(key);
}

std::string hex(uint64_t v, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4) out[static_cast<size_t>(i)] = kDigits[v & 0xF];
  return out;
}

bool ends_with_nocase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  s = s.substr(s.size() - suffix.size());
  for (size_t i = 0; i < s.size(); ++i)
    if (g_ascii_tolower(s[i]) != suffix[i]) return false;
  return true;
}

// Whether the HTML names `content_id` in a "cid:" URL (letters in any case). Runs once per
// attachment over the whole body, so it stops only at colons, which are rarer in HTML than the
// letter c.
bool html_refers_to_cid(std::string_view html, std::string_view content_id) {
  for (size_t colon = html.find(':', 3); colon != std::string_view::npos; colon = html.find(':', colon + 1)) {
    if (g_ascii_strncasecmp(html.data() + colon - 3, "cid", 3) != 0) continue;
    const std::string_view rest = html.substr(colon + 1);
    if (rest.size() >= content_id.size() &&
        g_ascii_strncasecmp(rest.data(), content_id.data(), content_id.size()) == 0)
      return true;
  }
  return false;
}

std::string_view as_chars(const std::vector<uint8_t>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// The Content-ID of an attachment without its angle brackets, when it can be written.
std::optional<std::string> content_id(const model::Attachment& a, uint32_t codepage) {
  auto raw = a.props.string(props::PidTagAttachContentId, codepage);
  if (!raw) return std::nullopt;
  std::string id = clean_header_value(*raw);
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  if (!is_msg_id_content(id)) return std::nullopt;
  return id;
}

bool is_by_value(const model::Attachment& a) {
  return a.method == model::AttachMethod::ByValue || a.method == model::AttachMethod::None;
}

class MessageRenderer {
 public:
  MessageRenderer(const model::Message& message, const EmlOptions& options, Mode mode,
                  std::string path, int depth)
      : message_(message), options_(options), mode_(mode), path_(std::move(path)), depth_(depth) {}

  // Render mode: attachments of this message whose data is not loaded are written as
  // streamed parts of a plan (EmlPlan) instead of failing.
  void stream_unloaded_attachments() { stream_unloaded_ = true; }

  Rendered render();

 private:
  using Object = gmime::Ptr<GMimeObject>;

  Object body(const Bodies& bodies, const std::vector<size_t>& related);
  Object attachment(size_t index, bool related);
  Object data_part(size_t index, bool related, const std::string& description,
                   const std::optional<MimeType>& type_override = std::nullopt);
  Object calendar_part(const std::string& method);
  void require_data(size_t index) const;
  std::vector<Object> summary_parts();
  Rendered render_signed_entity(const std::optional<TransportHeaders>& transport, GMimeMessage* mime,
                                size_t index);
  Rendered write(const std::optional<TransportHeaders>& transport, GMimeMessage* mime);
  // Base64 content: in Measure mode only counted, in Render mode spliced in by write(), or
  // left to the plan's reader when it is attachment `streamed`'s data and not loaded.
  void set_base64_content(GMimePart* part, std::span<const uint8_t> bytes, uint64_t size,
                          std::optional<size_t> streamed = std::nullopt);
  std::string splice_base64(const std::string& written, std::vector<EmlPlan::Streamed>& streamed) const;
  Object embedded_part(size_t index);
  Object text_part(const char* subtype, std::string text);
  Object note_part(std::string text, const std::string& description);
  Object multipart(const char* subtype, const char* role);
  void set_content(GMimePart* part, std::string_view bytes);
  void add_child(GMimeObject* multipart, Object child);
  bool has_own_name(size_t index) const;
  std::string attachment_name(size_t index) const;
  std::optional<std::string> attachment_text(size_t index, uint16_t tag) const;
  void assign_boundaries();
  std::string_view keep(std::string s);

  const model::Message& message_;
  const EmlOptions& options_;
  const Mode mode_;
  const std::string path_;        // place of this message in the outermost one, for boundaries
  const int depth_;               // 0 for the outermost message
  bool stream_unloaded_ = false;
  std::deque<std::string> kept_;  // contents GMime's streams read while writing
  std::vector<std::string_view> scanned_;  // body texts a boundary must not occur in
  std::vector<std::pair<GMimeMultipart*, std::string>> multiparts_;  // with their role
  uint64_t omitted_ = 0;
  // Parts GMime writes empty (Render mode): their bytes, to go in as base64, or the
  // attachment a plan streams them from, or (`embedded`) the text of an embedded message that
  // has streamed parts, to go in as it is.
  struct Splice {
    std::span<const uint8_t> bytes = {};
    std::optional<size_t> streamed = std::nullopt;  // attachment index
    uint64_t size = 0;                              // of the data
    std::optional<std::string_view> embedded = std::nullopt;
    std::vector<EmlPlan::Streamed> embedded_streamed = {};  // in the embedded text
  };
  std::vector<Splice> spliced_;
  gmime::SpliceLog splices_;
};

std::string_view MessageRenderer::keep(std::string s) {
  kept_.push_back(std::move(s));
  return kept_.back();
}

void MessageRenderer::set_content(GMimePart* part, std::string_view bytes) {
  auto stream = gmime::memory_source(bytes);
  gmime::Ptr<GMimeDataWrapper> wrapper(
      g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part, wrapper.get());
}

void MessageRenderer::add_child(GMimeObject* parent, Object child) {
  g_mime_multipart_add(GMIME_MULTIPART(parent), child.get());
}

MessageRenderer::Object MessageRenderer::multipart(const char* subtype, const char* role) {
  GMimeMultipart* mp = g_mime_multipart_new_with_subtype(subtype);
  multiparts_.emplace_back(mp, role);
  return Object(GMIME_OBJECT(mp));
}

MessageRenderer::Object MessageRenderer::text_part(const char* subtype, std::string text) {
  GMimeTextPart* part = g_mime_text_part_new_with_subtype(subtype);
  Object object(GMIME_OBJECT(part));
  g_mime_text_part_set_charset(part, "utf-8");
  if (text_encoding(text) == TextEncoding::EightBit) {
    const std::string_view content = keep(std::move(text));
    scanned_.push_back(content);
    set_content(GMIME_PART(part), content);
    g_mime_part_set_content_encoding(GMIME_PART(part), GMIME_CONTENT_ENCODING_8BIT);
  } else {
    // Encoded by us, so that soft line breaks keep words whole (see quoted_printable());
    // GMime writes content that is already in the part's encoding as it is. Encoded text
    // has every '=' as "=3D", so no boundary ("=_ostfs_...") can occur in it.
    const std::string_view content = keep(quoted_printable(text));
    auto stream = gmime::memory_source(content);
    gmime::Ptr<GMimeDataWrapper> wrapper(
        g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE));
    g_mime_part_set_content(GMIME_PART(part), wrapper.get());
    g_mime_part_set_content_encoding(GMIME_PART(part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  }
  return object;
}

MessageRenderer::Object MessageRenderer::note_part(std::string text,
                                                   const std::string& description) {
  Object part = text_part("plain", std::move(text));
  g_mime_object_set_disposition(part.get(), GMIME_DISPOSITION_INLINE);
  g_mime_object_append_header(part.get(), "Content-Description", description.c_str(), "utf-8");
  return part;
}

std::optional<std::string> MessageRenderer::attachment_text(size_t index, uint16_t tag) const {
  auto raw = message_.attachments[index].props.string(tag, message_.codepage);
  if (!raw) return std::nullopt;
  std::string cleaned = clean_header_value(*raw);
  if (cleaned.empty()) return std::nullopt;
  return cleaned;
}

bool MessageRenderer::has_own_name(size_t index) const {
  for (uint16_t tag : kNameTags)
    if (attachment_text(index, tag)) return true;
  return false;
}

std::string MessageRenderer::attachment_name(size_t index) const {
  for (uint16_t tag : kNameTags)
    if (auto name = attachment_text(index, tag)) return *name;
  std::string name = "attachment" + std::to_string(index + 1);
  if (auto ext = attachment_text(index, props::PidTagAttachExtension); ext && ext->front() == '.')
    name += *ext;
  return name;
}

MessageRenderer::Object MessageRenderer::data_part(size_t index, bool related,
                                                   const std::string& description,
                                                   const std::optional<MimeType>& type_override) {
  const model::Attachment& a = message_.attachments[index];
  const std::string name = attachment_name(index);
  const std::string tag = attachment_text(index, props::PidTagAttachMimeTag).value_or("");
  const MimeType type = type_override ? *type_override : attachment_mime_type(tag, name);

  GMimePart* part = g_mime_part_new_with_type(type.type.c_str(), type.subtype.c_str());
  Object object(GMIME_OBJECT(part));
  g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
  const char* disposition = related ? GMIME_DISPOSITION_INLINE : GMIME_DISPOSITION_ATTACHMENT;
  g_mime_object_set_disposition(object.get(), disposition);
  // The name parameters are encoded by us (mime_param.h), always as UTF-8.
  gmime::set_raw_header(object.get(), "Content-Type",
                        header_with_parameters("Content-Type", type.type + "/" + type.subtype,
                                               {{"name", name}}));
  gmime::set_raw_header(object.get(), "Content-Disposition",
                        header_with_parameters("Content-Disposition", disposition, {{"filename", name}}));
  if (auto cid = content_id(a, message_.codepage)) g_mime_part_set_content_id(part, cid->c_str());
  if (!description.empty())
    g_mime_object_append_header(object.get(), "Content-Description", description.c_str(), "utf-8");

  const bool streamed = mode_ == Mode::Render && stream_unloaded_ && !a.data_loaded;
  if (mode_ == Mode::Render && !streamed) require_data(index);
  set_base64_content(part, a.data, a.data_loaded ? a.data.size() : a.data_size,
                     streamed ? std::optional<size_t>(index) : std::nullopt);
  return object;
}

void MessageRenderer::set_base64_content(GMimePart* part, std::span<const uint8_t> bytes, uint64_t size,
                                         std::optional<size_t> streamed) {
  if (mode_ == Mode::Measure) {
    omitted_ += base64_encoded_size(size);
    set_content(part, {});
    return;
  }
  // GMime writes the part empty; write() puts the base64 in (see splice_base64()).
  auto stream = gmime::splice_point(&splices_, spliced_.size());
  spliced_.push_back({bytes, streamed, streamed ? size : bytes.size()});
  gmime::Ptr<GMimeDataWrapper> wrapper(
      g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_BASE64));
  g_mime_part_set_content(part, wrapper.get());
}

void MessageRenderer::require_data(size_t index) const {
  const model::Attachment& a = message_.attachments[index];
  if (!a.data_loaded && a.data_size > 0)
    throw DataNotLoaded("render_eml: data of attachment " + std::to_string(index) + " of message nid " +
                        std::to_string(message_.nid) + " is not loaded");
}

MessageRenderer::Object MessageRenderer::embedded_part(size_t index) {
  const model::Attachment& a = message_.attachments[index];
  if (!a.embedded) {
    if (a.data_size > 0 || !a.data.empty())
      return data_part(index, false, "Embedded message that could not be read; its stored data");
    return note_part("An embedded message was here, but it could not be read from the mailbox.\n",
                     "Unreadable embedded message");
  }
  if (depth_ + 1 > options_.max_embedded_depth)
    return note_part("An embedded message was here, nested more than " +
                         std::to_string(options_.max_embedded_depth) +
                         " levels deep; it is not shown.\n",
                     "Embedded message nested too deeply");

  MessageRenderer inner(*a.embedded, options_, mode_, path_ + "/" + std::to_string(index),
                        depth_ + 1);
  if (stream_unloaded_) inner.stream_unloaded_attachments();
  Rendered rendered = inner.render();
  omitted_ += rendered.omitted;
  const std::string_view content = keep(std::move(rendered.bytes));
  scanned_.push_back(content);

  GMimePart* part = g_mime_part_new_with_type("message", "rfc822");
  Object object(GMIME_OBJECT(part));
  // [RFC 2046] 5.2.1 allows only 7bit, 8bit or binary here. The rendered message keeps
  // to 8bit unless stored transport headers carry overlong lines.
  g_mime_part_set_content_encoding(part, is_7bit(content)   ? GMIME_CONTENT_ENCODING_7BIT
                                         : is_8bit(content) ? GMIME_CONTENT_ENCODING_8BIT
                                                            : GMIME_CONTENT_ENCODING_BINARY);
  g_mime_object_set_disposition(object.get(), GMIME_DISPOSITION_ATTACHMENT);
  std::string name = attachment_name(index);
  if (!has_own_name(index))
    if (auto inner_subject = subject(*a.embedded); inner_subject && !inner_subject->empty())
      name = *inner_subject;
  if (!ends_with_nocase(name, ".eml")) name += ".eml";
  gmime::set_raw_header(object.get(), "Content-Disposition",
                        header_with_parameters("Content-Disposition", GMIME_DISPOSITION_ATTACHMENT,
                                               {{"filename", name}}));
  if (rendered.streamed.empty()) {
    set_content(part, content);
    return object;
  }
  // A plan's parts inside: GMime cannot write the text whole, so it goes in at a splice point,
  // and the parts' places move by where it lands. GMime would pass it through its line-end
  // filter, which leaves text without CR as it is; other text needs the whole render.
  if (content.find('\r') != std::string_view::npos)
    throw DataNotLoaded("render_eml: embedded message " + std::to_string(index) + " of message nid " +
                        std::to_string(message_.nid) + " has CR in its text");
  for (EmlPlan::Streamed& s : rendered.streamed) s.attachment_path.insert(s.attachment_path.begin(), index);
  auto stream = gmime::splice_point(&splices_, spliced_.size());
  spliced_.push_back({.embedded = content, .embedded_streamed = std::move(rendered.streamed)});
  gmime::Ptr<GMimeDataWrapper> wrapper(
      g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part, wrapper.get());
  return object;
}

MessageRenderer::Object MessageRenderer::attachment(size_t index, bool related) {
  const model::Attachment& a = message_.attachments[index];
  switch (a.method) {
    case model::AttachMethod::EmbeddedMessage:
      return embedded_part(index);
    case model::AttachMethod::ByReference:
    case model::AttachMethod::ByReferenceResolve:
    case model::AttachMethod::ByReferenceOnly: {
      auto path = attachment_text(index, props::PidTagAttachLongPathname);
      if (!path) path = attachment_text(index, props::PidTagAttachPathname);
      const std::string target = path.value_or("(no path recorded)");
      if (a.data_size > 0 || !a.data.empty())
        return data_part(index, false, "Attachment by reference to " + target);
      return note_part("This attachment is a link to a file that is not stored in the mailbox:\n" +
                           target + "\n",
                       "Attachment by reference: " + attachment_name(index));
    }
    case model::AttachMethod::Ole:
      return data_part(index, false, "OLE object (Outlook attachment method 6)");
    default:
      return data_part(index, related, "");
  }
}

MessageRenderer::Object MessageRenderer::body(const Bodies& bodies,
                                              const std::vector<size_t>& related) {
  std::vector<Object> alternatives;
  if (bodies.plain) alternatives.push_back(text_part("plain", *bodies.plain));
  if (bodies.rtf) {
    // The RTF goes out byte for byte, as base64: it is the original of the plain text.
    const std::string_view rtf = keep(*bodies.rtf);
    GMimePart* part = g_mime_part_new_with_type("text", "rtf");
    Object object(GMIME_OBJECT(part));
    g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
    set_base64_content(part, std::span(reinterpret_cast<const uint8_t*>(rtf.data()), rtf.size()), rtf.size());
    alternatives.push_back(std::move(object));
  }
  if (bodies.html) {
    Object html = text_part("html", *bodies.html);
    if (!related.empty()) {
      Object group = multipart("related", "related");
      g_mime_object_set_content_type_parameter(group.get(), "type", "text/html");  // [RFC 2387] 3.1
      add_child(group.get(), std::move(html));
      for (size_t index : related) add_child(group.get(), attachment(index, true));
      html = std::move(group);
    }
    alternatives.push_back(std::move(html));
  }
  if (alternatives.empty()) return text_part("plain", "");
  if (alternatives.size() == 1) return std::move(alternatives.front());
  Object group = multipart("alternative", "alternative");
  for (auto& part : alternatives) add_child(group.get(), std::move(part));
  return group;
}

void MessageRenderer::assign_boundaries() {
  for (auto& [mp, role] : multiparts_) {
    const std::string base =
        "=_ostfs_" + hex(identity_key(message_), 8) + "_" + hex(fnv1a(path_ + "|" + role), 16);
    std::string boundary = base;
    for (int n = 1;; ++n) {
      bool clash = false;
      for (std::string_view text : scanned_)
        if (text.find(boundary) != std::string_view::npos) clash = true;
      if (!clash) break;
      boundary = base + "_" + std::to_string(n);
    }
    g_mime_multipart_set_boundary(mp, boundary.c_str());
  }
}

std::vector<MessageRenderer::Object> MessageRenderer::summary_parts() {
  std::vector<Object> parts;
  if (auto meeting = meeting_summary(message_, options_.local_time)) parts.push_back(note_part(std::move(meeting->text), "Meeting details"));
  if (auto report = report_summary(message_)) parts.push_back(note_part(std::move(*report), "Report details"));
  return parts;
}

MessageRenderer::Object MessageRenderer::calendar_part(const std::string& method) {
  // Only the properties: the attachments are in the .eml already, and in Measure mode
  // their data is missing, which would change what the calendar renderer writes.
  model::Message item;
  item.nid = message_.nid;
  item.props = message_.props;
  item.recipients = message_.recipients;
  item.codepage = message_.codepage;
  std::string ics = normalize_newlines(with_itip_method(options_.calendar(item), method));
  Object part = text_part("calendar", std::move(ics));
  g_mime_object_set_content_type_parameter(part.get(), "method", method.c_str());
  g_mime_object_set_disposition(part.get(), GMIME_DISPOSITION_ATTACHMENT);
  g_mime_object_set_content_disposition_parameter(part.get(), "filename", "meeting.ics");
  return part;
}

Rendered MessageRenderer::render_signed_entity(
    const std::optional<TransportHeaders>& transport, GMimeMessage* mime, size_t index) {
  const model::Attachment& a = message_.attachments[index];
  auto format = gmime::unix_format_options();
  gmime::CharPtr headers(g_mime_object_get_headers(GMIME_OBJECT(mime), format.get()));
  Rendered out;
  if (transport) out.bytes.append(transport->text);
  if (headers) out.bytes.append(headers.get());
  // The entity brings its own Content-Type (and whatever else it has) as the next fields.
  out.bytes.append("MIME-Version: 1.0\n");
  if (mode_ == Mode::Measure) {
    out.omitted = a.data_loaded ? a.data.size() : a.data_size;
  } else {
    require_data(index);
    out.bytes.append(as_chars(a.data));
  }
  return out;
}

// GMime passes every content byte through a line-end filter, which cost a tenth of a full
// read through the mount for attachment data that has no line ends to change. So GMime
// writes base64 parts (attachments, an RTF body) empty, and their base64 (the same bytes
// GMime's encoder makes, base64_line()) goes in here, at the places GMime came to them.
// A streamed part is left out: `streamed` gets where its base64 goes.
std::string MessageRenderer::splice_base64(const std::string& written,
                                           std::vector<EmlPlan::Streamed>& streamed) const {
  uint64_t total = written.size();
  for (const auto& [offset, key] : splices_.points) {
    const Splice& splice = spliced_[key];
    if (splice.embedded) total += splice.embedded->size();
    else if (!splice.streamed) total += base64_encoded_size(splice.size);
  }
  // Appended, not written into a string of the final size: making that string zeroed all of
  // it first (the bytes of a whole full read once more, 4 % of the daemon's time).
  std::string out;
  out.reserve(total);
  constexpr size_t kLinesAtOnce = 64;
  char lines[kLinesAtOnce * kBase64LineSize];
  size_t from = 0;
  for (const auto& [offset, key] : splices_.points) {
    out.append(written, from, offset - from);
    from = offset;
    const Splice& splice = spliced_[key];
    if (splice.streamed) {
      streamed.push_back({out.size(), {*splice.streamed}, splice.size});
      continue;
    }
    if (splice.embedded) {
      for (const EmlPlan::Streamed& inner : splice.embedded_streamed)
        streamed.push_back({out.size() + inner.offset, inner.attachment_path, inner.data_size});
      out.append(*splice.embedded);
      continue;
    }
    for (uint64_t line = 0;;) {
      size_t filled = 0, n = 0;
      for (size_t k = 0; k < kLinesAtOnce; ++k) {
        n = base64_line(splice.bytes, line, lines + filled);
        if (n == 0) break;
        filled += n;
        ++line;
      }
      out.append(lines, filled);
      if (n == 0) break;
    }
  }
  out.append(written, from);
  return out;
}

Rendered MessageRenderer::write(const std::optional<TransportHeaders>& transport,
                                                 GMimeMessage* mime) {
  Rendered out;
  if (mode_ == Mode::Render && depth_ == 0) {
    uint64_t estimate = 64 * 1024;
    for (std::string_view text : scanned_) estimate += text.size() + text.size() / 8;
    out.bytes.reserve(estimate);
  }
  if (transport) out.bytes.append(transport->text);
  auto sink = gmime::string_sink(&out.bytes);
  splices_.sink = &out.bytes;
  auto format = gmime::unix_format_options();
  const ssize_t written = g_mime_object_write_to_stream(GMIME_OBJECT(mime), format.get(), sink.get());
  gmime::rethrow_sink_error(sink.get());
  if (splices_.failed) throw std::bad_alloc();
  if (written < 0)
    throw std::runtime_error("render_eml: GMime could not write message nid " +
                             std::to_string(message_.nid));
  if (splices_.points.size() != spliced_.size())
    throw std::logic_error("render_eml: GMime wrote " + std::to_string(splices_.points.size()) + " of " +
                           std::to_string(spliced_.size()) + " base64 parts of message nid " +
                           std::to_string(message_.nid));
  if (!splices_.points.empty()) out.bytes = splice_base64(out.bytes, out.streamed);
  // The reserve above is a guess: a small message must not keep 64 KiB with it in the
  // mount's caches (a folder of 100,000 small messages grew the daemon by 400 MB).
  if (out.bytes.capacity() - out.bytes.size() > 4096 + out.bytes.size() / 8) out.bytes.shrink_to_fit();
  out.omitted = omitted_;
  return out;
}

Rendered MessageRenderer::render() {
  const std::optional<TransportHeaders> transport = transport_headers(message_);
  gmime::Ptr<GMimeMessage> mime(g_mime_message_new(FALSE));
  add_header_fields(mime.get(), message_, transport ? &*transport : nullptr);

  const std::optional<SmimeEntity> smime = smime_entity(message_);
  const Bodies bodies = smime ? Bodies{} : message_bodies(message_);
  std::vector<std::string> warnings;
  if (bodies.rtf_error) warnings.push_back(*bodies.rtf_error);
  for (const auto& w : message_.warnings) warnings.push_back(w);

  // A meeting's calendar is rendered first, so that its failure can still be reported
  // among the warnings.
  Object calendar;
  if (!smime && options_.calendar) {
    if (auto meeting = meeting_summary(message_, options_.local_time); meeting && meeting->method) {
      try {
        calendar = calendar_part(*meeting->method);
      } catch (const std::bad_alloc&) {
        throw;
      } catch (const std::exception& e) {
        warnings.push_back(std::string("the meeting's calendar file could not be made: ") + e.what());
      }
    }
  }
  for (size_t i = 0; i < warnings.size() && i < kMaxWarnings; ++i)
    g_mime_object_append_header(GMIME_OBJECT(mime.get()), "X-Ostfs-Warning",
                                clean_header_value(warnings[i]).c_str(), "utf-8");

  if (smime && smime->kind == SmimeKind::MultipartSigned)
    return render_signed_entity(transport, mime.get(), smime->attachment);

  Object root;
  if (smime) {
    root = data_part(smime->attachment, false, "", MimeType{"application", "pkcs7-mime"});
  } else {
    // Attachments with a Content-ID the HTML refers to ("cid:...") go next to the HTML in
    // a multipart/related; all others into the multipart/mixed.
    std::vector<size_t> related, mixed;
    for (size_t i = 0; i < message_.attachments.size(); ++i) {
      const model::Attachment& a = message_.attachments[i];
      const auto cid = is_by_value(a) ? content_id(a, message_.codepage) : std::nullopt;
      if (cid && bodies.html && html_refers_to_cid(*bodies.html, *cid))
        related.push_back(i);
      else
        mixed.push_back(i);
    }

    root = body(bodies, related);
    std::vector<Object> summaries = summary_parts();
    if (!mixed.empty() || !summaries.empty() || calendar) {
      Object group = multipart("mixed", "mixed");
      add_child(group.get(), std::move(root));
      for (auto& summary : summaries) add_child(group.get(), std::move(summary));
      for (size_t index : mixed) add_child(group.get(), attachment(index, false));
      if (calendar) add_child(group.get(), std::move(calendar));
      root = std::move(group);
    }
  }
  assign_boundaries();
  g_mime_message_set_mime_part(mime.get(), root.get());
  return write(transport, mime.get());
}

}  // namespace

std::string render_eml(const model::Message& message, const EmlOptions& options) {
  gmime::ensure_initialized();
  return MessageRenderer(message, options, Mode::Render, "", 0).render().bytes;
}

std::optional<EmlPlan> plan_eml(const model::Message& message, const EmlOptions& options) {
  gmime::ensure_initialized();
  MessageRenderer renderer(message, options, Mode::Render, "", 0);
  renderer.stream_unloaded_attachments();
  try {
    Rendered r = renderer.render();
    return EmlPlan{std::move(r.bytes), std::move(r.streamed)};
  } catch (const DataNotLoaded&) {
    return std::nullopt;  // a signed entity's data, or an embedded message's text with CR
  }
}

uint64_t measure_eml(const model::Message& message, const EmlOptions& options) {
  gmime::ensure_initialized();
  Rendered r = MessageRenderer(message, options, Mode::Measure, "", 0).render();
  return r.bytes.size() + r.omitted;
}

}  // namespace ostfs::render
