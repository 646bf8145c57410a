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

// Used by the PST writer (export/): table columns, store and folder properties, and the
// store-computed properties it drops ([MS-PST] 2.4.4.5, 2.7.3; pst-writer-notes.md §3, §6).
inline constexpr uint16_t PidTagMessageToMe = 0x0057;
inline constexpr uint16_t PidTagMessageCcMe = 0x0058;
inline constexpr uint16_t PidTagParentDisplay = 0x0E05;
inline constexpr uint16_t PidTagParentEntryId = 0x0E09;
inline constexpr uint16_t PidTagResponsibility = 0x0E0F;
inline constexpr uint16_t PidTagSpoolerStatus = 0x0E10;
inline constexpr uint16_t PidTagSubmitFlags = 0x0E14;
inline constexpr uint16_t PidTagMessageStatus = 0x0E17;
inline constexpr uint16_t PidTagHasAttachments = 0x0E1B;
inline constexpr uint16_t PidTagExchangeRemoteHeader = 0x0E2A;
inline constexpr uint16_t PidTagReplItemid = 0x0E30;
inline constexpr uint16_t PidTagReplChangenum = 0x0E33;
inline constexpr uint16_t PidTagReplVersionhistory = 0x0E34;
inline constexpr uint16_t PidTagReplFlags = 0x0E38;
inline constexpr uint16_t PidTagReplCopiedfromVersionhistory = 0x0E3C;
inline constexpr uint16_t PidTagReplCopiedfromItemid = 0x0E3D;
inline constexpr uint16_t PidTagAccess = 0x0FF4;
inline constexpr uint16_t PidTagInstanceKey = 0x0FF6;
inline constexpr uint16_t PidTagAccessLevel = 0x0FF7;
inline constexpr uint16_t PidTagMappingSignature = 0x0FF8;
inline constexpr uint16_t PidTagStoreRecordKey = 0x0FFA;
inline constexpr uint16_t PidTagStoreEntryId = 0x0FFB;
inline constexpr uint16_t PidTagObjectType = 0x0FFE;
inline constexpr uint16_t PidTagEntryId = 0x0FFF;
inline constexpr uint16_t PidTagItemTemporaryFlags = 0x1097;
inline constexpr uint16_t PidTagComment = 0x3004;
inline constexpr uint16_t PidTagSearchKey = 0x300B;
inline constexpr uint16_t PidTagPstChangeKey = 0x3013;  // binary change key column of the contents table template
inline constexpr uint16_t PidTagValidFolderMask = 0x35DF;
inline constexpr uint16_t PidTagIpmWastebasketEntryId = 0x35E3;
inline constexpr uint16_t PidTagFinderEntryId = 0x35E7;
inline constexpr uint16_t PidTagDisplayType = 0x3900;
inline constexpr uint16_t PidTagAddressBookDisplayNamePrintable = 0x39FF;
inline constexpr uint16_t PidTagSendRichInfo = 0x3A40;
inline constexpr uint16_t PidTagSourceKey = 0x65E0;
inline constexpr uint16_t PidTagParentSourceKey = 0x65E1;
inline constexpr uint16_t PidTagChangeKey = 0x65E2;
inline constexpr uint16_t PidTagPredecessorChangeList = 0x65E3;
inline constexpr uint16_t PidTagSecureSubmitFlags = 0x65C6;
inline constexpr uint16_t PidTagPstReceiveFolderNid = 0x6605;   // receive-folder table: folder NID (observed)
inline constexpr uint16_t PidTagPstSearchCriteriaState = 0x660B;  // the one property of a search criteria PC (observed)
inline constexpr uint16_t PidTagPstLrNoRestrictions = 0x6633;
inline constexpr uint16_t PidTagPstHiddenCount = 0x6635;
inline constexpr uint16_t PidTagPstHiddenUnread = 0x6636;
inline constexpr uint16_t PidTagRights = 0x6639;
inline constexpr uint16_t PidTagLatestPstEnsure = 0x66FA;
inline constexpr uint16_t PidTagLtpParentNid = 0x67F1;
inline constexpr uint16_t PidTagLtpRowId = 0x67F2;
inline constexpr uint16_t PidTagLtpRowVer = 0x67F3;
inline constexpr uint16_t PidTagOfflineAddressBookName = 0x6800;
inline constexpr uint16_t PidTagSendOutlookRecallReport = 0x6803;
inline constexpr uint16_t PidTagOfflineAddressBookTruncatedProperties = 0x6805;
inline constexpr uint16_t PidTagFaiTemplateColumn682F = 0x682F;  // listed by the FAI contents table template
inline constexpr uint16_t PidTagViewDescriptorFlags = 0x7003;
inline constexpr uint16_t PidTagViewDescriptorLinkTo = 0x7004;
inline constexpr uint16_t PidTagViewDescriptorViewFolder = 0x7005;
inline constexpr uint16_t PidTagViewDescriptorName = 0x7006;
inline constexpr uint16_t PidTagViewDescriptorVersion = 0x7007;

