/**
 * A pickle reader that cannot run code, for PyTorch and fairseq checkpoints.
 *
 * <p>{@code pickle.load} executes whatever callables a file names, so loading a downloaded checkpoint with
 * it is running a downloaded program. {@link ser.io.pickle.SafeUnpickler} instead interprets the opcodes as
 * data: a GLOBAL resolves only through an allow-list of {@link ser.io.pickle.PickleGlobal}s, Java stand-ins
 * that build maps, lists, sets, numbers and tensor descriptions, and everything else is refused by name.
 */
package ser.io.pickle;
