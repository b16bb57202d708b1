// parallel.h — a small pool of worker threads for the epoch's point blocks.
//
// Determinism does not rest on the pool: callers split their work into tasks whose
// number and contents do not depend on the thread count (objective.h: fixed blocks of
// points, each with its own buffers), and reduce the tasks' results in task order on
// the calling thread. Which thread runs which task then changes nothing in the result,
// so every thread count gives the same bits.
//
// run() wakes the workers, hands out task indices from an atomic counter, works on tasks
// itself too, and returns when all are done. An exception thrown by a task is rethrown by
// run() on the caller. Between calls a worker first spins for a short while (kSpinTime,
// checking an atomic) and then sleeps on a condition variable. An epoch calls run()
// several times with short serial stretches in between; with workers that always slept,
// the seed setup ran 1.45x faster on 2 threads than on 1, with a 200 us spin 1.8-1.9x
// (a 50 us spin was too short to help).
#ifndef PINNC_RT_PARALLEL_H
#define PINNC_RT_PARALLEL_H

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace pinnc::rt {

class WorkerPool {
 public:
  /// A pool for `threads` threads in all: threads - 1 workers plus the caller of run().
  explicit WorkerPool(int threads) {
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(m_);
      quit_ = true;
    }
    wake_.notify_all();
    for (std::thread& w : workers_) w.join();
  }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  int threads() const { return int(workers_.size()) + 1; }

  /// Calls task(i) once for every i in [0, n), on the workers and on this thread. No
  /// allocation: the task is passed by reference, through a plain function pointer.
  template <class F>
  void run(int64_t n, F& task) {
    if (n <= 0) return;
    if (workers_.empty() || n == 1) {
      for (int64_t i = 0; i < n; ++i) task(i);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(m_);
      task_ = const_cast<void*>(static_cast<const void*>(&task));
      call_ = [](void* f, int64_t i) { (*static_cast<F*>(f))(i); };  // F may be const
      n_ = n;
      next_.store(0);
      active_.store(int(workers_.size()));
      error_ = nullptr;
      generation_.store(generation_.load() + 1, std::memory_order_release);  // publishes the above
    }
    wake_.notify_all();
    drain();
    spin([this] { return active_.load(std::memory_order_acquire) == 0; });
    std::unique_lock<std::mutex> lock(m_);
    done_.wait(lock, [this] { return active_.load() == 0; });
    task_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

 private:
  /// How long to spin before sleeping. A pause instruction takes 10-140 cycles depending
  /// on the CPU, so the limit is a time, checked every 64 pauses.
  static constexpr std::chrono::microseconds kSpinTime{200};
  template <class Pred>
  static void spin(Pred ready) {
    const auto until = std::chrono::steady_clock::now() + kSpinTime;
    for (;;) {
      for (int i = 0; i < 64; ++i) {
        if (ready()) return;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
      }
      if (std::chrono::steady_clock::now() > until) return;
    }
  }
  void drain() {
    for (int64_t i; (i = next_.fetch_add(1)) < n_;) {
      try {
        call_(task_, i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(m_);
        if (!error_) error_ = std::current_exception();
      }
    }
  }
  void work() {
    uint64_t seen = 0;
    for (;;) {
      spin([&] { return generation_.load(std::memory_order_acquire) != seen; });
      {
        std::unique_lock<std::mutex> lock(m_);
        wake_.wait(lock, [&] { return quit_ || generation_.load() != seen; });
        if (quit_) return;
        seen = generation_.load();
      }
      drain();
      {
        std::lock_guard<std::mutex> lock(m_);
        active_.fetch_sub(1);
      }
      done_.notify_one();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex m_;
  std::condition_variable wake_, done_;
  void* task_ = nullptr;
  void (*call_)(void*, int64_t) = nullptr;
  int64_t n_ = 0;
  std::atomic<int64_t> next_{0};
  std::atomic<int> active_{0};
  std::atomic<uint64_t> generation_{0};
  bool quit_ = false;
  std::exception_ptr error_;
};

}  // namespace pinnc::rt

#endif  // PINNC_RT_PARALLEL_H
