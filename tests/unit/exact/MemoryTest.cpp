// MemoryTest.cpp — the memory available to the process and the refusal of matrices that cannot fit.
#include "Runtime.h"
#include "exact/DenseModP.h"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <limits>
#include <string>

namespace ex = nagrt::exact;

TEST(Memory, AvailableIsPositiveAndAtMostPhysicalRam) {
  uint64_t ram = uint64_t(sysconf(_SC_PHYS_PAGES)) * uint64_t(sysconf(_SC_PAGESIZE));
  uint64_t available = nagrt::availableMemoryBytes();
  EXPECT_GT(available, 0u);
  EXPECT_LE(available, ram);
}

TEST(Memory, AddressSpaceLimitLowersTheAvailableMemory) {
  // In a child process: a 1 GiB soft RLIMIT_AS above what is mapped now
  // (re-executed, not just forked: OpenBLAS has started threads already).
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        long page = sysconf(_SC_PAGESIZE);
        unsigned long size = 0;
        FILE* f = std::fopen("/proc/self/statm", "r");
        if (!f || std::fscanf(f, "%lu", &size) != 1) std::_Exit(2);
        std::fclose(f);
        struct rlimit rl {};
        getrlimit(RLIMIT_AS, &rl);
        rl.rlim_cur = rlim_t(size) * rlim_t(page) + (rlim_t(1) << 30);
        if (setrlimit(RLIMIT_AS, &rl) != 0) std::_Exit(3);
        std::_Exit(nagrt::availableMemoryBytes() <= (uint64_t(1) << 30) ? 0 : 4);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(Memory, DenseBytes) {
  EXPECT_EQ(ex::denseBytes(0, 0), 0);
  EXPECT_EQ(ex::denseBytes(3000, 3000), int64_t(72000000));
  EXPECT_EQ(ex::denseBytes(int64_t(1) << 40, int64_t(1) << 40), std::numeric_limits<int64_t>::max());
  EXPECT_THROW(ex::denseBytes(-1, 5), nagrt::Error);
}

TEST(Memory, RefusesAnAbsurdMatrixNamingItsSize) {
  try {
    ex::checkDenseFits(1 << 20, 1 << 20, "the Jacobian");
    FAIL() << "a 2^20 x 2^20 matrix of doubles (8 TiB) was accepted";
  } catch (const nagrt::Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("the Jacobian (a 1048576 x 1048576 matrix of doubles) needs 8796093022208 bytes (8.0 TiB)"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("are available to this process"), std::string::npos) << msg;
  }
  try {
    ex::checkDenseFits(int64_t(1) << 40, int64_t(1) << 40, "a product");
    FAIL() << "an overflowing size was accepted";
  } catch (const nagrt::Error& e) {
    EXPECT_NE(std::string(e.what()).find("needs more than 2^63 bytes"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(ex::checkDenseFits(1000, 1000, "a small matrix"));
}

TEST(Memory, RightKernelChecksBeforeAllocating) {
  // Nothing is read: the refusal comes before the working copy exists.
  try {
    ex::rightKernel(nullptr, int64_t(1) << 24, int64_t(1) << 24, 67108859);
    FAIL() << "accepted";
  } catch (const nagrt::Error& e) {
    EXPECT_NE(std::string(e.what()).find("16777216 x 16777216"), std::string::npos) << e.what();
  }
}
