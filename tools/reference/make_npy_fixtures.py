#!/usr/bin/python3
"""Writes small .npy files with NumPy itself, so that ser.io.Npy is tested against the real format.

Run with Debian's python3 (it has numpy): /usr/bin/python3 tools/reference/make_npy_fixtures.py
Output: engine/src/test/resources/fixtures/npy/*.npy (a few hundred bytes in all, committed).
"""
import pathlib

import numpy as np

out = pathlib.Path(__file__).resolve().parents[2] / "engine/src/test/resources/fixtures/npy"
out.mkdir(parents=True, exist_ok=True)

ramp = np.arange(6, dtype=np.float64).reshape(2, 3) * 0.5 - 1.0  # [[-1, -0.5, 0], [0.5, 1, 1.5]]
np.save(out / "f4_2x3.npy", ramp.astype("<f4"))
np.save(out / "f8_2x3.npy", ramp.astype("<f8"))
np.save(out / "i8_4.npy", np.array([-3, 0, 7, 1 << 20], dtype="<i8"))
np.save(out / "i4_2x2.npy", np.array([[1, -2], [3, 40000]], dtype="<i4"))
np.save(out / "f4_scalar.npy", np.array(2.5, dtype="<f4"))
np.save(out / "f4_0x3.npy", np.zeros((0, 3), dtype="<f4"))
np.save(out / "f4_big_endian.npy", ramp.astype(">f4"))
np.save(out / "f4_fortran.npy", np.asfortranarray(ramp.astype("<f4")))
np.save(out / "f4_fortran_2x3x4.npy", np.asfortranarray(np.arange(24, dtype="<f4").reshape(2, 3, 4)))
with open(out / "f4_v2_2x3.npy", "wb") as f:
    np.lib.format.write_array(f, ramp.astype("<f4"), version=(2, 0))
print("wrote", sorted(p.name for p in out.glob("*.npy")))
