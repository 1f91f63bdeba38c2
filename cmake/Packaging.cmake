# `cmake --install` and the Debian package (docs/OPERATIONS.md#the-debian-package).
# `make package` (scripts/package.sh) builds the .deb from a Release tree;
# CPack's `package` target is never part of the default build.
include(GNUInstallDirs)

# The files outside the prefix go where Debian keeps them whatever the
# prefix is, as for any daemon: installing them by hand needs root.
set(EDGEHUB_ETC_DIR /etc/edgehub)
set(EDGEHUB_UNIT_DIR /lib/systemd/system)

install(TARGETS edgehubd edgehub RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES contrib/systemd/edgehubd.service DESTINATION ${EDGEHUB_UNIT_DIR})
install(FILES contrib/config/edgehubd.conf contrib/config/credentials.txt DESTINATION ${EDGEHUB_ETC_DIR})
install(FILES contrib/logrotate/edgehubd DESTINATION /etc/logrotate.d)
# bash-completion loads completions/COMMAND: one file under both names.
foreach(command edgehubd edgehub)
  install(FILES contrib/bash-completion/edgehub DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
          RENAME ${command})
endforeach()
install(DIRECTORY contrib/fail2ban contrib/haproxy DESTINATION ${CMAKE_INSTALL_DATADIR}/edgehub/contrib)
install(FILES README.md docs/OPERATIONS.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Debian's changelog and the man pages go compressed, as its policy asks
# (gzip -9n: no name or time inside). Made at configure time, so nothing is
# added to the build; CMake runs again when one of them changes.
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/debian)
function(edgehub_gzipped source out_var)
  get_filename_component(name ${source} NAME)
  set(gz ${PROJECT_BINARY_DIR}/debian/${name}.gz)
  set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${source})
  execute_process(COMMAND gzip -9nc ${source} OUTPUT_FILE ${gz} COMMAND_ERROR_IS_FATAL ANY)
  set(${out_var} ${gz} PARENT_SCOPE)
endfunction()
edgehub_gzipped(${PROJECT_SOURCE_DIR}/contrib/debian/changelog changelog_gz)
install(FILES ${changelog_gz} contrib/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
# docs/man/ is written by scripts/make-man.sh from --help (docs/OPERATIONS.md#man-pages).
edgehub_gzipped(${PROJECT_SOURCE_DIR}/docs/man/edgehubd.8 edgehubd_8_gz)
edgehub_gzipped(${PROJECT_SOURCE_DIR}/docs/man/edgehub.1 edgehub_1_gz)
install(FILES ${edgehubd_8_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)
install(FILES ${edgehub_1_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME edgehub)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "edgehub maintainers <edgehub@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "hub for a network of edge devices and the people who run them")
set(CPACK_PACKAGE_DESCRIPTION
    "edgehubd is a server for edge devices: logins (argon2id passwords or device\n"
    "certificates), presence, messaging, edge data, a shared file repository,\n"
    "peer-to-peer and swarm transfers, and a web console. edgehub is its client.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/contrib/debian/conffiles ${PROJECT_SOURCE_DIR}/contrib/debian/postinst
    ${PROJECT_SOURCE_DIR}/contrib/debian/prerm ${PROJECT_SOURCE_DIR}/contrib/debian/postrm)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                                WORLD_READ WORLD_EXECUTE)
# The package is built from an up-to-date tree (scripts/package.sh builds it
# first); CPack must not start a build of its own, e.g. inside a test.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
include(CPack)
