# What --version prints (src/app/daemon/version.cpp): the project version,
# the git revision at configure time ("unknown" outside a git checkout, or
# without git) and the build type. Configure-time only: a commit made after
# configuring shows the previous revision until CMake runs again.
execute_process(
  COMMAND git describe --always --dirty
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  OUTPUT_VARIABLE EDGEHUB_GIT_REVISION
  RESULT_VARIABLE git_status
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT git_status STREQUAL "0" OR EDGEHUB_GIT_REVISION STREQUAL "")
  set(EDGEHUB_GIT_REVISION unknown)
endif()
configure_file(${PROJECT_SOURCE_DIR}/src/app/daemon/build_info.hpp.in
               ${PROJECT_BINARY_DIR}/generated/app/daemon/build_info.hpp @ONLY)
