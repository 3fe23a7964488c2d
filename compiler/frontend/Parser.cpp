// Parser.cpp — runs the ANTLR lexer and parser with nagc's own error reporting.
#include "frontend/Parser.h"

#include "frontend/ASTBuilder.h"

#include "NagLexer.h"
#include "NagParser.h"
#include "antlr4-runtime.h"

#include <sstream>

namespace nag {

namespace {

// ANTLR indexes its input by code point; diagnostics use byte offsets.
class OffsetMap {
public:
  explicit OffsetMap(std::string_view text) : size_(uint32_t(text.size())) {
    bool ascii = true;
    for (unsigned char c : text)
      if (c >= 0x80) { ascii = false; break; }
    if (ascii) return;
    for (size_t i = 0; i < text.size(); ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts_.push_back(uint32_t(i));
  }
  uint32_t byteOffset(size_t codePoint) const {
    if (starts_.empty()) return uint32_t(std::min<size_t>(codePoint, size_));
    return codePoint < starts_.size() ? starts_[codePoint] : size_;
  }

private:
  uint32_t size_;
  std::vector<uint32_t> starts_;
};

// Checks the encoding before ANTLR sees the text (its UTF-8 decoder throws).
bool checkEncoding(uint32_t file, std::string_view text, DiagnosticEngine& diags) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    SourceRange at(SourceLoc{file, uint32_t(i)});
    if (c == 0) {
      diags.report(DiagId::err_nul_byte, at);
      return false;
    }
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len != 0 && i + len <= text.size();
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; ok && k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(text[i + k]);
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Reject overlong forms, surrogates and values beyond U+10FFFF.
    if (ok && ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
               (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF))
      ok = false;
    if (!ok) {
      char hex[3];
      std::snprintf(hex, sizeof hex, "%02X", c);
      diags.report(DiagId::err_invalid_utf8, at, {hex});
      return false;
    }
    i += len;
  }
  return true;
}

// The lexer, reporting unknown characters at their exact place.
class CheckedLexer : public antlr::NagLexer {
public:
  struct Error {
    size_t start, stop;  // code points
  };
  using antlr::NagLexer::NagLexer;
  std::vector<Error> errors;
  void notifyListeners(const antlr4::LexerNoViableAltException&) override {
    errors.push_back({tokenStartCharIndex, getCharIndex()});
  }
};

std::string describeChar(std::string_view text, size_t byte) {
  unsigned char c = static_cast<unsigned char>(text[byte]);
  if (c >= 0x21 && c < 0x7f) return std::string("'") + char(c) + "'";
  char buf[32];
  if (c < 0x80) {
    std::snprintf(buf, sizeof buf, "U+%04X", c);
    return buf;
  }
  size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
  uint32_t cp = len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[byte + k]) & 0x3F);
  std::snprintf(buf, sizeof buf, "'%s' (U+%04X)", std::string(text.substr(byte, len)).c_str(), cp);
  return buf;
}

bool reportLexErrors(uint32_t file, std::string_view text, const OffsetMap& map,
                     const CheckedLexer& lexer, DiagnosticEngine& diags) {
  for (const auto& e : lexer.errors) {
    uint32_t byte = map.byteOffset(e.start);
    SourceLoc begin{file, byte};
    if (text.substr(byte, 2) == "/*") {
      diags.report(DiagId::err_unterminated_comment, SourceRange(begin, SourceLoc{file, byte + 2}));
      return false;  // everything after it is inside the comment
    }
    diags.report(DiagId::err_unexpected_char, SourceRange(begin), {describeChar(text, byte)});
  }
  return lexer.errors.empty();
}

