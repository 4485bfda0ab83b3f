// The declared uncertainty of the model's parameters (parameter_priors.cpp), attached to the
// declarations of parameter_table.cpp by model_parameters().
#pragma once

#include "scenario/params.hpp"

#include <vector>

namespace cpcsim {

/// `specs` with each one's `uncertainty` set from the prior table. Throws std::logic_error for a
/// prior of an undeclared parameter or an invalid prior (coding errors).
std::vector<ParamSpec> with_priors(std::vector<ParamSpec> specs);

}  // namespace cpcsim
