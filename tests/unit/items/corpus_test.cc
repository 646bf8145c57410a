// Renders every contact, list, calendar item, task, journal entry and note of the real
// files in the corpus and checks each output with libical and the Python parsers.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>

#include "fs/render/ics.h"
#include "fs/render/item_format.h"
#include "fs/render/item_props.h"
#include "fs/render/note.h"
#include "fs/render/vcf.h"
#include "ical_check.h"
#include "parser/reader.h"
#include "python_check.h"

namespace ostfs::render {
namespace {

struct Rendered {
  model::Message message;
  ItemFormat format;
  std::string bytes;
};

std::vector<Rendered> render_file(const std::string& name, int vcf_version) {
  const std::filesystem::path path = std::filesystem::path(testing::corpus_dir()) / name;
  if (!std::filesystem::exists(path)) return {};
  auto store = parser::Store::open(path);
  std::vector<Rendered> out;
  std::function<void(uint32_t)> walk = [&](uint32_t folder) {
    std::vector<std::string> errors;
    for (const auto& summary : store->messages(folder, &errors)) {
      const ItemFormat format = format_for_class(summary.message_class);
      if (format == ItemFormat::Eml) continue;
      model::Message m = store->load_message({folder, summary.index, summary.nid}, true);
      std::string bytes = format == ItemFormat::Vcf   ? render_vcf(m, {.version = vcf_version})
                          : format == ItemFormat::Ics ? render_ics(m)
                                                      : render_note(m);
      out.push_back({std::move(m), format, std::move(bytes)});
    }
    for (const auto& sub : store->subfolders(folder, &errors)) walk(sub.nid);
  };
  walk(store->root_nid());
  return out;
}

struct CorpusCase {
  const char* file;
  size_t vcf, ics, txt;  // how many items of each format the file holds
};

class CorpusItems : public ::testing::TestWithParam<CorpusCase> {};

TEST_P(CorpusItems, EveryItemParsesEverywhere) {
  for (int version : {3, 4}) {
    const auto items = render_file(GetParam().file, version);
    if (items.empty()) GTEST_SKIP() << "corpus file not available: " << GetParam().file;
    std::map<ItemFormat, size_t> counts;
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& item : items) {
      ++counts[item.format];
      if (item.format == ItemFormat::Txt) {
        EXPECT_NE(item.bytes.find("\n\n"), std::string::npos) << "header and body: " << item.bytes;
        continue;
      }
      files.push_back({extension_for(item.format), item.bytes});
      if (item.format == ItemFormat::Ics) {
        auto cal = testing::parse_ical(item.bytes);
        ASSERT_TRUE(cal) << item.bytes;
        EXPECT_EQ(testing::lic_errors(cal.get()), 0) << item.bytes;
      }
    }
    EXPECT_EQ(counts[ItemFormat::Vcf], GetParam().vcf);
    EXPECT_EQ(counts[ItemFormat::Ics], GetParam().ics);
    EXPECT_EQ(counts[ItemFormat::Txt], GetParam().txt);
    const auto r = testing::python_check(files);
    EXPECT_TRUE(r.ok) << r.lines_starting("ERROR").size() << " errors:\n" << r.output.substr(0, 4000);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Files, CorpusItems,
    ::testing::Values(CorpusCase{"aspose-email__Aspose.Email-for-.NET__PersonalStorageFile1.pst", 72, 0, 0},
                      CorpusCase{"hughbe__PstReader__hughbe_Outlook.pst", 2, 3, 0},
                      CorpusCase{"rjohnsondev__java-libpst__dist-list.pst", 2, 1, 0},
                      CorpusCase{"pranavsundararajan__National-Cyber-Scholarship-2021-Writeups__fe01.ost", 7, 173, 0},
                      CorpusCase{"aspose-email__Aspose.Email-for-Java__MapiNoteToPST_out.pst", 0, 0, 3}),
    [](const auto& info) { return std::to_string(info.index); });

// Each recurring series starts where the item says: libical's first occurrence is
// DTSTART, and DTSTART is PidLidAppointmentStartWhole (or, all-day, its local date).
TEST(CorpusRecurrence, FirstOccurrenceMatchesTheItem) {
  size_t series = 0;
  for (const char* file : {"pranavsundararajan__National-Cyber-Scholarship-2021-Writeups__fe01.ost",
                           "rjohnsondev__java-libpst__dist-list.pst"}) {
    for (const auto& item : render_file(file, 3)) {
      if (item.format != ItemFormat::Ics) continue;
      auto cal = testing::parse_ical(item.bytes);
      ASSERT_TRUE(cal);
      auto events = testing::components(cal.get(), ICAL_VEVENT_COMPONENT);
      if (events.empty() || !icalcomponent_get_first_property(events[0], ICAL_RRULE_PROPERTY)) continue;
      ++series;
      icalcomponent* master = events[0];
      const icaltimetype start = icalcomponent_get_dtstart(master);
      const auto first = testing::occurrences(master, 1);
      ASSERT_EQ(first.size(), 1u);
      EXPECT_EQ(first[0], icaltime_as_ical_string(start)) << item.bytes;
      const auto whole = item::named_time(item.message, props::PSETID_Appointment, props::PidLidAppointmentStartWhole);
      ASSERT_TRUE(whole);
      if (start.is_date) {
        // All-day: StartWhole is local midnight; the date is within a day of it.
        const int64_t date = icaltime_as_timet(start);
        EXPECT_LT(std::llabs(date - *whole), 86400) << item.bytes;
      } else {
        EXPECT_EQ(icaltime_as_timet_with_zone(start, start.zone), *whole) << item.bytes;
      }
    }
  }
  if (series == 0) GTEST_SKIP() << "corpus not available";
  EXPECT_EQ(series, 14u);  // fe01: 13 series; dist-list: 1
}

}  // namespace
}  // namespace ostfs::render