inline constexpr uint16_t PidTagSentMailEntryId = 0x0E0A;
inline constexpr uint16_t PidTagAssociatedContentCount = 0x3617;
inline constexpr uint16_t PidTagIpmAppointmentEntryId = 0x36D0;
inline constexpr uint16_t PidTagIpmContactEntryId = 0x36D1;
inline constexpr uint16_t PidTagIpmJournalEntryId = 0x36D2;
inline constexpr uint16_t PidTagIpmNoteEntryId = 0x36D3;
inline constexpr uint16_t PidTagIpmTaskEntryId = 0x36D4;
inline constexpr uint16_t PidTagRemindersOnlineEntryId = 0x36D5;
inline constexpr uint16_t PidTagIpmDraftsEntryId = 0x36D7;
inline constexpr uint16_t PidTagAdditionalRenEntryIds = 0x36D8;
inline constexpr uint16_t PidTagAdditionalRenEntryIdsEx = 0x36D9;
inline constexpr uint16_t PidTagFreeBusyEntryIds = 0x36E4;
// Provider-internal property ids, never copied between stores.
inline constexpr uint16_t PidTagPstInternalFirst = 0x6600;
inline constexpr uint16_t PidTagPstInternalLast = 0x67FF;
// First id of named properties (NPIDs).
inline constexpr uint16_t PidTagNamedFirst = 0x8000;

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

// Multi-valued string types ([MS-OXCDATA] 2.11.1): PT_MV_STRING8, PT_MV_UNICODE.
namespace type {
inline constexpr uint16_t MvString8 = 0x101E;
inline constexpr uint16_t MvUnicode = 0x101F;
}  // namespace type

// Follow-up flag state ([MS-OXOFLAG] 2.2.1.1): 0 none, 1 complete, 2 flagged.
inline constexpr uint16_t PidTagFlagStatus = 0x1090;
inline constexpr int32_t FlagStatusComplete = 1;
inline constexpr int32_t FlagStatusFlagged = 2;
// PidLidFlagRequest ([MS-OXPROPS] 2.136): LID in PSETID_Common, the flag's text ("Follow up").
inline constexpr uint32_t PidLidFlagRequest = 0x8530;
// PidNameKeywords ([MS-OXPROPS] 2.450): string name in PS_PUBLIC_STRINGS, the categories.
inline constexpr char16_t PidNameKeywords[] = u"Keywords";

}  // namespace ostfs::props

