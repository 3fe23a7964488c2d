// Nag.g4 — the grammar of the .nag language (LANGUAGE.md); labelled alternatives, no actions.
grammar Nag;

// ---------------------------------------------------------------- modules

module      : decl* EOF ;

// A lone expression: the value of a -D NAME=VALUE on the command line.
standaloneExpr : expr EOF ;

decl        : 'import' IDENT ';'                                 # importDecl
            | 'const' IDENT '=' expr ';'                         # constDecl
            | 'act' IDENT '(' IDENT ')' '=' expr ';'             # actDecl
            | 'layer' IDENT '(' formals? ')' block               # layerDecl
            | 'network' IDENT '(' formals? ')' block             # networkDecl
            ;

formals     : formal (',' formal)* ;
formal      : IDENT ':' type ('=' expr)? ;

type        : 'int'                                              # intType
            | 'bool'                                             # boolType
            | 'rat'                                              # ratType
            | '[' type ']'                                       # listType
            | 'R' ('[' expr (',' expr)* ']')?                    # tensorType
            ;

// ------------------------------------------------------------- statements

block       : '{' stmt* '}' ;

stmt        : 'input' IDENT ':' type ';'                         # inputStmt
            | 'param' IDENT ':' type ';'                         # paramStmt
            | 'let' IDENT '=' expr ';'                           # letStmt
            | IDENT '=' expr ';'                                 # assignStmt
            | 'for' IDENT 'in' expr '..' expr block              # forStmt
            | ifStmt                                             # ifStmtAlt
            | 'output' expr ';'                                  # outputStmt
            | 'return' expr ';'                                  # returnStmt
            | 'assert' expr (',' STRING)? ';'                    # assertStmt
            ;

ifStmt      : 'if' expr block ('else' (block | ifStmt))? ;

// ------------------------------------------------------------ expressions
// Earlier alternatives bind tighter. `^` is right-associative and binds
// tighter than unary minus (-x^2 is -(x^2)); `@` sits with `*` and `/`.

expr        : primary                                            # primaryExpr
            | expr '(' args? ')'                                 # callExpr
            | expr '[' expr (',' expr)* ']'                      # indexExpr
            | <assoc=right> expr '^' expr                        # powExpr
            | op=('-' | '+' | '!') expr                          # unaryExpr
            | expr op=('*' | '/' | '%' | '@') expr               # mulExpr
            | expr op=('+' | '-') expr                           # addExpr
            | expr op=('<' | '<=' | '>' | '>=') expr             # relExpr
            | expr op=('==' | '!=') expr                         # eqExpr
            | expr '&&' expr                                     # andExpr
            | expr '||' expr                                     # orExpr
            ;

primary     : INT                                                # intLit
            | DECIMAL                                            # decimalLit
            | ('true' | 'false')                                 # boolLit
            | IDENT ('.' IDENT)?                                 # nameRef
            | '(' expr ')'                                       # parenExpr
            | '[' (expr (',' expr)*)? ']'                        # listLit
            ;

args        : arg (',' arg)* ;
arg         : (IDENT ':')? expr ;

// ----------------------------------------------------------------- tokens

INT           : [0-9]+ ;
DECIMAL       : [0-9]+ '.' [0-9]+ EXPONENT? | [0-9]+ EXPONENT ;   // exact: 1e308, 2.5e-3
fragment EXPONENT : [eE] [+-]? [0-9]+ ;
IDENT         : [a-zA-Z_] [a-zA-Z_0-9]* ;
STRING        : '"' ~["\r\n]* '"' ;                    // assert messages only
WS            : [ \t\r\n]+ -> skip ;
LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
// A comment that runs to the end of the file without '*/' (it cannot
// contain '*/', so a closed comment never matches it); reported by the parser.
UNTERMINATED_COMMENT : '/*' ( ~'*' | '*'+ ~[*/] )* '*'* EOF ;