// Bounds the parser's recursion before it starts: brackets, prefix operators
// and right-associative '^' chains nest; everything else the parser loops over.
bool checkNesting(uint32_t file, const OffsetMap& map, const std::vector<antlr4::Token*>& tokens,
                  const antlr4::dfa::Vocabulary& vocab, const ParseLimits& limits, DiagnosticEngine& diags) {
  std::vector<unsigned> chain{0};  // prefix/pow operators per open bracket level
  unsigned total = 0;
  std::string prev;
  size_t prevType = 0;
  for (antlr4::Token* t : tokens) {
    if (t->getType() == antlr::NagLexer::UNTERMINATED_COMMENT) {
      uint32_t at = map.byteOffset(t->getStartIndex());
      diags.report(DiagId::err_unterminated_comment, SourceRange(SourceLoc{file, at}, SourceLoc{file, at + 2}));
      return false;
    }
    std::string lit = vocab.getLiteralName(t->getType());
    SourceRange at(SourceLoc{file, map.byteOffset(t->getStartIndex())});
    bool operandBefore = prevType == antlr::NagLexer::INT || prevType == antlr::NagLexer::DECIMAL ||
                         prevType == antlr::NagLexer::IDENT || prev == "')'" || prev == "']'" ||
                         prev == "'true'" || prev == "'false'" || prev == "'R'";
    if (lit == "'('" || lit == "'['" || lit == "'{'") {
      chain.push_back(0);
      ++total;
      if (chain.size() - 1 > limits.maxBracketDepth) {
        diags.report(DiagId::err_nesting_too_deep, at, {std::to_string(limits.maxBracketDepth)});
        return false;
      }
    } else if (lit == "')'" || lit == "']'" || lit == "'}'") {
      if (chain.size() > 1) {
        total -= chain.back() + 1;
        chain.pop_back();
      }
    } else if (lit == "';'" || lit == "','") {
      total -= chain.back();
      chain.back() = 0;
    } else if (lit == "'^'" || ((lit == "'-'" || lit == "'+'" || lit == "'!'") && !operandBefore)) {
      ++chain.back();
      ++total;
    }
    if (total > limits.maxExprDepth) {
      diags.report(DiagId::err_expr_too_deep, at, {std::to_string(limits.maxExprDepth)});
      return false;
    }
    prev = lit;
    prevType = t->getType();
  }
  return true;
}

// Rewrites ANTLR's syntax messages into nagc's words.
class SyntaxErrors : public antlr4::BaseErrorListener {
public:
  SyntaxErrors(uint32_t file, std::string_view text, const OffsetMap& map, DiagnosticEngine& diags)
      : file_(file), text_(text), map_(map), diags_(diags) {}
  bool failed = false;

  void syntaxError(antlr4::Recognizer*, antlr4::Token* offending, size_t, size_t, const std::string& msg,
                   std::exception_ptr) override {
    if (failed) return;  // the first syntax error is the reliable one
    failed = true;
    SourceRange at;
    if (offending && offending->getType() != antlr4::Token::EOF) {
      at = SourceRange(SourceLoc{file_, map_.byteOffset(offending->getStartIndex())},
                       SourceLoc{file_, map_.byteOffset(offending->getStopIndex() + 1)});
    } else {
      // At end of file: point just after the last non-blank character.
      size_t end = text_.size();
      while (end > 0 && std::isspace(static_cast<unsigned char>(text_[end - 1]))) --end;
      at = SourceRange(SourceLoc{file_, uint32_t(end)});
    }
    diags_.report(DiagId::err_syntax, at, {rewrite(msg)});
  }

private:
  uint32_t file_;
  std::string_view text_;
  const OffsetMap& map_;
  DiagnosticEngine& diags_;

  static void replaceAll(std::string& s, const std::string& from, const std::string& to) {
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  }
  static bool startsWith(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }

  // Token names as a user reads them.
  static void names(std::string& s) {
    replaceAll(s, "IDENT", "a name");
    replaceAll(s, "DECIMAL", "a decimal number");
    replaceAll(s, "INT", "an integer");
  }

