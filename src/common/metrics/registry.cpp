#include "common/metrics/registry.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace edgehub::metrics {

namespace {

bool name_char(char c, bool first, bool colon) {
  const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
  return letter || (!first && c >= '0' && c <= '9');
}

bool valid_name(std::string_view name, bool colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (!name_char(name[i], i == 0, colon)) return false;
  return true;
}

}  // namespace

bool valid_metric_name(std::string_view name) { return valid_name(name, true); }
bool valid_label_name(std::string_view name) { return valid_name(name, false) && !name.starts_with("__"); }

namespace {
// The text format's escapes: backslash and newline everywhere, double
// quotes in label values too.
std::string escape(std::string_view text, bool quotes) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || (quotes && c == '"'))
      out += '\\', out += c;
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}
}  // namespace

std::string escape_help(std::string_view text) { return escape(text, false); }
std::string escape_label_value(std::string_view text) { return escape(text, true); }

Registry& registry() {
  static Registry process_wide;
  return process_wide;
}

Registry::Family& Registry::family(std::string_view name, std::string_view help, Type type, std::string_view label) {
  if (!valid_metric_name(name)) throw std::logic_error(fmt::format("invalid metric name '{}'", name));
  if (!label.empty() && !valid_label_name(label)) throw std::logic_error(fmt::format("invalid label '{}'", label));
  const auto it = by_name_.find(std::string(name));
  if (it == by_name_.end()) {
    by_name_.emplace(std::string(name), families_.size());
    families_.push_back({std::string(name), std::string(help), type, std::string(label), {}});
    return families_.back();
  }
  Family& f = families_[it->second];
  if (f.type != type || f.help != help || f.label != label)
    throw std::logic_error(fmt::format("metric '{}' registered twice with different type, help or label", name));
  return f;
}

const void* Registry::find(const Family& f, std::string_view value) const {
  for (const auto& s : f.series)
    if (s.label_value == value) return s.metric;
  return nullptr;
}

template <class Metric>
Metric& Registry::series(std::deque<Metric>& store, std::string_view name, std::string_view help, Type type,
                         std::string_view label, std::string_view value) {
  std::lock_guard lock(mutex_);
  Family& f = family(name, help, type, label);
  if (const void* known = find(f, value)) return *static_cast<Metric*>(const_cast<void*>(known));
  Metric& metric = store.emplace_back();
  f.series.push_back({std::string(value), &metric});
  return metric;
}

Counter& Registry::counter(std::string_view name, std::string_view help, std::string_view label,
                           std::string_view value) {
  return series(counters_, name, help, Type::counter, label, value);
}

Gauge& Registry::gauge(std::string_view name, std::string_view help, std::string_view label, std::string_view value) {
  return series(gauges_, name, help, Type::gauge, label, value);
}

Histogram& Registry::histogram(std::string_view name, std::string_view help, std::vector<double> bounds, double unit) {
  std::lock_guard lock(mutex_);
  Family& f = family(name, help, Type::histogram, {});
  if (const void* known = find(f, {})) return *static_cast<Histogram*>(const_cast<void*>(known));
  Histogram& h = histograms_.emplace_back(std::move(bounds), unit);
  f.series.push_back({std::string(), &h});
  return h;
}

}  // namespace edgehub::metrics
