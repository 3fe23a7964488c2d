-- The neurovariety of the shallow network x -> V (W x)^r (widths n, k, o;
-- activation t^r, no biases), written from the mathematics, not from nagc:
-- f_q = sum_j V_(q,j) (sum_i W_(j,i) x_i)^r. Its ideal in the coefficient
-- coordinates c_(q, a_1..a_n) (the coefficient of x^a in output q, q from
-- 0) is compared with the ideal I that nagc's `equations --format m2` wrote.
-- Usage: M2 --script shallow-power.m2 EQUATIONS.m2 n k o r MODE
--   MODE ker:    prints "same ideal" when ker(coefficient map) == I
--   MODE degree: prints, for degrees 1..3, dim I(V)_k (by linear algebra over
--                QQ on the coefficient map), the number of nagc's generators
--                of that degree, their rank, and whether all lie in I(V)
args = scriptCommandLine;
load args#1;
n = value args#2; k = value args#3; o = value args#4; r = value args#5; mode = args#6;
A = QQ[W_(1,1)..W_(k,n), V_(1,1)..V_(o,k)];
T = A[x_1..x_n];
F = apply(o, q -> sum(k, j -> V_(q+1,j+1) * (sum(n, i -> W_(j+1,i+1) * x_(i+1)))^r));
coeffOf = c -> (l := toList last baseName c; coefficient(product(n, i -> x_(i+1)^(l#(i+1))), F#(l#0)));
phi = map(A, R, apply(gens R, coeffOf));
if mode == "ker" then (
  K = ker phi;
  print(if K == I then "same ideal" else "different ideals");
) else (
  for d from 1 to 3 do (
    B = basis(d, R);
    (M, C) = coefficients phi B;
    dimI = numcols B - rank C;
    G = select(flatten entries gens I, g -> g != 0 and first degree g == d);
    inV = all(G, g -> phi g == 0);
    rk = if #G == 0 then 0 else (
      (M3, C2) = coefficients matrix {G};
      rank C2);
    print("degree " | toString d | ": dim I(V)_" | toString d | " = " | toString dimI | ", nagc " | toString(#G) |
          " of rank " | toString rk | ", in I(V): " | toString inV);
  );
);
