// Contacts, calendar items and notes whose own format could not carry all of them are shown
// as .eml instead, so that nothing of an item hides behind a file that looks complete.
#pragma once

#include "fs/render/conversion.h"
#include "fs/render/item_format.h"
#include "parser/model.h"

namespace ostfs::render {

// The file name the partial conversion gets inside the mail: "item.vcf", "item.ics" or
// "item.txt" for `format`.
std::string partial_conversion_name(ItemFormat format);

// `item` made ready for render_eml(): its own properties, recipients and attachments as they
// are, plus one more attachment holding `conversion.bytes` (text/vcard, text/calendar or
// text/plain, named by partial_conversion_name(), so it can still be imported), and warnings
// (X-OSTFS-Warning header lines) saying that the item is shown as mail and what the
// conversion lost. Pure; throws only std::bad_alloc.
model::Message item_as_mail(model::Message item, const Conversion& conversion, ItemFormat format);

}  // namespace ostfs::render
