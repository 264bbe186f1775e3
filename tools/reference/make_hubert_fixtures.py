#!/usr/bin/python3
"""Oracle for ser.hubert: random-weight HuBERT/wav2vec2 models, their weights in every naming we import,
and every stage's output on speech and synthetic inputs.

Run with Debian's python (torch 1.13, torchaudio 0.13):

    /usr/bin/python3 tools/reference/make_hubert_fixtures.py            # small fixtures, committed
    /usr/bin/python3 tools/reference/make_hubert_fixtures.py --base     # + full hubert_base, tools/reference/out/

Two small models share hubert_base's structure at toy widths (32 conv channels, 48-wide encoder, 2 layers):
  small-base:  group-norm feature encoder, no conv bias, post-LN encoder (HuBERT/wav2vec2 base layout),
               do_normalize false; weights as HF HubertModel (safetensors and pytorch_model.bin, pos-conv as
               weight_g/weight_v), torchaudio state dict, fairseq HuBERT checkpoint.
  small-large: layer-norm feature encoder, conv bias, pre-LN encoder (large layout), do_normalize true;
               weights as HF Wav2Vec2ForCTC-style ("wav2vec2." prefix, pos-conv as parametrizations.weight.*),
               torchaudio state dict, fairseq wav2vec2 checkpoint.

Inputs: the synthetic clips are committed raw as inputs/synth-N.npy; speech excerpts are named, never
committed. Models with do_normalize see each clip normalised over its own length before padding.
Stage dumps per input (npy, float32): features.npy [B, T, C] (feature encoder), projected.npy [B, T, D] (feature projection, padded
frames zeroed as torchaudio does), pos_conv.npy [B, T, D], hidden_states.npy [L+1, B, T, D] (HF convention:
[0] is the encoder input after pos-conv (+ LN for post-LN models), [i] is layer i's output, and the last one
carries the final LN for pre-LN models). manifest.json gives sample and frame lengths, and for speech the
RAVDESS file and excerpt (the audio itself is never committed; Java re-reads it from ser.shared).

Padding, as torchaudio applies it when lengths are passed: the feature encoder runs over the padded batch
unmasked (so group norm sees the padding), frame lengths follow floor((n - k) / s) + 1 per conv, the projected
features of padded frames are set to 0 before the positional conv, and attention adds -10000 to the scores of
padded keys. Padded query rows are still computed; they are dumped and compared like the rest.
"""
import argparse
import json
import os
import struct
from collections import OrderedDict

import numpy as np
import torch
import torchaudio
from torchaudio.models import hubert_base, wav2vec2_model

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIXTURES = os.path.join(ROOT, "engine", "src", "test", "resources", "fixtures", "hubert")
OUT = os.path.join(ROOT, "tools", "reference", "out")
SHARED = os.environ.get("SER_SHARED", os.path.normpath(os.path.join(ROOT, "..", "..", "shared")))
RAVDESS = os.path.join(SHARED, "data", "ravdess-16k")
if not os.path.isdir(RAVDESS):
    RAVDESS = "/work/shared/data/ravdess-16k"

CONV_SHAPES = [(10, 5)] + [(3, 2)] * 4 + [(2, 2)] * 2

SMALL = {
    "small-base": dict(mode="group_norm", conv_bias=False, layer_norm_first=False, do_normalize=False),
    "small-large": dict(mode="layer_norm", conv_bias=True, layer_norm_first=True, do_normalize=True),
}

# (relative path under ravdess-16k, first sample, sample count)
SPEECH_A = ("Actor_01/03-01-05-01-01-01-01.wav", 8000, 32000)
SPEECH_B = ("Actor_02/03-01-06-02-01-01-02.wav", 11200, 20500)


