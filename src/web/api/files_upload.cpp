// PUT /api/v1/files/{name} (docs/HTTP_API.md#files): the terminal's `put`
// with the body as its data. The hub's Repository::begin_upload checks the
// name, the limits and an existing file and reserves the space before a
// byte is read; hub::Upload writes each piece on a worker, as `put` writes
// each block, and publishes atomically (fsync, rename, fsync) at the end.
// The refusals are the hub's, code and text.
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/json/object.hpp>

#include <fmt/format.h>

#include "hub/core/async.hpp"
#include "hub/files/repository.hpp"
#include "hub/files/repository_refusal.hpp"
#include "hub/files/repository_upload.hpp"
#include "web/api/upload_headers.hpp"
#include "web/api/uploads.hpp"

namespace edgehub::web::api {

namespace asio = boost::asio;

namespace {

// What the hub's upload code threw, as the answer: a refusal's code and
// text, or a storage failure (logged with an error id; the client gets the
// id). Called from a catch block.
ApiResponse upload_failure(std::string_view client, std::string_view name, std::string_view suffix = {}) {
  try {
    throw;
  } catch (const hub::FileRefusal& refusal) {
    return hub_error(protocol::to_int(refusal.code()), refusal.what());
  } catch (const std::exception& e) {
    return hub_error(500, hub::storage_failure(client, name, e) + std::string(suffix));
  }
}

class FileSink final : public UploadSink {
 public:
  FileSink(hub::Hub& hub, std::unique_ptr<hub::Upload> upload, std::string client)
      : hub_(hub), upload_(std::move(upload)), client_(std::move(client)) {}
  ~FileSink() override { abort(); }

  // After a failure the rest of the body is read and dropped, as `put`
  // drops the blocks up to $0; the answer says what failed.
  asio::awaitable<void> write(std::string_view piece) override {
    if (!upload_) co_return;
    try {
      co_await hub::run_blocking(hub_.workers(), [&] { upload_->write(piece); });
    } catch (...) {
      failure_ = upload_failure(client_, name(), "; upload discarded");
    }
    if (failure_) co_await drop();
  }

  asio::awaitable<ApiResponse> finish() override {
    if (failure_) co_return *failure_;
    const std::uint64_t size = upload_->request().size;
    std::string sha;
    try {
      sha = co_await hub::run_blocking(hub_.workers(), [this] { return upload_->commit(); });
    } catch (...) {
      failure_ = upload_failure(client_, name());
    }
    const std::string stored = name();
    co_await drop();
    if (failure_) co_return *failure_;
    spdlog::info("{} stored '{}' ({} bytes) over HTTP", client_, stored, size);
    co_return json_ok(boost::json::object{{"name", stored}, {"size", size}, {"sha256", sha}}, 201);
  }

  // The client went away: the temporary is removed on a worker (unlinking
  // a large file is disk work), its reserved space freed.
  void abort() override {
    if (!upload_) return;
    spdlog::info("{}: upload of '{}' over HTTP aborted after {} bytes", client_, name(), upload_->received());
    asio::post(hub_.workers(), [upload = std::shared_ptr<hub::Upload>(std::move(upload_))] {});
  }

 private:
  std::string name() const { return upload_ ? upload_->request().name : std::string(); }
  asio::awaitable<void> drop() {
    co_await hub::run_blocking(hub_.workers(), [this] { upload_.reset(); });
  }

  hub::Hub& hub_;
  std::unique_ptr<hub::Upload> upload_;
  std::string client_;
  std::optional<ApiResponse> failure_;
};

bool wants_replace(const ApiRequest& request) {
  const auto value = request.query_value("replace");
  return value && (*value == "1" || *value == "true");
}

}  // namespace

asio::awaitable<UploadOpen> open_file_upload(ApiContext& ctx, ApiRequest& request) {
  auto headers = upload_headers(request);
  if (auto* refused = std::get_if<ApiResponse>(&headers)) co_return std::move(*refused);
  const auto& declared = std::get<UploadHeaders>(headers);
  const std::string user = browser_of(request).name();
  const std::string client = fmt::format("{} ({}, web)", user, request.remote_ip);
  hub::UploadRequest wanted{request.params.at(0), declared.size, declared.sha256, wants_replace(request), user};
  hub::Repository& repository = ctx.hub.repository();
  std::unique_ptr<hub::Upload> upload;
  try {
    upload = co_await hub::run_blocking(ctx.hub.workers(), [&] { return repository.begin_upload(std::move(wanted)); });
  } catch (const hub::FileRefusal& refusal) {
    hub::log_refusal(refusal, request.remote_ip, user, "PUT", request.params.at(0));
    co_return hub_error(protocol::to_int(refusal.code()), refusal.what());
  } catch (...) {
    co_return upload_failure(client, request.params.at(0));
  }
  spdlog::info("{} uploads '{}' ({} bytes) over HTTP", client, request.params.at(0), declared.size);
  co_return std::make_unique<FileSink>(ctx.hub, std::move(upload), client);
}

}  // namespace edgehub::web::api
