// DataIO.cpp — reading data files (text, CSV, .npy, stdin, random:SEED) and writing results.
#include "Runtime.h"

#include <cctype>
#include "nagrt_output.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace nagrt {

namespace {

constexpr size_t kMaxInputBytes = size_t(4) << 30;  // 4 GiB of data in one file

// Extensions are matched without regard to case: X.NPY is a .npy file.
bool endsWith(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) !=
        std::tolower(static_cast<unsigned char>(suffix[i])))
      return false;
  return true;
}

// Reads a stream whose size is not known in advance (standard input, a pipe,
// a device) in blocks, up to kMaxInputBytes. Text never holds a NUL byte, so
// a stream that does not start as a .npy file stops at the block with its
// first NUL (parseText then reports where): /dev/zero ends at once.
std::string readStream(std::istream& in, const std::string& name, const std::string& what) {
  std::string bytes;
  std::vector<char> block(size_t(1) << 20);
  while (in) {
    in.read(block.data(), std::streamsize(block.size()));
    size_t n = size_t(in.gcount());
    if (bytes.size() + n > kMaxInputBytes)
      throw Error(what + ": '" + name + "' gives more than " + std::to_string(kMaxInputBytes) +
                  " bytes; the limit for a data file is " + std::to_string(kMaxInputBytes));
    bytes.append(block.data(), n);
    bool npy = bytes.size() >= 6 && bytes.compare(0, 6, "\x93NUMPY") == 0;
    if (!npy && bytes.size() >= 6 && std::memchr(block.data(), '\0', n)) break;
  }
  if (in.bad()) throw Error(what + ": error reading '" + name + "'");
  return bytes;
}

}  // namespace

