#pragma once
// The few MQTT 3.1.1 packets the benchmark tools speak (mqtt_idle,
// msg_load --protocol mqtt): encoding CONNECT, SUBSCRIBE, PUBLISH and
// PUBACK, and cutting a received byte stream into packets.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgehub::bench::mqtt {

// Control packet types (the high nibble of the first byte).
enum Type : std::uint8_t { kConnect = 1, kConnack = 2, kPublish = 3, kPuback = 4, kSubscribe = 8, kSuback = 9 };

// "Remaining length": 7 bits a byte, high bit = more bytes follow.
inline void append_remaining_length(std::string& out, std::size_t n) {
  do {
    auto byte = static_cast<unsigned char>(n % 128);
    n /= 128;
    if (n > 0) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (n > 0);
}

inline void append_u16(std::string& out, std::size_t v) {
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}

inline void append_string(std::string& out, std::string_view s) {
  append_u16(out, s.size());
  out += s;
}

inline std::string packet(std::uint8_t first_byte, const std::string& body) {
  std::string out(1, static_cast<char>(first_byte));
  append_remaining_length(out, body.size());
  return out + body;
}

// 3.1: CONNECT with only a client identifier, clean session.
inline std::string connect_packet(std::string_view client_id, unsigned keepalive) {
  std::string body;
  append_string(body, "MQTT");
  body.push_back(4);     // protocol level 4 = 3.1.1
  body.push_back(0x02);  // connect flags: clean session
  append_u16(body, keepalive);
  append_string(body, client_id);
  return packet(kConnect << 4, body);
}

// 3.8: SUBSCRIBE to one topic filter.
inline std::string subscribe_packet(std::uint16_t packet_id, std::string_view topic, unsigned qos) {
  std::string body;
  append_u16(body, packet_id);
  append_string(body, topic);
  body.push_back(static_cast<char>(qos));
  return packet(kSubscribe << 4 | 0x02, body);
}

// 3.3: PUBLISH; the packet id is sent only when qos > 0.
inline std::string publish_packet(std::string_view topic, std::string_view payload, unsigned qos,
                                  std::uint16_t packet_id) {
  std::string body;
  append_string(body, topic);
  if (qos > 0) append_u16(body, packet_id);
  body += payload;
  return packet(static_cast<std::uint8_t>(kPublish << 4 | qos << 1), body);
}

// 3.4: PUBACK, appended (receivers batch the ones they owe).
inline void append_puback(std::string& out, std::uint16_t packet_id) {
  out.push_back(static_cast<char>(kPuback << 4));
  out.push_back(2);
  append_u16(out, packet_id);
}

struct Packet {
  std::uint8_t type = 0;
  std::uint8_t flags = 0;
  std::string_view body;  // into the buffer given to next_packet
};

inline std::uint16_t read_u16(std::string_view s, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) << 8 | static_cast<unsigned char>(s[at + 1]));
}

// The next whole packet in in[offset..], advancing offset past it; nullopt
// when more bytes are needed. A malformed length sets `bad`.
inline std::optional<Packet> next_packet(std::string_view in, std::size_t& offset, bool& bad) {
  std::size_t length = 0;
  std::size_t at = offset + 1;
  for (unsigned shift = 0;; shift += 7, ++at) {
    if (shift > 21) {
      bad = true;
      return std::nullopt;
    }
    if (at >= in.size()) return std::nullopt;
    const auto byte = static_cast<unsigned char>(in[at]);
    length |= static_cast<std::size_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) break;
  }
  if (in.size() - at - 1 < length) return std::nullopt;
  const auto first = static_cast<unsigned char>(in[offset]);
  offset = at + 1 + length;
  return Packet{static_cast<std::uint8_t>(first >> 4), static_cast<std::uint8_t>(first & 0x0f),
                in.substr(at + 1, length)};
}

// CONNACK (3.2): accepted if the return code is 0.
inline bool connack_accepted(std::string_view body) { return body.size() == 2 && body[1] == 0; }

// PUBACK and SUBACK start with the packet id.
inline std::uint16_t packet_id(const Packet& p) { return p.body.size() >= 2 ? read_u16(p.body, 0) : 0; }

struct Publish {
  std::string_view topic;
  unsigned qos = 0;
  std::uint16_t packet_id = 0;
  std::string_view payload;
};

inline std::optional<Publish> parse_publish(const Packet& p) {
  if (p.body.size() < 2) return std::nullopt;
  Publish out;
  const std::size_t topic_length = read_u16(p.body, 0);
  out.qos = (p.flags >> 1) & 3;
  const std::size_t header = 2 + topic_length + (out.qos > 0 ? 2 : 0);
  if (p.body.size() < header) return std::nullopt;
  out.topic = p.body.substr(2, topic_length);
  if (out.qos > 0) out.packet_id = read_u16(p.body, 2 + topic_length);
  out.payload = p.body.substr(header);
  return out;
}

}  // namespace edgehub::bench::mqtt
