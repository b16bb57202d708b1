// format.h — how pinnc writes numbers and text in its reports and files: one definition
// used by `pinnc train`, the REPL and every emitted solver (standard library only).
#ifndef PINNC_POST_FORMAT_H
#define PINNC_POST_FORMAT_H

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace pinnc::post {

/// printf-style formatting into a std::string.
template <class... Args>
std::string format(const char* fmt, Args... args) {
  const int n = std::snprintf(nullptr, 0, fmt, args...);
  std::string s(std::size_t(n > 0 ? n : 0), '\0');
  std::snprintf(s.data(), s.size() + 1, fmt, args...);
  return s;
}

/// %.17g: enough digits to round-trip a double (solution.csv, loss.csv, `pinnc eval`).
inline std::string format_number(double v) { return format("%.17g", v); }

/// The shortest text that reads back as `v` ("5", "0.25", "1e-300"): numbers in reports.
inline std::string shortest(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

/// A JSON number as model.json writes it: shortest round-trip digits, decimal notation
/// for decimal exponents -4 < n <= 15 ("0.4", "300.0"), else "1.5e-07"; null when not
/// finite (JSON has no NaN).
inline std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(v), std::chars_format::scientific);
  const std::string sci(buf, res.ptr);
  const std::size_t e = sci.find('e');
  std::string digits;
  for (std::size_t i = 0; i < e; ++i)
    if (sci[i] != '.') digits += sci[i];
  const int k = int(digits.size()), n = std::atoi(sci.c_str() + e + 1) + 1;  // v = 0.digits * 10^n
  std::string out = v < 0 ? "-" : "";
  if (k <= n && n <= 15) {
    out += digits + std::string(std::size_t(n - k), '0') + ".0";
  } else if (0 < n && n <= 15) {
    out += digits.substr(0, std::size_t(n)) + "." + digits.substr(std::size_t(n));
  } else if (-4 < n && n <= 0) {
    out += "0." + std::string(std::size_t(-n), '0') + digits;
  } else {
    out += digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    const int x = n - 1;
    out += format("e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
  }
  return out;
}

/// A JSON string literal: quotes, backslashes and control characters escaped; bytes that
/// are not valid UTF-8 become U+FFFD (a JSON reader rejects them).
inline std::string json_string(const std::string& s) {
  std::string out = "\"";
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20) out += format("\\u%04x", unsigned(c));
          else out += char(c);
      }
      ++i;
      continue;
    }
    // A multi-byte UTF-8 sequence: lead byte, length, then continuation bytes; overlong
    // forms, surrogates and code points above U+10FFFF are invalid.
    int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (c > 0xF4) len = 0;
    bool ok = len > 0 && i + std::size_t(len) <= n;
    unsigned cp = ok ? (c & (0x7Fu >> len)) : 0;
    for (int k = 1; ok && k < len; ++k) {
      const unsigned char d = static_cast<unsigned char>(s[i + std::size_t(k)]);
      ok = (d & 0xC0) == 0x80;
      cp = (cp << 6) | (d & 0x3F);
    }
    ok = ok && !(len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) && !(len == 4 && (cp < 0x10000 || cp > 0x10FFFF));
    if (ok) {
      out.append(s, i, std::size_t(len));
      i += std::size_t(len);
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out + "\"";
}

/// Column name of d^k u / dt^k in the language's notation: y, y', y''.
inline std::string derivative_name(const std::string& unknown, int k) {
  return unknown + std::string(std::size_t(k > 0 ? k : 0), '\'');
}

}  // namespace pinnc::post

#endif  // PINNC_POST_FORMAT_H
