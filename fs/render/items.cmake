# Renderers for non-mail items: contacts and distribution lists as vCard, calendar items,
# tasks and journal entries as iCalendar (built with libical), sticky notes as text.
# GLOBAL: the items tests link libical too, to parse and expand what we write.
pkg_check_modules(LIBICAL REQUIRED IMPORTED_TARGET GLOBAL libical)
add_library(ostfs_items STATIC
  entry_id.cc
  ics.cc
  ics_component.cc
  ics_event.cc
  ics_journal.cc
  ics_task.cc
  ics_timezone.cc
  item_as_mail.cc
  item_format.cc
  item_local_time.cc
  item_props.cc
  item_time.cc
  note.cc
  recurrence.cc
  recurrence_rule.cc
  timezone.cc
  vcard_writer.cc
  vcf.cc
  vcf_contact.cc
  vcf_distlist.cc)
target_include_directories(ostfs_items PUBLIC ${PROJECT_SOURCE_DIR})
# ostfs_render gives the plain-text body (RTF/HTML fallbacks) and multi-valued strings.
target_link_libraries(ostfs_items PUBLIC ostfs_model PRIVATE ostfs_render PkgConfig::LIBICAL)
