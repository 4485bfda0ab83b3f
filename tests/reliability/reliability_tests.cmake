# Reliability tests of the command line (issue 9, docs/reliability.md): one CTest per script in
# tests/reliability/, label "regression". Each works in its own folder under the build tree,
# prints "RELIABILITY TEST FAILED: ..." on a failed check and exits non-zero; exit 77 means
# skipped (the full-disk test where a tmpfs cannot be mounted).
find_program(CPCSIM_BASH bash)
if(CPCSIM_BASH)
  foreach(t crashes full_disk data_loss interruption cluster_output integrity)
    set(name "regression: reliability ${t}")
    add_test(NAME "${name}"
             COMMAND ${CPCSIM_BASH} ${CMAKE_SOURCE_DIR}/tests/reliability/${t}.sh
                     ${CMAKE_CURRENT_BINARY_DIR}/reliability-tests/${t})
    set_tests_properties("${name}" PROPERTIES
      LABELS regression
      TIMEOUT 300
      SKIP_RETURN_CODE 77
      FAIL_REGULAR_EXPRESSION "TEST FAILED"
      ENVIRONMENT "CPCSIM=$<TARGET_FILE:cpcsim>;CPCSIM_SOURCE_DIR=${CMAKE_SOURCE_DIR};PYTHON=/usr/bin/python3")
  endforeach()
endif()
