// Registry::render: Prometheus text exposition format 0.0.4
// (docs/METRICS.md#the-format). One "# HELP" and one "# TYPE" line per
// family, then its series; a histogram's buckets are cumulative and end
// with le="+Inf", followed by _sum and _count.
#include <iterator>

#include <fmt/format.h>

#include "common/metrics/registry.hpp"

namespace edgehub::metrics {

namespace {

using Out = std::back_insert_iterator<std::string>;

// {label="value"} or nothing.
std::string labels_of(const std::string& label, const std::string& value) {
  if (label.empty()) return {};
  return fmt::format("{{{}=\"{}\"}}", label, escape_label_value(value));
}

void render_histogram(Out out, const std::string& name, const Histogram& h) {
  const Histogram::Snapshot s = h.snapshot();
  const auto& bounds = h.bounds();
  for (std::size_t i = 0; i < bounds.size(); ++i)
    fmt::format_to(out, "{}_bucket{{le=\"{}\"}} {}\n", name, bounds[i], s.cumulative[i]);
  fmt::format_to(out, "{}_bucket{{le=\"+Inf\"}} {}\n", name, s.count);
  fmt::format_to(out, "{}_sum {}\n", name, s.sum);
  fmt::format_to(out, "{}_count {}\n", name, s.count);
}

}  // namespace

std::string Registry::render() const {
  std::string text;
  text.reserve(16 * 1024);
  Out out(text);
  std::lock_guard lock(mutex_);
  for (const Family& f : families_) {
    if (f.series.empty()) continue;
    fmt::format_to(out, "# HELP {} {}\n# TYPE {} {}\n", f.name, escape_help(f.help), f.name,
                   f.type == Type::counter ? "counter"
                   : f.type == Type::gauge ? "gauge"
                                           : "histogram");
    for (const Series& s : f.series) {
      if (f.type == Type::histogram) {
        render_histogram(out, f.name, *static_cast<const Histogram*>(s.metric));
      } else if (f.type == Type::counter) {
        fmt::format_to(out, "{}{} {}\n", f.name, labels_of(f.label, s.label_value),
                       static_cast<const Counter*>(s.metric)->value());
      } else {
        fmt::format_to(out, "{}{} {}\n", f.name, labels_of(f.label, s.label_value),
                       static_cast<const Gauge*>(s.metric)->value());
      }
    }
  }
  return text;
}

}  // namespace edgehub::metrics
