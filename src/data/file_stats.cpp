#include "data/file_stats.hpp"

#include <system_error>

#include "data/mapped_file.hpp"
#include "data/stream_validator.hpp"

namespace edgehub::data {

Outcome<Stats> stats_of_file(const std::filesystem::path& path) {
  try {
    const MappedFile file(path);
    StreamValidator validator;
    validator.feed(file.bytes());
    if (!validator.finish()) return Failure{validator.error()->message()};
    return validator.stats();
  } catch (const std::system_error& e) {
    return Failure{e.what()};
  }
}

}  // namespace edgehub::data
