// MAPI property ids and types used by ostfs ([MS-OXPROPS]). Code elsewhere names
// properties through these constants, never by bare numbers.
#pragma once

#include <array>
#include <cstdint>

namespace ostfs::props {

// Property types ([MS-OXCDATA] 2.11.1).
namespace type {
inline constexpr uint16_t Int16 = 0x0002;
inline constexpr uint16_t Int32 = 0x0003;
inline constexpr uint16_t Float = 0x0004;
inline constexpr uint16_t Double = 0x0005;
inline constexpr uint16_t Currency = 0x0006;
inline constexpr uint16_t AppTime = 0x0007;
inline constexpr uint16_t Error = 0x000A;
inline constexpr uint16_t Boolean = 0x000B;
inline constexpr uint16_t Object = 0x000D;
inline constexpr uint16_t Int64 = 0x0014;
inline constexpr uint16_t String8 = 0x001E;
inline constexpr uint16_t Unicode = 0x001F;
inline constexpr uint16_t SysTime = 0x0040;
inline constexpr uint16_t Guid = 0x0048;
inline constexpr uint16_t ServerId = 0x00FB;
inline constexpr uint16_t Restriction = 0x00FD;
inline constexpr uint16_t RuleAction = 0x00FE;
inline constexpr uint16_t Binary = 0x0102;
inline constexpr uint16_t MultipleFlag = 0x1000;
}  // namespace type

// Property ids.
inline constexpr uint16_t PidTagImportance = 0x0017;
inline constexpr uint16_t PidTagMessageClass = 0x001A;
inline constexpr uint16_t PidTagPriority = 0x0026;
inline constexpr uint16_t PidTagSensitivity = 0x0036;
inline constexpr uint16_t PidTagSubject = 0x0037;
inline constexpr uint16_t PidTagClientSubmitTime = 0x0039;
inline constexpr uint16_t PidTagSentRepresentingSearchKey = 0x003B;
inline constexpr uint16_t PidTagSubjectPrefix = 0x003D;
inline constexpr uint16_t PidTagSentRepresentingEntryId = 0x0041;
inline constexpr uint16_t PidTagSentRepresentingName = 0x0042;
inline constexpr uint16_t PidTagSentRepresentingAddressType = 0x0064;
inline constexpr uint16_t PidTagSentRepresentingEmailAddress = 0x0065;
inline constexpr uint16_t PidTagConversationTopic = 0x0070;
inline constexpr uint16_t PidTagConversationIndex = 0x0071;
inline constexpr uint16_t PidTagReceivedByName = 0x0040;
inline constexpr uint16_t PidTagTransportMessageHeaders = 0x007D;
inline constexpr uint16_t PidTagRecipientType = 0x0C15;
inline constexpr uint16_t PidTagSenderName = 0x0C1A;
inline constexpr uint16_t PidTagSenderAddressType = 0x0C1E;
inline constexpr uint16_t PidTagSenderEmailAddress = 0x0C1F;
inline constexpr uint16_t PidTagDisplayBcc = 0x0E02;
inline constexpr uint16_t PidTagDisplayCc = 0x0E03;
inline constexpr uint16_t PidTagDisplayTo = 0x0E04;
inline constexpr uint16_t PidTagMessageDeliveryTime = 0x0E06;
inline constexpr uint16_t PidTagMessageFlags = 0x0E07;
inline constexpr uint16_t PidTagMessageSize = 0x0E08;
inline constexpr uint16_t PidTagAttachSize = 0x0E20;
inline constexpr uint16_t PidTagRecordKey = 0x0FF9;
inline constexpr uint16_t PidTagBody = 0x1000;
inline constexpr uint16_t PidTagRtfCompressed = 0x1009;
inline constexpr uint16_t PidTagHtml = 0x1013;  // PidTagBodyHtml when typed PT_UNICODE
inline constexpr uint16_t PidTagInternetMessageId = 0x1035;
inline constexpr uint16_t PidTagInReplyToId = 0x1042;
inline constexpr uint16_t PidTagInternetReferences = 0x1039;
inline constexpr uint16_t PidTagDisplayName = 0x3001;
inline constexpr uint16_t PidTagAddressType = 0x3002;
inline constexpr uint16_t PidTagEmailAddress = 0x3003;
inline constexpr uint16_t PidTagCreationTime = 0x3007;
inline constexpr uint16_t PidTagLastModificationTime = 0x3008;
inline constexpr uint16_t PidTagContentCount = 0x3602;
inline constexpr uint16_t PidTagContentUnreadCount = 0x3603;
inline constexpr uint16_t PidTagSubfolders = 0x360A;
inline constexpr uint16_t PidTagContainerClass = 0x3613;
inline constexpr uint16_t PidTagIpmSubtreeEntryId = 0x35E0;
inline constexpr uint16_t PidTagAttachDataBinary = 0x3701;  // also PidTagAttachDataObject
inline constexpr uint16_t PidTagAttachExtension = 0x3703;
inline constexpr uint16_t PidTagAttachFilename = 0x3704;
inline constexpr uint16_t PidTagAttachMethod = 0x3705;
inline constexpr uint16_t PidTagAttachLongFilename = 0x3707;
inline constexpr uint16_t PidTagAttachPathname = 0x3708;
inline constexpr uint16_t PidTagRenderingPosition = 0x370B;
inline constexpr uint16_t PidTagAttachMimeTag = 0x370E;
inline constexpr uint16_t PidTagAttachLongPathname = 0x370D;
inline constexpr uint16_t PidTagAttachContentId = 0x3712;
inline constexpr uint16_t PidTagAttachContentLocation = 0x3713;
inline constexpr uint16_t PidTagAttachFlags = 0x3714;
inline constexpr uint16_t PidTagAttachmentHidden = 0x7FFE;
inline constexpr uint16_t PidTagSmtpAddress = 0x39FE;
inline constexpr uint16_t PidTagSenderSmtpAddress = 0x5D01;
inline constexpr uint16_t PidTagSentRepresentingSmtpAddress = 0x5D02;
inline constexpr uint16_t PidTagInternetCodepage = 0x3FDE;
inline constexpr uint16_t PidTagMessageCodepage = 0x3FFD;
inline constexpr uint16_t PidTagPstPassword = 0x67FF;

// Recipient types ([MS-OXOMSG] 2.2.3.1 PidTagRecipientType).
inline constexpr int32_t RecipientTo = 1;
inline constexpr int32_t RecipientCc = 2;
inline constexpr int32_t RecipientBcc = 3;

// Property set GUIDs in on-disk byte order.
using Guid = std::array<uint8_t, 16>;
// PSETID_Address {00062004-0000-0000-C000-000000000046}
inline constexpr Guid PSETID_Address = {0x04, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
                                        0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
// PSETID_Appointment {00062002-0000-0000-C000-000000000046}
inline constexpr Guid PSETID_Appointment = {0x02, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
                                            0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
// PSETID_Task {00062003-0000-0000-C000-000000000046}
inline constexpr Guid PSETID_Task = {0x03, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
                                     0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
// PSETID_Common {00062008-0000-0000-C000-000000000046}
inline constexpr Guid PSETID_Common = {0x08, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
                                       0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
// PS_PUBLIC_STRINGS {00020329-0000-0000-C000-000000000046}
inline constexpr Guid PS_PUBLIC_STRINGS = {0x29, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
                                           0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
// PS_MAPI {00020328-0000-0000-C000-000000000046}
inline constexpr Guid PS_MAPI = {0x28, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
                                 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
// PS_INTERNET_HEADERS {00020386-0000-0000-C000-000000000046}
inline constexpr Guid PS_INTERNET_HEADERS = {0x86, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
                                             0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};

}  // namespace ostfs::props
