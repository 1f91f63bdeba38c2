#pragma once
// The process-wide set of metrics and their Prometheus text rendering
// (docs/METRICS.md). Registration takes a lock and allocates: it happens at
// start-up (or when a table is built), and hands back a reference that the
// hot path keeps. Registering the same series again returns the same
// object, so every Hub built in one process (tests build many) shares its
// counters. A family has at most one label, whose values are a small set
// known when the code registers them (command verbs, login results).
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/metrics/metrics.hpp"

namespace edgehub::metrics {

enum class Type { counter, gauge, histogram };

class Registry {
 public:
  // Throws std::logic_error for a name already registered with another
  // type, help or label name, or that is not a valid metric name.
  Counter& counter(std::string_view name, std::string_view help, std::string_view label = {},
                   std::string_view value = {});
  Gauge& gauge(std::string_view name, std::string_view help, std::string_view label = {}, std::string_view value = {});
  // bounds in the base unit (seconds), increasing; observations in `unit`s.
  Histogram& histogram(std::string_view name, std::string_view help, std::vector<double> bounds, double unit);

  // Every family in Prometheus text format 0.0.4, in registration order.
  std::string render() const;

 private:
  struct Series {
    std::string label_value;
    const void* metric;
  };
  struct Family {
    std::string name;
    std::string help;
    Type type;
    std::string label;
    std::vector<Series> series;
  };
  Family& family(std::string_view name, std::string_view help, Type type, std::string_view label);
  const void* find(const Family& f, std::string_view value) const;
  template <class Metric>
  Metric& series(std::deque<Metric>& store, std::string_view name, std::string_view help, Type type,
                 std::string_view label, std::string_view value);

  mutable std::mutex mutex_;
  std::vector<Family> families_;  // registration order
  std::map<std::string, std::size_t> by_name_;
  std::deque<Counter> counters_;  // a deque: references stay valid as it grows
  std::deque<Gauge> gauges_;
  std::deque<Histogram> histograms_;
};

// The process's registry.
Registry& registry();

// "# HELP" text: backslash and newline escaped.
std::string escape_help(std::string_view text);
// A label value: backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view text);
// [a-zA-Z_:][a-zA-Z0-9_:]* (labels: no ':').
bool valid_metric_name(std::string_view name);
bool valid_label_name(std::string_view name);

}  // namespace edgehub::metrics
