# All of these are Debian packages installed by scripts/install-deps.sh.
find_package(Threads REQUIRED)
find_package(Boost 1.81 REQUIRED CONFIG)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(LIBEDIT REQUIRED IMPORTED_TARGET libedit)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)   # PostgresStore (src/store/postgres/)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)   # sd_notify (src/app/daemon/systemd_notify.cpp)

# Asio is compiled once (src/net/asio_impl.cpp) instead of in every file that
# includes it: that alone saves minutes on two cores.
add_library(edgehub_asio INTERFACE)
target_compile_definitions(edgehub_asio INTERFACE
  BOOST_ASIO_SEPARATE_COMPILATION BOOST_ASIO_NO_DEPRECATED BOOST_ASIO_NO_TS_EXECUTORS)
target_link_libraries(edgehub_asio INTERFACE Boost::headers Threads::Threads)
