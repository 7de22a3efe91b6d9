# Each folder of service/ is one static library, certkeeper-<folder>, that names the modules it
# may include. Modules are declared bottom-up (service/CMakeLists.txt): a module can only depend
# on modules declared before it, so a dependency cycle cannot be declared at all. The
# module_check test (tests/check_modules.cmake) then fails on any #include of a module that is
# not declared, and on Beast outside the modules that speak HTTP.
#
#   certkeeper_service_module(<folder> SOURCES a.cpp ... [DEPENDS module ...]
#                             [LIBS external-target ...] [SPEAKS_HTTP])

set(CERTKEEPER_MODULE_TABLE "${CMAKE_BINARY_DIR}/service-modules.txt")
file(WRITE "${CERTKEEPER_MODULE_TABLE}" "")

function(certkeeper_service_module name)
    cmake_parse_arguments(PARSE_ARGV 1 M "SPEAKS_HTTP" "" "SOURCES;DEPENDS;LIBS")
    set(deps)
    foreach(dep IN LISTS M_DEPENDS)
        if(NOT TARGET certkeeper-${dep})
            message(FATAL_ERROR "service/${name} depends on service/${dep}, which is not "
                "declared before it. Modules are declared bottom-up, so this dependency would "
                "make a cycle or names no module.")
        endif()
        list(APPEND deps certkeeper-${dep})
    endforeach()
    add_library(certkeeper-${name} STATIC ${M_SOURCES})
    set_target_properties(certkeeper-${name} PROPERTIES AUTOMOC OFF) # no QObject in the service
    target_include_directories(certkeeper-${name} PUBLIC ${PROJECT_SOURCE_DIR}/service)
    target_link_libraries(certkeeper-${name} PUBLIC ${deps} certkeeper::shared ${M_LIBS})
    certkeeper_set_warnings(certkeeper-${name})
    set(http no)
    if(M_SPEAKS_HTTP)
        set(http yes)
    endif()
    list(JOIN M_DEPENDS "," depList)
    file(APPEND "${CERTKEEPER_MODULE_TABLE}" "${name};${http};${depList}\n")
endfunction()
