# Embeds the web console (src/web/console/www/) and uPlot's dist files from
# node_modules (installed by scripts/install-deps.sh with `npm ci`) into
# edgehub_web, so one edgehubd serves the console (docs/CONSOLE.md#how-it-is-served).
# Without node_modules the console is built without its charts, with a warning.
set(console_dir ${CMAKE_CURRENT_SOURCE_DIR}/console)
file(GLOB console_files CONFIGURE_DEPENDS ${console_dir}/www/*)
set(uplot_dist ${PROJECT_SOURCE_DIR}/node_modules/uplot/dist)
set(uplot_files ${uplot_dist}/uPlot.iife.min.js ${uplot_dist}/uPlot.min.css)
if(EXISTS ${uplot_dist}/uPlot.iife.min.js AND EXISTS ${uplot_dist}/uPlot.min.css)
  list(APPEND console_files ${uplot_files})
else()
  message(WARNING "node_modules/uplot is missing: the web console is built WITHOUT its charts. "
                  "Run scripts/install-deps.sh (it runs npm ci) and build again.")
endif()
# A new lock (npm ci ran) re-runs this file, which then finds uPlot.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/package-lock.json)
if(EXISTS ${PROJECT_SOURCE_DIR}/node_modules/.package-lock.json)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/node_modules/.package-lock.json)
endif()
set(console_cpp ${CMAKE_CURRENT_BINARY_DIR}/console_assets.cpp)
add_custom_command(OUTPUT ${console_cpp}
  COMMAND python3 ${console_dir}/embed_assets.py ${console_cpp} ${console_files}
  DEPENDS ${console_files} ${console_dir}/embed_assets.py
  COMMENT "Embedding the web console's files")
target_sources(edgehub_web PRIVATE ${console_cpp})
