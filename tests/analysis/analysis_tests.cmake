# Python analysis tests (analysis/ and `cpcsim report`), run with Debian's python3, which has h5py,
# numpy, pandas, matplotlib and pytest. pytest's exit status is the test's result. The tests run
# the cpcsim built here (CPCSIM_BINARY) to make small results files, and headless Chromium if it
# is installed.
set(CPCSIM_TEST_PYTHON /usr/bin/python3 CACHE FILEPATH "Python 3 with h5py, numpy, pandas, matplotlib and pytest")
add_test(NAME "analysis: pytest"
         COMMAND ${CPCSIM_TEST_PYTHON} -m pytest -q -p no:cacheprovider ${CMAKE_SOURCE_DIR}/tests/analysis
         WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties("analysis: pytest" PROPERTIES
  LABELS regression
  ENVIRONMENT "CPCSIM_BINARY=$<TARGET_FILE:cpcsim>;PYTHONPATH=${CMAKE_SOURCE_DIR};MPLBACKEND=Agg"
  TIMEOUT 1500)
