// The special folders of a store ([MS-OXOSFLD] 2.2): which folder is the Inbox, Sent Items,
// Calendar... Outlook finds them through entry ids on the store, the root folder and the
// Inbox, and shows their icons and views only when those ids name them.
#pragma once

#include <cstdint>

namespace ostfs::pstw {

enum class FolderRole : uint8_t {
  None,
  Inbox,           // receive-folder table; FOLDER_IPM_INBOX_VALID
  Outbox,          // store PidTagIpmOutboxEntryId
  SentItems,       // store PidTagIpmSentMailEntryId
  DeletedItems,    // always the skeleton's Deleted Items (PstWriter::deleted_items())
  Drafts,          // root and Inbox PidTagIpmDraftsEntryId
  Calendar,        // root and Inbox PidTagIpmAppointmentEntryId
  Contacts,        // root and Inbox PidTagIpmContactEntryId
  Journal,         // root and Inbox PidTagIpmJournalEntryId
  Notes,           // root and Inbox PidTagIpmNoteEntryId
  Tasks,           // root and Inbox PidTagIpmTaskEntryId
  Conflicts,       // PidTagAdditionalRenEntryIds[0]
  SyncIssues,      // PidTagAdditionalRenEntryIds[1]
  LocalFailures,   // PidTagAdditionalRenEntryIds[2]
  ServerFailures,  // PidTagAdditionalRenEntryIds[3]
  JunkEmail,       // PidTagAdditionalRenEntryIds[4]
};

}  // namespace ostfs::pstw
