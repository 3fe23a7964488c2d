import ctypes, json, sys
sys.path.insert(0, sys.argv[2])
import nagc

m = nagc.Model(sys.argv[1])
d = m.dim()
print("true", d["dimension"], "rows", d["rows"])
fake = nagc._Model.from_buffer_copy(m._m)  # the model is read-only data; its copy is not
fake.expected_dimension = b"0"
fn = m._lib.nagrt_dim_report
fn.restype = ctypes.c_void_p
args = [b"--json"]
fn.argtypes = [ctypes.POINTER(nagc._Model), ctypes.c_int, ctypes.c_char_p * len(args)]
raw = fn(ctypes.byref(fake), len(args), (ctypes.c_char_p * len(args))(*args))
text = ctypes.string_at(raw).decode()
m._lib.nagrt_free_string(ctypes.c_void_p(raw))
r = json.loads(text)
print("claimed 0:", r["dimension"], "rows", r["rows"])
