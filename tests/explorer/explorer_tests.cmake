# `cpcsim serve` in headless Chromium (tests/explorer/test_serve.py), run with Debian's python3
# like the analysis tests; pytest's exit status is the test's result.
set(CPCSIM_TEST_PYTHON /usr/bin/python3 CACHE FILEPATH "Python 3 with h5py, numpy, pandas, matplotlib and pytest")
add_test(NAME "explorer: browser"
         COMMAND ${CPCSIM_TEST_PYTHON} -m pytest -q -p no:cacheprovider ${CMAKE_SOURCE_DIR}/tests/explorer
         WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties("explorer: browser" PROPERTIES
  LABELS regression
  ENVIRONMENT "CPCSIM_BINARY=$<TARGET_FILE:cpcsim>;PYTHONPATH=${CMAKE_SOURCE_DIR}"
  TIMEOUT 480)
