// The one translation unit that compiles Boost.Beast's and Boost.JSON's
// implementations (BOOST_BEAST_SEPARATE_COMPILATION, Boost.JSON's header-only
// mode); every other file of web/ includes only headers, as with asio/.
#include <boost/beast/src.hpp>
#include <boost/json/src.hpp>
