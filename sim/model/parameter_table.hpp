// The model's parameters: every one declared once in sim/model/parameter_table.cpp. scenario/
// takes a registry as an argument and never names this one, so the link order is scenario <- model.
#pragma once

#include "scenario/params.hpp"

namespace cpcsim {

/// Every parameter of the model, in declaration order (built on first use, then immutable).
[[nodiscard]] const ParamRegistry& model_parameters();

}  // namespace cpcsim
