// A tiny HTTP/1.1 server on 127.0.0.1 for fetcher tests: one thread per connection, one
// request per connection (it always answers "Connection: close"), and handlers that write
// raw bytes so they can misbehave (hang, reset, trickle, truncate). Never touches the
// internet; the port is chosen by the kernel.
#ifndef NEWSCLAIM_TESTS_UNIT_INGEST_TEST_HTTP_SERVER_H_
#define NEWSCLAIM_TESTS_UNIT_INGEST_TEST_HTTP_SERVER_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace newsclaim::testing {

struct HttpRequest {
  std::string method;
  std::string path;                            // with query
  std::map<std::string, std::string> headers;  // lower-case names
  std::chrono::steady_clock::time_point arrived;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class HttpServer;

// One accepted connection, handed to a handler.
class HttpConn {
 public:
  HttpConn(int fd, const HttpServer* server) : fd_(fd), server_(server) {}
  // Writes all bytes; false when the client went away or the server is stopping.
  bool Write(const std::string& bytes);
  // Waits up to `ms`, returning early (false) when the server is stopping.
  bool Sleep(int ms);
  // Closes with a TCP reset instead of an orderly shutdown.
  void Reset();
  bool stopping() const;

  // A complete response with Content-Length.
  bool Respond(int status, const std::string& body,
               const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    std::string out = "HTTP/1.1 " + std::to_string(status) + " X\r\n";
    for (const auto& [k, v] : headers) out += k + ": " + v + "\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
    return Write(out + body);
  }

 private:
  friend class HttpServer;
  int fd_;
  const HttpServer* server_;
  bool reset_ = false;
};

class HttpServer {
 public:
  using Handler = std::function<void(const HttpRequest&, HttpConn&)>;

  HttpServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(listen_fd_, 64);
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  ~HttpServer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    accept_thread_.join();
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      threads.swap(threads_);
    }
    for (std::thread& t : threads) t.join();
    ::close(listen_fd_);
  }

  int port() const { return port_; }
  std::string Url(const std::string& path, const std::string& host = "127.0.0.1") const {
    return "http://" + host + ":" + std::to_string(port_) + path;
  }
  // CURLOPT_RESOLVE entry pointing `host` at this server.
  std::string Resolve(const std::string& host) const {
    return host + ":" + std::to_string(port_) + ":127.0.0.1";
  }

  // Registers a handler for an exact path (query excluded).
  void Handle(const std::string& path, Handler h) {
    std::lock_guard<std::mutex> lock(mu_);
    handlers_[path] = std::move(h);
  }

  // Every request seen so far, in arrival order.
  std::vector<HttpRequest> Requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  // Most connections handled at the same time.
  int MaxConcurrent() const { return max_concurrent_.load(); }

  bool stopping() const {
    std::lock_guard<std::mutex> lock(mu_);
    return stopping_;
  }
  bool WaitStop(int ms) const {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
  }

 private:
  void AcceptLoop() {
    while (!stopping()) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      std::lock_guard<std::mutex> lock(mu_);
      threads_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  static std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  void Serve(int fd) {
    const int now = ++concurrent_;
    int prev = max_concurrent_.load();
    while (now > prev && !max_concurrent_.compare_exchange_weak(prev, now)) {
    }
    std::string in;
    char buf[4096];
    while (in.find("\r\n\r\n") == std::string::npos && in.size() < 65536 && !stopping()) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) break;
      in.append(buf, static_cast<size_t>(n));
    }
    HttpConn conn(fd, this);
    const size_t end = in.find("\r\n\r\n");
    if (end != std::string::npos) {
      HttpRequest req;
      req.arrived = std::chrono::steady_clock::now();
      size_t line_end = in.find("\r\n");
      const std::string first = in.substr(0, line_end);
      const size_t sp1 = first.find(' '), sp2 = first.rfind(' ');
      req.method = first.substr(0, sp1);
      req.path = first.substr(sp1 + 1, sp2 - sp1 - 1);
      size_t pos = line_end + 2;
      while (pos < end) {
        line_end = in.find("\r\n", pos);
        const std::string line = in.substr(pos, line_end - pos);
        const size_t colon = line.find(':');
        if (colon != std::string::npos) {
          size_t v = colon + 1;
          while (v < line.size() && line[v] == ' ') ++v;
          req.headers[Lower(line.substr(0, colon))] = line.substr(v);
        }
        pos = line_end + 2;
      }
      Handler h;
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(req);
        auto it = handlers_.find(req.path.substr(0, req.path.find('?')));
        if (it != handlers_.end()) h = it->second;
      }
      if (h) {
        h(req, conn);
      } else {
        conn.Respond(404, "not found");
      }
    }
    if (conn.reset_) {
      linger l{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    } else {
      ::shutdown(fd, SHUT_WR);
    }
    ::close(fd);
    --concurrent_;
  }

  int listen_fd_ = -1;
  int port_ = 0;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool stopping_ = false;
  std::thread accept_thread_;
  std::vector<std::thread> threads_;
  std::map<std::string, Handler> handlers_;
  std::vector<HttpRequest> requests_;
  std::atomic<int> concurrent_{0};
  std::atomic<int> max_concurrent_{0};
};

inline bool HttpConn::stopping() const { return server_->stopping(); }

inline bool HttpConn::Sleep(int ms) { return !server_->WaitStop(ms); }

inline void HttpConn::Reset() { reset_ = true; }

inline bool HttpConn::Write(const std::string& bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    if (stopping()) return false;
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    if (p.revents & (POLLERR | POLLHUP)) return false;
    const ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace newsclaim::testing

#endif  // NEWSCLAIM_TESTS_UNIT_INGEST_TEST_HTTP_SERVER_H_
