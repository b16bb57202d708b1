// cpp_library.h — compiles emitted C++ into a shared library with the flags the emitted
// solvers use (g++ -std=c++17 -O2 -ffp-contract=off, warnings as errors) and loads it.
#ifndef PINNC_TESTS_CPP_LIBRARY_H
#define PINNC_TESTS_CPP_LIBRARY_H

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace pinnc::testing {

/// A compiled and loaded C++ source; `error` says why not when `handle` is null.
class CppLibrary {
 public:
  CppLibrary(const std::string& tag, const std::string& source) {
    dir_ = std::filesystem::temp_directory_path() / ("pinnc_" + tag + "_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "k.cpp") << source;
    const std::string cmd = "g++ -std=c++17 -O2 -ffp-contract=off -Wall -Wextra -Werror -shared -fPIC -o " +
                            (dir_ / "k.so").string() + " " + (dir_ / "k.cpp").string() + " 2> " +
                            (dir_ / "log").string();
    if (std::system(cmd.c_str()) != 0) {
      std::ifstream log(dir_ / "log");
      error = std::string((std::istreambuf_iterator<char>(log)), {});
      return;
    }
    handle = dlopen((dir_ / "k.so").c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) error = dlerror();
  }
  ~CppLibrary() {
    if (handle) dlclose(handle);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  CppLibrary(const CppLibrary&) = delete;
  CppLibrary& operator=(const CppLibrary&) = delete;

  /// The symbol `name` as a pointer of type Fn (null if absent).
  template <class Fn>
  Fn get(const char* name) const {
    return handle ? reinterpret_cast<Fn>(dlsym(handle, name)) : nullptr;
  }

  void* handle = nullptr;
  std::string error;

 private:
  std::filesystem::path dir_;
};

}  // namespace pinnc::testing

#endif  // PINNC_TESTS_CPP_LIBRARY_H