// ---- Contacts, calendar, tasks, journal and notes (fs/render vcf/ics/note) ----
namespace ostfs::props {

// Property set GUIDs in on-disk byte order ([MS-OXPROPS] 1.3.2).
// PSETID_Meeting {6ED8DA90-450B-101B-98DA-00AA003F1305}
inline constexpr Guid PSETID_Meeting = {0x90, 0xDA, 0xD8, 0x6E, 0x0B, 0x45, 0x1B, 0x10,
                                        0x98, 0xDA, 0x00, 0xAA, 0x00, 0x3F, 0x13, 0x05};
// PSETID_Note {0006200E-0000-0000-C000-000000000046}
inline constexpr Guid PSETID_Note = {0x0E, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
                                     0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
// PSETID_Log {0006200A-0000-0000-C000-000000000046} (journal entries)
inline constexpr Guid PSETID_Log = {0x0A, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
                                    0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};

namespace type {
inline constexpr uint16_t MvInt32 = 0x1003;
inline constexpr uint16_t MvBinary = 0x1102;
}  // namespace type

// Contact properties ([MS-OXOCNTC] 2.2.1).
inline constexpr uint16_t PidTagCallbackTelephoneNumber = 0x3A02;
inline constexpr uint16_t PidTagGeneration = 0x3A05;
inline constexpr uint16_t PidTagGivenName = 0x3A06;
inline constexpr uint16_t PidTagBusinessTelephoneNumber = 0x3A08;
inline constexpr uint16_t PidTagHomeTelephoneNumber = 0x3A09;
inline constexpr uint16_t PidTagInitials = 0x3A0A;
inline constexpr uint16_t PidTagSurname = 0x3A11;
inline constexpr uint16_t PidTagCompanyName = 0x3A16;
inline constexpr uint16_t PidTagTitle = 0x3A17;
inline constexpr uint16_t PidTagDepartmentName = 0x3A18;
inline constexpr uint16_t PidTagOfficeLocation = 0x3A19;
inline constexpr uint16_t PidTagPrimaryTelephoneNumber = 0x3A1A;
inline constexpr uint16_t PidTagBusiness2TelephoneNumber = 0x3A1B;
inline constexpr uint16_t PidTagMobileTelephoneNumber = 0x3A1C;
inline constexpr uint16_t PidTagRadioTelephoneNumber = 0x3A1D;
inline constexpr uint16_t PidTagCarTelephoneNumber = 0x3A1E;
inline constexpr uint16_t PidTagOtherTelephoneNumber = 0x3A1F;
inline constexpr uint16_t PidTagPagerTelephoneNumber = 0x3A21;
inline constexpr uint16_t PidTagPrimaryFaxNumber = 0x3A23;
inline constexpr uint16_t PidTagBusinessFaxNumber = 0x3A24;
inline constexpr uint16_t PidTagHomeFaxNumber = 0x3A25;
inline constexpr uint16_t PidTagCountry = 0x3A26;  // PidTagBusinessAddressCountry
inline constexpr uint16_t PidTagLocality = 0x3A27;  // PidTagBusinessAddressCity
inline constexpr uint16_t PidTagStateOrProvince = 0x3A28;  // PidTagBusinessAddressStateOrProvince
inline constexpr uint16_t PidTagStreetAddress = 0x3A29;  // PidTagBusinessAddressStreet
inline constexpr uint16_t PidTagPostalCode = 0x3A2A;  // PidTagBusinessAddressPostalCode
inline constexpr uint16_t PidTagPostOfficeBox = 0x3A2B;  // PidTagBusinessAddressPostOfficeBox
inline constexpr uint16_t PidTagTelexNumber = 0x3A2C;
inline constexpr uint16_t PidTagIsdnNumber = 0x3A2D;
inline constexpr uint16_t PidTagAssistantTelephoneNumber = 0x3A2E;
inline constexpr uint16_t PidTagHome2TelephoneNumber = 0x3A2F;
inline constexpr uint16_t PidTagAssistant = 0x3A30;
inline constexpr uint16_t PidTagWeddingAnniversary = 0x3A41;
inline constexpr uint16_t PidTagBirthday = 0x3A42;
inline constexpr uint16_t PidTagMiddleName = 0x3A44;
inline constexpr uint16_t PidTagDisplayNamePrefix = 0x3A45;
inline constexpr uint16_t PidTagProfession = 0x3A46;
inline constexpr uint16_t PidTagSpouseName = 0x3A48;
inline constexpr uint16_t PidTagTtyTddPhoneNumber = 0x3A4B;
inline constexpr uint16_t PidTagGender = 0x3A4D;  // 1 female, 2 male
inline constexpr uint16_t PidTagManagerName = 0x3A4E;
inline constexpr uint16_t PidTagNickname = 0x3A4F;
inline constexpr uint16_t PidTagPersonalHomePage = 0x3A50;
inline constexpr uint16_t PidTagBusinessHomePage = 0x3A51;
inline constexpr uint16_t PidTagCompanyMainTelephoneNumber = 0x3A57;
inline constexpr uint16_t PidTagHomeAddressCity = 0x3A59;
inline constexpr uint16_t PidTagHomeAddressCountry = 0x3A5A;
inline constexpr uint16_t PidTagHomeAddressPostalCode = 0x3A5B;
inline constexpr uint16_t PidTagHomeAddressStateOrProvince = 0x3A5C;
inline constexpr uint16_t PidTagHomeAddressStreet = 0x3A5D;
inline constexpr uint16_t PidTagHomeAddressPostOfficeBox = 0x3A5E;
inline constexpr uint16_t PidTagOtherAddressCity = 0x3A5F;
inline constexpr uint16_t PidTagOtherAddressCountry = 0x3A60;
inline constexpr uint16_t PidTagOtherAddressPostalCode = 0x3A61;
inline constexpr uint16_t PidTagOtherAddressStateOrProvince = 0x3A62;
inline constexpr uint16_t PidTagOtherAddressStreet = 0x3A63;
inline constexpr uint16_t PidTagOtherAddressPostOfficeBox = 0x3A64;
inline constexpr uint16_t PidTagAttachmentContactPhoto = 0x7FFF;
// Recipient table columns of meetings ([MS-OXOCAL] 2.2.4.10).
inline constexpr uint16_t PidTagRecipientFlags = 0x5FFD;
inline constexpr uint16_t PidTagRecipientTrackStatus = 0x5FFF;
inline constexpr int32_t RecipientFlagOrganizer = 0x00000002;  // recipOrganizer
inline constexpr int32_t RecipientResource = 3;  // a meeting's resource rows use the Bcc type

// Named properties in PSETID_Address ([MS-OXPROPS] 2.x, [MS-OXOCNTC]).
inline constexpr uint32_t PidLidFileUnder = 0x8005;
inline constexpr uint32_t PidLidHasPicture = 0x8015;
inline constexpr uint32_t PidLidHomeAddress = 0x801A;
inline constexpr uint32_t PidLidWorkAddress = 0x801B;
inline constexpr uint32_t PidLidOtherAddress = 0x801C;
inline constexpr uint32_t PidLidPostalAddressId = 0x8022;
inline constexpr uint32_t PidLidHtml = 0x802B;
inline constexpr uint32_t PidLidWorkAddressStreet = 0x8045;
inline constexpr uint32_t PidLidWorkAddressCity = 0x8046;
inline constexpr uint32_t PidLidWorkAddressState = 0x8047;
inline constexpr uint32_t PidLidWorkAddressPostalCode = 0x8048;
inline constexpr uint32_t PidLidWorkAddressCountry = 0x8049;
inline constexpr uint32_t PidLidWorkAddressPostOfficeBox = 0x804A;
inline constexpr uint32_t PidLidDistributionListName = 0x8053;
inline constexpr uint32_t PidLidDistributionListOneOffMembers = 0x8054;
inline constexpr uint32_t PidLidDistributionListMembers = 0x8055;
inline constexpr uint32_t PidLidInstantMessagingAddress = 0x8062;
inline constexpr uint32_t PidLidDistributionListStream = 0x8064;
inline constexpr uint32_t PidLidEmail1DisplayName = 0x8080;
inline constexpr uint32_t PidLidEmail1AddressType = 0x8082;
inline constexpr uint32_t PidLidEmail1EmailAddress = 0x8083;
inline constexpr uint32_t PidLidEmail1OriginalDisplayName = 0x8084;
inline constexpr uint32_t PidLidEmail2DisplayName = 0x8090;
inline constexpr uint32_t PidLidEmail2AddressType = 0x8092;
inline constexpr uint32_t PidLidEmail2EmailAddress = 0x8093;
inline constexpr uint32_t PidLidEmail2OriginalDisplayName = 0x8094;
inline constexpr uint32_t PidLidEmail3DisplayName = 0x80A0;
inline constexpr uint32_t PidLidEmail3AddressType = 0x80A2;
inline constexpr uint32_t PidLidEmail3EmailAddress = 0x80A3;
inline constexpr uint32_t PidLidEmail3OriginalDisplayName = 0x80A4;
inline constexpr uint32_t PidLidFax1AddressType = 0x80B2;
inline constexpr uint32_t PidLidFax1EmailAddress = 0x80B3;
inline constexpr uint32_t PidLidFax2AddressType = 0x80C2;
inline constexpr uint32_t PidLidFax2EmailAddress = 0x80C3;
inline constexpr uint32_t PidLidFax3AddressType = 0x80D2;
inline constexpr uint32_t PidLidFax3EmailAddress = 0x80D3;
inline constexpr uint32_t PidLidBirthdayLocal = 0x80DE;
inline constexpr uint32_t PidLidWeddingAnniversaryLocal = 0x80DF;

// Named properties in PSETID_Appointment ([MS-OXOCAL] 2.2.1).
inline constexpr uint32_t PidLidBusyStatus = 0x8205;
inline constexpr uint32_t PidLidFExceptionalBody = 0x8206;
inline constexpr uint32_t PidLidLocation = 0x8208;
inline constexpr uint32_t PidLidAppointmentStartWhole = 0x820D;
inline constexpr uint32_t PidLidAppointmentEndWhole = 0x820E;
inline constexpr uint32_t PidLidAppointmentSubType = 0x8215;
inline constexpr uint32_t PidLidAppointmentRecur = 0x8216;
inline constexpr uint32_t PidLidAppointmentStateFlags = 0x8217;  // asfMeeting 1, asfReceived 2, asfCanceled 4
inline constexpr uint32_t PidLidRecurring = 0x8223;
inline constexpr uint32_t PidLidExceptionReplaceTime = 0x8228;
inline constexpr uint32_t PidLidTimeZoneStruct = 0x8233;
inline constexpr uint32_t PidLidTimeZoneDescription = 0x8234;
inline constexpr uint32_t PidLidAppointmentTimeZoneDefinitionStartDisplay = 0x825E;
inline constexpr uint32_t PidLidAppointmentTimeZoneDefinitionEndDisplay = 0x825F;
inline constexpr uint32_t PidLidAppointmentTimeZoneDefinitionRecur = 0x8260;

// Named properties in PSETID_Meeting ([MS-OXOCAL] 2.2.1.27, 2.2.1.28).
inline constexpr uint32_t PidLidGlobalObjectId = 0x0003;
inline constexpr uint32_t PidLidCleanGlobalObjectId = 0x0023;

// Named properties in PSETID_Common ([MS-OXORMDR] 2.2.1).
inline constexpr uint32_t PidLidReminderDelta = 0x8501;
inline constexpr uint32_t PidLidReminderTime = 0x8502;
inline constexpr uint32_t PidLidReminderSet = 0x8503;

// Named properties in PSETID_Task ([MS-OXOTASK] 2.2.2.2).
inline constexpr uint32_t PidLidTaskStatus = 0x8101;
inline constexpr uint32_t PidLidPercentComplete = 0x8102;
inline constexpr uint32_t PidLidTaskStartDate = 0x8104;
inline constexpr uint32_t PidLidTaskDueDate = 0x8105;
inline constexpr uint32_t PidLidTaskDateCompleted = 0x810F;
inline constexpr uint32_t PidLidTaskRecurrence = 0x8116;
inline constexpr uint32_t PidLidTaskComplete = 0x811C;
inline constexpr uint32_t PidLidTaskOwner = 0x811F;
inline constexpr uint32_t PidLidTaskFRecurring = 0x8126;

// Named properties in PSETID_Log ([MS-OXOJRNL] 2.2.1).
inline constexpr uint32_t PidLidLogType = 0x8700;
inline constexpr uint32_t PidLidLogStart = 0x8706;
inline constexpr uint32_t PidLidLogDuration = 0x8707;
inline constexpr uint32_t PidLidLogEnd = 0x8708;
inline constexpr uint32_t PidLidLogTypeDesc = 0x8712;

// Named properties in PSETID_Note ([MS-OXONOTE] 2.2.1).
inline constexpr uint32_t PidLidNoteColor = 0x8B00;
inline constexpr uint32_t PidLidNoteWidth = 0x8B02;
inline constexpr uint32_t PidLidNoteHeight = 0x8B03;

// Special-folder entry ids and keys the PST writer maps to the new store ([MS-OXOSFLD] 2.2,
// [MS-OXPROPS] 2.509–2.767; pst-writer-notes.md §6).
inline constexpr uint16_t PidTagIpmOutboxEntryId = 0x35E2;
inline constexpr uint16_t PidTagIpmSentMailEntryId = 0x35E4;
inline constexpr uint16_t PidTagRemindersOfflineEntryId = 0x36D6;
// OST folders: the folder's Exchange FID, REPLID (2 bytes) then GLOBCNT (6 bytes), as the
// long-term entry ids of [MS-OXCDATA] 2.2.4.1 name it (observed in OST 2010 and 2013 files).
inline constexpr uint16_t PidTagOstFolderFid = 0x67F4;

}  // namespace ostfs::props

// ---- The name-to-id map node (parser/ltp/name_to_id.h) ----
namespace ostfs::props {

// Properties of NID_NAME_TO_ID_MAP ([MS-PST] 2.4.7): the hash bucket count and the three streams.
inline constexpr uint16_t PidTagNameidBucketCount = 0x0001;
inline constexpr uint16_t PidTagNameidStreamGuid = 0x0002;
inline constexpr uint16_t PidTagNameidStreamEntry = 0x0003;
inline constexpr uint16_t PidTagNameidStreamString = 0x0004;

}  // namespace ostfs::props

// ---- Mail rendering (fs/render/eml*): Exchange addresses, reports, S/MIME ----
namespace ostfs::props {

// Addresses of the mailbox that received the message ([MS-OXOMSG] 2.2.1.36-2.2.1.40) and
// the entry ids of sender and recipients ([MS-OXOMSG] 2.2.1.48, [MS-OXOCAL] 2.2.4.10.2).
inline constexpr uint16_t PidTagReceivedByAddressType = 0x0075;
inline constexpr uint16_t PidTagReceivedByEmailAddress = 0x0076;
inline constexpr uint16_t PidTagReceivedRepresentingAddressType = 0x0077;
inline constexpr uint16_t PidTagReceivedRepresentingEmailAddress = 0x0078;
inline constexpr uint16_t PidTagReceivedBySmtpAddress = 0x5D07;
inline constexpr uint16_t PidTagReceivedRepresentingSmtpAddress = 0x5D08;
inline constexpr uint16_t PidTagSenderEntryId = 0x0C19;
inline constexpr uint16_t PidTagRecipientEntryId = 0x5FF7;

// Report messages, REPORT.IPM.Note.* ([MS-OXOMSG] 2.2.2).
inline constexpr uint16_t PidTagDeliverTime = 0x0010;
inline constexpr uint16_t PidTagReportTime = 0x0032;
inline constexpr uint16_t PidTagOriginalSubject = 0x0049;
inline constexpr uint16_t PidTagOriginalSubmitTime = 0x004E;
inline constexpr uint16_t PidTagOriginalDisplayBcc = 0x0072;
inline constexpr uint16_t PidTagOriginalDisplayCc = 0x0073;
inline constexpr uint16_t PidTagOriginalDisplayTo = 0x0074;
inline constexpr uint16_t PidTagNonDeliveryReportReasonCode = 0x0C04;
inline constexpr uint16_t PidTagNonDeliveryReportDiagCode = 0x0C05;
inline constexpr uint16_t PidTagSupplementaryInfo = 0x0C1B;
inline constexpr uint16_t PidTagNonDeliveryReportStatusCode = 0x0C20;
inline constexpr uint16_t PidTagReportText = 0x1001;

}  // namespace ostfs::props