def build(channels, dim, layers, heads, ffn, pos_kernel, pos_groups, mode, conv_bias, layer_norm_first):
    return wav2vec2_model(
        extractor_mode=mode,
        extractor_conv_layer_config=[(channels, k, s) for k, s in CONV_SHAPES],
        extractor_conv_bias=conv_bias,
        encoder_embed_dim=dim,
        encoder_projection_dropout=0.0,
        encoder_pos_conv_kernel=pos_kernel,
        encoder_pos_conv_groups=pos_groups,
        encoder_num_layers=layers,
        encoder_num_heads=heads,
        encoder_attention_dropout=0.0,
        encoder_ff_interm_features=ffn,
        encoder_ff_interm_dropout=0.0,
        encoder_dropout=0.0,
        encoder_layer_norm_first=layer_norm_first,
        encoder_layer_drop=0.0,
        aux_num_out=None,
    ).eval()


def randomise(model, seed):
    """Seeded normal re-init of every parameter, scaled so activations stay O(1) and nothing is zero."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            n = torch.randn(p.shape, generator=g)
            if name.endswith("weight_g"):
                # weight_norm(dim=2): one gain per kernel tap, the norm of that tap's [out, in/groups] slice.
                # Elements of std 1/sqrt(fan_in) give a slice norm of sqrt(out / kernel).
                out_channels, kernel = model.encoder.transformer.pos_conv_embed.conv.weight_v.shape[0], p.shape[2]
                p.copy_((1 + 0.2 * n).abs() * (out_channels / kernel) ** 0.5)
            elif name.endswith("bias"):
                p.copy_(0.1 * n)
            elif "norm" in name:
                p.copy_(1 + 0.2 * n)
            else:
                p.copy_(n / p[0].numel() ** 0.5)


# ---- key naming ---------------------------------------------------------------------------------------------

def hf_name(ta_key, pos_conv_style):
    k = ta_key.replace("encoder.feature_projection.", "feature_projection.")
    k = k.replace("encoder.transformer.", "encoder.")
    if pos_conv_style == "parametrizations":
        k = k.replace("pos_conv_embed.conv.weight_g", "pos_conv_embed.conv.parametrizations.weight.original0")
        k = k.replace("pos_conv_embed.conv.weight_v", "pos_conv_embed.conv.parametrizations.weight.original1")
    return k


def fairseq_name(ta_key, group_norm):
    rules = [
        ("feature_extractor.conv_layers.{i}.conv.", "feature_extractor.conv_layers.{i}.0."),
        ("encoder.feature_projection.projection.", "post_extract_proj."),
        ("encoder.feature_projection.layer_norm.", "layer_norm."),
        ("encoder.transformer.pos_conv_embed.conv.", "encoder.pos_conv.0."),
        ("encoder.transformer.layer_norm.", "encoder.layer_norm."),
        ("encoder.transformer.layers.{i}.attention.", "encoder.layers.{i}.self_attn."),
        ("encoder.transformer.layers.{i}.layer_norm.", "encoder.layers.{i}.self_attn_layer_norm."),
        ("encoder.transformer.layers.{i}.feed_forward.intermediate_dense.", "encoder.layers.{i}.fc1."),
        ("encoder.transformer.layers.{i}.feed_forward.output_dense.", "encoder.layers.{i}.fc2."),
        ("encoder.transformer.layers.{i}.final_layer_norm.", "encoder.layers.{i}.final_layer_norm."),
    ]
    parts = ta_key.split(".")
    index = next((p for p in parts if p.isdigit()), None)
    if ta_key.startswith("feature_extractor.conv_layers.") and ".layer_norm." in ta_key:
        # group norm sits at Sequential index 2; layer norm is Sequential(TransposeLast, LN, TransposeLast).
        leaf = parts[-1]
        return f"feature_extractor.conv_layers.{index}.2.{'' if group_norm else '1.'}{leaf}"
    for src, dst in rules:
        src_i, dst_i = src.format(i=index), dst.format(i=index)
        if ta_key.startswith(src_i):
            return dst_i + ta_key[len(src_i):]
    raise KeyError(ta_key)


# ---- writers ------------------------------------------------------------------------------------------------

def write_safetensors(path, tensors, metadata=None):
    """The safetensors layout by hand: u64 header length, JSON header (8-byte padded), raw little-endian data."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def hf_config(name, cfg, channels, dim, layers, heads, ffn, pos_kernel, pos_groups):
    hubert = name != "small-large"
    return {
        "architectures": ["HubertModel" if hubert else "Wav2Vec2ForCTC"],
        "model_type": "hubert" if hubert else "wav2vec2",
        "conv_bias": cfg["conv_bias"],
        "conv_dim": [channels] * 7,
        "conv_kernel": [k for k, _ in CONV_SHAPES],
        "conv_stride": [s for _, s in CONV_SHAPES],
        "feat_extract_norm": "group" if cfg["mode"] == "group_norm" else "layer",
        "feat_extract_activation": "gelu",
        "feat_proj_layer_norm": True,
        "hidden_size": dim,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "intermediate_size": ffn,
        "hidden_act": "gelu",
        "layer_norm_eps": 1e-5,
        "do_stable_layer_norm": cfg["layer_norm_first"],
        "num_conv_pos_embeddings": pos_kernel,
        "num_conv_pos_embedding_groups": pos_groups,
        "vocab_size": 32,
        "torch_dtype": "float32",
    }


