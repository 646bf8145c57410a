// Reports (REPORT.IPM.Note.*: delivery, non-delivery, read and not-read receipts) as
// readable text: Outlook keeps their substance in properties of the report and of its
// recipient rows, which a mail client reading the .eml would never see.
#pragma once

#include <optional>
#include <string>

#include "parser/model.h"

namespace ostfs::render {

// For a message of class REPORT.* (case-insensitive): plain text, LF-terminated lines,
// e.g.
//   Delivery report: not delivered
//   Original subject: Budget
//   Original message sent: Wed 2011-05-11 10:19 UTC
//   Original recipients: Bob
//
//   Recipients:
//   - Bob <bob@example.com>: not delivered
//     The e-mail address could not be found.
//     smtp;550 5.1.1 user unknown
//     Status code 511, reason code 1, diagnostic code 0
// The status comes from the class's last component (NDR, DR, IPNRN, IPNNRN) and, per row,
// from the row's non-delivery codes or delivery time. The texts are the rows'
// PidTagReportText and PidTagSupplementaryInfo. Lines whose data is missing are left
// out. nullopt for other classes.
std::optional<std::string> report_summary(const model::Message& message);

}  // namespace ostfs::render
