# Golden outputs (tests/golden/golden.sh): a run, a comparison and a tiny sweep of the two-area
# test region, digested dataset by dataset and compared with the committed digests. Label
# "regression". Regenerate on purpose with scripts/update-golden.sh.
find_program(CPCSIM_BASH bash)
if(CPCSIM_BASH)
  add_test(NAME "regression: golden outputs"
           COMMAND ${CPCSIM_BASH} ${CMAKE_SOURCE_DIR}/tests/golden/golden.sh $<TARGET_FILE:cpcsim>
                   ${CMAKE_CURRENT_BINARY_DIR}/golden)
  set_tests_properties("regression: golden outputs" PROPERTIES
    LABELS regression
    TIMEOUT 180
    FAIL_REGULAR_EXPRESSION "GOLDEN TEST FAILED")
endif()
