package ser.audio;

/**
 * How one sample is stored in a data chunk. WAV is little-endian; AIFF is big-endian, or little-endian in
 * AIFF-C {@code sowt}, and its 8-bit samples are signed.
 */
public enum SampleEncoding {
    /** Two's-complement integers; WAV's 8-bit samples are the exception, unsigned with 128 as zero. */
    PCM_INT,
    /** IEEE 754 floats, 32 or 64 bits. */
    IEEE_FLOAT
}
