#include "hub/files/repository.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "common/sha256.hpp"
#include "hub/files/repository_refusal.hpp"
#include "hub/files/repository_upload.hpp"

namespace edgehub::hub {
namespace {

namespace fs = std::filesystem;
using protocol::StatusCode;

class RepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("edgehub-repo-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()));
    dir_ = root_ / "files";
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(root_); }

  std::shared_ptr<Repository> open(RepositoryLimits limits = {1 << 20, 4 << 20, {}}) {
    return std::make_shared<Repository>(dir_, limits);
  }
  void write(const fs::path& p, const std::string& content) { std::ofstream(p, std::ios::binary) << content; }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  static std::string read_fd(const DownloadFile& f) {
    std::string out(f.size, '\0');
    EXPECT_EQ(::pread(f.fd->get(), out.data(), out.size(), 0), static_cast<ssize_t>(out.size()));
    return out;
  }
  // Runs f, expecting a refusal with this code; returns its text.
  template <typename F>
  static std::string refusal(F f, StatusCode code, bool suspicious) {
    try {
      f();
    } catch (const FileRefusal& r) {
      EXPECT_EQ(r.code(), code) << r.what();
      EXPECT_EQ(r.suspicious(), suspicious) << r.what();
      return r.what();
    }
    ADD_FAILURE() << "no refusal";
    return {};
  }
  std::unique_ptr<Upload> start(Repository& repo, const std::string& name, const std::string& content,
                                bool replace = false) {
    return repo.begin_upload({name, content.size(), sha256_hex(content), replace, "alice"});
  }

