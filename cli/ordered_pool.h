// An ordered thread pool for the document pipelines (ingest, rebuild): the calling thread
// submits jobs in a sequence, worker threads run one function on them in any order, and
// the calling thread takes the results back in the sequence order, so whatever the
// caller writes from them does not depend on the thread count. A result can also be
// submitted ready-made (a document that needs no work), keeping its place in the order.
// At most `window` jobs are in flight (queued, running, or done and not taken yet): the
// caller takes before it submits when Full(), so memory does not grow with the input.
//
// Only the calling thread submits and takes; `work` runs on the workers and must be safe
// to call concurrently.
#ifndef NEWSCLAIM_CLI_ORDERED_POOL_H_
#define NEWSCLAIM_CLI_ORDERED_POOL_H_

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace newsclaim::cli {

// Threads for a --threads option: n when n > 0, else every core (at least 1).
int ResolveThreads(int n);

template <typename Job, typename Result>
class OrderedPool {
 public:
  // Starts `threads` (>= 1) workers running work. window < threads is raised to threads.
  OrderedPool(int threads, int64_t window, std::function<Result(Job&)> work)
      : window_(std::max<int64_t>({window, threads, 1})), work_(std::move(work)) {
    for (int i = 0; i < std::max(1, threads); ++i) workers_.emplace_back([this] { Run(); });
  }
  // Drops the jobs not started yet and joins the workers (results not taken are lost).
  ~OrderedPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
      jobs_.clear();
    }
    work_cv_.notify_all();
    for (std::thread& t : workers_) t.join();
  }
  OrderedPool(const OrderedPool&) = delete;
  OrderedPool& operator=(const OrderedPool&) = delete;

  int64_t window() const { return window_; }
  // Jobs submitted and not taken yet.
  int64_t InFlight() const { return next_submit_ - next_take_; }
  bool Full() const { return InFlight() >= window_; }
  bool Empty() const { return InFlight() == 0; }

  // Queues job for the workers as the next in the sequence. Call only when !Full().
  void Submit(Job job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.emplace_back(next_submit_++, std::move(job));
    }
    work_cv_.notify_one();
  }
  // Places a ready result as the next in the sequence (no worker involved). Call only
  // when !Full().
  void SubmitResult(Result result) {
    std::lock_guard<std::mutex> lock(mu_);
    done_.emplace(next_submit_++, std::move(result));
  }
  // The result of the oldest job not taken yet, waiting for it. Call only when !Empty().
  Result Take() {
    std::unique_lock<std::mutex> lock(mu_);
    const int64_t seq = next_take_++;
    done_cv_.wait(lock, [&] { return done_.count(seq) > 0; });
    auto it = done_.find(seq);
    Result r = std::move(it->second);
    done_.erase(it);
    return r;
  }

 private:
  void Run() {
    while (true) {
      std::optional<std::pair<int64_t, Job>> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_cv_.wait(lock, [&] { return !jobs_.empty() || closed_; });
        if (jobs_.empty()) return;
        job.emplace(std::move(jobs_.front()));
        jobs_.pop_front();
      }
      const int64_t seq = job->first;
      Result r = work_(job->second);
      job.reset();  // free the job's memory before the result waits to be taken
      {
        std::lock_guard<std::mutex> lock(mu_);
        done_.emplace(seq, std::move(r));
      }
      done_cv_.notify_all();
    }
  }

  const int64_t window_;
  std::function<Result(Job&)> work_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<std::pair<int64_t, Job>> jobs_;
  std::map<int64_t, Result> done_;
  bool closed_ = false;
  int64_t next_submit_ = 0;  // touched by the calling thread only
  int64_t next_take_ = 0;    // touched by the calling thread only
};

}  // namespace newsclaim::cli

#endif  // NEWSCLAIM_CLI_ORDERED_POOL_H_
