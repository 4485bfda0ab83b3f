# Validation: the default region meets every calibration target of MODEL.md §7 (C1-C11).
add_test(NAME "validation: calibration of the Yorkshire and the Humber baseline"
         COMMAND cpcsim calibration ${CMAKE_SOURCE_DIR}/scenarios/yorkshire-humber/no-network.toml
                 --replicates 20 --quiet)
set_tests_properties("validation: calibration of the Yorkshire and the Humber baseline"
                     PROPERTIES LABELS validation TIMEOUT 600)

# The generated parameter table in the docs matches the declarations.
add_test(NAME "regression: docs/parameters.md is generated from the parameter declarations"
         COMMAND bash -c "diff <(tail -n +5 '${CMAKE_SOURCE_DIR}/docs/parameters.md') <('$<TARGET_FILE:cpcsim>' params --markdown)")
set_tests_properties("regression: docs/parameters.md is generated from the parameter declarations"
                     PROPERTIES LABELS regression)
