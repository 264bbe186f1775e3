/** JMH benchmarks: each of our kernels against the scalar reference backend and a peer library, in one run. */
package ser.bench;
