#include "export/messaging/message.h"

#include <stdexcept>

#include "export/ltp/prop_types.h"
#include "export/ltp/table_context.h"
#include "export/messaging/columns.h"
#include "export/messaging/table_row.h"
#include "parser/props.h"

namespace ostfs::pstw {
namespace {
using namespace props;

constexpr int32_t MAPI_MAILUSER = 6;

// Sum of property value sizes, as PidTagAttachSize counts them (pst-writer-notes.md §4).
uint64_t values_size(const std::vector<OwnedProperty>& props) {
  uint64_t n = 0;
  for (const OwnedProperty& p : props) n += p.value.size();
  return n;
}

// A NID source that records the NIDs it hands out, then replays them: the message PC is
// encoded twice (before and after its own size is known) and must keep its subnode NIDs.
class ReplayingNids {
 public:
  explicit ReplayingNids(NidAllocator& nids) : nids_(nids) {}
  Nid next() {
    if (replay_ < issued_.size()) return issued_[replay_++];
    issued_.push_back(nids_.next(nid_type::LTP));
    replay_ = issued_.size();
    return issued_.back();
  }
  void rewind() { replay_ = 0; }

 private:
  NidAllocator& nids_;
  std::vector<Nid> issued_;
  size_t replay_ = 0;
};

void relink(const MessageContext& ctx, std::vector<OwnedProperty>& props) {
  if (ctx.links) ctx.links->rewrite(props);
}

NodeRef write_recipient_table(MessageContext& ctx, const model::Message& message) {
  std::vector<std::vector<OwnedProperty>> recips;
  std::vector<uint32_t> tags = recipient_columns();
  for (const model::Recipient& r : message.recipients) {
    auto props = prepare_properties(r.props, message.codepage, ctx.names, ObjectKind::Recipient);
    relink(ctx, props);
    if (!find_property(props, PidTagObjectType)) set_property(props, PidTagObjectType, type::Int32, int32_bytes(MAPI_MAILUSER));
    for (const OwnedProperty& p : props) {
      const uint32_t tag = make_tag(p.id, p.type);
      bool known = false;
      for (uint32_t t : tags) known = known || tag_id(t) == p.id;
      if (!known && tags.size() < 255) tags.push_back(tag);
    }
    recips.push_back(std::move(props));
  }
  const TcLayout layout = layout_columns(tags);
  std::vector<TcRow> rows;
  for (size_t i = 0; i < recips.size(); ++i)
    rows.push_back(make_row(layout, static_cast<uint32_t>(i), ctx.file.next_unique(), recips[i]));
  LtpNode node =
      encode_tc(layout, std::move(rows), [&] { return ctx.nids.next(nid_type::LTP); }, ctx.file.max_block_data());
  return write_ltp_node(ctx.file, node);
}

struct WrittenAttachment {
  Nid nid;
  NodeRef node;
  TcRow row;
};

WrittenAttachment write_attachment(MessageContext& ctx, const model::Attachment& att, uint32_t codepage,
                                   const TcLayout& table_layout) {
  const Nid nid = ctx.nids.next(nid_type::ATTACHMENT);
  auto props = prepare_properties(att.props, codepage, ctx.names, ObjectKind::Attachment);
  relink(ctx, props);
  set_property(props, PidTagAttachMethod, type::Int32, int32_bytes(static_cast<int32_t>(att.method)));
  if (!find_property(props, PidTagRenderingPosition))
    set_property(props, PidTagRenderingPosition, type::Int32, int32_bytes(-1));

  std::vector<SlEntry> children;
  uint64_t children_bytes = 0;
  uint64_t object_size = 0;
  const bool embedded = att.method == model::AttachMethod::EmbeddedMessage && att.embedded;
  const bool streamed = !embedded && !att.data_loaded && att.data_size > 0 && ctx.data_source;
  const uint64_t data_size = streamed ? att.data_size : att.data.size();
  if (embedded) {
    const Nid emb_nid = ctx.nids.next(nid_type::NORMAL_MESSAGE);
    WrittenMessage emb = write_message(ctx, *att.embedded);
    children.push_back({emb_nid, emb.node.bidData, emb.node.bidSub});
    children_bytes = emb.node.leaf_bytes;
    object_size = emb.node.leaf_bytes;
    Bytes obj;
    append_u32(obj, emb_nid);
    append_u32(obj, static_cast<uint32_t>(object_size));
    set_property(props, PidTagAttachDataBinary, type::Object, std::move(obj));
  } else if (att.data_loaded || att.data_size == 0 || ctx.data_source) {
    if (data_size > 0xFFFFFFFFull) throw std::length_error("attachment of 4 GiB or more");
    if (data_size > 0 || att.method == model::AttachMethod::ByValue)
      set_property(props, PidTagAttachDataBinary, type::Binary, {});
  } else {
    throw std::invalid_argument("attachment data not loaded (" + std::to_string(att.data_size) + " bytes)");
  }
  // AttachSize counts every value including itself; the object counts as the embedded subtree.
  uint64_t size = values_size(props) + 4 + data_size;
  if (const OwnedProperty* o = find_property(props, PidTagAttachDataBinary); o && o->type == type::Object)
    size = size - o->value.size() + object_size;
  set_property(props, PidTagAttachSize, type::Int32, int32_bytes(static_cast<int32_t>(std::min<uint64_t>(size, INT32_MAX))));

  // The data bytes stay in the model; point the PC value at them instead of copying. Data
  // not loaded is read from the data source as its blocks are written.
  std::vector<PcProperty> pc = as_pc(props);
  for (PcProperty& p : pc) {
    if (p.id != PidTagAttachDataBinary || p.type != type::Binary) continue;
    if (streamed) {
      p.source = [source = ctx.data_source, path = ctx.path](uint64_t offset, std::span<uint8_t> out) {
        (*source)(path, offset, out);
      };
      p.source_size = att.data_size;
    } else {
      p.value = att.data;
    }
  }
  LtpNode node = encode_pc(std::move(pc), [&] { return ctx.nids.next(nid_type::LTP); });
  WrittenAttachment out{nid, write_ltp_node(ctx.file, node, std::move(children), children_bytes), {}};
  out.row = make_row(table_layout, nid, ctx.file.next_unique(), props);
  return out;
}

}  // namespace

WrittenMessage write_message(MessageContext& ctx, const model::Message& message,
                             const std::vector<OwnedProperty>& store_ids) {
  auto props = prepare_properties(message.props, message.codepage, ctx.names, ObjectKind::Message);
  relink(ctx, props);
  for (const OwnedProperty& p : store_ids) set_property(props, p.id, p.type, p.value);

  std::vector<SlEntry> children;
  uint64_t children_bytes = 0;
  NodeRef recipients = write_recipient_table(ctx, message);
  children.push_back({NID_RECIPIENT_TABLE, recipients.bidData, recipients.bidSub});
  children_bytes += recipients.leaf_bytes;

  if (!message.attachments.empty()) {
    const TcLayout layout = layout_columns(attachment_columns());
    std::vector<TcRow> rows;
    for (size_t i = 0; i < message.attachments.size(); ++i) {
      ctx.path.push_back(i);
      WrittenAttachment a = write_attachment(ctx, message.attachments[i], message.codepage, layout);
      ctx.path.pop_back();
      children.push_back({a.nid, a.node.bidData, a.node.bidSub});
      children_bytes += a.node.leaf_bytes;
      rows.push_back(std::move(a.row));
    }
    LtpNode table =
        encode_tc(layout, std::move(rows), [&] { return ctx.nids.next(nid_type::LTP); }, ctx.file.max_block_data());
    NodeRef t = write_ltp_node(ctx.file, table);
    children.push_back({NID_ATTACHMENT_TABLE, t.bidData, t.bidSub});
    children_bytes += t.leaf_bytes;
  }

  // Properties a strict reader requires (pst-writer-notes.md §4).
  if (!find_property(props, PidTagMessageClass)) set_property(props, PidTagMessageClass, type::Unicode, utf16_bytes("IPM.Note"));
  int32_t flags = 0;
  if (const OwnedProperty* f = find_property(props, PidTagMessageFlags); f && f->type == type::Int32)
    flags = static_cast<int32_t>(load_u32(f->value.data()));
  flags = message.attachments.empty() ? (flags & ~MSGFLAG_HASATTACH) : (flags | MSGFLAG_HASATTACH);
  set_property(props, PidTagMessageFlags, type::Int32, int32_bytes(flags));
  if (!find_property(props, PidTagMessageStatus)) set_property(props, PidTagMessageStatus, type::Int32, int32_bytes(0));
  // Creation and modification times and the search key are copied, never invented: an item
  // that had none keeps none (a made-up "now" would change the item's dates, and every
  // export of it would differ).

  // PidTagMessageSize is the data of the whole node tree, including the PC holding it.
  set_property(props, PidTagMessageSize, type::Int32, int32_bytes(0));
  ReplayingNids nids(ctx.nids);
  auto source = [&] { return nids.next(); };
  LtpNode pc = encode_pc(as_pc(props), source);
  uint64_t size = children_bytes;
  for (const Bytes& b : pc.heap) size += b.size();
  for (const ValueSubnode& v : pc.subnodes) size += v.size();
  set_property(props, PidTagMessageSize, type::Int32, int32_bytes(static_cast<int32_t>(std::min<uint64_t>(size, INT32_MAX))));
  nids.rewind();
  pc = encode_pc(as_pc(props), source);

  WrittenMessage out;
  out.node = write_ltp_node(ctx.file, pc, std::move(children), children_bytes);
  out.props = std::move(props);
  return out;
}

}  // namespace ostfs::pstw