  static std::string rewrite(std::string msg) {
    replaceAll(msg, "'<EOF>'", "end of file");
    replaceAll(msg, "<EOF>", "end of file");
    std::string out;
    if (startsWith(msg, "mismatched input ") || startsWith(msg, "extraneous input ")) {
      std::string rest = msg.substr(17);
      size_t exp = rest.find(" expecting ");
      if (exp == std::string::npos) return "unexpected " + rest;
      std::string expected = rest.substr(exp + 11);
      bool several = !expected.empty() && expected[0] == '{';
      if (several) expected = expected.substr(1, expected.size() - 2);
      if (several && expected.find("IDENT") != std::string::npos && expected.find("INT") != std::string::npos &&
          expected.find("'('") != std::string::npos)
        return "unexpected " + rest.substr(0, exp) + "; expected an expression";
      names(expected);
      return "unexpected " + rest.substr(0, exp) + "; expected " + (several ? "one of " : "") + expected;
    }
    if (startsWith(msg, "missing ")) {
      size_t at = msg.find(" at ");
      std::string missing = msg.substr(8, at - 8);
      names(missing);
      if (at != std::string::npos) return "expected " + missing + " before " + msg.substr(at + 4);
    }
    if (startsWith(msg, "no viable alternative at input ")) {
      std::string input = msg.substr(31);
      // ANTLR quotes the whole span it tried; the last token is the culprit.
      if (input.size() >= 2 && input.front() == '\'' && input.back() == '\'') {
        std::string inner = input.substr(1, input.size() - 2);
        size_t sp = inner.find_last_of(" \t\n");
        if (sp != std::string::npos) inner = inner.substr(sp + 1);
        return "unexpected '" + inner + "'";
      }
      return "unexpected " + input;
    }
    return msg;
  }
};

struct Pipeline {
  std::unique_ptr<antlr4::ANTLRInputStream> input;
  std::unique_ptr<CheckedLexer> lexer;
  std::unique_ptr<antlr4::CommonTokenStream> tokens;
  std::unique_ptr<antlr::NagParser> parser;
  std::unique_ptr<SyntaxErrors> listener;
};

// Lexes, checks and prepares a parser; null parser when an error was reported.
Pipeline prepare(uint32_t file, std::string_view text, const OffsetMap& map, DiagnosticEngine& diags,
                 const ParseLimits& limits) {
  Pipeline p;
  p.input = std::make_unique<antlr4::ANTLRInputStream>(std::string(text));
  p.lexer = std::make_unique<CheckedLexer>(p.input.get());
  p.lexer->removeErrorListeners();
  p.tokens = std::make_unique<antlr4::CommonTokenStream>(p.lexer.get());
  p.tokens->fill();
  if (!reportLexErrors(file, text, map, *p.lexer, diags)) return p;
  if (!checkNesting(file, map, p.tokens->getTokens(), p.lexer->getVocabulary(), limits, diags)) return p;
  p.parser = std::make_unique<antlr::NagParser>(p.tokens.get());
  p.parser->removeErrorListeners();
  p.listener = std::make_unique<SyntaxErrors>(file, text, map, diags);
  p.parser->addErrorListener(p.listener.get());
  return p;
}

}  // namespace

std::unique_ptr<ast::Module> parseModule(uint32_t file, const SourceManager& sources, DiagnosticEngine& diags,
                                         const ParseLimits& limits) {
  std::string_view text = sources.text(file);
  if (!checkEncoding(file, text, diags)) return nullptr;
  OffsetMap map(text);
  Pipeline p = prepare(file, text, map, diags, limits);
  if (!p.parser) return nullptr;
  antlr::NagParser::ModuleContext* tree = p.parser->module();
  if (p.listener->failed) return nullptr;
  ASTBuilder builder(file, [&map](size_t cp) { return map.byteOffset(cp); }, diags, limits.maxExprDepth);
  return builder.buildModule(tree);
}

ast::ExprPtr parseExpression(uint32_t file, const SourceManager& sources, DiagnosticEngine& diags) {
  std::string_view text = sources.text(file);
  ParseLimits limits;
  if (!checkEncoding(file, text, diags)) return nullptr;
  OffsetMap map(text);
  Pipeline p = prepare(file, text, map, diags, limits);
  if (!p.parser) return nullptr;
  antlr::NagParser::StandaloneExprContext* tree = p.parser->standaloneExpr();
  if (p.listener->failed) return nullptr;
  ASTBuilder builder(file, [&map](size_t cp) { return map.byteOffset(cp); }, diags, limits.maxExprDepth);
  return builder.buildStandalone(tree);
}

}  // namespace nag
