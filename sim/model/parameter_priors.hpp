// The declared uncertainty of the model's parameters (parameter_priors.cpp), attached to the
// declarations of parameter_table.cpp by model_parameters().
#pragma once

#include "scenario/params.hpp"

#include <string>
#include <vector>

namespace cpcsim {

/// `specs` with each one's `uncertainty` set from the prior table. Throws std::logic_error for an
/// invalid prior (a coding error); priors of undeclared keys are skipped (see below).
std::vector<ParamSpec> with_priors(std::vector<ParamSpec> specs);
/// Keys of the prior table that `specs` does not declare (stale after a rename; a test lists them).
std::vector<std::string> priors_without_parameter(const std::vector<ParamSpec>& specs);

}  // namespace cpcsim
