// Edge data (docs/HTTP_API.md#edge-data): the list of a device's uploaded
// files with their statistics records (read on a worker), `SCS FILEID OP`
// and `DTE FILEID` through the hub's command line.
#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <filesystem>

#include "common/time_format.hpp"
#include "data/answer.hpp"
#include "data/file_id.hpp"
#include "data/histogram.hpp"
#include "data/mapped_file.hpp"
#include "data/operation.hpp"
#include "data/stats.hpp"
#include "hub/core/async.hpp"
#include "web/api/api_routes.hpp"
#include "web/api/uploads.hpp"

namespace edgehub::web::api {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using protocol::ServerMessage;

namespace {

// "file 7: SUM = 123" -> 123 (a JSON number when it is one); "file 7 holds
// no values: ... is undefined" -> null.
boost::json::value answer_value(std::string_view answer) {
  const auto eq = answer.find(" = ");
  if (eq == std::string_view::npos) return nullptr;
  const std::string text(answer.substr(eq + 3));
  boost::system::error_code ec;
  auto number = boost::json::parse(text, ec);
  if (!ec && number.is_number()) return number;
  return boost::json::value(text);
}

}  // namespace

// Also the answer of an upload (edge_data_upload.cpp).
boost::json::value edge_stats_json(data::FileId id, const std::optional<data::Stats>& stats) {
  if (!stats) return nullptr;
  boost::json::object o;
  for (auto op : {data::Operation::sum, data::Operation::average, data::Operation::min, data::Operation::max,
                  data::Operation::count, data::Operation::stddev}) {
    std::string key(data::operation_name(op));
    for (char& c : key) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    o[key] = answer_value(data::answer_from_stats(id, op, *stats));
  }
  return o;
}

namespace {

// NAME-FILEID.txt in DATA/uploads/NAME (hub/edge_data/edge_data_store.hpp).
boost::json::array list_device(const hub::Hub& hub, const std::string& device) {
  boost::json::array files;
  std::error_code ec;
  const fs::path dir = hub.config().data_dir / "uploads" / device;
  const std::string prefix = device + "-";
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix) || !name.ends_with(".txt") || !entry.is_regular_file(ec)) continue;
    const auto id = data::parse_file_id(name.substr(prefix.size(), name.size() - prefix.size() - 4));
    if (!id) continue;
    std::optional<data::Stats> stats;
    try {
      stats = hub.edge_data().stats(device, *id);
    } catch (const std::exception&) {
    }
    const auto mtime = fs::last_write_time(entry.path(), ec);
    const auto uploaded =
        std::chrono::time_point_cast<std::chrono::system_clock::duration>(std::chrono::file_clock::to_sys(mtime));
    files.push_back(boost::json::object{{"id", id->value()},
                                        {"name", name},
                                        {"values", stats ? stats->count : 0},
                                        {"bytes", entry.file_size(ec)},
                                        {"stats", edge_stats_json(*id, stats)},
                                        {"uploaded", format_iso_utc(uploaded)}});
  }
  std::sort(files.begin(), files.end(), [](const boost::json::value& a, const boost::json::value& b) {
    return a.as_object().at("id").as_uint64() < b.as_object().at("id").as_uint64();
  });
  return files;
}

asio::awaitable<ApiResponse> list_edge_data(ApiContext& ctx, ApiRequest& request) {
  const std::string device = browser_of(request).name();
  const hub::Hub& hub = ctx.hub;
  auto files = co_await hub::run_blocking(ctx.hub.workers(), [&] { return list_device(hub, device); });
  co_return json_ok(boost::json::object{{"files", std::move(files)}});
}

std::optional<ApiResponse> bad_id(const std::string& text) {
  if (data::parse_file_id(text)) return std::nullopt;
  return bad_request("FILEID must be a number (digits only)");
}

