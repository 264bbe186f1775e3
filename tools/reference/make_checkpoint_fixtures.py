#!/usr/bin/python3
"""Writes the small weight files that ser.io's tests read: PyTorch checkpoints in the zip and legacy formats,
hostile and truncated checkpoints, and safetensors files written byte by byte (no safetensors package).

Run with Debian's python3 (torch 1.13):  /usr/bin/python3 tools/reference/make_checkpoint_fixtures.py
Every tensor's expected float32 values go to a side *.expected.json: {name: {"shape": [...], "values": [...]}}.
"""
import argparse
import io
import json
import os
import pickle
import struct
import zipfile
from collections import OrderedDict

import numpy as np
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "engine", "src", "test", "resources", "fixtures", "ckpt")


def expected(tensors):
    """Float32 values in row-major order, exactly as the Java reader must produce them."""
    return {k: {"shape": list(t.shape), "values": t.detach().to(torch.float32).contiguous().flatten().tolist()}
            for k, t in tensors.items()}


def write_json(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def small_state_dict():
    g = torch.Generator().manual_seed(0)
    base = torch.arange(24, dtype=torch.float32) * 0.5 - 3
    sd = {}
    sd["f32"] = torch.randn(3, 4, generator=g)
    sd["f16"] = torch.randn(2, 3, generator=g).half()
    sd["bf16"] = torch.randn(5, generator=g).bfloat16()
    sd["f64"] = torch.randn(2, 2, generator=g).double()
    sd["i64"] = torch.tensor([0, 7, -3, 2 ** 40])
    sd["i32"] = torch.tensor([[1, -2], [3, 2 ** 20]], dtype=torch.int32)
    sd["i16"] = torch.tensor([-300, 300], dtype=torch.int16)
    sd["i8"] = torch.tensor([-128, 127], dtype=torch.int8)
    sd["u8"] = torch.tensor([0, 255, 128], dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True])
    sd["scalar"] = torch.tensor(2.5)
    sd["num_batches_tracked"] = torch.tensor(12)
    sd["transposed"] = torch.randn(3, 5, generator=g).t()          # strides (1, 5): not contiguous
    sd["shared_base"] = base.view(4, 6)
    sd["shared_view"] = base[5:17].view(3, 4)                    # storage offset 5, same storage as shared_base
    sd["shared_strided"] = base.view(4, 6)[1:, 1::2]              # offset 7, strides (6, 2)
    sd["expanded"] = torch.randn(3, 1, generator=g).expand(3, 4)  # stride 0 along the last axis
    sd["empty"] = torch.zeros(0, 3)
    sd["param"] = nn.Parameter(torch.randn(2, generator=g))       # pickled through _rebuild_parameter
    assert not sd["transposed"].is_contiguous() and sd["shared_view"].storage_offset() == 5
    return sd


def fairseq_like():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    model.train()
    for _ in range(3):
        model(torch.randn(4, 3))                                   # non-trivial running stats, num_batches_tracked = 3
    args = argparse.Namespace(arch="hubert", encoder_layers=2, dropout=0.1, label_rate=50.0, normalize=False,
                              conv_feature_layers="[(512,10,5)]", layers=[1, 2], pair=(3, 4), nothing=None, big=2 ** 70)
    return {
        "args": args,
        "model": model.state_dict(),                               # an OrderedDict carrying _metadata
        "optimizer_history": [{"criterion_name": "hubert", "optimizer_name": "Adam",
                               "lr_scheduler_state": {"best": None}, "num_updates": 400000}],
        "extra_state": {"epoch": 3, "val_loss": np.float64(0.25), "steps": np.int64(400),
                        "raw": b"\x00\xffraw", "tags": {"a"}, "frozen": frozenset({1})},
    }


def entry(name, compression=zipfile.ZIP_STORED):
    """A zip entry with a fixed date, so that rerunning this script rewrites identical zips."""
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.compress_type = compression
    return info


def torch_zip_with_pickle(path, pickle_bytes, prefix="archive"):
    """A checkpoint-shaped zip around a hand-made data.pkl."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(entry(prefix + "/data.pkl"), pickle_bytes)
        z.writestr(entry(prefix + "/version"), "3\n")


def rename_prefix(src, dst, prefix, compression, extra=()):
    """The same checkpoint under another archive folder, plus the extra records newer PyTorch versions write."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(entry(prefix + "/" + info.filename.split("/", 1)[1], compression), zin.read(info.filename))
        for name, content in extra:
            zout.writestr(entry(prefix + "/" + name, compression), content)


