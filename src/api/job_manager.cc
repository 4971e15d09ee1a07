// JobManager: a queue, one worker thread, and a bounded status table.
#include "api/job_manager.h"

#include <chrono>
#include <random>

namespace ch::api {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string NewJobId() {
  static std::mutex mu;
  static std::mt19937_64 rng{std::random_device{}()};
  std::lock_guard<std::mutex> lock(mu);
  char buf[32];
  std::snprintf(buf, sizeof buf, "job-%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

}  // namespace

JobManager::JobManager(JobRegistry jobs, size_t keep) : jobs_(std::move(jobs)), keep_(keep) {
  thread_ = std::thread([this] { Loop(); });
}

JobManager::~JobManager() { Shutdown(); }

std::string JobManager::Kinds() const {
  std::string out;
  for (const auto& [kind, fn] : jobs_) out += (out.empty() ? "" : ", ") + kind;
  return out.empty() ? "none" : out;
}

JobStatus JobManager::Submit(const std::string& kind, Json params) {
  JobStatus status;
  status.id = NewJobId();
  status.kind = kind;
  status.submitted_unix_ms = NowMs();
  std::lock_guard<std::mutex> lock(mu_);
  statuses_[status.id] = status;
  queue_.emplace_back(status.id, std::move(params));
  wake_.notify_one();
  return status;
}

std::optional<JobStatus> JobManager::Get(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = statuses_.find(id);
  if (it == statuses_.end()) return std::nullopt;
  return it->second;
}

void JobManager::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    auto [id, params] = std::move(queue_.front());
    queue_.pop_front();
    JobStatus& status = statuses_[id];
    status.status = "running";
    status.started_unix_ms = NowMs();
    const JobFunction& fn = jobs_.at(status.kind);
    lock.unlock();
    Result<std::string> result = Status::Internal("job threw an exception");
    try {
      result = fn(params);
    } catch (const std::exception& e) {
      result = Status::Internal(std::string("job threw: ") + e.what());
    }
    lock.lock();
    JobStatus& done = statuses_[id];
    done.finished_unix_ms = NowMs();
    done.status = result.ok() ? "succeeded" : "failed";
    done.message = result.ok() ? *result : result.status().ToString();
    finished_order_.push_back(id);
    while (finished_order_.size() > keep_) {
      statuses_.erase(finished_order_.front());
      finished_order_.pop_front();
    }
  }
}

void JobManager::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    for (auto& [id, params] : queue_) {
      statuses_[id].status = "failed";
      statuses_[id].message = "server shut down before the job started";
    }
    queue_.clear();
    wake_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace ch::api
