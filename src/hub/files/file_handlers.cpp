// list, get, put: the file repository's commands (docs/FILES.md#wire-protocol).
// Disk work runs on the worker pool (run_blocking); a download's bytes go out
// through Peer::send_file (zero copy); an upload's blocks arrive through the
// session's block sink, each written on a worker while this connection reads
// nothing more, so a slow disk slows only the uploading client (TCP flow
// control), never the network thread.
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "common/strings.hpp"
#include "hub/core/async.hpp"
#include "hub/core/command_context.hpp"
#include "hub/core/commands.hpp"
#include "hub/core/hub.hpp"
#include "hub/files/repository.hpp"
#include "hub/files/repository_refusal.hpp"
#include "hub/files/repository_upload.hpp"

namespace edgehub::hub {
namespace {

using protocol::StatusCode;

std::string who(const Session& s) { return fmt::format("{} ({})", s.name, s.ip()); }

void refuse(CommandContext& ctx, const FileRefusal& refusal, std::string_view command, std::string_view name) {
  log_refusal(refusal, ctx.session.ip(), ctx.session.name, command, name);
  ctx.err(refusal.code(), refusal.what());
}

// ---------------------------------------------------------------- list

asio::awaitable<void> list_files(CommandContext& ctx) {
  Repository& repository = ctx.hub.repository();
  const auto entries = co_await run_blocking(ctx.hub.workers(), [&] { return repository.list(); });
  if (entries.empty()) {
    ctx.ok("The repository is empty");
    co_return;
  }
  std::uint64_t total = 0;
  std::vector<std::string> lines;
  lines.reserve(entries.size());
  for (const auto& e : entries) {
    total += e.size;
    lines.push_back(fmt::format("{} {}", e.name, e.size));
  }
  ctx.list(fmt::format("{} file{}, {} bytes", entries.size(), entries.size() == 1 ? "" : "s", total), lines);
}

// ---------------------------------------------------------------- get

// get NAME [OFFSET [LENGTH|- [SHA256]]]: the data wanted. LENGTH caps the
// bytes sent (clients fetch large files in windows, which bounds what they
// buffer); SHA256 is the hash of the file the client already holds a part
// of, so that a file changed meanwhile restarts from 0 instead of mixing
// two versions.
struct GetRequest {
  std::uint64_t offset = 0;
  std::optional<std::uint64_t> length;
  std::string sha256;
};

std::optional<GetRequest> parse_get(const CommandContext& ctx) {
  GetRequest r;
  const auto& a = ctx.args;
  if (a.size() > 1) {
    const auto offset = parse_uint64(a[1]);
    if (!offset) return std::nullopt;
    r.offset = *offset;
  }
  if (a.size() > 2 && a[2] != "-") {
    r.length = parse_uint64(a[2]);
    if (!r.length || *r.length == 0) return std::nullopt;
  }
  if (a.size() > 3) {
    if (!is_sha256_hex(a[3])) return std::nullopt;
    r.sha256 = std::string(a[3]);
  }
  return r;
}

std::optional<std::uint64_t> start_offset(CommandContext& ctx, const GetRequest& r, const DownloadFile& file) {
  if (!r.sha256.empty()) return r.sha256 == file.sha256 && r.offset <= file.size ? r.offset : 0;
  if (r.offset > file.size) {
    ctx.err(StatusCode::BadRequest,
            fmt::format("Offset {} is past the end of '{}' ({} bytes)", r.offset, ctx.args[0], file.size));
    return std::nullopt;
  }
  return r.offset;
}

asio::awaitable<void> get_file(CommandContext& ctx) {
  const std::string name = ctx.arg(0);
  const auto request = parse_get(ctx);
  if (!request) {
    ctx.err(StatusCode::BadRequest, fmt::format("Usage: {} (numbers of bytes, SHA256 64 hex digits)", ctx.spec.usage));
    co_return;
  }
  Repository& repository = ctx.hub.repository();
  DownloadFile file;
  try {
    file = co_await run_blocking(ctx.hub.workers(), [&] { return repository.open_for_download(name); });
  } catch (const FileRefusal& refusal) {
    refuse(ctx, refusal, "get", name);
    co_return;
  }
  const auto start = start_offset(ctx, *request, file);
  if (!start) co_return;
  const std::uint64_t count = std::min(file.size - *start, request->length.value_or(UINT64_MAX));
  // "+OK SIZE SHA256 OFFSET NAME", then COUNT bytes as $N blocks, then $0.
  ctx.ok(fmt::format("{} {} {} {}", file.size, file.sha256, *start, name));
  spdlog::info("{} gets '{}' from offset {}: {} of its {} bytes", who(ctx.session), name, *start, count, file.size);
  if (count > 0) {
    const int fd = file.fd->get();
    ctx.session.peer().send_file(
        {fd, std::move(file.fd), *start, count}, [client = who(ctx.session), name](std::uint64_t sent, bool complete) {
          if (!complete) spdlog::info("{}: download of '{}' interrupted after {} bytes", client, name, sent);
        });
  }
  ctx.session.send(protocol::encode_block_header(0));
}

// ---------------------------------------------------------------- put

struct UploadState {
  Hub& hub;
  std::unique_ptr<Upload> upload;  // null once failed: the rest is discarded until $0
  std::string client;
  std::string name;
  std::uint64_t size = 0;
  StatusCode code = StatusCode::Internal;
  std::string failure;
  // Touched only on the connection's thread, like the session.
  std::unique_ptr<asio::steady_timer> deadline;  // --upload-timeout without a block
  bool busy = false;                             // a block or the end is being stored
};
using State = std::shared_ptr<UploadState>;

// Drops the upload (removing its temporary) on a worker: unlinking a large
// file is disk work.
asio::awaitable<void> drop_upload(UploadState& st) {
  co_await run_blocking(st.hub.workers(), [&st] { st.upload.reset(); });
}

// An upload that sends nothing holds its reserved, preallocated space
// until the deadline, not for ever (docs/FILES.md#limits). The timer holds
// the state weakly: a finished upload is not kept alive by it.
asio::awaitable<void> expire_upload(std::shared_ptr<UploadState> st) {
  if (!st->upload || st->busy) co_return;  // failed already, or a block is being stored
  const auto seconds = st->hub.config().upload_timeout.count();
  st->code = StatusCode::Timeout;
  st->failure =
      fmt::format("No data for '{}' in {} s (edgehubd --upload-timeout); upload discarded", st->name, seconds);
  // Logged once the upload is gone (its temporary removed, then its
  // reservation released): a put that reads this line may take the space.
  const std::string line =
      fmt::format("{}: upload of '{}' discarded: no data for {} s; its {} reserved bytes are free again", st->client,
                  st->name, seconds, st->size);
  // Taken out here, on the connection's thread: a block arriving meanwhile
  // finds no upload and is dropped, never written into a removed file.
  std::unique_ptr<Upload> dropped = std::move(st->upload);
  co_await run_blocking(st->hub.workers(), [&dropped] { dropped.reset(); });
  spdlog::info("{}", line);
}

void arm_deadline(const std::shared_ptr<UploadState>& st) {
  if (!st->deadline) return;
  st->deadline->expires_after(st->hub.config().upload_timeout);  // cancels the previous wait
  st->deadline->async_wait([weak = std::weak_ptr<UploadState>(st)](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto state = weak.lock()) {
      const auto executor = state->deadline->get_executor();  // before state is moved into the coroutine
      asio::co_spawn(executor, expire_upload(std::move(state)), asio::detached);
    }
  });
}

// The helpers take the state by reference: GCC 12 may destroy a by-value
// argument that lives across a co_await twice (see hub/async.hpp).
asio::awaitable<void> store_block(UploadState& st, std::string_view block) {
  bool failed = false;
  try {
    co_await run_blocking(st.hub.workers(), [&] { st.upload->write(block); });
  } catch (const FileRefusal& refusal) {
    failed = true;
    st.code = refusal.code();
    st.failure = refusal.what();
  } catch (const std::exception& e) {
    failed = true;
    st.failure = storage_failure(st.client, st.name, e) + "; upload discarded";
  }
  if (failed) co_await drop_upload(st);
}

asio::awaitable<void> finish_upload(UploadState& st, Session& s) {
  if (st.upload) {
    try {
      co_await run_blocking(st.hub.workers(), [&] {
        st.upload->commit();
        st.upload.reset();
      });
      spdlog::info("{} stored '{}' ({} bytes)", st.client, st.name, st.size);
      s.send(protocol::encode_ok(fmt::format("Stored '{}': {} bytes, SHA-256 verified", st.name, st.size)));
    } catch (const FileRefusal& refusal) {
      st.code = refusal.code();
      st.failure = refusal.what();
    } catch (const std::exception& e) {
      st.failure = storage_failure(st.client, st.name, e);
    }
    if (st.upload) co_await drop_upload(st);
  }
  if (st.failure.empty()) co_return;
  spdlog::info("{}: upload of '{}' failed: {}", st.client, st.name, st.failure);
  s.send(protocol::encode_err(st.code, st.failure));
}

// st (a copy held by this coroutine's frame) keeps the state alive even
// after the sink that owned it is cleared.
asio::awaitable<void> on_upload_block(State st, Session& s, std::string_view block) {
  st->busy = true;
  if (!block.empty()) {
    if (st->upload) co_await store_block(*st, block);
    st->busy = false;
    arm_deadline(st);
    co_return;
  }
  s.end_block_sink();  // the block stream ends here, whatever follows
  if (st->deadline) st->deadline->cancel();
  co_await finish_upload(*st, s);
}

std::optional<UploadRequest> parse_put(CommandContext& ctx) {
  const auto size = parse_uint64(ctx.args[1]);
  const std::string sha = to_lower(ctx.args[2]);
  const bool flag_ok = ctx.args.size() < 4 || ctx.args[3] == "replace";
  if (!size || !is_sha256_hex(sha) || !flag_ok) {
    ctx.err(StatusCode::BadRequest, fmt::format("Usage: {} (SIZE in bytes, SHA256 64 hex digits)", ctx.spec.usage));
    return std::nullopt;
  }
  return UploadRequest{ctx.arg(0), *size, sha, ctx.args.size() == 4, ctx.session.name};
}

asio::awaitable<void> put_file(CommandContext& ctx) {
  if (ctx.session.receiving_blocks()) {
    ctx.err(StatusCode::Conflict, "An upload is already in progress on this connection; end it with $0 first");
    co_return;
  }
  auto request = parse_put(ctx);
  if (!request) co_return;
  Repository& repository = ctx.hub.repository();
  auto st = std::make_shared<UploadState>(UploadState{
      ctx.hub, nullptr, who(ctx.session), request->name, request->size, StatusCode::Internal, {}, nullptr, false});
  const std::uint64_t size = request->size;
  try {
    st->upload = co_await run_blocking(ctx.hub.workers(), [&] { return repository.begin_upload(std::move(*request)); });
  } catch (const FileRefusal& refusal) {
    refuse(ctx, refusal, "put", st->name);
    co_return;
  }
  ctx.session.set_block_sink([st](Session& s, std::string_view block) { return on_upload_block(st, s, block); });
  if (ctx.hub.config().upload_timeout.count() > 0) {
    st->deadline = std::make_unique<asio::steady_timer>(co_await asio::this_coro::executor);
    arm_deadline(st);
  }
  spdlog::info("{} uploads '{}' ({} bytes)", st->client, st->name, size);
  ctx.ok(fmt::format("Ready for {} bytes of '{}': send them as $N blocks, then $0", size, st->name));
}

}  // namespace

void register_file_commands(CommandTable& table) {
  table.add({.name = "list",
             .aliases = {},
             .min_args = 0,
             .max_args = 0,
             .access = Access::LoggedIn,
             .usage = "list",
             .help = "the files in the repository, with their sizes in bytes",
             .handler = list_files});
  table.add({.name = "get",
             .aliases = {},
             .min_args = 1,
             .max_args = 4,
             .access = Access::LoggedIn,
             .usage = "get NAME [OFFSET [LENGTH|- [SHA256]]]",
             .help = "download NAME from byte OFFSET, at most LENGTH bytes (SHA256: of the part already held)",
             .handler = get_file});
  table.add({.name = "put",
             .aliases = {},
             .min_args = 3,
             .max_args = 4,
             .access = Access::LoggedIn,
             .usage = "put NAME SIZE SHA256 [replace]",
             .help = "upload NAME as $N blocks ending with $0 (replace: overwrite a file of the same name)",
             .handler = put_file});
}

}  // namespace edgehub::hub
