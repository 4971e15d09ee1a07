// JobManager: runs the jobs POSTed to /api/jobs one at a time on its own
// thread and remembers their status for GET /api/jobs/{id}.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "api/api_server.h"

namespace ch::api {

struct JobStatus {
  std::string id;
  std::string kind;
  std::string status = "queued";  // queued, running, succeeded, failed
  int64_t submitted_unix_ms = 0;
  int64_t started_unix_ms = 0;   // 0: not yet
  int64_t finished_unix_ms = 0;  // 0: not yet
  std::string message;           // the job's summary, or its error
};

// Thread-safe. Keeps the newest `keep` finished jobs.
class JobManager {
 public:
  explicit JobManager(JobRegistry jobs, size_t keep = 200);
  ~JobManager();  // Shutdown()

  bool Has(const std::string& kind) const { return jobs_.count(kind) > 0; }
  // Kinds this server can run, comma-separated (for messages).
  std::string Kinds() const;
  // Queues a job of a kind Has() accepts; returns its status ("queued").
  JobStatus Submit(const std::string& kind, Json params);
  std::optional<JobStatus> Get(const std::string& id) const;
  // Lets the running job finish, drops queued ones (they are marked failed),
  // joins the thread. Idempotent.
  void Shutdown();

 private:
  void Loop();

  JobRegistry jobs_;
  size_t keep_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::pair<std::string, Json>> queue_;  // id, params
  std::map<std::string, JobStatus> statuses_;
  std::deque<std::string> finished_order_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ch::api
