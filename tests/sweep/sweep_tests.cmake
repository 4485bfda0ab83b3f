# Sweep command-line tests (tests/sweep/*.sh), one CTest each, label "regression". (The library
# tests are Catch2 test cases tagged [sweep] in tests/sweep/*.cpp.) Each script works in its own
# folder under the build tree, prints "SWEEP TEST FAILED: ..." on a failed check and exits
# non-zero; CTest fails the test on either (FAIL_REGULAR_EXPRESSION keeps the exit status in
# force, unlike PASS_REGULAR_EXPRESSION). Together they take well under a minute on 2 cores.
find_program(CPCSIM_BASH bash)
set(CPCSIM_SWEEP_PYTHON /usr/bin/python3 CACHE FILEPATH "Python 3 with h5py, for comparing sweep results files")
if(CPCSIM_BASH)
  set(sweep_tests cli modes kill_resume failures)
  if(CPCSIM_WITH_MPI)
    list(APPEND sweep_tests mpi)
  endif()
  list(APPEND sweep_tests slurm)
  foreach(t IN LISTS sweep_tests)
    set(name "regression: sweep ${t}")
    add_test(NAME "${name}"
             COMMAND ${CPCSIM_BASH} ${CMAKE_SOURCE_DIR}/tests/sweep/${t}.sh ${CMAKE_CURRENT_BINARY_DIR}/sweep-tests/${t})
    set_tests_properties("${name}" PROPERTIES
      LABELS regression
      TIMEOUT 180
      FAIL_REGULAR_EXPRESSION "SWEEP TEST FAILED"
      ENVIRONMENT "CPCSIM=$<TARGET_FILE:cpcsim>;CPCSIM_SOURCE_DIR=${CMAKE_SOURCE_DIR};PYTHON=${CPCSIM_SWEEP_PYTHON};OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1")
  endforeach()
  # Skipped (status 77) only outside CI when the Slurm packages are missing; in CI (CI=true) it fails.
  set_tests_properties("regression: sweep slurm" PROPERTIES SKIP_RETURN_CODE 77 RUN_SERIAL TRUE)
endif()
