#pragma once
// Terminal text measurement for the shell and the progress bar.
#include <string_view>

namespace edgehub::client {

// The protocol is UTF-8, so the terminal side decodes keys and measures text
// as UTF-8: LC_CTYPE from the environment when it is UTF-8, else C.UTF-8.
void use_utf8_ctype();

// Columns the text takes on a terminal (wide characters count 2, combining
// and control characters 0, undecodable bytes 1).
int display_width(std::string_view utf8);
int display_width(const wchar_t* begin, const wchar_t* end);

// Characters (code points) in the text, as libedit counts its cursor moves.
int char_count(std::string_view utf8);

}  // namespace edgehub::client