std::string readInputBytes(const std::string& spec, const std::string& what) {
  if (spec == "-") return readStream(std::cin, "<stdin>", what);
  struct stat st;
  if (::stat(spec.c_str(), &st) != 0) throw Error(what + ": cannot open '" + spec + "': " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw Error(what + ": '" + spec + "' is a directory");
  if (S_ISREG(st.st_mode) && size_t(st.st_size) > kMaxInputBytes)
    throw Error(what + ": '" + spec + "' is " + std::to_string(st.st_size) + " bytes; the limit is " +
                std::to_string(kMaxInputBytes));
  std::ifstream in(spec, std::ios::binary);
  if (!in) throw Error(what + ": cannot open '" + spec + "': " + std::strerror(errno ? errno : EIO));
  return readStream(in, spec, what);
}

bool isNpy(const std::string& file, const std::string& bytes) {
  return endsWith(file, ".npy") || bytes.compare(0, 6, "\x93NUMPY") == 0;
}

namespace {

std::string place(const std::string& file, int64_t line, int64_t col) {
  return file + ":" + std::to_string(line) + ":" + std::to_string(col);
}

// Text and CSV: numbers separated by commas and/or blanks, one row per line.
// Blanks around a comma are allowed; a comma needs a number on each side
// (",5", "1,,2" and "1,2," have an empty field). A UTF-8 byte order mark at
// the start of the file is skipped (columns count from after it).
Matrix parseText(const std::string& text, const std::string& file, const std::string& what) {
  Matrix m;
  int64_t line = 0;
  size_t pos = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (pos < text.size()) {
    ++line;
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string row = text.substr(pos, end - pos);
    pos = end + 1;
    if (!row.empty() && row.back() == '\r') row.pop_back();
    size_t first = row.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    if (row[first] == '#') {  // a comment; binary data here is still not text
      if (size_t nul = row.find('\0'); nul != std::string::npos)
        throw Error(what + ": " + place(file, line, int64_t(nul) + 1) + ": binary data (a NUL byte) in a comment");
      continue;
    }
    int64_t count = 0;
    size_t i = 0;
    bool comma = true;  // a field is due: at the start of the row or after a comma
    size_t lastComma = 0;
    while (i < row.size()) {
      while (i < row.size() && blank(row[i])) ++i;
      if (i >= row.size()) break;
      if (row[i] == ',') {
        if (comma)
          throw Error(what + ": " + place(file, line, int64_t(i) + 1) + ": empty field (no number before this ',')");
        comma = true;
        lastComma = i++;
        continue;
      }
      comma = false;
      size_t start = i;
      while (i < row.size() && !blank(row[i]) && row[i] != ',') ++i;
      std::string token = row.substr(start, i - start);
      std::string where = place(file, line, int64_t(start) + 1);
      for (unsigned char c : token)
        if (c < 0x20 || c >= 0x7f) throw Error(what + ": " + where + ": binary data where a number was expected");
      errno = 0;
      char* stop = nullptr;
      double v = std::strtod(token.c_str(), &stop);
      if (stop == token.c_str() || *stop != '\0')
        throw Error(what + ": " + where + ": '" + token + "' is not a number");
      if (std::isnan(v)) throw Error(what + ": " + where + ": NaN is not allowed");
      if (std::isinf(v)) throw Error(what + ": " + where + ": '" + token + "' is infinite or out of range");
      m.data.push_back(v);
      ++count;
    }
    if (comma)
      throw Error(what + ": " + place(file, line, int64_t(lastComma) + 1) + ": empty field (no number after this ',')");
    if (m.rows == 0) {
      m.cols = count;
    } else if (count != m.cols) {
      throw Error(what + ": " + place(file, line, 1) + ": row " + std::to_string(m.rows + 1) + " has " +
                  std::to_string(count) + " values, but row 1 has " + std::to_string(m.cols));
    }
    ++m.rows;
  }
  return m;
}

// .npy: magic, version, a header dictionary, then raw little-endian values.
Matrix parseNpy(const std::string& bytes, const std::string& file, const std::string& what) {
  auto fail = [&](const std::string& msg) -> Error { return Error(what + ": " + file + ": " + msg); };
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) throw fail("not a .npy file (bad magic)");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = size_t(static_cast<unsigned char>(bytes[8])) | size_t(static_cast<unsigned char>(bytes[9])) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw fail("truncated .npy header");
    headerLen = 0;
    for (int k = 0; k < 4; ++k) headerLen |= size_t(static_cast<unsigned char>(bytes[8 + k])) << (8 * k);
    headerStart = 12;
  } else {
    throw fail("unsupported .npy version " + std::to_string(major));
  }
  if (headerStart + headerLen > bytes.size()) throw fail("truncated .npy header");
  std::string header = bytes.substr(headerStart, headerLen);
  auto field = [&](const std::string& key) -> std::string {
    size_t k = header.find("'" + key + "'");
    if (k == std::string::npos) throw fail("the .npy header has no '" + key + "'");
    size_t colon = header.find(':', k);
    if (colon == std::string::npos) throw fail("malformed .npy header");
    size_t v = header.find_first_not_of(' ', colon + 1);
    if (v == std::string::npos) throw fail("malformed .npy header");
    if (header[v] == '\'') {
      size_t close = header.find('\'', v + 1);
      if (close == std::string::npos) throw fail("malformed .npy header");
      return header.substr(v + 1, close - v - 1);
    }
    if (header[v] == '(') {
      size_t close = header.find(')', v);
      if (close == std::string::npos) throw fail("malformed .npy header");
      return header.substr(v + 1, close - v - 1);
    }
    size_t end = header.find_first_of(",}", v);
    return header.substr(v, end == std::string::npos ? std::string::npos : end - v);
  };
  std::string descr = field("descr");
  bool fortran = field("fortran_order").find("True") != std::string::npos;
  std::vector<int64_t> shape;
  std::string dims = field("shape");
  for (size_t i = 0; i < dims.size();) {
    while (i < dims.size() && (dims[i] == ' ' || dims[i] == ',')) ++i;
    if (i >= dims.size()) break;
    char* stop = nullptr;
    errno = 0;
    long long d = std::strtoll(dims.c_str() + i, &stop, 10);
    if (stop == dims.c_str() + i || d < 0) throw fail("malformed shape (" + dims + ") in the .npy header");
    // No dimension can exceed the bytes of a file (and so the products below stay in range).
    if (errno == ERANGE || uint64_t(d) > kMaxInputBytes)
      throw fail("a dimension of the shape in the .npy header is larger than any file nagc reads");
    shape.push_back(d);
    i = size_t(stop - dims.c_str());
  }
  if (shape.size() > 2) throw fail("arrays of rank " + std::to_string(shape.size()) + " are not supported (use 1-D or 2-D)");
  int itemSize;
  char kind;
  if (descr == "<f8" || descr == "=f8") itemSize = 8, kind = 'f';
  else if (descr == "<f4" || descr == "=f4") itemSize = 4, kind = 'f';
  else if (descr == "<i8" || descr == "=i8") itemSize = 8, kind = 'i';
  else if (descr == "<i4" || descr == "=i4") itemSize = 4, kind = 'i';
  else throw fail("unsupported dtype '" + descr + "' (use float64, float32, int64 or int32, little-endian)");
  Matrix m;
  m.rows = shape.empty() ? 1 : shape[0];
  m.cols = shape.size() == 2 ? shape[1] : 1;
  if (shape.size() == 1) std::swap(m.rows, m.cols), m.rows = 1;  // a vector is one row
  __int128 count = __int128(m.rows) * m.cols;
  size_t dataStart = headerStart + headerLen;
  __int128 need = count * itemSize;
  if (__int128(bytes.size() - dataStart) < need)
    throw fail("truncated data: the header promises " + std::to_string(int64_t(need)) + " bytes, the file has " +
               std::to_string(bytes.size() - dataStart));
  if (__int128(bytes.size() - dataStart) > need)
    throw fail("the file has " + std::to_string(int64_t(bytes.size() - dataStart - size_t(need))) +
               " bytes after the data");
  m.data.resize(size_t(count));
  const char* p = bytes.data() + dataStart;
  for (size_t i = 0; i < size_t(count); ++i) {
    double v;
    if (kind == 'f' && itemSize == 8) { std::memcpy(&v, p + 8 * i, 8); }
    else if (kind == 'f') { float f; std::memcpy(&f, p + 4 * i, 4); v = f; }
    else if (itemSize == 8) { int64_t k; std::memcpy(&k, p + 8 * i, 8); v = double(k); }
    else { int32_t k; std::memcpy(&k, p + 4 * i, 4); v = k; }
    if (!std::isfinite(v))
      throw fail("element " + std::to_string(i) + " is " + (std::isnan(v) ? "NaN" : "infinite"));
    m.data[i] = v;
  }
  if (fortran && shape.size() == 2) {
    std::vector<double> c(m.data.size());
    for (int64_t r = 0; r < m.rows; ++r)
      for (int64_t k = 0; k < m.cols; ++k) c[size_t(r * m.cols + k)] = m.data[size_t(k * m.rows + r)];
    m.data.swap(c);
  }
  return m;
}

