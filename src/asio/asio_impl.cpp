// The one translation unit that compiles Boost.Asio's implementation
// (BOOST_ASIO_SEPARATE_COMPILATION): every other file includes only headers.
// Asio's SSL part too: the server's TLS context and the client's TLS stream
// (docs/SECURITY.md#tls).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
