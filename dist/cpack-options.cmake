# cpack-options.cmake - CPACK_PROJECT_CONFIG_FILE, read by cpack for each
# generator: takes the version the last build computed (git describe,
# cmake/version.cmake) and names the packages after it.
if(EXISTS "${CPACK_HVECHO_VERSION_FILE}")
  include("${CPACK_HVECHO_VERSION_FILE}")
  set(CPACK_PACKAGE_VERSION "${HVECHO_VERSION}")
endif()
set(CPACK_DEBIAN_PACKAGE_VERSION "${CPACK_PACKAGE_VERSION}")
if(CPACK_HVECHO_SUFFIX)
  set(CPACK_PACKAGE_FILE_NAME
      "hvecho-${CPACK_PACKAGE_VERSION}-${CPACK_HVECHO_SUFFIX}")
  set(CPACK_ARCHIVE_FILE_NAME "${CPACK_PACKAGE_FILE_NAME}")
endif()
if(CPACK_GENERATOR MATCHES "ZIP|TGZ")
  set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
  set(CPACK_COMPONENT_INCLUDE_TOPLEVEL_DIRECTORY ON)
endif()
