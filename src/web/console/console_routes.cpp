// Serves the embedded console (docs/CONSOLE.md#how-it-is-served): public,
// revalidated on every load (no-cache + ETag, so a new edgehubd's console is
// picked up at once and an unchanged one costs a 304).
#include "web/console/console_routes.hpp"

#include <boost/beast/http/field.hpp>
#include <string>
#include <utility>

namespace edgehub::web {
namespace {

// The console talks only to its own origin; nothing inline runs, nothing
// frames it (docs/CONSOLE.md#security).
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

// True when an If-None-Match list ("a", W/"b", *) names the asset's ETag.
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.find('*') != std::string_view::npos) return true;
  std::size_t at = if_none_match.find(etag);
  return !etag.empty() && at != std::string_view::npos;
}

ApiResponse serve(const ApiRequest& request, std::string_view name) {
  const Asset* asset = find_asset(name);
  if (!asset) return json_error(404, "not_found", "no such console asset");
  return asset_response(*asset, request);
}

}  // namespace

ApiResponse asset_response(const Asset& asset, const ApiRequest& request) {
  ApiResponse response;
  response.headers = {{"ETag", std::string(asset.etag)},
                      {"Cache-Control", "no-cache"},
                      {"X-Content-Type-Options", "nosniff"},
                      {"Content-Security-Policy", std::string(kContentSecurityPolicy)}};
  if (request.http) {
    auto it = request.http->find(http::field::if_none_match);
    if (it != request.http->end() && etag_matches(it->value(), asset.etag)) {
      response.status = 304;
      response.content_type.clear();
      return response;
    }
  }
  response.content_type = std::string(asset.content_type);
  response.body = std::string(asset.bytes);
  return response;
}

void register_console_routes(Router& router, WebServices& /*services*/) { add_console_routes(router); }

void add_console_routes(Router& router) {
  auto page = [](ApiRequest& request) -> boost::asio::awaitable<ApiResponse> {
    co_return serve(request, "index.html");
  };
  auto file = [](ApiRequest& request) -> boost::asio::awaitable<ApiResponse> {
    co_return serve(request, request.params.at(0));
  };
  Route root;
  root.pattern = "/";
  root.handler = page;
  router.add(std::move(root));
  Route assets;
  assets.pattern = "/assets/{file}";
  assets.handler = file;
  router.add(std::move(assets));
}

}  // namespace edgehub::web