class Eval:
    def __reduce__(self):
        return eval, ("print('pwned')",)


def safetensors_file(path, entries, metadata, pad_to):
    """Safetensors by hand: u64 header length, JSON header, data. Data is laid out in reverse header order so
    that a reader must follow data_offsets, not assume the header order."""
    header, offset = {}, 0
    for name, dtype, shape, raw in reversed(entries):
        header[name] = (dtype, shape, [offset, offset + len(raw)])
        offset += len(raw)
    ordered = {"__metadata__": metadata}
    for name, dtype, shape, raw in entries:
        d, s, o = header[name]
        ordered[name] = {"dtype": d, "shape": s, "data_offsets": o}
    text = json.dumps(ordered).encode()
    while (8 + len(text)) % 8 != pad_to:
        text += b" "
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for name, dtype, shape, raw in reversed(entries):
            f.write(raw)


def main():
    os.makedirs(OUT, exist_ok=True)
    p = lambda name: os.path.join(OUT, name)

    sd = small_state_dict()
    torch.save(sd, p("state_dict.pt"))
    torch.save(sd, p("state_dict_p4.pt"), pickle_protocol=4)
    torch.save(sd, p("state_dict_legacy.pt"), _use_new_zipfile_serialization=False)
    rename_prefix(p("state_dict.pt"), p("state_dict_prefix.pt"), "my_model", zipfile.ZIP_DEFLATED)
    # the layout of PyTorch 2.x: folder "archive" and records that 1.13 does not write yet
    rename_prefix(p("state_dict.pt"), p("state_dict_archive.pt"), "archive", zipfile.ZIP_STORED,
                  [("byteorder", "little"), (".format_version", "1"), (".storage_alignment", "64"),
                   (".data/serialization_id", "0123456789")])
    write_json("state_dict.expected.json", expected(sd))

    ckpt = fairseq_like()
    torch.save(ckpt, p("fairseq_like.pt"))
    torch.save(ckpt, p("fairseq_like_legacy.pt"), _use_new_zipfile_serialization=False)
    write_json("fairseq_like.expected.json", expected(ckpt["model"]))

    # GLOBAL 'os system' + REDUCE: what a booby-trapped checkpoint looks like to a naive unpickler.
    torch_zip_with_pickle(p("malicious.pt"), b"\x80\x02cos\nsystem\nq\x00X\x0a\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03.")
    torch_zip_with_pickle(p("malicious_p4.pt"), pickle.dumps({"model": Eval()}, protocol=4))

    torch.jit.save(torch.jit.script(nn.Linear(2, 1)), p("scripted.pt"))  # a TorchScript archive, which must be told apart

    with open(p("state_dict.pt"), "rb") as f:
        whole = f.read()
    with open(p("truncated.pt"), "wb") as f:
        f.write(whole[: len(whole) // 2])

    g = torch.Generator().manual_seed(1)
    weight = torch.randn(2, 3, generator=g)
    half = torch.randn(4, generator=g).half()
    brain = torch.randn(2, 2, generator=g).bfloat16()
    double = torch.randn(3, generator=g).double()
    ids = torch.tensor([5, -1, 2 ** 33])
    scalar = torch.tensor(-1.25)
    empty = torch.zeros(0)
    raw = lambda t: t.reshape(-1).view(torch.uint8).numpy().tobytes()
    entries = [("weight", "F32", [2, 3], raw(weight)), ("half", "F16", [4], raw(half)),
               ("brain", "BF16", [2, 2], raw(brain)), ("double", "F64", [3], raw(double)),
               ("ids", "I64", [3], raw(ids)), ("scalar", "F32", [], raw(scalar)), ("empty", "F32", [0], raw(empty))]
    metadata = {"format": "pt", "source": "make_checkpoint_fixtures.py"}
    safetensors_file(p("tiny.safetensors"), entries, metadata, pad_to=0)
    safetensors_file(p("tiny_unaligned.safetensors"), entries, metadata, pad_to=2)
    write_json("tiny.expected.json", expected({"weight": weight, "half": half, "brain": brain, "double": double,
                                               "ids": ids, "scalar": scalar, "empty": empty}))


if __name__ == "__main__":
    main()
