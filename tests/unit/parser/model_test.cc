#include "parser/model.h"

#include <gtest/gtest.h>

#include "parser/props.h"

namespace ostfs::model {
namespace {

Property prop(uint16_t id, uint16_t type, std::vector<uint8_t> value) {
  Property p;
  p.id = id;
  p.type = type;
  p.value = std::move(value);
  return p;
}

TEST(PropertyBag, ReadsTypedValues) {
  PropertyBag bag;
  bag.props.push_back(prop(props::PidTagMessageFlags, props::type::Int32, {0x10, 0, 0, 0}));
  bag.props.push_back(prop(0x0E1B, props::type::Boolean, {1}));
  bag.props.push_back(prop(props::PidTagSubject, props::type::Unicode, {'H', 0, 'i', 0}));
  bag.props.push_back(prop(props::PidTagMessageDeliveryTime, props::type::SysTime,
                           {0x00, 0x80, 0x3E, 0xD5, 0xDE, 0xB1, 0x9D, 0x01}));
  EXPECT_EQ(bag.int32(props::PidTagMessageFlags), 0x10);
  EXPECT_EQ(bag.boolean(0x0E1B), true);
  EXPECT_EQ(bag.string(props::PidTagSubject), "Hi");
  ASSERT_TRUE(bag.filetime(props::PidTagMessageDeliveryTime));
  // 0x019DB1DED53E8000 is 1970-01-01T00:00:00Z.
  EXPECT_EQ(filetime_to_unix(*bag.filetime(props::PidTagMessageDeliveryTime)), 0);
}

TEST(PropertyBag, MissingOrMistypedValuesAreEmpty) {
  PropertyBag bag;
  bag.props.push_back(prop(props::PidTagSubject, props::type::Int32, {1, 0, 0, 0}));
  EXPECT_FALSE(bag.string(props::PidTagSubject));
  EXPECT_FALSE(bag.int32(props::PidTagMessageFlags));
  EXPECT_EQ(bag.binary(props::PidTagSubject), nullptr);
  bag.props.push_back(prop(props::PidTagImportance, props::type::Int32, {1, 0}));  // truncated
  EXPECT_FALSE(bag.int32(props::PidTagImportance));
}

TEST(PropertyBag, FindsNamedPropertiesByKey) {
  PropertyBag bag;
  Property p = prop(0x8005, props::type::Unicode, {'a', 0});
  p.named = NamedId{props::PSETID_Address, 0x8083, {}};
  bag.props.push_back(p);
  ASSERT_NE(bag.find_named(props::PSETID_Address, 0x8083), nullptr);
  EXPECT_EQ(bag.find_named(props::PSETID_Address, 0x8084), nullptr);
  EXPECT_EQ(bag.find_named(props::PSETID_Task, 0x8083), nullptr);
}

TEST(Message, DecodesString8WithItsCodepage) {
  Message m;
  m.codepage = 1251;
  m.props.props.push_back(prop(props::PidTagSubject, props::type::String8, {0xC4, 0xE0}));
  EXPECT_EQ(m.text(props::PidTagSubject), "\xD0\x94\xD0\xB0");
  EXPECT_EQ(m.message_class(), "IPM.Note");
}

}  // namespace
}  // namespace ostfs::model
