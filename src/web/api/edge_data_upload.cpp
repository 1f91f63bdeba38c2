// PUT /api/v1/edge-data/{id} (docs/HTTP_API.md#edge-data): `UED ID SIZE
// [SHA256]` with the body as its data, through the hub's own EdgeIntake
// (hub/edge_data/edge_intake.hpp): the same size limit, the same
// validation and statistics as the bytes arrive, the same atomic install
// and upload log, the same refusal texts.
#include <boost/json/object.hpp>

#include "data/file_id.hpp"
#include "hub/edge_data/edge_intake.hpp"
#include "web/api/upload_headers.hpp"
#include "web/api/uploads.hpp"

namespace edgehub::web::api {

namespace asio = boost::asio;

namespace {

ApiResponse failed(const hub::EdgeFailure& failure) {
  return hub_error(protocol::to_int(failure.code), failure.message);
}

class EdgeSink final : public UploadSink {
 public:
  explicit EdgeSink(std::unique_ptr<hub::EdgeIntake> intake) : intake_(std::move(intake)) {}

  // After a failure the rest of the body is read and dropped, as UED drops
  // the blocks up to $0; the answer says what failed.
  asio::awaitable<void> write(std::string_view piece) override {
    if (failure_) co_return;
    failure_ = co_await intake_->take(piece);
    if (failure_) co_await intake_->discard();
  }

  asio::awaitable<ApiResponse> finish() override {
    if (failure_) co_return failed(*failure_);
    const hub::EdgeStored stored = co_await intake_->finish();
    if (stored.failure) {
      co_await intake_->discard();
      co_return failed(*stored.failure);
    }
    const data::FileId id = intake_->id();
    co_return json_ok(boost::json::object{{"id", id.value()},
                                          {"values", stored.stats.count},
                                          {"bytes", stored.bytes},
                                          {"sha256", stored.sha256},
                                          {"stats", edge_stats_json(id, stored.stats)}},
                      201);
  }

  // The client went away: EdgeIntake's destructor removes the temporary on
  // a worker.
  void abort() override { intake_.reset(); }

 private:
  std::unique_ptr<hub::EdgeIntake> intake_;
  std::optional<hub::EdgeFailure> failure_;
};

}  // namespace

asio::awaitable<UploadOpen> open_edge_data_upload(ApiContext& ctx, ApiRequest& request) {
  const auto id = data::parse_file_id(request.params.at(0));
  if (!id) co_return bad_request(id.error());
  auto headers = upload_headers(request);
  if (auto* refused = std::get_if<ApiResponse>(&headers)) co_return std::move(*refused);
  const auto& declared = std::get<UploadHeaders>(headers);
  if (const auto too_large = hub::check_edge_upload_size(declared.size)) co_return failed(*too_large);
  auto intake =
      std::make_unique<hub::EdgeIntake>(ctx.hub, browser_of(request).name(), *id, declared.size, declared.sha256);
  if (const auto failure = co_await intake->open()) co_return failed(*failure);
  co_return std::make_unique<EdgeSink>(std::move(intake));
}

}  // namespace edgehub::web::api
