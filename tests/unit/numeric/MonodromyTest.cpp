// MonodromyTest.cpp — placeholder
#include <gtest/gtest.h>
