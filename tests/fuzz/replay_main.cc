// The driver that turns a fuzz target into a test without libFuzzer (see
// sluice_fuzz_target in cmake/sluice.cmake): runs each file named on the command
// line, and each file of each directory named, through LLVMFuzzerTestOneInput, in
// name order. A crash is the test failing; the last "input:" line names its input.
// A directory that does not exist is empty (a corpus has no crashes/ until one is
// found); names starting with '.' are skipped.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg = argv[i];
    if (fs::is_directory(arg)) {
      for (const auto& entry : fs::directory_iterator(arg))
        if (entry.is_regular_file() && entry.path().filename().string().front() != '.') inputs.push_back(entry.path());
    } else if (fs::exists(arg)) {
      inputs.push_back(arg);
    }
  }
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    std::cerr << "no inputs: give corpus directories or files\n";
    return 1;
  }
  for (const auto& path : inputs) {
    std::cout << "input: " << path.string() << std::endl;  // flushed, in case this one crashes
    std::ifstream in(path, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      std::cerr << "cannot read " << path << "\n";
      return 1;
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  }
  std::cout << inputs.size() << " inputs ran\n";
  return 0;
}
