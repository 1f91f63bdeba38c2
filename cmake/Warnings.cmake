# Warnings are errors for our own code; third-party headers come in as SYSTEM.
add_library(edgehub_warnings INTERFACE)
target_compile_options(edgehub_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror -Wshadow -Wnon-virtual-dtor
  -Wcast-align -Wunused -Woverloaded-virtual
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
  # GCC 12 at -O3 reports false -Wrestrict errors inside libstdc++'s
  # std::string concatenation (GCC bug 105651); the Release build of
  # scripts/run-server.sh would not compile with it.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
if(CMAKE_UNITY_BUILD)
  # A unity build (scripts/test.sh) compiles several .cpp files as one; GCC
  # then reports a coroutine frame that holds a type from a file's
  # anonymous namespace as if that file were a header (-Wsubobject-linkage),
  # which is only a hazard for real headers.
  target_compile_options(edgehub_warnings INTERFACE $<$<CXX_COMPILER_ID:GNU>:-Wno-subobject-linkage>)
endif()

if(EDGEHUB_FUZZ)
  # Coverage instrumentation for every library the fuzz targets link.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

if(EDGEHUB_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

if(EDGEHUB_TSAN)
  # -Wno-tsan: GCC warns that TSan does not model std::atomic_thread_fence
  # (used inside Boost.Asio and libstdc++), which -Werror would make fatal.
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer $<$<CXX_COMPILER_ID:GNU>:-Wno-tsan>)
  add_link_options(-fsanitize=thread)
endif()

# Every library and program of ours links this.
function(edgehub_target name)
  target_link_libraries(${name} PRIVATE edgehub_warnings)
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
endfunction()

# A library made of every .cpp in the calling directory and its feature
# folders below it, so adding a file or a folder needs no CMake edit.
function(edgehub_glob_library name)
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  if(NOT srcs)  # a layer not written yet still links
    set(srcs ${CMAKE_CURRENT_BINARY_DIR}/${name}_empty.cpp)
    file(WRITE ${srcs} "// intentionally empty\n")
  endif()
  add_library(${name} STATIC ${srcs})
  edgehub_target(${name})
endfunction()
