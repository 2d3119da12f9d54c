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

# Fuzz targets: every parser gets one (see scripts/fuzz.sh).
#
#   sluice_fuzz_target(NAME json_reader SOURCES json_reader_fuzz.cc DEPS sluice::sidecar_protocol
#                      CORPUS corpus/json_reader)
#       -> executable <name> from a LLVMFuzzerTestOneInput. In a normal build it is
#          linked with tests/fuzz/replay_main.cc and registered with CTest as
#          fuzz_replay.<name> (labels unit;fuzz), which runs every file of CORPUS and
#          of CORPUS/crashes through it, so an input that once crashed stays a test.
#          With -DSLUICE_FUZZ=ON and clang, <name> is a libFuzzer binary and the
#          replay test runs <name>_replay, built with the same sanitizers.
option(SLUICE_FUZZ "Build the fuzz targets with libFuzzer, ASan and UBSan (clang only)" OFF)
if(SLUICE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SLUICE_FUZZ=ON needs clang: CC=clang CXX=clang++ cmake -DSLUICE_FUZZ=ON ...")
  endif()
  list(REMOVE_ITEM SLUICE_WARNINGS -Wshadow=local)  # GCC's spelling; clang warns about it on every file
  # Every library too, so that libFuzzer sees coverage inside the parsers and the
  # sanitizers check them; UBSan aborts so that libFuzzer records the input.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

function(sluice_fuzz_target)
  cmake_parse_arguments(F "" "NAME;CORPUS" "SOURCES;DEPS" ${ARGN})
  get_filename_component(corpus ${F_CORPUS} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
  set(replay ${F_NAME})
  if(SLUICE_FUZZ)
    add_executable(${F_NAME} ${F_SOURCES})
    target_compile_options(${F_NAME} PRIVATE ${SLUICE_WARNINGS})
    target_link_libraries(${F_NAME} PRIVATE ${F_DEPS})
    target_link_options(${F_NAME} PRIVATE -fsanitize=fuzzer)
    set(replay ${F_NAME}_replay)
  endif()
  add_executable(${replay} ${F_SOURCES} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cc)
  target_compile_options(${replay} PRIVATE ${SLUICE_WARNINGS})
  target_link_libraries(${replay} PRIVATE ${F_DEPS})
  add_test(NAME fuzz_replay.${F_NAME} COMMAND ${replay} ${corpus} ${corpus}/crashes)
  set_tests_properties(fuzz_replay.${F_NAME} PROPERTIES LABELS "unit;fuzz" TIMEOUT 120)
  # scripts/fuzz.sh finds the targets and their corpora here.
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/fuzz_targets/${F_NAME} CONTENT "$<TARGET_FILE:${F_NAME}>\n${corpus}\n")
endfunction()

# Embeds FILE's text as `const char SYMBOL[]` in NAMESPACE; OUT names the generated
# source (a service's wire model, compiled in).
function(sluice_embed_text OUT SYMBOL NAMESPACE FILE)
  file(READ ${FILE} content)
  set(generated ${CMAKE_CURRENT_BINARY_DIR}/${SYMBOL}.cc)
  file(CONFIGURE OUTPUT ${generated} CONTENT
       "// Generated from ${FILE}; do not edit.\nnamespace ${NAMESPACE} {\nextern const char ${SYMBOL}[];\nconst char ${SYMBOL}[] = R\"sluice_model(@content@)sluice_model\";\n}\n"
       @ONLY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${FILE})
  set(${OUT} ${generated} PARENT_SCOPE)
endfunction()