def preprocessor_config(do_normalize):
    return {
        "do_normalize": do_normalize,
        "feature_extractor_type": "Wav2Vec2FeatureExtractor",
        "feature_size": 1,
        "padding_side": "right",
        "padding_value": 0.0,
        "return_attention_mask": do_normalize,
        "sampling_rate": 16000,
    }


def fairseq_checkpoint(state, cfg, channels, dim, layers, heads, ffn, pos_kernel, pos_groups, hubert):
    """A fairseq checkpoint as fairseq >= 0.10 saves it: {'cfg': plain dict, 'model': state dict, ...}."""
    group_norm = cfg["mode"] == "group_norm"
    model = OrderedDict((fairseq_name(k, group_norm), v.clone()) for k, v in state.items())
    g = torch.Generator().manual_seed(7)
    # Pre-training heads the converter must skip.
    model["mask_emb"] = torch.randn(dim, generator=g)
    model["final_proj.weight"] = torch.randn(16, dim, generator=g)
    model["final_proj.bias"] = torch.randn(16, generator=g)
    if hubert:
        model["label_embs_concat"] = torch.randn(8, 16, generator=g)
    layers_spec = f"[({channels}, 10, 5)] + [({channels}, 3, 2)] * 4 + [({channels},2,2)] * 2"
    return {
        "cfg": {
            "common": {"fp16": False},
            "model": {
                "_name": "hubert" if hubert else "wav2vec2",
                "extractor_mode": "default" if cfg["mode"] == "group_norm" else "layer_norm",
                "conv_feature_layers": layers_spec,
                "conv_bias": cfg["conv_bias"],
                "encoder_layers": layers,
                "encoder_embed_dim": dim,
                "encoder_ffn_embed_dim": ffn,
                "encoder_attention_heads": heads,
                "activation_fn": "gelu",
                "layer_norm_first": cfg["layer_norm_first"],
                "conv_pos": pos_kernel,
                "conv_pos_groups": pos_groups,
                "dropout": 0.1,
            },
            "task": {"_name": "hubert_pretraining" if hubert else "audio_pretraining",
                     "normalize": cfg["do_normalize"], "sample_rate": 16000},
        },
        "model": model,
        "optimizer_history": [],
        "extra_state": {"epoch": 1},
    }


# ---- inputs -------------------------------------------------------------------------------------------------

