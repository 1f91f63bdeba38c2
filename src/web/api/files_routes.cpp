// GET /api/v1/files (the repository listing), GET /api/v1/files/{name}
// (a download) and PUT /api/v1/files/{name} (an upload, files_upload.cpp),
// docs/HTTP_API.md#files. The file is opened and hashed on a
// worker, as `get` does; the web server streams it (sendfile, Range, ETag).
#include <sys/stat.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/time_format.hpp"
#include "hub/core/async.hpp"
#include "hub/files/repository.hpp"
#include "hub/files/repository_refusal.hpp"
#include "web/api/api_routes.hpp"
#include "web/api/uploads.hpp"

namespace edgehub::web::api {

namespace asio = boost::asio;

namespace {

struct Listed {
  std::string name;
  std::uint64_t size = 0;
  std::optional<SystemTime> modified;
};

std::vector<Listed> list_with_times(hub::Repository& repository) {
  std::vector<Listed> out;
  for (auto& entry : repository.list()) {
    Listed l{std::move(entry.name), entry.size, std::nullopt};
    struct stat st {};
    if (::fstatat(repository.dir_fd(), l.name.c_str(), &st, 0) == 0)
      l.modified = std::chrono::system_clock::from_time_t(st.st_mtime);
    out.push_back(std::move(l));
  }
  return out;
}

asio::awaitable<ApiResponse> list_repository(ApiContext& ctx, ApiRequest& /*request*/) {
  hub::Repository& repository = ctx.hub.repository();
  const auto entries = co_await hub::run_blocking(ctx.hub.workers(), [&] { return list_with_times(repository); });
  boost::json::array files;
  for (const auto& e : entries) {
    boost::json::object o{{"name", e.name}, {"size", e.size}};
    o["modified"] = e.modified ? boost::json::value(format_iso_utc(*e.modified)) : boost::json::value(nullptr);
    files.push_back(std::move(o));
  }
  co_return json_ok(boost::json::object{{"files", std::move(files)}});
}

struct Opened {
  std::optional<hub::DownloadFile> file;
  int code = 0;
  std::string refusal;
};

Opened open_file(hub::Repository& repository, const std::string& name) {
  try {
    return {repository.open_for_download(name), 0, {}};
  } catch (const hub::FileRefusal& refusal) {
    return {std::nullopt, protocol::to_int(refusal.code()), refusal.what()};
  }
}

asio::awaitable<ApiResponse> download(ApiContext& ctx, ApiRequest& request) {
  const std::string name = request.params.at(0);
  hub::Repository& repository = ctx.hub.repository();
  auto opened = co_await hub::run_blocking(ctx.hub.workers(), [&] { return open_file(repository, name); });
  if (!opened.file) co_return hub_error(opened.code, opened.refusal);
  ApiResponse response;
  FileBody body;
  body.fd = opened.file->fd->get();
  body.owner = opened.file->fd;
  body.size = opened.file->size;
  body.etag = "\"" + opened.file->sha256 + "\"";
  body.download_name = name;
  response.file = std::move(body);
  co_return response;
}

}  // namespace

void add_files_routes(Router& router, const std::shared_ptr<ApiContext>& ctx) {
  router.add(json_route(http::verb::get, "/api/v1/files", Access::LoggedIn, with(ctx, list_repository)));
  router.add(json_route(http::verb::get, "/api/v1/files/{name}", Access::LoggedIn, with(ctx, download)));
  router.add(upload_route("/api/v1/files/{name}", with(ctx, open_file_upload)));
}

}  // namespace edgehub::web::api
