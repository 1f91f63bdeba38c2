// UED, SCS, DTE (docs/EDGE_DATA.md#the-commands-end-to-end). A device works
// only on its own files: every path is built from the session's own name.
#include <fmt/format.h>

#include <memory>

#include "common/atomic_file.hpp"
#include "common/strings.hpp"
#include "data/answer.hpp"
#include "data/data_log.hpp"
#include "data/median.hpp"
#include "data/operation.hpp"
#include "data/stats_format.hpp"
#include "hub/core/async.hpp"
#include "hub/core/command_context.hpp"
#include "hub/core/commands.hpp"
#include "hub/core/hub.hpp"
#include "hub/edge_data/edge_upload.hpp"

namespace edgehub::hub {
namespace {

using protocol::StatusCode;

// The result of disk work on a worker, or the message of what it threw (a
// device directory replaced by a link, say): the client gets that message,
// not a generic error (docs/EDGE_DATA.md#storage-and-crash-consistency).
template <class T>
struct Guarded {
  std::optional<T> value;
  std::string error;
};

template <class Work>
auto guarded(const Work& work) -> Guarded<decltype(work())> {
  try {
    return {work(), {}};
  } catch (const std::exception& e) {
    return {std::nullopt, e.what()};
  }
}

// Refuses the command; the blocks the client already streams are swallowed.
void refuse_upload(CommandContext& ctx, StatusCode code, std::string_view why) {
  ctx.err(code, why);
  ctx.session.set_block_sink(discard_blocks_until_end());
}

boost::asio::awaitable<void> upload(CommandContext& ctx) {
  const auto id = data::parse_file_id(ctx.args[0]);
  if (!id) co_return refuse_upload(ctx, StatusCode::BadRequest, id.error());
  const auto size = parse_uint64(ctx.args[1]);
  if (!size) co_return refuse_upload(ctx, StatusCode::BadRequest, "SIZE must be a non-negative integer");
  if (const auto too_large = check_edge_upload_size(*size))
    co_return refuse_upload(ctx, too_large->code, too_large->message);
  const std::string sha = ctx.arg(2);
  if (sha != kDigestFollows && !is_sha256_hex(sha))
    co_return refuse_upload(ctx, StatusCode::BadRequest,
                            "SHA256 must be 64 lower-case hex digits, or - when it follows the data");
  auto state = std::make_shared<EdgeUpload>(ctx.hub, ctx.session.name, *id, *size, sha);
  if (!co_await state->open(ctx.session)) {
    ctx.session.set_block_sink(discard_blocks_until_end());
    co_return;
  }
  ctx.session.set_block_sink([state](Session& s, std::string_view block) { return state->on_block(s, block); });
}

boost::asio::awaitable<void> compute(CommandContext& ctx) {
  const auto id = data::parse_file_id(ctx.args[0]);
  if (!id) co_return ctx.err(StatusCode::BadRequest, id.error());
  const auto op = data::parse_operation_arg(ctx.args[1]);
  if (!op) co_return ctx.err(StatusCode::BadRequest, op.error());
  const EdgeDataStore& store = ctx.hub.edge_data();
  const std::string& device = ctx.session.name;
  // Even the small statistics record is read on a worker: no disk I/O on a
  // network thread (docs/ARCHITECTURE.md#threads-and-who-owns-what).
  const auto looked =
      co_await run_blocking(ctx.hub.workers(), [&] { return guarded([&] { return store.stats(device, *id); }); });
  if (!looked.error.empty()) co_return ctx.err(StatusCode::Internal, looked.error);
  const auto& stats = *looked.value;
  if (!stats) co_return ctx.err(StatusCode::NotFound, fmt::format("file {} does not exist on the server", id->str()));
  // O(1): answered from the record, no scan of the data.
  if (!data::needs_values(*op)) co_return ctx.ok(data::answer_from_stats(*id, *op, *stats));
  // Outcome has no default state, which run_blocking needs: carry it in an optional.
  const auto result = co_await run_blocking(ctx.hub.workers(), [&] {
    return guarded([&] {
      const UniqueFd file = store.open_data(device, *id);
      if (!file.valid()) return data::Outcome<data::Median>(data::Failure{"the file vanished"});
      return data::median_of_fd(file.get());
    });
  });
  if (!result.error.empty()) co_return ctx.err(StatusCode::Internal, result.error);
  const auto& median = *result.value;
  if (!median) co_return ctx.err(StatusCode::Internal, median.error());
  if (median->count == 0) co_return ctx.ok(data::format_undefined(*id, *op));
  ctx.ok(data::format_answer(*id, *op, data::format_half(median->twice)));
}

boost::asio::awaitable<void> remove(CommandContext& ctx) {
  const auto id = data::parse_file_id(ctx.args[0]);
  if (!id) co_return ctx.err(StatusCode::BadRequest, id.error());
  const std::string device = ctx.session.name;
  const auto log = ctx.hub.config().data_dir / "deletion-log.txt";
  const EdgeDataStore& store = ctx.hub.edge_data();
  const auto looked = co_await run_blocking(ctx.hub.workers(), [&] {
    return guarded([&] {
      auto stats = store.remove(device, *id);
      if (stats)
        append_line_durably(log,
                            data::format_data_log_line(device, std::chrono::system_clock::now(), *id, stats->count));
      return stats;
    });
  });
  if (!looked.error.empty()) co_return ctx.err(StatusCode::Internal, looked.error);
  const auto& removed = *looked.value;
  if (!removed) co_return ctx.err(StatusCode::NotFound, fmt::format("file {} does not exist on the server", id->str()));
  ctx.ok(fmt::format("file {} removed from the server", id->str()));
}

}  // namespace

void register_edge_data_commands(CommandTable& table) {
  table.add({.name = "UED",
             .aliases = {},
             .min_args = 3,
             .max_args = 3,
             .access = Access::LoggedIn,
             .usage = "UED FILEID SIZE SHA256|-",
             .help = "upload NAME-FILEID.txt (the client sends it as $N blocks ending with $0; with -, its SHA-256 "
                     "follows the data as one more block)",
             .handler = upload});
  table.add({.name = "SCS",
             .aliases = {},
             .min_args = 2,
             .max_args = 2,
             .access = Access::LoggedIn,
             .usage = "SCS FILEID OP",
             .help = "compute SUM, AVERAGE, MAX, MIN, COUNT, MEDIAN or STDDEV on your uploaded file",
             .handler = compute});
  table.add({.name = "DTE",
             .aliases = {},
             .min_args = 1,
             .max_args = 1,
             .access = Access::LoggedIn,
             .usage = "DTE FILEID",
             .help = "delete your uploaded file from the server",
             .handler = remove});
}

}  // namespace edgehub::hub
