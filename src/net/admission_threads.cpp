#include "net/admission_threads.hpp"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>

namespace edgehub::net {

AdmissionThreads::AdmissionThreads(std::size_t threads)
    : count_(threads), context_(static_cast<int>(threads)), guard_(context_.get_executor()) {}

AdmissionThreads::~AdmissionThreads() {
  stop();
  join();
}

void AdmissionThreads::start() {
  for (std::size_t i = 0; i < count_; ++i) threads_.emplace_back([this] { run(); });
}

void AdmissionThreads::stop() {
  guard_.reset();
  context_.stop();
}

void AdmissionThreads::join() {
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

// Named and niced before it runs anything: the acceptor is on this
// io_context, so both hold before the first connection is accepted. On
// Linux a niceness belongs to the thread (PRIO_PROCESS with a thread id).
void AdmissionThreads::run() {
  pthread_setname_np(pthread_self(), "admission");
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kNice) != 0)
    spdlog::warn("admission thread: nice {} refused ({}); it runs at normal priority", kNice, std::strerror(errno));
  context_.run();
}

}  // namespace edgehub::net
