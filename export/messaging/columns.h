// Column sets of the table templates ([MS-PST] 2.4.4.5, pst-writer-notes.md §3), in the
// iBit order Outlook gives them, so that layout_columns() reproduces Outlook's row layout.
#pragma once

#include <cstdint>
#include <vector>

namespace ostfs::pstw {

const std::vector<uint32_t>& hierarchy_columns();
const std::vector<uint32_t>& contents_columns();
const std::vector<uint32_t>& assoc_contents_columns();
const std::vector<uint32_t>& search_contents_columns();
const std::vector<uint32_t>& attachment_columns();
const std::vector<uint32_t>& recipient_columns();
const std::vector<uint32_t>& receive_folder_columns();
const std::vector<uint32_t>& outgoing_queue_columns();

}  // namespace ostfs::pstw
