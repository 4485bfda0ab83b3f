#include "core/version.hpp"
#include <iostream>
int main() { std::cout << "cpcsim " << cpcsim::kVersion << "\n"; }
