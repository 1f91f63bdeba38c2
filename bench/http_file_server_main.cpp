// The HTTP server's download path alone (docs/BENCHMARKS.md#http-download):
// web::HttpServer, exactly as edgehubd runs it, with one public route that
// answers GET /big.bin with a FileBody of --file. bench/http_bench.sh
// compares it with nginx; with the API merged it also measures edgehubd's
// logged-in GET /api/v1/files/NAME.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "web/server/http_server.hpp"

namespace {

using namespace edgehub;

web::ApiHandler file_route(const std::string& path) {
  return [path](web::ApiRequest&) -> boost::asio::awaitable<web::ApiResponse> {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) co_return web::json_error(404, "not_found", "no such file");
    web::ApiResponse r;
    r.file.emplace();
    r.file->fd = fd;
    r.file->owner = std::shared_ptr<const void>(nullptr, [fd](const void*) { ::close(fd); });
    r.file->size = std::filesystem::file_size(path);
    r.file->etag = "\"bench\"";
    r.file->download_name = std::filesystem::path(path).filename().string();
    co_return r;
  };
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Serves one file over HTTP with edgehubd's HTTP server (bench/http_bench.sh)"};
  std::string file;
  int port = 0;
  std::size_t threads = 1;
  app.add_option("--file", file, "the file served at /big.bin")->required();
  app.add_option("--port", port, "TCP port on 127.0.0.1 (0 = any)");
  app.add_option("--threads", threads, "network threads");
  CLI11_PARSE(app, argc, argv);
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts;
  std::vector<boost::asio::any_io_executor> executors;
  for (std::size_t i = 0; i < std::max<std::size_t>(1, threads); ++i) {
    contexts.push_back(std::make_unique<boost::asio::io_context>(1));
    executors.emplace_back(contexts.back()->get_executor());
  }
  web::Router router;
  web::Route route;
  route.pattern = "/big.bin";
  route.handler = file_route(file);
  router.add(std::move(route));
  web::HttpOptions options;
  options.port = static_cast<std::uint16_t>(port);
  web::HttpServer server(options, net::Listener("127.0.0.1", options.port), executors,
                         std::make_shared<web::Router>(std::move(router)), nullptr);
  server.start();
  boost::asio::signal_set signals(*contexts[0], SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    for (auto& c : contexts) c->stop();
  });
  std::printf("listening on 127.0.0.1:%u\n", static_cast<unsigned>(server.port()));
  std::fflush(stdout);
  std::vector<std::thread> runners;
  for (std::size_t i = 1; i < contexts.size(); ++i) runners.emplace_back([c = contexts[i].get()] { c->run(); });
  contexts[0]->run();
  for (auto& t : runners) t.join();
  return 0;
}
