# tests.cmake — test targets. Each folder under tests/ is one doctest binary built from
# every .cpp in it (tests/doctest_main.cpp supplies main), plus script-driven suites.
#   unit     compiler front end, symbolic engine, lowering, interpreter (no LLVM)
#   runtime  the Eigen runtime (network, Taylor rules, backward, optimizers)
#   jit      LLVM backend against the interpreter (needs PINNC_WITH_LLVM)
# Labels: `quick` for the fast inner loop, `slow` for end-to-end training.

function(pinnc_doctest_binary name dir)
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/${dir}/*.cpp)
  if(NOT srcs)
    return()
  endif()
  add_executable(${name} ${CMAKE_SOURCE_DIR}/tests/doctest_main.cpp ${srcs})
  target_link_libraries(${name} PRIVATE doctest::doctest ${ARGN})
  target_compile_definitions(${name} PRIVATE PINNC_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS quick)
endfunction()

pinnc_doctest_binary(pinnc_unit_tests unit pinnc_compiler)
pinnc_doctest_binary(pinnc_runtime_tests runtime pinnc_runtime)
if(PINNC_WITH_LLVM)
  pinnc_doctest_binary(pinnc_jit_tests jit pinnc_jit pinnc_compiler)
endif()

find_package(Python3 REQUIRED COMPONENTS Interpreter)
# Golden files: `pinnc check` output for every example and every fail_*.ode.
if(EXISTS ${CMAKE_SOURCE_DIR}/tests/golden/run.py)
  add_test(NAME golden COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/golden/run.py
           --pinnc $<TARGET_FILE:pinnc> --root ${CMAKE_SOURCE_DIR})
  set_tests_properties(golden PROPERTIES LABELS quick ENVIRONMENT PINNC_CACHE_DIR=${CMAKE_BINARY_DIR}/test-cache)
endif()

# Every writer renames a temporary file into place (tests/lint/writers.py says which).
add_test(NAME lint_writers COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/lint/writers.py
         --root ${CMAKE_SOURCE_DIR})
set_tests_properties(lint_writers PROPERTIES LABELS quick)

# End-to-end tests of the command (train, eval, emit, repl), one script each.
# Their measured seconds (Release; ASan + UBSan), as COST: a parallel ctest starts the
# longest first, so that on a clean checkout (no cost history) a long test does not start
# last and run alone (CI's wall time; scripts/test.sh). Measured on 2 cores: Release
# 2026-12-05 (`ctest -j2`), sanitizers 2026-12-05 one test at a time with a fuzzer on the
# other core (PINNC_E2E_TIMES in README's Tests section shows where a test's time goes).
set(pinnc_e2e_cost_test_emit 513 136)
set(pinnc_e2e_cost_test_verdict 54 52)
set(pinnc_e2e_cost_test_identify 83 163)
set(pinnc_e2e_cost_test_windows 67 226)
set(pinnc_e2e_cost_test_train 33 221)
set(pinnc_e2e_cost_test_bundle 101 160)
set(pinnc_e2e_cost_test_determinism 108 93)
set(pinnc_e2e_cost_test_plots 10 78)
file(GLOB e2e_scripts CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/e2e/test_*.py)
foreach(script ${e2e_scripts})
  get_filename_component(name ${script} NAME_WE)
  if(name STREQUAL "test_cache" AND NOT PINNC_WITH_LLVM)
    continue()  # the object cache holds JIT-compiled kernels
  endif()
  add_test(NAME e2e_${name} COMMAND ${Python3_EXECUTABLE} ${script}
           --pinnc $<TARGET_FILE:pinnc> --root ${CMAKE_SOURCE_DIR})
  # The object cache in the build folder: tests never touch the user's ~/.cache, and
  # repeated runs of a file inside the suite load their kernels from it.
  set(env PINNC_CACHE_DIR=${CMAKE_BINARY_DIR}/test-cache)
  if(PINNC_SANITIZE)  # tests/e2e/e2e_util.py: a larger budget, fewer compiled solvers
    list(APPEND env PINNC_E2E_SANITIZED=1 LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/sanitizer/lsan.supp)
  endif()
  set_tests_properties(e2e_${name} PROPERTIES LABELS slow ENVIRONMENT "${env}")
  if(DEFINED pinnc_e2e_cost_${name})
    set(which 0)
    if(PINNC_SANITIZE)
      set(which 1)
    endif()
    list(GET pinnc_e2e_cost_${name} ${which} cost)
    set_tests_properties(e2e_${name} PROPERTIES COST ${cost})
  endif()
endforeach()

# Fuzz targets (clang + libFuzzer): tests/fuzz/fuzz_*.cpp, each linked with the compiler.
if(PINNC_FUZZ)
  file(GLOB fuzz_srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_*.cpp)
  foreach(src ${fuzz_srcs})
    get_filename_component(name ${src} NAME_WE)
    add_executable(${name} ${src})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${name} PRIVATE pinnc_compiler)
  endforeach()
endif()

# The layering (cmake/layers.cmake): a probe that includes a header from above its layer
# must fail to compile with "No such file or directory"; the same probe compiled against
# a layer allowed to see that header must build. Built on demand (EXCLUDE_FROM_ALL) by the
# tests themselves, one at a time.
function(pinnc_layer_probe name layer header expect)
  add_library(${name} OBJECT EXCLUDE_FROM_ALL ${CMAKE_SOURCE_DIR}/tests/layering/probe.cpp)
  target_link_libraries(${name} PRIVATE ${layer})
  target_compile_definitions(${name} PRIVATE "PINNC_PROBE_HEADER=\"${header}\"")
  add_test(NAME ${name} COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target ${name})
  if(expect STREQUAL "fails")
    string(REPLACE "." "\\." pattern "${header}: No such file or directory")
    set_tests_properties(${name} PROPERTIES PASS_REGULAR_EXPRESSION "${pattern}")
  endif()
  set_tests_properties(${name} PROPERTIES LABELS quick RUN_SERIAL TRUE)
endfunction()
pinnc_layer_probe(layering_sema_not_train pinnc_sema "train/session.h" fails)
pinnc_layer_probe(layering_frontend_not_sema pinnc_frontend "sema/problem.h" fails)
pinnc_layer_probe(layering_symbolic_not_frontend pinnc_symbolic "frontend/ast.h" fails)
pinnc_layer_probe(layering_settings_not_sema pinnc_settings "sema/problem.h" fails)
pinnc_layer_probe(layering_sema_not_pipeline pinnc_sema "pipeline/compile.h" fails)
pinnc_layer_probe(layering_lower_not_kernels pinnc_lower "kernels/backend.h" fails)
pinnc_layer_probe(layering_kernels_not_interp pinnc_kernels "interp/interp.h" fails)
pinnc_layer_probe(layering_plan_not_train pinnc_plan "train/session.h" fails)
pinnc_layer_probe(layering_codegen_cpp_not_train pinnc_codegen_cpp "train/session.h" fails)
pinnc_layer_probe(layering_train_not_repl pinnc_train "repl/session.h" fails)
pinnc_layer_probe(layering_plot_not_repl pinnc_plot "repl/session.h" fails)
pinnc_layer_probe(layering_train_sees_sema pinnc_train "sema/problem.h" builds)
pinnc_layer_probe(layering_repl_sees_train pinnc_repl "train/session.h" builds)
