# Validation: the default region meets every calibration target of MODEL.md §7 (C1-C11).
add_test(NAME "validation: calibration of the Yorkshire and the Humber baseline"
         COMMAND cpcsim calibration ${CMAKE_SOURCE_DIR}/scenarios/yorkshire-humber/no-network.toml
                 --replicates 20 --quiet)
set_tests_properties("validation: calibration of the Yorkshire and the Humber baseline"
                     PROPERTIES LABELS validation TIMEOUT 600)
