#include "fs/render/eml_report.h"

#include <array>
#include <string_view>

#include "fs/render/eml_address.h"
#include "fs/render/eml_headers.h"
#include "fs/render/eml_props.h"
#include "parser/props.h"

namespace ostfs::render {
namespace {

struct Kind {
  std::string_view suffix;  // last component of the class
  std::string_view title;
  std::string_view status;
  // Delivery reports list the original recipients, with their outcome, as their own
  // recipient rows; a read receipt's rows are only whom the receipt went to.
  bool rows_are_outcomes;
};

// [MS-OXOMSG] 2.2.1.2 report classes: REPORT.<original class>.<kind>.
constexpr std::array<Kind, 4> kKinds = {{
    {"NDR", "Delivery report", "not delivered", true},
    {"DR", "Delivery report", "delivered", true},
    {"IPNRN", "Read receipt", "read", false},
    {"IPNNRN", "Read receipt", "not read", false},
}};

bool equal_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// The subject of the original message: PidTagOriginalSubject, else the subject of the
// embedded original (reports usually carry it as their attachment).
std::optional<std::string> original_subject(const model::Message& m) {
  if (auto s = line_text(m, props::PidTagOriginalSubject)) return s;
  for (const auto& a : m.attachments)
    if (a.embedded)
      if (auto s = subject(*a.embedded); s && !s->empty()) return s;
  return std::nullopt;
}

std::string row_text(const model::Message& m, const model::Recipient& row, std::string_view status) {
  const auto& p = row.props;
  const auto party = recipient_party(m, row);
  std::string out = "- " + (party ? party_text(*party) : std::string("(unnamed recipient)"));
  const auto reason = p.int32(props::PidTagNonDeliveryReportReasonCode);
  const auto diagnostic = p.int32(props::PidTagNonDeliveryReportDiagCode);
  const auto code = p.int32(props::PidTagNonDeliveryReportStatusCode);
  const auto delivered = time_of(p, props::PidTagDeliverTime);
  if (reason || diagnostic || code)
    out += ": not delivered";
  else if (delivered)
    out += ": delivered " + readable_time(*delivered);
  else
    out += std::string(": ").append(status);
  out += "\n";
  for (uint16_t tag : {props::PidTagReportText, props::PidTagSupplementaryInfo})
    if (auto text = line_text(m, p, tag)) out += "  " + *text + "\n";
  std::string codes;
  auto add_code = [&](const char* what, const std::optional<int32_t>& value) {
    if (!value) return;
    codes += codes.empty() ? "" : ", ";
    codes += std::string(what) + " " + std::to_string(*value);
  };
  add_code("Status code", code);
  add_code("reason code", reason);
  add_code("diagnostic code", diagnostic);
  if (!codes.empty()) {
    codes[0] = static_cast<char>(codes[0] >= 'a' && codes[0] <= 'z' ? codes[0] - 32 : codes[0]);
    out += "  " + codes + "\n";
  }
  return out;
}

}  // namespace

std::optional<std::string> report_summary(const model::Message& message) {
  const std::string cls = message.message_class();
  if (!derives_from_class(cls, "REPORT")) return std::nullopt;
  const std::string_view last = std::string_view(cls).substr(cls.rfind('.') + 1);
  Kind kind{"", "Report", "reported", true};
  for (const Kind& k : kKinds)
    if (equal_nocase(last, k.suffix)) kind = k;

  std::string out = std::string(kind.title) + ": " + std::string(kind.status) + "\n";
  if (!kind.rows_are_outcomes)
    if (auto reader = author(message); reader && !party_text(*reader).empty())
      out += (kind.status == "read" ? "Read by: " : "Not read by: ") + party_text(*reader) + "\n";
  if (auto s = original_subject(message)) out += "Original subject: " + *s + "\n";
  if (auto t = time_of(message.props, props::PidTagOriginalSubmitTime))
    out += "Original message sent: " + readable_time(*t) + "\n";
  if (auto to = line_text(message, props::PidTagOriginalDisplayTo)) out += "Original recipients: " + *to + "\n";
  if (auto cc = line_text(message, props::PidTagOriginalDisplayCc)) out += "Original Cc: " + *cc + "\n";
  if (auto t = time_of(message.props, props::PidTagReportTime)) out += "Reported: " + readable_time(*t) + "\n";
  if (auto text = line_text(message, props::PidTagReportText)) out += text->insert(0, "Report text: ") + "\n";

  if (!kind.rows_are_outcomes) return out;
  std::string rows;
  for (const auto& row : message.recipients) rows += row_text(message, row, kind.status);
  if (!rows.empty()) out += "\nRecipients:\n" + rows;
  return out;
}

}  // namespace ostfs::render
