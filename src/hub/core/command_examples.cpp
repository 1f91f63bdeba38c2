#include "hub/core/command_examples.hpp"

#include <array>
#include <utility>

namespace edgehub::hub {
namespace {

// The digests are real: SHA-256 of "hello world\n" (12 bytes), and for the
// swarm root that of nothing.

constexpr std::array<std::pair<std::string_view, std::string_view>, 36> kExamples{{
    {"login", "login alice wonder1and 6001"},
    {"certlogin", "certlogin sensor1 6001"},
    {"resume", "resume alice 65002346b4bc5b8ae072c30dd42197357010572c922ed858091b222c1aac667b 6001"},
    {"notify", "notify off"},
    {"echo", "echo hello"},
    {"help", "help message"},
    {"ping", "ping"},
    {"AED", "AED"},
    {"whoelsesince", "whoelsesince 60"},
    {"status", "status 10"},
    {"udpport", "udpport 6001"},
    {"udpkey", "udpkey 8f2d9c4be07a51d3c6a9e8f1b2d4c7e09a3b5d6f8e1c2a4b7d9e0f3a5c6b8d1e"},
    {"OUT", "OUT"},
    {"message", "message bob see you at 5"},
    {"broadcast", "broadcast meeting in room 2"},
    {"block", "block bob"},
    {"unblock", "unblock bob"},
    {"startprivate", "startprivate bob 8f40c5adb68f25624ae5b214ea767a6ec94d829d3d7b5e1ad1ba6f3e2138285f"},
    {"accept",
     "accept alice 40123 0123456789abcdef0123456789abcdef "
     "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"},
    {"decline", "decline alice"},
    {"stopprivate", "stopprivate bob"},
    {"UED", "UED f1 12 a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447"},
    {"SCS", "SCS f1 AVERAGE"},
    {"DTE", "DTE f1"},
    {"list", "list"},
    {"get", "get notes.txt 6"},
    {"put", "put notes.txt 12 a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447"},
    {"uvf", "uvf bob 12 notes.txt"},
    {"share", "share 12 1048576 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 notes.txt"},
    {"unshare", "unshare notes.txt"},
    {"searchfile", "searchfile notes.txt"},
    {"searchchunk", "searchchunk notes.txt 0-9,12"},
    {"swarmget", "swarmget notes.txt"},
    {"swarmpeers", "swarmpeers e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"have", "have e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 0-9,12"},
    {"swarmstat", "swarmstat"},
}};

}  // namespace

std::string_view command_example(std::string_view name) {
  for (const auto& [command, example] : kExamples)
    if (command == name) return example;
  return {};
}

}  // namespace edgehub::hub