std::string formatDouble(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// A number in JSON: JSON has no NaN or infinity, so those are null.
std::string formatJsonNumber(double v) { return std::isfinite(v) ? formatDouble(v) : "null"; }

}  // namespace

bool isRandomSpec(const std::string& spec) { return spec.compare(0, 7, "random:") == 0; }

uint64_t randomSeed(const std::string& spec, const std::string& prefix) {
  std::string digits = spec.substr(7);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos)
    throw Error(prefix + "'" + spec + "': the seed must be a non-negative integer");
  errno = 0;
  unsigned long long v = std::strtoull(digits.c_str(), nullptr, 10);
  if (errno == ERANGE) throw Error(prefix + "'" + spec + "': the seed does not fit in 64 bits");
  return v;
}

Matrix readData(const DataRequest& r) {
  if (isRandomSpec(r.spec)) {
    Random rng(randomSeed(r.spec, r.what + ": "));
    Matrix m;
    m.rows = r.rows < 0 ? 1 : r.rows;
    m.cols = r.cols;
    m.data.resize(size_t(m.rows * m.cols));
    for (double& v : m.data) v = rng.uniform();
    return m;
  }
  return parseData(readInputBytes(r.spec, r.what), r.spec == "-" ? "<stdin>" : r.spec, r);
}

