# Command-line smoke tests: every example scenario under scenarios/ (except sweep files, which the
# sweep tests own, and calibration targets files) is checked, run for one year without warm-up with
# 2 replicates, and its results file read back with `cpcsim info`. One CTest per scenario, label "regression".
# (The other command-line tests are Catch2 test cases tagged [cli] in tests/cli/*.cpp.)
find_program(CPCSIM_BASH bash)
if(CPCSIM_BASH)
  file(GLOB_RECURSE CPCSIM_EXAMPLE_SCENARIOS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/scenarios/*.toml)
  list(FILTER CPCSIM_EXAMPLE_SCENARIOS EXCLUDE REGEX "sweep|/targets\\.toml$")
  list(SORT CPCSIM_EXAMPLE_SCENARIOS)
  foreach(scenario IN LISTS CPCSIM_EXAMPLE_SCENARIOS)
    file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR}/scenarios ${scenario})
    string(REGEX REPLACE "[^A-Za-z0-9_.-]" "_" work_name "${rel}")
    add_test(NAME "regression: cli smoke ${rel}"
             COMMAND ${CPCSIM_BASH} ${CMAKE_SOURCE_DIR}/tests/cli/smoke.sh $<TARGET_FILE:cpcsim> ${scenario}
                     ${CMAKE_CURRENT_BINARY_DIR}/cli-smoke/${work_name})
    set_tests_properties("regression: cli smoke ${rel}" PROPERTIES LABELS regression TIMEOUT 120)
  endforeach()
endif()

# The installed cpcsim works from any directory without the source tree (tests/cli/install.sh).
if(CPCSIM_BASH)
  add_test(NAME "regression: cli installed cpcsim runs every command outside the source tree"
           COMMAND ${CPCSIM_BASH} ${CMAKE_SOURCE_DIR}/tests/cli/install.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR}
                   /usr/bin/python3)
  set_tests_properties("regression: cli installed cpcsim runs every command outside the source tree" PROPERTIES
    LABELS regression TIMEOUT 300 FAIL_REGULAR_EXPRESSION "INSTALL TEST FAILED")
endif()
