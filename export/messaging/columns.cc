#include "export/messaging/columns.h"

#include "export/ltp/prop_types.h"
#include "parser/props.h"

namespace ostfs::pstw {
namespace {
namespace t = props::type;
using namespace props;
constexpr uint32_t kRowId = make_tag(PidTagLtpRowId, t::Int32);
constexpr uint32_t kRowVer = make_tag(PidTagLtpRowVer, t::Int32);
}  // namespace

const std::vector<uint32_t>& hierarchy_columns() {
  static const std::vector<uint32_t> c = {
      kRowId,
      kRowVer,
      make_tag(PidTagDisplayName, t::Unicode),
      make_tag(PidTagContentCount, t::Int32),
      make_tag(PidTagContentUnreadCount, t::Int32),
      make_tag(PidTagSubfolders, t::Boolean),
      make_tag(PidTagReplItemid, t::Binary),
      make_tag(PidTagReplChangenum, t::Int64),
      make_tag(PidTagReplVersionhistory, t::Binary),
      make_tag(PidTagReplFlags, t::Int32),
      make_tag(PidTagContainerClass, t::Unicode),
      make_tag(PidTagPstHiddenCount, t::Int32),
      make_tag(PidTagPstHiddenUnread, t::Int32),
  };
  return c;
}

const std::vector<uint32_t>& contents_columns() {
  static const std::vector<uint32_t> c = {
      kRowId,
      kRowVer,
      make_tag(PidTagMessageStatus, t::Int32),
      make_tag(PidTagMessageClass, t::Unicode),
      make_tag(PidTagMessageFlags, t::Int32),
      make_tag(PidTagImportance, t::Int32),
      make_tag(PidTagSentRepresentingName, t::Unicode),
      make_tag(PidTagSubject, t::Unicode),
      make_tag(PidTagMessageDeliveryTime, t::SysTime),
      make_tag(PidTagClientSubmitTime, t::SysTime),
      make_tag(PidTagMessageSize, t::Int32),
      make_tag(PidTagDisplayTo, t::Unicode),
      make_tag(PidTagDisplayCc, t::Unicode),
      make_tag(PidTagMessageToMe, t::Boolean),
      make_tag(PidTagMessageCcMe, t::Boolean),
      make_tag(PidTagSensitivity, t::Int32),
      make_tag(PidTagItemTemporaryFlags, t::Int32),
      make_tag(PidTagConversationTopic, t::Unicode),
      make_tag(PidTagConversationIndex, t::Binary),
      make_tag(PidTagPstChangeKey, t::Binary),
      make_tag(PidTagSecureSubmitFlags, t::Int32),
      make_tag(PidTagLastModificationTime, t::SysTime),
      make_tag(PidTagReplItemid, t::Binary),
      make_tag(PidTagReplChangenum, t::Int64),
      make_tag(PidTagReplVersionhistory, t::Binary),
      make_tag(PidTagReplCopiedfromItemid, t::Binary),
      make_tag(PidTagReplCopiedfromVersionhistory, t::Binary),
      make_tag(PidTagReplFlags, t::Int32),
  };
  return c;
}

const std::vector<uint32_t>& assoc_contents_columns() {
  static const std::vector<uint32_t> c = {
      kRowId,
      kRowVer,
      make_tag(PidTagMessageStatus, t::Int32),
      make_tag(PidTagMessageClass, t::Unicode),
      make_tag(PidTagMessageFlags, t::Int32),
      make_tag(PidTagDisplayName, t::Unicode),
      make_tag(PidTagViewDescriptorFlags, t::Int32),
      make_tag(PidTagViewDescriptorLinkTo, t::Binary),
      make_tag(PidTagViewDescriptorViewFolder, t::Binary),
      make_tag(PidTagViewDescriptorName, t::Unicode),
      make_tag(PidTagViewDescriptorVersion, t::Int32),
      make_tag(PidTagOfflineAddressBookName, t::Unicode),
      make_tag(PidTagSendOutlookRecallReport, t::Boolean),
      make_tag(PidTagOfflineAddressBookTruncatedProperties, t::Int32 | t::MultipleFlag),
      make_tag(PidTagFaiTemplateColumn682F, t::Unicode),
  };
  return c;
}

const std::vector<uint32_t>& search_contents_columns() {
  static const std::vector<uint32_t> c = {
      kRowId,
      kRowVer,
      make_tag(PidTagLtpParentNid, t::Int32),
      make_tag(PidTagParentDisplay, t::Unicode),
      make_tag(PidTagMessageStatus, t::Int32),
      make_tag(PidTagMessageClass, t::Unicode),
      make_tag(PidTagMessageFlags, t::Int32),
      make_tag(PidTagImportance, t::Int32),
      make_tag(PidTagSentRepresentingName, t::Unicode),
      make_tag(PidTagSubject, t::Unicode),
      make_tag(PidTagMessageDeliveryTime, t::SysTime),
      make_tag(PidTagMessageSize, t::Int32),
      make_tag(PidTagDisplayTo, t::Unicode),
      make_tag(PidTagDisplayCc, t::Unicode),
      make_tag(PidTagMessageToMe, t::Boolean),
      make_tag(PidTagMessageCcMe, t::Boolean),
      make_tag(PidTagSensitivity, t::Int32),
      make_tag(PidTagExchangeRemoteHeader, t::Boolean),
      make_tag(PidTagLastModificationTime, t::SysTime),
  };
  return c;
}

const std::vector<uint32_t>& attachment_columns() {
  static const std::vector<uint32_t> c = {
      kRowId,
      kRowVer,
      make_tag(PidTagRenderingPosition, t::Int32),
      make_tag(PidTagAttachSize, t::Int32),
      make_tag(PidTagAttachMethod, t::Int32),
      make_tag(PidTagAttachFilename, t::Unicode),
  };
  return c;
}

const std::vector<uint32_t>& recipient_columns() {
  static const std::vector<uint32_t> c = {
      kRowId,
      kRowVer,
      make_tag(PidTagResponsibility, t::Boolean),
      make_tag(PidTagAddressType, t::Unicode),
      make_tag(PidTagEmailAddress, t::Unicode),
      make_tag(PidTagEntryId, t::Binary),
      make_tag(PidTagDisplayName, t::Unicode),
      make_tag(PidTagRecipientType, t::Int32),
      make_tag(PidTagSearchKey, t::Binary),
      make_tag(PidTagRecordKey, t::Binary),
      make_tag(PidTagObjectType, t::Int32),
      make_tag(PidTagDisplayType, t::Int32),
      make_tag(PidTagSendRichInfo, t::Boolean),
      make_tag(PidTagAddressBookDisplayNamePrintable, t::Unicode),
  };
  return c;
}

const std::vector<uint32_t>& receive_folder_columns() {
  static const std::vector<uint32_t> c = {
      kRowId,
      kRowVer,
      make_tag(PidTagPstReceiveFolderNid, t::Int32),
      make_tag(PidTagMessageClass, t::Unicode),
  };
  return c;
}

const std::vector<uint32_t>& outgoing_queue_columns() {
  static const std::vector<uint32_t> c = {
      kRowId,
      kRowVer,
      make_tag(PidTagSubmitFlags, t::Int32),
      make_tag(PidTagSpoolerStatus, t::Int32),
      make_tag(PidTagClientSubmitTime, t::SysTime),
  };
  return c;
}

}  // namespace ostfs::pstw
