#include "client/shell/shell_words.hpp"

#include <gtest/gtest.h>

namespace edgehub::client {
namespace {

using Words = std::vector<std::string>;

TEST(AnalyseCompletion, FirstWordIsACommand) {
  const auto r = analyse_completion("whoel");
  EXPECT_EQ(r.target, CompletionTarget::Command);
  EXPECT_EQ(r.prefix, "whoel");
  EXPECT_EQ(analyse_completion("").target, CompletionTarget::Command);
  EXPECT_EQ(analyse_completion("  ").prefix, "");
}

TEST(AnalyseCompletion, SecondWordOfMessagingCommandsIsAUser) {
  for (const char* text : {"msg b", "message b", "MSG b", "startprivate b", "stopprivate b", "verify b", "private b",
                           "UVF b", "uvf b", "block b", "unblock b"}) {
    const auto r = analyse_completion(text);
    EXPECT_EQ(r.target, CompletionTarget::User) << text;
    EXPECT_EQ(r.prefix, "b") << text;
  }
  EXPECT_EQ(analyse_completion("msg ").target, CompletionTarget::User);
  EXPECT_EQ(analyse_completion("msg ").prefix, "");
}

TEST(AnalyseCompletion, FilesAndNothing) {
  EXPECT_EQ(analyse_completion("put da").target, CompletionTarget::LocalFile);
  EXPECT_EQ(analyse_completion("UVF bob da").target, CompletionTarget::LocalFile);
  EXPECT_EQ(analyse_completion("UVF bob da").prefix, "da");
  EXPECT_EQ(analyse_completion("msg bob hel").target, CompletionTarget::None);
  EXPECT_EQ(analyse_completion("echo b").target, CompletionTarget::None);
  EXPECT_EQ(analyse_completion("AED x").target, CompletionTarget::None);
}

TEST(AnalyseCompletion, NameAfterGetIsARepositoryFile) {
  for (const char* text : {"get ma", "GET ma", "get -f ma", "get --replace ma"}) {
    const auto r = analyse_completion(text);
    EXPECT_EQ(r.target, CompletionTarget::RepoFile) << text;
    EXPECT_EQ(r.prefix, "ma") << text;
  }
  EXPECT_EQ(analyse_completion("get ").target, CompletionTarget::RepoFile);
  EXPECT_EQ(analyse_completion("get may.pdf x").target, CompletionTarget::None);
}

TEST(NamesFromFileList, FirstWordOfEachRow) {
  EXPECT_EQ(names_from_file_list({"may.pdf 1048576", "notes.txt 12", ""}), (Words{"may.pdf", "notes.txt"}));
}

TEST(CompleteWord, CommonPrefixAndMatches) {
  const Words commands{"whoelsesince", "whoelse", "who", "AED", "whoelse"};
  const auto r = complete_word("whoel", commands, true);
  EXPECT_EQ(r.matches, (Words{"whoelse", "whoelsesince"}));  // sorted, duplicate gone
  EXPECT_EQ(r.common, "whoelse");
  EXPECT_EQ(complete_word("ae", commands, true).matches, Words{"AED"});
  EXPECT_TRUE(complete_word("ae", commands, false).matches.empty());
  EXPECT_TRUE(complete_word("zz", commands, true).matches.empty());
  EXPECT_EQ(complete_word("", Words{"bob", "bert"}, false).common, "b");
}

TEST(WordsFromHelp, FirstWordsAndAliases) {
  const Words help{"AED                                the other active edge devices (aliases: whoelse, who)",
                   "echo TEXT                          the server answers TEXT ACK", "help  this list (aliases: ?)",
                   ""};
  EXPECT_EQ(words_from_help(help), (Words{"AED", "whoelse", "who", "echo", "help", "?"}));
}

TEST(NamesFromDeviceList, NameBeforeFirstComma) {
  EXPECT_EQ(names_from_device_list({"bob, 127.0.0.1, 5001, active since 1 May 2024 10:00:00", "carol, ::1, -, x", ""}),
            (Words{"bob", "carol"}));
}

TEST(FormatColumns, FillsRowsWithinWidth) {
  const auto rows = format_columns({"whoelse", "whoelsesince", "who"}, 30);
  ASSERT_EQ(rows.size(), 2u);  // 14-column cells: two per row
  EXPECT_EQ(rows[0], "whoelse       whoelsesince");
  EXPECT_EQ(rows[1], "who");
  EXPECT_EQ(format_columns({"a", "b"}, 0).size(), 2u);  // never zero per row
}

}  // namespace
}  // namespace edgehub::client