  fs::path root_, dir_;
};

TEST_F(RepositoryTest, UploadBecomesVisibleOnlyWhenCommitted) {
  auto repo = open();
  auto up = start(*repo, "a.txt", "hello world");
  up->write("hello ");
  EXPECT_TRUE(repo->list().empty()) << "the temporary is hidden";
  EXPECT_FALSE(fs::exists(dir_ / "a.txt"));
  up->write("world");
  up->commit();
  up.reset();
  EXPECT_EQ(read(dir_ / "a.txt"), "hello world");
  ASSERT_EQ(repo->list().size(), 1u);
  EXPECT_EQ(repo->list()[0].name, "a.txt");
  EXPECT_EQ(repo->list()[0].size, 11u);
  const auto f = repo->open_for_download("a.txt");
  EXPECT_EQ(f.sha256, sha256_hex("hello world"));
  EXPECT_EQ(read_fd(f), "hello world");
}

// An HTTP upload declares no SHA-256: commit checks none and returns the
// hash of what it stored (docs/HTTP_API.md#files).
TEST_F(RepositoryTest, AnUploadWithoutADeclaredHashReturnsTheHashItStored) {
  auto repo = open();
  auto up = repo->begin_upload({"web.txt", 5, "", false, "alice"});
  up->write("hello");
  EXPECT_EQ(up->commit(), sha256_hex("hello"));
  up.reset();
  EXPECT_EQ(repo->open_for_download("web.txt").sha256, sha256_hex("hello"));
}

TEST_F(RepositoryTest, DroppedOrBadUploadsLeaveNothing) {
  auto repo = open();
  start(*repo, "dropped", "abc")->write("ab");  // destroyed uncommitted
  auto short_up = start(*repo, "short", "abc");
  short_up->write("ab");
  EXPECT_NE(refusal([&] { short_up->commit(); }, StatusCode::BadRequest, false).find("Received 2 of the 3 bytes"),
            std::string::npos);
  short_up.reset();
  auto bad = repo->begin_upload({"bad", 3, sha256_hex("xyz"), false, "alice"});
  bad->write("abc");
  EXPECT_NE(refusal([&] { bad->commit(); }, StatusCode::BadRequest, false).find("SHA-256"), std::string::npos);
  bad.reset();
  auto longer = start(*repo, "long", "abc");
  refusal([&] { longer->write("abcd"); }, StatusCode::BadRequest, false);
  longer.reset();
  EXPECT_TRUE(fs::is_empty(dir_ / ".meta"));
  for (const auto& e : fs::directory_iterator(dir_)) EXPECT_EQ(e.path().filename(), ".meta");
}

TEST_F(RepositoryTest, ExistingNamesNeedReplace) {
  auto repo = open();
  auto first = start(*repo, "f", "one");
  first->write("one");
  first->commit();
  EXPECT_NE(refusal([&] { start(*repo, "f", "two"); }, StatusCode::Conflict, false).find("already exists"),
            std::string::npos);
  auto second = start(*repo, "f", "two", true);
  second->write("two");
  second->commit();
  EXPECT_EQ(read(dir_ / "f"), "two");
}

TEST_F(RepositoryTest, ANameTakenDuringAnUploadIsNotOverwritten) {
  auto repo = open();
  auto a = start(*repo, "race", "aaa");
  auto b = start(*repo, "race", "bbb");
  a->write("aaa");
  b->write("bbb");
  a->commit();
  refusal([&] { b->commit(); }, StatusCode::Conflict, false);
  b.reset();
  EXPECT_EQ(read(dir_ / "race"), "aaa");
}

TEST_F(RepositoryTest, DownloadKeepsTheVersionItOpened) {
  auto repo = open();
  auto v1 = start(*repo, "v", "version one");
  v1->write("version one");
  v1->commit();
  const auto opened = repo->open_for_download("v");
  auto v2 = start(*repo, "v", "v2", true);
  v2->write("v2");
  v2->commit();
  EXPECT_EQ(read_fd(opened), "version one");
  EXPECT_EQ(repo->open_for_download("v").sha256, sha256_hex("v2"));
}

TEST_F(RepositoryTest, SizeLimits) {
  auto repo = open({10, 25, {}});
  EXPECT_NE(refusal(
                [&] {
                  repo->begin_upload({"big", 11, sha256_hex(""), false, "alice"});
                },
                StatusCode::TooLarge, false)
                .find("--max-file-size"),
            std::string::npos);
  auto a = start(*repo, "a", std::string(10, 'a'));
  auto b = start(*repo, "b", std::string(10, 'b'));
  // 20 reserved by uploads in progress: 6 more would pass 25.
  EXPECT_NE(
      refusal([&] { start(*repo, "c", std::string(6, 'c')); }, StatusCode::TooLarge, false).find("uploads in progress"),
      std::string::npos);
  b.reset();  // dropped: its reservation is freed
  a->write(std::string(10, 'a'));
  a->commit();
  a.reset();
  auto c = start(*repo, "c", std::string(10, 'c'));
  c->write(std::string(10, 'c'));
  c->commit();
  c.reset();
  EXPECT_NE(
      refusal([&] { start(*repo, "d", std::string(6, 'd')); }, StatusCode::TooLarge, false).find("holds 20 bytes"),
      std::string::npos);
  start(*repo, "a", std::string(9, 'A'), true);  // replacing counts the difference
}

TEST_F(RepositoryTest, BadNamesLinksAndSpecialFilesAreRefused) {
  auto repo = open();
  write(root_ / "outside", "secret");
  write(dir_ / "inside", "fine");
  fs::create_symlink(root_ / "outside", dir_ / "link-out");
  fs::create_symlink("inside", dir_ / "link-in");
  fs::create_hard_link(root_ / "outside", dir_ / "hard");
  fs::create_directory(dir_ / "sub");
  ASSERT_EQ(::mkfifo((dir_ / "fifo").c_str(), 0644), 0);
  for (const char* name : {"../outside", "/etc/passwd", "..", ".meta", "sub/../inside"})
    refusal([&] { repo->open_for_download(name); }, StatusCode::BadRequest, true);
  for (const char* name : {"link-out", "link-in", "hard", "sub", "fifo"})
    refusal([&] { repo->open_for_download(name); }, StatusCode::Forbidden, true);
  refusal([&] { repo->open_for_download("missing"); }, StatusCode::NotFound, false);
  refusal([&] { start(*repo, "../escape", "x"); }, StatusCode::BadRequest, true);
  refusal([&] { start(*repo, "link-out", "x", true); }, StatusCode::Forbidden, true);
  EXPECT_EQ(read(root_ / "outside"), "secret");
  ASSERT_EQ(repo->list().size(), 1u) << "list shows only what get serves";
  EXPECT_EQ(repo->list()[0].name, "inside");
}

TEST_F(RepositoryTest, HashesAreRememberedAcrossRestarts) {
  write(dir_ / "manual", "placed by hand");
  {
    auto repo = open();
    EXPECT_EQ(repo->open_for_download("manual").sha256, sha256_hex("placed by hand"));
  }
  EXPECT_TRUE(fs::exists(dir_ / ".meta" / "manual"));
  // A sidecar is trusted only for the version it describes.
  write(dir_ / ".meta" / "manual", std::string("edgehub-sha256/1 garbage\n"));
  auto repo = open();
  EXPECT_EQ(repo->open_for_download("manual").sha256, sha256_hex("placed by hand"));
  write(dir_ / "manual", "changed in place!");
  EXPECT_EQ(repo->open_for_download("manual").sha256, sha256_hex("changed in place!"));
}

TEST_F(RepositoryTest, OpeningRemovesWhatACrashLeft) {
  write(dir_ / ".upload-0123456789abcdef.part", "half an upload");
  fs::create_directories(dir_ / ".meta");
  write(dir_ / ".meta" / "gone", "edgehub-sha256/1 1 2 3 4 x\n");
  write(dir_ / "kept", "kept");
  auto repo = open();
  EXPECT_FALSE(fs::exists(dir_ / ".upload-0123456789abcdef.part"));
  EXPECT_FALSE(fs::exists(dir_ / ".meta" / "gone"));
  EXPECT_TRUE(fs::exists(dir_ / "kept"));
}

}  // namespace
}  // namespace edgehub::hub