def synthetic(n, seed):
    """A voiced, syllable-paced signal: harmonics of a wobbling f0 under an envelope, plus a little noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / 16000.0
    f0 = 120 + 40 * seed + 25 * np.sin(2 * np.pi * 3.0 * t)
    phase = 2 * np.pi * np.cumsum(f0) / 16000.0
    voice = sum((0.6 / h) * np.sin(h * phase + rng.uniform(0, 2 * np.pi)) for h in range(1, 9))
    envelope = 0.5 * (1 - np.cos(2 * np.pi * 2.5 * t))
    x = voice * envelope + 0.02 * rng.standard_normal(n)
    return (0.5 * x / np.abs(x).max()).astype(np.float32)


def speech(spec):
    rel, start, count = spec
    wave, sr = torchaudio.load(os.path.join(RAVDESS, rel))  # int16 / 32768
    assert sr == 16000 and wave.shape[0] == 1, (rel, sr, wave.shape)
    return wave[0, start:start + count].numpy().astype(np.float32)


def normalise(x):
    """Wav2Vec2FeatureExtractor.zero_mean_unit_var_norm on one unpadded utterance."""
    return ((x - x.mean()) / np.sqrt(x.var() + 1e-7)).astype(np.float32)


def batch(clips, do_normalize):
    clips = [normalise(c) if do_normalize else c for c in clips]
    out = np.zeros((len(clips), max(len(c) for c in clips)), dtype=np.float32)
    for i, c in enumerate(clips):
        out[i, :len(c)] = c
    return out, [len(c) for c in clips]


# ---- the stages ---------------------------------------------------------------------------------------------

@torch.no_grad()
def stages(model, wave, lengths):
    wave = torch.from_numpy(wave)
    lengths = torch.tensor(lengths) if len(lengths) > 1 else None
    features, frames = model.feature_extractor(wave, lengths)
    encoder, transformer = model.encoder, model.encoder.transformer
    projected, mask = encoder._preprocess(features, frames)
    pos = transformer.pos_conv_embed(projected)
    first = projected + pos
    if transformer.layer_norm_first:  # torchaudio's flag here is "LN before the layers" = post-LN model
        first = transformer.layer_norm(first)
    layers = transformer.get_intermediate_outputs(projected, attention_mask=mask)
    if not transformer.layer_norm_first:
        layers[-1] = transformer.layer_norm(layers[-1])
    hidden = torch.stack([first] + layers)
    final, _ = model(wave, lengths)
    assert torch.allclose(final, hidden[-1], atol=1e-6), "stage replay disagrees with model.forward"
    frames = frames.tolist() if frames is not None else [features.shape[1]]
    return {"features": features, "projected": projected, "pos_conv": pos, "hidden_states": hidden}, frames


def dump(directory, model, wave, lengths, manifest):
    os.makedirs(directory, exist_ok=True)
    arrays, frames = stages(model, wave, lengths)
    for name, a in arrays.items():
        np.save(os.path.join(directory, name + ".npy"), np.ascontiguousarray(a.numpy(), dtype=np.float32))
    manifest = dict(manifest, sample_lengths=lengths, frame_lengths=frames)
    with open(os.path.join(directory, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


def inputs(with_speech):
    """name -> (raw clips, manifest); the raw synthetic clips are committed once under inputs/."""
    s1, s2 = synthetic(24000, 1), synthetic(15500, 2)
    out = {"synth-single": ([s1], {"source": "synthetic", "clips": ["synth-1.npy"]}),
           "synth-batch": ([s1, s2], {"source": "synthetic", "clips": ["synth-1.npy", "synth-2.npy"]})}
    os.makedirs(os.path.join(FIXTURES, "inputs"), exist_ok=True)
    np.save(os.path.join(FIXTURES, "inputs", "synth-1.npy"), s1)
    np.save(os.path.join(FIXTURES, "inputs", "synth-2.npy"), s2)
    if with_speech:
        excerpt = lambda spec: {"file": spec[0], "start": spec[1], "count": spec[2]}
        out["speech-single"] = ([speech(SPEECH_A)], {"source": "ravdess-16k", "clips": [excerpt(SPEECH_A)]})
        out["speech-batch"] = ([speech(SPEECH_A), speech(SPEECH_B)],
                               {"source": "ravdess-16k", "clips": [excerpt(SPEECH_A), excerpt(SPEECH_B)]})
    return out


def write_model(directory, name, cfg, model, sizes, seed_note, with_speech, formats):
    channels, dim, layers, heads, ffn, pos_kernel, pos_groups = sizes
    os.makedirs(directory, exist_ok=True)
    state = OrderedDict((k, v.detach().clone()) for k, v in model.state_dict().items())
    hubert = name != "small-large"
    hf = os.path.join(directory, "hf")
    os.makedirs(hf, exist_ok=True)
    style = "weight_g" if hubert else "parametrizations"
    prefix = "" if hubert else "wav2vec2."
    hf_state = OrderedDict((prefix + hf_name(k, style), v) for k, v in state.items())
    hf_state[prefix + "masked_spec_embed"] = torch.rand(dim, generator=torch.Generator().manual_seed(3))
    if not hubert:
        hf_state["lm_head.weight"] = torch.randn(32, dim, generator=torch.Generator().manual_seed(4))
        hf_state["lm_head.bias"] = torch.zeros(32)
    write_safetensors(os.path.join(hf, "model.safetensors"), hf_state, {"format": "pt"})
    if "hf-bin" in formats:
        torch.save(hf_state, os.path.join(hf, "pytorch_model.bin"))
    with open(os.path.join(hf, "config.json"), "w") as f:
        json.dump(hf_config(name, cfg, *sizes), f, indent=1)
    with open(os.path.join(hf, "preprocessor_config.json"), "w") as f:
        json.dump(preprocessor_config(cfg["do_normalize"]), f, indent=1)
    if "torchaudio" in formats:
        torch.save(state, os.path.join(directory, "torchaudio.pt"))
    if "fairseq" in formats:
        checkpoint = fairseq_checkpoint(state, cfg, *sizes, hubert=hubert)
        torch.save(checkpoint, os.path.join(directory, "fairseq.pt"))
        if hubert:
            # Older fairseq (wav2vec_small.pt and friends) kept the flat argparse.Namespace under 'args'.
            flat = dict(checkpoint["cfg"]["model"], normalize=checkpoint["cfg"]["task"]["normalize"])
            legacy = {"args": argparse.Namespace(**flat), "model": checkpoint["model"]}
            torch.save(legacy, os.path.join(directory, "fairseq-legacy.pt"))
    with open(os.path.join(directory, "model.json"), "w") as f:
        json.dump(dict(cfg, channels=channels, dim=dim, layers=layers, heads=heads, ffn=ffn,
                       pos_kernel=pos_kernel, pos_groups=pos_groups, seed=seed_note), f, indent=1)
    for input_name, (clips, manifest) in inputs(with_speech).items():
        wave, lengths = batch(clips, cfg["do_normalize"])
        dump(os.path.join(directory, input_name), model, wave, lengths,
             dict(manifest, do_normalize=cfg["do_normalize"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", action="store_true", help="also write the full hubert_base to tools/reference/out/")
    args = ap.parse_args()
    torch.set_num_threads(2)
    with_speech = os.path.isdir(RAVDESS)
    if not with_speech:
        print(f"note: {RAVDESS} absent, speech inputs skipped")
    for seed, (name, cfg) in enumerate(SMALL.items(), start=11):
        sizes = (32, 48, 2, 4, 96, 16, 4)
        model = build(*sizes, cfg["mode"], cfg["conv_bias"], cfg["layer_norm_first"])
        randomise(model, seed)
        write_model(os.path.join(FIXTURES, name), name, cfg, model, sizes, seed, with_speech,
                    formats={"hf-bin", "torchaudio", "fairseq"})
        print("wrote", os.path.join(FIXTURES, name))
    if args.base:
        cfg = dict(mode="group_norm", conv_bias=False, layer_norm_first=False, do_normalize=False)
        model = hubert_base().eval()
        randomise(model, 5)
        sizes = (512, 768, 12, 12, 3072, 128, 16)
        write_model(os.path.join(OUT, "hubert-base"), "hubert-base", cfg, model, sizes, 5, with_speech,
                    formats=set())
        print("wrote", os.path.join(OUT, "hubert-base"))


if __name__ == "__main__":
    main()
