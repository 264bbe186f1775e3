# Writes the Praat reference numbers the ser.prosody tests hold the Java code to.
#
#   praat --run tools/reference/praat/make_prosody_fixtures.praat SHARED_DATA_DIR OUT_DIR
#
# OUT_DIR receives: synthetic/*.wav (small signals made here, committed), files.tsv (one line a file: jitter,
# shimmer, mean HNR) and, per file, NAME.pitch.tsv, NAME.formant.tsv, NAME.pulses.tsv, NAME.hnr.tsv.
# Real speech is only read, never copied: the fixtures hold Praat's numbers and the file's path under SHARED_DATA_DIR.

form Prosody fixtures
    sentence data_dir /work/shared/data
    sentence out_dir engine/src/test/resources/fixtures/prosody
endform

createDirectory: out_dir$
createDirectory: out_dir$ + "/synthetic"

# Synthetic vowels: Rosenberg glottal pulses with a deterministic jitter and shimmer sequence, lip radiation
# (a first difference), three formant resonators. name, f0 start, f0 end, jitter, shimmer, F1, F2, F3
@synth: "vowel-a-120", 120, 120, 0.01, 0.05, 700, 1220, 2600
@synth: "vowel-i-220", 220, 220, 0.005, 0.03, 300, 2300, 3000
@synth: "glide-100-250", 100, 250, 0.0, 0.0, 500, 1500, 2500

list$ = "name" + tab$ + "path" + tab$ + "jitter_local" + tab$ + "shimmer_local" + tab$ + "hnr_mean" + newline$
writeFile: out_dir$ + "/files.tsv", list$

@measure: "vowel-a-120", "synthetic/vowel-a-120.wav", out_dir$ + "/synthetic/vowel-a-120.wav"
@measure: "vowel-i-220", "synthetic/vowel-i-220.wav", out_dir$ + "/synthetic/vowel-i-220.wav"
@measure: "glide-100-250", "synthetic/glide-100-250.wav", out_dir$ + "/synthetic/glide-100-250.wav"
@measure: "ravdess-a01-angry", "ravdess-16k/Actor_01/03-01-05-02-01-01-01.wav", data_dir$ + "/ravdess-16k/Actor_01/03-01-05-02-01-01-01.wav"
@measure: "ravdess-a01-neutral", "ravdess-16k/Actor_01/03-01-01-01-01-01-01.wav", data_dir$ + "/ravdess-16k/Actor_01/03-01-01-01-01-01-01.wav"
@measure: "ravdess-a02-happy", "ravdess-16k/Actor_02/03-01-03-02-02-01-02.wav", data_dir$ + "/ravdess-16k/Actor_02/03-01-03-02-02-01-02.wav"
@measure: "ravdess-a08-sad", "ravdess-16k/Actor_08/03-01-04-01-01-02-08.wav", data_dir$ + "/ravdess-16k/Actor_08/03-01-04-01-01-02-08.wav"
@measure: "emovo-m1-dis", "emovo-16k/m1/dis-m1-b1.wav", data_dir$ + "/emovo-16k/m1/dis-m1-b1.wav"
@measure: "emovo-f1-gio", "emovo-16k/f1/gio-f1-l1.wav", data_dir$ + "/emovo-16k/f1/gio-f1-l1.wav"
@measure: "emovo-m2-tri", "emovo-16k/m2/tri-m2-n1.wav", data_dir$ + "/emovo-16k/m2/tri-m2-n1.wav"

