#include "client/shell/shell_text.hpp"

#include <langinfo.h>

#include <clocale>
#include <cstring>
#include <cwchar>

namespace edgehub::client {
namespace {

int char_width(wchar_t c) {
  const int w = ::wcwidth(c);
  return w < 0 ? 0 : w;
}

// Calls f(wchar) for each character; an undecodable byte is passed as -1.
template <typename F>
void for_each_char(std::string_view utf8, F&& f) {
  std::mbstate_t state{};
  std::size_t i = 0;
  while (i < utf8.size()) {
    wchar_t c = 0;
    const std::size_t n = std::mbrtowc(&c, utf8.data() + i, utf8.size() - i, &state);
    if (n == static_cast<std::size_t>(-1) || n == static_cast<std::size_t>(-2)) {
      state = std::mbstate_t{};
      f(static_cast<wchar_t>(-1));
      ++i;
      continue;
    }
    f(c);
    i += n == 0 ? 1 : n;
  }
}

}  // namespace

void use_utf8_ctype() {
  if (std::setlocale(LC_CTYPE, "") != nullptr && std::strcmp(nl_langinfo(CODESET), "UTF-8") == 0) return;
  std::setlocale(LC_CTYPE, "C.UTF-8");
}

int display_width(std::string_view utf8) {
  int width = 0;
  for_each_char(utf8, [&](wchar_t c) { width += c == static_cast<wchar_t>(-1) ? 1 : char_width(c); });
  return width;
}

int display_width(const wchar_t* begin, const wchar_t* end) {
  int width = 0;
  for (const wchar_t* p = begin; p < end; ++p) width += char_width(*p);
  return width;
}

int char_count(std::string_view utf8) {
  int count = 0;
  for_each_char(utf8, [&](wchar_t) { ++count; });
  return count;
}

}  // namespace edgehub::client
