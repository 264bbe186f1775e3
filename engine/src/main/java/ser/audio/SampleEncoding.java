package ser.audio;

/** How one sample is stored in a WAV data chunk. */
public enum SampleEncoding {
    /** Two's-complement little-endian integers; 8-bit samples are the exception, unsigned with 128 as zero. */
    PCM_INT,
    /** IEEE 754 little-endian floats, 32 or 64 bits. */
    IEEE_FLOAT
}
