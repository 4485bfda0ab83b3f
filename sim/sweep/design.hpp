// Design points of a sweep: each is the base scenario with some parameter settings. Grids and
// variants list them; Latin hypercubes and Morris trajectories sample them with keyed,
// counter-based random numbers (core/rng.hpp), so a plan is the same on every machine and
// adding blocks or trajectories never moves the points that exist.
#pragma once

#include "sweep/sweep_file.hpp"

#include <string>
#include <vector>

namespace cpcsim::sweep {

struct DesignPoint {
    std::string name;
    std::vector<Setting> set;  ///< canonical settings, in parameter-column order
    int trajectory = -1;       ///< morris: trajectory index; -1 otherwise
    int changed = -1;          ///< morris: column changed from the previous point; -1 at a trajectory's start
};

/// The parameter columns of a design: every key any point sets, in order of first appearance.
std::vector<std::string> design_parameters(const SweepSpec& spec);

/// The design points in plan order. Morris: `trajectories` x (parameters + 1) points.
std::vector<DesignPoint> design_points(const SweepSpec& spec);

/// Latin hypercube in [0,1)^k: `points` rows of k values, block `block` of the design keyed by
/// `seed`; column j is stratified over the points and keyed by `keys[j]` (so columns do not
/// depend on one another's order).
std::vector<std::vector<double>> latin_hypercube(std::uint64_t seed, int block, int points,
                                                 const std::vector<std::string>& keys);

/// One Morris trajectory on the unit grid of `levels` levels: k + 1 points, each differing from
/// the previous one in one coordinate by +-delta, delta = levels / (2 (levels - 1)).
/// changed[s] = coordinate changed to reach point s (-1 for s = 0).
struct MorrisTrajectory {
    std::vector<std::vector<double>> points;
    std::vector<int> changed;
};
MorrisTrajectory morris_trajectory(std::uint64_t seed, int trajectory, int k, int levels);

/// The parameter value at unit position u of a range (whole numbers for integer parameters).
std::string value_in_range(const ParamRange& range, double u);

}  // namespace cpcsim::sweep
