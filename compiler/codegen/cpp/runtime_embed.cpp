// runtime_embed.cpp — see runtime_embed.h.
#include "codegen/cpp/runtime_embed.h"

#include <map>
#include <set>
#include <stdexcept>
#include <string_view>

namespace pinnc::cppgen {

namespace {

/// `#include "pinnc/X"` on this line (leading blanks allowed) -> "pinnc/X", else "".
std::string local_include(std::string_view line) {
  std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos || line.substr(i, 8) != "#include") return "";
  i = line.find_first_not_of(" \t", i + 8);
  if (i == std::string_view::npos || line[i] != '"') return "";
  std::size_t end = line.find('"', i + 1);
  if (end == std::string_view::npos) return "";
  std::string_view path = line.substr(i + 1, end - i - 1);
  return path.substr(0, 6) == "pinnc/" ? std::string(path) : "";
}

class Amalgamator {
 public:
  Amalgamator() {
    for (const EmbeddedFile& f : embedded_runtime()) files_.emplace(f.name, f.text);
  }

  void add(const std::string& name) {
    if (done_.count(name)) return;
    if (active_.count(name)) return;  // include cycle: the guard would stop it anyway
    auto it = files_.find(name);
    if (it == files_.end())
      throw std::logic_error("pinnc bug (runtime_embed.cpp): runtime header " + name + " is not embedded");
    active_.insert(name);
    std::string_view text = it->second;
    std::string body;
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t nl = text.find('\n', start);
      std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
      std::string inc = local_include(line);
      if (!inc.empty()) add(inc);
      else body.append(line).push_back('\n');
      if (nl == std::string_view::npos) break;
      start = nl + 1;
    }
    active_.erase(name);
    done_.insert(name);
    out_ += "// ---- " + name + " ----\n" + body + "\n";
  }

  std::string take() { return std::move(out_); }

 private:
  std::map<std::string, std::string_view> files_;
  std::set<std::string> done_, active_;
  std::string out_;
};

}  // namespace

std::string amalgamate_runtime(const std::vector<std::string>& roots) {
  Amalgamator a;
  for (const std::string& r : roots) a.add(r);
  return a.take();
}

}  // namespace pinnc::cppgen