procedure synth: .name$, .f0a, .f0b, .jitter, .shimmer, .f1, .f2, .f3
    .dur = 1.0
    .s = Create Sound from formula: .name$, 1, 0, .dur, 16000, "0"
    .t = 0.02
    .i = 0
    while .t < .dur - 0.03
        .i += 1
        .f0 = .f0a + (.f0b - .f0a) * .t / .dur
        # a fixed pseudo-random sequence in [-1, 1]: the same pulses on every run
        .u = sin(.i * 2.39996 + 0.7) * cos(.i * 1.3)
        .v = sin(.i * 3.7 + 0.2)
        .period = (1 / .f0) * (1 + .jitter * .u)
        .amp = 1 + .shimmer * .v
        .tp = 0.4 * .period
        .tn = 0.16 * .period
        Formula (part): .t, .t + .tp + .tn, 1, 1, "if x < " + string$(.t + .tp) + " then self + " + string$(.amp) + " * 0.5 * (1 - cos(pi * (x - " + string$(.t) + ") / " + string$(.tp) + ")) else self + " + string$(.amp) + " * cos(pi / 2 * (x - " + string$(.t + .tp) + ") / " + string$(.tn) + ") fi"
        .t += .period
    endwhile
    Formula: "if col > 1 then self - self[col - 1] else 0 fi"
    Filter with one formant (in-place): .f1, 80
    Filter with one formant (in-place): .f2, 100
    Filter with one formant (in-place): .f3, 150
    Scale peak: 0.5
    Save as WAV file: out_dir$ + "/synthetic/" + .name$ + ".wav"
    removeObject: .s
endproc

procedure measure: .name$, .rel$, .path$
    .sound = Read from file: .path$
    .pitch = To Pitch (ac): 0, 75, 15, "no", 0.03, 0.45, 0.01, 0.35, 0.14, 600
    .n = Get number of frames
    .out$ = "time" + tab$ + "f0" + newline$
    for .k to .n
        .tk = Get time from frame number: .k
        .f = Get value in frame: .k, "Hertz"
        if .f = undefined
            .f = 0
        endif
        .out$ = .out$ + fixed$(.tk, 6) + tab$ + fixed$(.f, 4) + newline$
    endfor
    writeFile: out_dir$ + "/" + .name$ + ".pitch.tsv", .out$

    selectObject: .sound
    .pp = To PointProcess (periodic, cc): 75, 600
    .jitter = Get jitter (local): 0, 0, 0.0001, 0.02, 1.3
    .np = Get number of points
    .out$ = "time" + newline$
    for .k to .np
        .tk = Get time from index: .k
        .out$ = .out$ + fixed$(.tk, 7) + newline$
    endfor
    writeFile: out_dir$ + "/" + .name$ + ".pulses.tsv", .out$
    selectObject: .sound, .pp
    .shimmer = Get shimmer (local): 0, 0, 0.0001, 0.02, 1.3, 1.6

    selectObject: .sound
    .harm = To Harmonicity (cc): 0.01, 75, 0.1, 1.0
    .hnr = Get mean: 0, 0
    .n = Get number of frames
    .out$ = "time" + tab$ + "hnr" + newline$
    for .k to .n
        .tk = Get time from frame number: .k
        .h = Get value in frame: .k
        .out$ = .out$ + fixed$(.tk, 6) + tab$ + fixed$(.h, 3) + newline$
    endfor
    writeFile: out_dir$ + "/" + .name$ + ".hnr.tsv", .out$

    selectObject: .sound
    .formant = To Formant (burg): 0, 5, 5500, 0.025, 50
    .n = Get number of frames
    .out$ = "time" + tab$ + "f1" + tab$ + "f2" + tab$ + "f3" + newline$
    for .k to .n
        .tk = Get time from frame number: .k
        .out$ = .out$ + fixed$(.tk, 6)
        for .j to 3
            .v = Get value at time: .j, .tk, "hertz", "linear"
            if .v = undefined
                .v = 0
            endif
            .out$ = .out$ + tab$ + fixed$(.v, 2)
        endfor
        .out$ = .out$ + newline$
    endfor
    writeFile: out_dir$ + "/" + .name$ + ".formant.tsv", .out$

    appendFile: out_dir$ + "/files.tsv", .name$ + tab$ + .rel$ + tab$ + fixed$(.jitter, 6) + tab$ + fixed$(.shimmer, 6) + tab$ + fixed$(.hnr, 4) + newline$
    removeObject: .sound, .pitch, .pp, .harm, .formant
endproc
