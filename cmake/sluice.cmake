# Build helpers shared by every component.
#
#   sluice_library(NAME queue SOURCES a.cc b.cc DEPS sluice::common)
#       -> target sluice_queue, alias sluice::queue, includes rooted at the repo
#   sluice_test(NAME queue_test SOURCES queue_test.cc DEPS sluice::queue LABELS queue)
#       -> a GoogleTest binary registered with CTest; `ctest -L queue` runs it

set(SLUICE_WARNINGS -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor
    -Wno-missing-field-initializers)

function(sluice_library)
  cmake_parse_arguments(L "" "NAME" "SOURCES;DEPS;PUBLIC_DEPS" ${ARGN})
  add_library(sluice_${L_NAME} STATIC ${L_SOURCES})
  add_library(sluice::${L_NAME} ALIAS sluice_${L_NAME})
  target_include_directories(sluice_${L_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(sluice_${L_NAME} PRIVATE ${SLUICE_WARNINGS})
  target_link_libraries(sluice_${L_NAME} PUBLIC ${L_PUBLIC_DEPS} PRIVATE ${L_DEPS})
endfunction()

function(sluice_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_compile_options(${T_NAME} PRIVATE ${SLUICE_WARNINGS})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "unit;${T_LABELS}" TIMEOUT ${T_TIMEOUT})
endfunction()