Matrix parseData(const std::string& bytes, const std::string& file, const DataRequest& r) {
  bool npy = isNpy(file, bytes);
  Matrix m = npy ? parseNpy(bytes, file, r.what) : parseText(bytes, file, r.what);
  if (m.data.empty() && r.cols > 0) throw Error(r.what + ": " + file + ": no values");
  if (r.flat) {
    int64_t want = r.cols * (r.rows < 0 ? 1 : r.rows);
    if (int64_t(m.data.size()) != want)
      throw Error(r.what + ": " + file + ": expected " + std::to_string(want) + " values, found " +
                  std::to_string(m.data.size()));
    m.rows = r.rows < 0 ? 1 : r.rows;
    m.cols = r.cols;
    return m;
  }
  if (m.cols != r.cols)
    throw Error(r.what + ": " + file + ": rows have " + std::to_string(m.cols) + " values; expected " +
                std::to_string(r.cols) + " per row");
  if (r.rows >= 0) {
    if (m.rows < r.rows)
      throw Error(r.what + ": " + file + ": " + std::to_string(r.rows) + " rows requested, the file has " +
                  std::to_string(m.rows));
    m.rows = r.rows;
    m.data.resize(size_t(m.rows * m.cols));
  }
  return m;
}

Format formatFor(const std::string& path) {
  if (endsWith(path, ".npy")) return Format::NPY;
  if (endsWith(path, ".csv")) return Format::CSV;
  if (endsWith(path, ".json")) return Format::JSON;
  return Format::Text;
}

void writeMatrix(const Matrix& m, const std::string& path, Format format, const std::string& name,
                 const std::vector<int64_t>& rowShape, const std::vector<std::string>& inputs) {
  bool matrices = rowShape.size() == 2 && rowShape[0] * rowShape[1] == m.cols;
  int64_t inner = matrices ? rowShape[1] : m.cols;
  std::string out;
  if (format == Format::NPY) {
    std::string dims = std::to_string(m.rows) + ", " +
                       (matrices ? std::to_string(rowShape[0]) + ", " + std::to_string(rowShape[1]) : std::to_string(m.cols));
    std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + dims + "), }";
    size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    out = std::string("\x93NUMPY\x01\x00", 8);
    out += char(header.size() & 0xff);
    out += char(header.size() >> 8);
    out += header;
    out.append(reinterpret_cast<const char*>(m.data.data()), m.data.size() * sizeof(double));
  } else if (format == Format::JSON) {
    out = "{\"" + name + "\": [";
    for (int64_t r = 0; r < m.rows; ++r) {
      out += r ? ",\n  [" : "\n  [";
      for (int64_t c = 0; c < m.cols; ++c) {
        if (matrices && c % inner == 0) out += c ? "], [" : "[";
        else if (c) out += ", ";
        out += formatJsonNumber(m.data[size_t(r * m.cols + c)]);
      }
      out += matrices ? "]]" : "]";
    }
    out += "\n]}\n";
  } else {
    const char* sep = format == Format::CSV ? "," : " ";
    for (int64_t r = 0; r < m.rows; ++r) {
      if (matrices && r && format == Format::Text) out += '\n';
      for (int64_t c = 0; c < m.cols; ++c) {
        if (c % inner) out += sep;
        out += formatDouble(m.data[size_t(r * m.cols + c)]);
        if ((c + 1) % inner == 0) out += '\n';
      }
    }
  }
  if (path.empty() || path == "-") {
    std::cout.write(out.data(), std::streamsize(out.size()));
    std::cout.flush();
    if (!std::cout) throw Error("error writing to standard output");
    return;
  }
  OutputOptions o;
  o.inputs = inputs;
  if (std::string problem = writeOutput(path, out, o); !problem.empty()) throw Error(problem);
}

}  // namespace nagrt
