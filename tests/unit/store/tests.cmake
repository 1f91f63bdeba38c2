# Included by tests/CMakeLists.txt for unit_store. One PostgreSQL server
# (postgres_server.sh) serves every store test: started by the fixture's
# setup test, stopped by its cleanup test. If it cannot start (PostgreSQL
# missing), the store tests are not run, and ctest reports them as failed.
set(pg_state ${CMAKE_CURRENT_BINARY_DIR}/postgres-test-server.state)
add_test(NAME store.postgres_server_start
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/unit/store/postgres_server.sh start ${pg_state})
add_test(NAME store.postgres_server_stop
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/unit/store/postgres_server.sh stop ${pg_state})
set_tests_properties(store.postgres_server_start PROPERTIES FIXTURES_SETUP postgres LABELS unit TIMEOUT 120)
set_tests_properties(store.postgres_server_stop PROPERTIES FIXTURES_CLEANUP postgres LABELS unit TIMEOUT 120)
set(unit_extra_properties FIXTURES_REQUIRED postgres ENVIRONMENT EDGEHUB_TEST_POSTGRES=${pg_state})
