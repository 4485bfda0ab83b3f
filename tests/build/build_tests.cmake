# Tests of the build itself: the include graph of sim/ stays within the links its targets declare,
# and every source file is listed in sim/CMakeLists.txt (tests/build/check_boundaries.py).
set(CPCSIM_BUILD_TEST_PYTHON /usr/bin/python3 CACHE FILEPATH "Python 3 for the build checks")
add_test(NAME "unit: build sim folders include only what their targets link, every source listed"
         COMMAND ${CPCSIM_BUILD_TEST_PYTHON} ${CMAKE_SOURCE_DIR}/tests/build/check_boundaries.py ${CMAKE_SOURCE_DIR})
set_tests_properties("unit: build sim folders include only what their targets link, every source listed"
                     PROPERTIES LABELS unit)
