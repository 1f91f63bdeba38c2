#pragma once
// The two streamed uploads of the API (docs/HTTP_API.md#streamed-uploads),
// each the hub's own code under an UploadSink: PUT /api/v1/files/NAME is
// `put` (hub::Repository::begin_upload, hub::Upload) and
// PUT /api/v1/edge-data/ID is `UED` (hub::EdgeIntake). The route is added
// by files_routes.cpp and edge_data_routes.cpp.
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <optional>

#include "data/file_id.hpp"
#include "data/stats.hpp"

#include "web/api/api_common.hpp"

namespace edgehub::web::api {

boost::asio::awaitable<UploadOpen> open_file_upload(ApiContext& ctx, ApiRequest& request);
boost::asio::awaitable<UploadOpen> open_edge_data_upload(ApiContext& ctx, ApiRequest& request);

// A file's statistics record as JSON, null without one (edge_data_routes.cpp):
// the listing's and the upload's answer.
boost::json::value edge_stats_json(data::FileId id, const std::optional<data::Stats>& stats);

}  // namespace edgehub::web::api
