// Boost.JSON's implementation, compiled once for the client (header-only mode).
#include <boost/json/src.hpp>
