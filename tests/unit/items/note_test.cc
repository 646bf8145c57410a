#include "fs/render/note.h"

#include <gtest/gtest.h>

#include "fs/render/item_time.h"
#include "item_builder.h"

namespace ostfs::render {
namespace {

using testing::ItemBuilder;

TEST(RenderNote, HeaderBlankLineBody) {
  ItemBuilder b("IPM.StickyNote");
  b.unicode(props::PidTagBody, "Buy milk\r\n  and eggs\r\n\r\n")
      .unicode(props::PidTagSubject, "Buy milk")
      .named_int32(props::PSETID_Note, props::PidLidNoteColor, 3)
      .time(props::PidTagCreationTime, item::seconds_from_civil({2016, 8, 3, 4, 17, 0}))
      .time(props::PidTagLastModificationTime, item::seconds_from_civil({2016, 8, 3, 5, 0, 9}));
  EXPECT_EQ(render_note(b.build()),
            "Color: yellow\n"
            "Created: 2016-08-03 04:17:00 UTC\n"
            "Modified: 2016-08-03 05:00:09 UTC\n"
            "\n"
            "Buy milk\n  and eggs\n");
}

TEST(RenderNote, ColorsAndMissingParts) {
  const char* names[] = {"blue", "green", "pink", "yellow", "white"};
  for (int c = 0; c < 5; ++c) {
    ItemBuilder b("IPM.StickyNote");
    b.named_int32(props::PSETID_Note, props::PidLidNoteColor, c);
    EXPECT_EQ(render_note(b.build()), std::string("Color: ") + names[c] + "\n\n");
  }
  ItemBuilder odd("IPM.StickyNote");
  odd.named_int32(props::PSETID_Note, props::PidLidNoteColor, 9).unicode(props::PidTagSubject, "Only a subject");
  EXPECT_EQ(render_note(odd.build()), "Color: unknown (9)\n\nOnly a subject\n");
  auto damaged = ItemBuilder("IPM.StickyNote").build();
  damaged.warnings.push_back("body stream unreadable");
  EXPECT_EQ(render_note(damaged), "Warning: body stream unreadable\n\n");
}

}  // namespace
}  // namespace ostfs::render