asio::awaitable<ApiResponse> compute(ApiContext& /*ctx*/, ApiRequest& request) {
  const std::string& id = request.params.at(0);
  if (auto refused = bad_id(id)) co_return *refused;
  auto body = parse_object(request);
  if (body.error) co_return *body.error;
  std::optional<ApiResponse> error;
  auto op = string_field(body.object, "op", error);
  if (error) co_return *error;
  if (!data::parse_operation(*op)) co_return bad_request("op must be SUM, AVERAGE, MAX, MIN, COUNT, MEDIAN or STDDEV");
  const std::string line = "SCS " + id + " " + *op;
  const auto reply = co_await run_line(request, line);
  if (reply.kind != ServerMessage::Kind::Ok) co_return from_reply(reply);
  co_return json_ok(boost::json::object{{"op", *op}, {"result", answer_value(reply.text)}});
}

struct Binned {
  bool found = false;
  std::string error;
  data::Histogram histogram;
};

Binned bin_file(const hub::Hub& hub, const std::string& device, data::FileId id, std::size_t bins) {
  Binned out;
  try {
    const auto fd = hub.edge_data().open_data(device, id);
    if (!fd.valid()) return out;
    out.found = true;
    const data::MappedFile file(fd.get());
    out.histogram = data::histogram_of_lines(file.bytes(), bins);
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

boost::json::object histogram_json(const data::Histogram& h) {
  boost::json::array bins;
  for (const auto& b : h.bins) bins.push_back(boost::json::object{{"lo", b.lo}, {"hi", b.hi}, {"count", b.count}});
  boost::json::object o{{"values", h.values}, {"min", nullptr}, {"max", nullptr}, {"bins", std::move(bins)}};
  if (h.values > 0) {
    o["min"] = h.min;
    o["max"] = h.max;
  }
  return o;
}

// Binned on a worker from the stored file; the browser gets only the bins.
asio::awaitable<ApiResponse> histogram(ApiContext& ctx, ApiRequest& request) {
  const auto id = data::parse_file_id(request.params.at(0));
  if (!id) co_return bad_request("FILEID must be a number (digits only)");
  const std::string bins_text = request.query_value("bins").value_or("20");
  const auto bins =
      bins_text.size() <= 3 && !bins_text.empty() && bins_text.find_first_not_of("0123456789") == std::string::npos
          ? std::stoul(bins_text)
          : 0;
  if (bins < 1 || bins > 200) co_return bad_request("bins must be a whole number from 1 to 200");
  const std::string device = browser_of(request).name();
  const hub::Hub& hub = ctx.hub;
  const auto binned = co_await hub::run_blocking(ctx.hub.workers(), [&] { return bin_file(hub, device, *id, bins); });
  if (!binned.error.empty()) co_return json_error(500, "internal", binned.error);
  if (!binned.found) co_return json_error(404, "not_found", "file " + id->str() + " does not exist on the server");
  co_return json_ok(histogram_json(binned.histogram));
}

asio::awaitable<ApiResponse> remove(ApiContext& /*ctx*/, ApiRequest& request) {
  const std::string& id = request.params.at(0);
  if (auto refused = bad_id(id)) co_return *refused;
  const std::string line = "DTE " + id;
  const auto reply = co_await run_line(request, line);
  if (reply.kind != ServerMessage::Kind::Ok) co_return from_reply(reply);
  co_return json_ok(boost::json::object{});
}

}  // namespace

void add_edge_data_routes(Router& router, const std::shared_ptr<ApiContext>& ctx) {
  router.add(json_route(http::verb::get, "/api/v1/edge-data", Access::LoggedIn, with(ctx, list_edge_data)));
  router.add(json_route(http::verb::post, "/api/v1/edge-data/{id}/scs", Access::LoggedIn, with(ctx, compute)));
  router.add(json_route(http::verb::get, "/api/v1/edge-data/{id}/histogram", Access::LoggedIn, with(ctx, histogram)));
  router.add(json_route(http::verb::delete_, "/api/v1/edge-data/{id}", Access::LoggedIn, with(ctx, remove)));
  router.add(upload_route("/api/v1/edge-data/{id}", with(ctx, open_edge_data_upload)));
}

}  // namespace edgehub::web::api
